import { managedRule, type ClaimViolation } from './claim';

/**
 * GKE node groups on an image other than Container-Optimized OS with containerd (GKE's default,
 * so an absent imageType passes). CIS EKS 1.8.0 and AKS 1.8 have no node-image recommendation.
 */
export const nodeImage = managedRule({
	id: 'cis-managed-node-image',
	title: 'GKE nodes not on Container-Optimized OS',
	severity: 'info',
	rationale:
		'Container-Optimized OS is built to run containers and little else: a read-only root file system, a minimal package set, a locked-down kernel and automatic updates leave far less to attack and maintain than a general-purpose distribution.',
	remediation: 'Set imageType: COS_CONTAINERD on the node group (or remove imageType: it is GKE\'s default), unless the nodes need something only another image provides.',
	controls: { gcp: ['5.5.1'] },
	reads: ['nodeGroups'],
	evaluate({ nodeGroups }) {
		const out: ClaimViolation[] = [];
		for (const g of nodeGroups) {
			const t = g.group.imageType;
			if (typeof t !== 'string' || t.trim() === '' || t.trim().toLowerCase() === 'cos_containerd') continue;
			out.push({
				path: [...g.path, 'imageType'],
				target: 'value',
				message: `${g.label} uses the ${t.trim()} image, not Container-Optimized OS (COS_CONTAINERD), GKE's hardened default with a read-only root file system, a minimal package set and automatic updates. Use COS_CONTAINERD unless these nodes need something only another image has.`,
			});
		}
		return out;
	},
});

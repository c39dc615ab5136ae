import type { NodePath } from '../../../core/parse';
import { andList } from '../cis/rbac';
import { managedRule, missingAt, section, type ClaimViolation } from './claim';

/** The Compute Engine default service account: `<project-number>-compute@developer.gserviceaccount.com` (or `default`). */
export function isComputeDefault(sa: string): boolean {
	const s = sa.trim().toLowerCase();
	return s === 'default' || /^\d+-compute@developer\.gserviceaccount\.com$/.test(s);
}

const WHY = 'which has the Editor role on the project unless that grant was removed, so any pod that reaches the node\'s credentials can change most of the project';

/**
 * GKE nodes must not run as the Compute Engine default service account, which GKE uses when none
 * is set. `identity.nodeServiceAccount` sets it for the cluster, `nodeGroups[].serviceAccount`
 * per node group.
 */
export const nodeServiceAccount = managedRule({
	id: 'cis-managed-node-service-account',
	title: 'GKE nodes run as the Compute Engine default service account',
	severity: 'warning',
	rationale:
		'Every pod on a node can use the node\'s service account unless Workload Identity hides it. The Compute Engine default service account usually holds the Editor role on the whole project, so one compromised pod could change most of the project. A dedicated account needs only logging and monitoring writer roles.',
	remediation: 'Create a service account with roles/logging.logWriter, roles/monitoring.metricWriter and roles/monitoring.viewer, and set it as identity.nodeServiceAccount (or serviceAccount on each node group).',
	controls: { gcp: ['5.2.1'] },
	reads: ['nodeGroups', 'identity'],
	evaluate({ spec, nodeGroups }) {
		const out: ClaimViolation[] = [];
		const clusterSa = section(spec, 'identity')?.nodeServiceAccount;
		const clusterPath: NodePath = ['spec', 'identity', 'nodeServiceAccount'];
		if (typeof clusterSa === 'string' && isComputeDefault(clusterSa)) {
			out.push({ path: clusterPath, target: 'value', message: `identity.nodeServiceAccount is the Compute Engine default service account, ${WHY}. Use a dedicated, minimally privileged service account.` });
		}
		const inherit: string[] = [];
		for (const g of nodeGroups) {
			const own = g.group.serviceAccount;
			if (typeof own === 'string' && own.trim() !== '') {
				if (isComputeDefault(own)) out.push({ path: [...g.path, 'serviceAccount'], target: 'value', message: `${g.label} runs as the Compute Engine default service account, ${WHY}. Use a dedicated, minimally privileged service account.` });
				continue;
			}
			if (own === undefined) inherit.push(g.label.replace(/^Node group /, ''));
		}
		const clusterUnset = clusterSa === undefined || (typeof clusterSa === 'string' && clusterSa.trim() === '');
		if (clusterUnset && (nodeGroups.length === 0 || inherit.length > 0)) {
			const who = nodeGroups.length === 0 ? 'The nodes run' : inherit.length === 1 ? `Node group ${inherit[0]} runs` : `Node groups ${andList(inherit)} run`;
			const where = clusterSa === undefined ? missingAt(spec, ['identity', 'nodeServiceAccount']) : { path: clusterPath, target: 'value' as const };
			out.push({ ...where, message: `${who} as the Compute Engine default service account, which GKE uses when none is set, ${WHY}. Set identity.nodeServiceAccount (or serviceAccount on each node group) to a dedicated, minimally privileged service account.` });
		}
		return out;
	},
});

import { flag, managedRule, section, type ClaimViolation } from './claim';

/**
 * GKE node maintenance: auto-repair and auto-upgrade on every node group, and a release channel.
 * All three are GKE's defaults, so only an explicit opt-out is reported.
 */
export const nodeUpgrades = managedRule({
	id: 'cis-managed-node-upgrades',
	title: 'GKE node auto-repair, auto-upgrade or release channel turned off',
	severity: 'warning',
	rationale:
		'Nodes that are not upgraded automatically fall behind the control plane and miss kernel and runtime security patches; nodes that are not repaired stay broken until someone notices. A release channel keeps the control plane and nodes on versions Google tests together and upgrades on schedule.',
	remediation: 'Remove autoRepair: false and autoUpgrade: false from the node groups, and set kubernetes.releaseChannel to stable or regular.',
	controls: { gcp: ['5.5.2', '5.5.3', '5.5.4'] },
	reads: ['nodeGroups', 'kubernetes'],
	evaluate({ spec, nodeGroups }) {
		const out: ClaimViolation[] = [];
		for (const g of nodeGroups) {
			if (flag(g.group, 'autoRepair') === false) {
				out.push({
					path: [...g.path, 'autoRepair'],
					target: 'value',
					controls: ['5.5.2'],
					message: `${g.label} sets autoRepair: false: GKE then leaves failing nodes (NotReady, out of disk) in place instead of recreating them. Remove the setting or set it to true.`,
				});
			}
			if (flag(g.group, 'autoUpgrade') === false) {
				out.push({
					path: [...g.path, 'autoUpgrade'],
					target: 'value',
					controls: ['5.5.3'],
					message: `${g.label} sets autoUpgrade: false: its nodes stay on their version while the control plane moves on, and miss kernel and container runtime security patches. Remove the setting or set it to true.`,
				});
			}
		}
		if (section(spec, 'kubernetes')?.releaseChannel === 'none') {
			out.push({
				path: ['spec', 'kubernetes', 'releaseChannel'],
				target: 'value',
				controls: ['5.5.4'],
				message: 'kubernetes.releaseChannel: none takes the cluster out of GKE release channels, so its versions are neither upgraded on schedule nor tested together. Choose stable or regular.',
			});
		}
		return out;
	},
});

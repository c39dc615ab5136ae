import { flag, managedRule, section, type ClaimViolation } from './claim';

/**
 * Shielded GKE Nodes (on by default since GKE 1.18) with integrity monitoring (on by default) and
 * Secure Boot (off by default, so absent is reported, as info: CIS Level 2, and it refuses
 * unsigned third-party kernel modules).
 */
export const shieldedNodes = managedRule({
	id: 'cis-managed-shielded-nodes',
	title: 'Shielded GKE nodes, integrity monitoring or Secure Boot off',
	severity: 'warning',
	rationale:
		'Shielded GKE Nodes give each node a verifiable identity, so a stolen node credential cannot be used to join an impostor node. Integrity monitoring reports a node whose boot sequence changed, and Secure Boot refuses to start a boot loader or kernel module that is not signed: together they catch rootkits that survive a pod compromise.',
	remediation: 'Remove security.shieldedNodes: false and integrityMonitoring: false, and set secureBoot: true on every node group.',
	controls: { gcp: ['5.5.5', '5.5.6', '5.5.7'] },
	reads: ['nodeGroups', 'security'],
	evaluate({ spec, nodeGroups }) {
		const out: ClaimViolation[] = [];
		if (flag(section(spec, 'security'), 'shieldedNodes') === false) {
			out.push({
				path: ['spec', 'security', 'shieldedNodes'],
				target: 'value',
				controls: ['5.5.5'],
				message: 'security.shieldedNodes: false turns Shielded GKE Nodes off: nodes then have no verifiable identity, so a stolen node credential can be used to join an impostor node to the cluster. Remove the setting or set it to true.',
			});
		}
		for (const g of nodeGroups) {
			if (flag(g.group, 'integrityMonitoring') === false) {
				out.push({
					path: [...g.path, 'integrityMonitoring'],
					target: 'value',
					controls: ['5.5.6'],
					message: `${g.label} sets integrityMonitoring: false: a node whose boot sequence was tampered with is then not reported. Remove the setting or set it to true.`,
				});
			}
			const secureBoot = g.group.secureBoot;
			if (secureBoot === true || (secureBoot !== undefined && typeof secureBoot !== 'boolean')) continue;
			const where =
				secureBoot === false
					? { path: [...g.path, 'secureBoot'], target: 'value' as const }
					: typeof g.group.name === 'string'
						? { path: [...g.path, 'name'], target: 'value' as const }
						: { path: g.path, target: 'key' as const };
			out.push({
				...where,
				controls: ['5.5.7'],
				severity: 'info',
				message: `${g.label} ${secureBoot === false ? 'sets secureBoot: false' : 'does not enable Secure Boot, which GKE leaves off by default'}: a modified boot loader or kernel module (a rootkit) then starts unnoticed. Set secureBoot: true (it refuses unsigned third-party kernel modules, such as some GPU drivers).`,
			});
		}
		return out;
	},
});

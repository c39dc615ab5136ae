import { containersOf, missingSettingTarget } from '../../../core/pod-spec';
import { pssRule, type PssViolation } from './pss-rule';

/**
 * PSA `allowPrivilegeEscalation` (restricted, 1.8; Windows pods exempt from 1.25): every
 * container must set `securityContext.allowPrivilegeEscalation: false`; unset counts as true.
 */
export const allowPrivilegeEscalation = pssRule({
	checkId: 'allowPrivilegeEscalation',
	level: 'restricted',
	title: 'Privilege escalation allowed',
	rationale: 'Unless it is false, a process can gain more privileges than its parent, e.g. through a setuid binary.',
	remediation: 'Set securityContext.allowPrivilegeEscalation: false on every container.',
	cis: ['5.2.6'],
	sinceMinor: 8,
	windowsExemptSince25: true,
	evaluate(pod) {
		const out: PssViolation[] = [];
		for (const c of containersOf(pod)) {
			const v = c.securityContext?.allowPrivilegeEscalation;
			if (v === false) continue;
			if (v === true) {
				out.push({
					path: [...c.path, 'securityContext', 'allowPrivilegeEscalation'],
					target: 'value',
					message: `${c.label} allows privilege escalation (securityContext.allowPrivilegeEscalation: true): a process can gain root through setuid binaries. Set it to false.`,
				});
				continue;
			}
			out.push({
				...missingSettingTarget(c, ['securityContext', 'allowPrivilegeEscalation']),
				message: `${c.label} does not set securityContext.allowPrivilegeEscalation: false, so a process can gain more privileges than its parent (setuid binaries). Add allowPrivilegeEscalation: false to its securityContext.`,
			});
		}
		return out;
	},
});

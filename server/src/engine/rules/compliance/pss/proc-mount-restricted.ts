import { unmaskedProcMounts } from './proc-mount';
import { pssRule } from './pss-rule';

/**
 * PSA `procMount_restricted` (restricted, 1.35): container `securityContext.procMount` unset or
 * `Default`, even in a user namespace. Outside a user namespace (or before 1.35) the baseline
 * `procMount` finding already covers it, so this rule reports only what baseline allows.
 */
export const procMountRestricted = pssRule({
	checkId: 'procMount_restricted',
	level: 'restricted',
	title: 'Unmasked /proc in a user namespace',
	rationale: 'Even inside a user namespace, an unmasked /proc exposes kernel interfaces the restricted level keeps hidden.',
	remediation: 'Remove securityContext.procMount or set it to Default.',
	sinceMinor: 35,
	evaluate(pod) {
		if (!pod.userNamespace) return [];
		return unmaskedProcMounts(pod);
	},
});

import { containersOf, type PodSpecRef } from '../../../core/pod-spec';
import type { PssViolation } from './pss-rule';
import { pssRule } from './pss-rule';

/** Containers with `securityContext.procMount` set to anything but `Default`. */
export function unmaskedProcMounts(pod: PodSpecRef): PssViolation[] {
	const out: PssViolation[] = [];
	for (const c of containersOf(pod)) {
		const pm = c.securityContext?.procMount;
		if (typeof pm !== 'string' || pm === 'Default') continue;
		out.push({
			path: [...c.path, 'securityContext', 'procMount'],
			target: 'value',
			message: `${c.label} sets securityContext.procMount: ${pm}: it unmasks /proc, exposing kernel information and interfaces of the node. Remove it or set it to Default.`,
		});
	}
	return out;
}

/**
 * PSA `procMount` (baseline, 1.0): container `securityContext.procMount` unset or `Default`. From
 * 1.35 any value is allowed in a user namespace (`spec.hostUsers: false`); there the restricted
 * check `procMount_restricted` still forbids it.
 */
export const procMount = pssRule({
	checkId: 'procMount',
	level: 'baseline',
	title: 'Unmasked /proc',
	rationale: 'The default /proc masks hide kernel interfaces of the node from the container; Unmasked removes them.',
	remediation: 'Remove securityContext.procMount or set it to Default.',
	alsoControls: ['PSS-restricted-procMount_restricted'],
	evaluate(pod, ctx) {
		if (ctx.pss.minor >= 35 && pod.userNamespace) return [];
		return unmaskedProcMounts(pod);
	},
});

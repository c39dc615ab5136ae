import { isPlainObject } from '../../../core/resource';
import { containersOf, missingSettingTarget, podSecurityContext } from '../../../core/pod-spec';
import { pssRule, type PssViolation } from './pss-rule';

/**
 * PSA `seccompProfile_restricted` (restricted, 1.19; Windows pods exempt from 1.25): the pod sets
 * `seccompProfile.type` RuntimeDefault or Localhost, or every container does. Explicit other
 * values are reported by `pss-seccompProfile_baseline` (one finding); this rule reports
 * containers that end up with no profile at all.
 */
export const seccompProfileRestricted = pssRule({
	checkId: 'seccompProfile_restricted',
	level: 'restricted',
	title: 'Seccomp profile not set',
	rationale: 'Without a seccomp profile a container can make every system call of the kernel, the largest attack surface of the node.',
	remediation: 'Set securityContext.seccompProfile.type: RuntimeDefault on the pod.',
	cis: ['5.7.2'],
	sinceMinor: 19,
	windowsExemptSince25: true,
	evaluate(pod) {
		const podProfile = podSecurityContext(pod)?.seccompProfile;
		// A pod-level profile (valid, or invalid and reported by the baseline rule) covers every container without its own.
		if (isPlainObject(podProfile)) return [];
		const out: PssViolation[] = [];
		for (const c of containersOf(pod)) {
			if (isPlainObject(c.securityContext?.seccompProfile)) continue;
			out.push({
				...missingSettingTarget(c, ['securityContext', 'seccompProfile']),
				message: `${c.label} runs without a seccomp profile: neither it nor the pod sets securityContext.seccompProfile, so every system call is open to it. Set seccompProfile.type: RuntimeDefault on the pod's securityContext.`,
			});
		}
		return out;
	},
});

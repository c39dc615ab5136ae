import { isPlainObject } from '../../../core/resource';
import { securitySetters } from '../../../core/pod-spec';
import { pssRule, type PssViolation } from './pss-rule';

/**
 * PSA `seccompProfile_baseline` (baseline, 1.19 fields): `seccompProfile.type` of the pod and the
 * containers must be RuntimeDefault, Localhost or unset. (Before 1.19 PSA read the seccomp
 * annotations instead; not modelled.) A finding also covers `seccompProfile_restricted` for the
 * same node, which therefore reports only missing profiles.
 */
export const seccompProfileBaseline = pssRule({
	checkId: 'seccompProfile_baseline',
	level: 'baseline',
	title: 'Seccomp profile not Unconfined',
	rationale: 'Seccomp filters the system calls a container may make; Unconfined exposes the whole kernel attack surface.',
	remediation: 'Set securityContext.seccompProfile.type to RuntimeDefault (or Localhost with a profile).',
	cis: ['5.7.2'],
	alsoControls: ['PSS-restricted-seccompProfile_restricted'],
	sinceMinor: 19,
	evaluate(pod) {
		const out: PssViolation[] = [];
		for (const s of securitySetters(pod)) {
			const profile = s.securityContext?.seccompProfile;
			if (!isPlainObject(profile) || typeof profile.type !== 'string') continue;
			if (profile.type === 'RuntimeDefault' || profile.type === 'Localhost') continue;
			out.push({
				path: [...s.scPath, 'seccompProfile', 'type'],
				target: 'value',
				message: `${s.label} sets the seccomp profile ${profile.type} (securityContext.seccompProfile.type): every system call of the kernel is open to the container. Use RuntimeDefault.`,
			});
		}
		return out;
	},
});

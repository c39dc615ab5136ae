import { isPlainObject } from '../../../core/resource';
import { securitySetters } from '../../../core/pod-spec';
import { pssRule, type PssViolation } from './pss-rule';

/**
 * PSA `seccompProfile_baseline` (baseline): from 1.19, `seccompProfile.type` of the pod and the
 * containers must be RuntimeDefault, Localhost or unset; before 1.19 (an enforce-version pinned
 * that low), the seccomp annotations `seccomp.security.alpha.kubernetes.io/pod` and
 * `container.seccomp.security.alpha.kubernetes.io/<name>` must be runtime/default,
 * docker/default or localhost/<profile>. A finding also covers `seccompProfile_restricted` for
 * the same node, which therefore reports only missing profiles.
 */
const POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
const CONTAINER_ANNOTATION = 'container.seccomp.security.alpha.kubernetes.io/';
export const seccompProfileBaseline = pssRule({
	checkId: 'seccompProfile_baseline',
	level: 'baseline',
	title: 'Seccomp profile not Unconfined',
	rationale: 'Seccomp filters the system calls a container may make; Unconfined exposes the whole kernel attack surface.',
	remediation: 'Set securityContext.seccompProfile.type to RuntimeDefault (or Localhost with a profile).',
	cis: ['5.7.2'],
	alsoControls: ['PSS-restricted-seccompProfile_restricted'],
	evaluate(pod, ctx) {
		const out: PssViolation[] = [];
		if (ctx.pss.minor < 19) {
			const annotations = isPlainObject(pod.metadata.annotations) ? pod.metadata.annotations : {};
			for (const [k, v] of Object.entries(annotations)) {
				if ((k !== POD_ANNOTATION && !k.startsWith(CONTAINER_ANNOTATION)) || typeof v !== 'string') continue;
				if (v === 'runtime/default' || v === 'docker/default' || v.startsWith('localhost/')) continue;
				out.push({
					path: [...pod.metadataPath, 'annotations', k],
					target: 'value',
					message: `${k === POD_ANNOTATION ? 'The pod' : `Container "${k.slice(CONTAINER_ANNOTATION.length)}"`} gets the seccomp profile "${v}" (annotation ${k}): every system call of the kernel is open to it. Use runtime/default.`,
				});
			}
			return out;
		}
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

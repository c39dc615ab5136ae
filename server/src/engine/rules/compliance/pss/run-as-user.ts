import { securitySetters } from '../../../core/pod-spec';
import { pssRule, type PssViolation } from './pss-rule';

/**
 * PSA `runAsUser` (restricted, 1.23): `securityContext.runAsUser` of the pod and the containers must
 * not be 0. From 1.35 a pod in a user namespace (`spec.hostUsers: false`) passes.
 */
export const runAsUser = pssRule({
	checkId: 'runAsUser',
	level: 'restricted',
	title: 'Runs as UID 0',
	rationale: 'UID 0 is root: any escape from the container lands as root on the node.',
	remediation: 'Set runAsUser to a non-zero UID (or remove it and run the image as a non-root user).',
	cis: ['5.2.7'],
	sinceMinor: 23,
	evaluate(pod, ctx) {
		if (ctx.pss.minor >= 35 && pod.userNamespace) return [];
		const out: PssViolation[] = [];
		for (const s of securitySetters(pod)) {
			if (s.securityContext?.runAsUser !== 0) continue;
			out.push({
				path: [...s.scPath, 'runAsUser'],
				target: 'value',
				message: `${s.label} runs as root (securityContext.runAsUser: 0). Use a non-zero UID.`,
			});
		}
		return out;
	},
});

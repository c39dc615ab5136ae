import { containersOf, missingSettingTarget, podSecurityContext } from '../../../core/pod-spec';
import { pssRule, type PssViolation } from './pss-rule';

/**
 * PSA `runAsNonRoot` (restricted, 1.0): the pod sets `securityContext.runAsNonRoot: true` and no
 * container sets false, or every container sets true; a pod-level false is always a violation.
 * From 1.35 a pod in a user namespace (`spec.hostUsers: false`) passes (before, only behind an
 * alpha feature gate). Windows pods are not exempt.
 */
export const runAsNonRoot = pssRule({
	checkId: 'runAsNonRoot',
	level: 'restricted',
	title: 'Containers may run as root',
	rationale: 'Root in a container is root on the node as soon as any isolation fails; runAsNonRoot makes the kubelet refuse to start a container as UID 0.',
	remediation: 'Set securityContext.runAsNonRoot: true on the pod (or on every container) and run the image as a non-root user.',
	cis: ['5.2.7'],
	evaluate(pod, ctx) {
		if (ctx.pss.minor >= 35 && pod.userNamespace) return [];
		const out: PssViolation[] = [];
		const podValue = podSecurityContext(pod)?.runAsNonRoot;
		if (podValue === false) {
			out.push({
				path: [...pod.path, 'securityContext', 'runAsNonRoot'],
				target: 'value',
				message: 'The pod sets securityContext.runAsNonRoot: false, so its containers may run as root. Set it to true.',
			});
		}
		for (const c of containersOf(pod)) {
			const v = c.securityContext?.runAsNonRoot;
			if (v === false) {
				out.push({
					path: [...c.path, 'securityContext', 'runAsNonRoot'],
					target: 'value',
					message: `${c.label} sets securityContext.runAsNonRoot: false, so it may run as root. Set it to true.`,
				});
			} else if (v !== true && podValue === undefined) {
				// (a pod-level false is reported once above, not again for every container that inherits it)
				out.push({
					...missingSettingTarget(c, ['securityContext', 'runAsNonRoot']),
					message: `${c.label} may run as root: neither it nor the pod sets securityContext.runAsNonRoot: true. Set it on the pod's or the container's securityContext.`,
				});
			}
		}
		return out;
	},
});

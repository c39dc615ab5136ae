import { containersOf, isPodTemplateKind, podSecurityContext, podSpecOf, POD_TEMPLATE_KINDS } from '../../../core/pod-spec';
import type { ComplianceProblem, ComplianceRule } from '../rule';

const isSet = (sc: Record<string, unknown> | undefined) => sc !== undefined && Object.keys(sc).length > 0;

/**
 * CIS 5.7.3: a pod template with no securityContext at all, neither on the pod nor on any
 * container (an empty `{}` counts as none). What the restricted level requires inside a
 * securityContext is reported per container by the pss-* rules; this rule catches the pod that
 * has not started, which is also the only signal where the namespace enforces `privileged`.
 */
export const securityContext: ComplianceRule = {
	id: 'cis-security-context',
	title: 'No securityContext on the pod or its containers',
	severity: 'info',
	kinds: POD_TEMPLATE_KINDS,
	rationale:
		'Without a securityContext a container runs as whatever user its image names (often root), with the runtime\'s default capabilities, a writable root file system and no seccomp profile. A securityContext on the pod and its containers is where each of these is tightened.',
	remediation:
		'Add a pod securityContext (runAsNonRoot: true, seccompProfile type RuntimeDefault) and on each container allowPrivilegeEscalation: false, readOnlyRootFilesystem: true and capabilities.drop: [ALL].',
	controls: ['CIS-K8S-5.7.3'],
	appliesTo: isPodTemplateKind,
	check(resource): ComplianceProblem[] {
		const pod = podSpecOf(resource);
		if (!pod || isSet(podSecurityContext(pod))) return [];
		const containers = containersOf(pod);
		if (containers.length === 0 || containers.some((c) => isSet(c.securityContext))) return [];
		return [
			{
				path: pod.path,
				target: 'key',
				message: `The pod sets no securityContext, neither for itself nor for ${containers.length === 1 ? 'its container' : `any of its ${containers.length} containers`}, so it runs as the image's user (often root) with the runtime's default capabilities and no seccomp profile. Add a pod securityContext (runAsNonRoot: true, seccompProfile type RuntimeDefault) and on each container allowPrivilegeEscalation: false and capabilities.drop: [ALL]. (CIS 5.7.3)`,
			},
		];
	},
};

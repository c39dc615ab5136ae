import { isPodTemplateKind, podSpecOf, POD_TEMPLATE_KINDS } from '../../../core/pod-spec';
import type { ComplianceProblem, ComplianceRule } from '../rule';

/**
 * CIS 5.1.5/5.1.6: a pod that names the `default` ServiceAccount explicitly and does not turn off
 * the token mount itself. A pod with no serviceAccountName also runs as `default`, but it is not
 * reported here: whether it gets a token then depends on the namespace's default ServiceAccount,
 * which another file usually declares (cis-default-service-account reports it there);
 * cis-service-account-token looks it up in the repository index and reports the pod when the
 * repository declares no default account for its namespace, and pods whose own ServiceAccount
 * mounts tokens.
 */
export const podDefaultServiceAccount: ComplianceRule = {
	id: 'cis-pod-default-service-account',
	title: 'Pod names the default ServiceAccount without turning off its token',
	severity: 'info',
	kinds: POD_TEMPLATE_KINDS,
	rationale:
		'A pod that uses the "default" ServiceAccount shares its identity with every other such pod of the namespace and, unless the pod or that account turns it off, gets an API token mounted that an attacker in the pod can use against the API server.',
	remediation:
		'Set automountServiceAccountToken: false in the pod spec (or on the namespace\'s default ServiceAccount); if the pod calls the API, give it a ServiceAccount of its own with serviceAccountName.',
	controls: ['CIS-K8S-5.1.5', 'CIS-K8S-5.1.6'],
	appliesTo: isPodTemplateKind,
	// A pod that names no account is not judged here (see above), so it is not evaluated either.
	evaluates(resource) {
		const pod = podSpecOf(resource);
		return pod !== undefined && (pod.spec.automountServiceAccountToken === false || typeof (pod.spec.serviceAccountName ?? pod.spec.serviceAccount) === 'string');
	},
	check(resource): ComplianceProblem[] {
		const pod = podSpecOf(resource);
		if (!pod || pod.spec.automountServiceAccountToken === false) return [];
		// serviceAccount is the deprecated alias the API server still honours when serviceAccountName is unset.
		const field = pod.spec.serviceAccountName ? 'serviceAccountName' : 'serviceAccount';
		if (pod.spec[field] !== 'default') return [];
		return [
			{
				path: [...pod.path, field],
				target: 'value',
				message: `The pod names the "default" ServiceAccount (${field}: default) and does not set automountServiceAccountToken: false, so it gets an API token mounted unless that ServiceAccount turns it off. Set automountServiceAccountToken: false in the pod spec, or give the pod its own ServiceAccount if it calls the API. (CIS 5.1.5, 5.1.6)`,
			},
		];
	},
};

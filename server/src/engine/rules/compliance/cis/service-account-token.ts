import type { IndexedObject } from '../../../core/objects';
import { isPodTemplateKind, podSpecOf, POD_TEMPLATE_KINDS } from '../../../core/pod-spec';
import type { ComplianceProblem, ComplianceRule } from '../rule';
import { inNamespace, scopesOf, hasIndex } from '../cross';

/**
 * CIS 5.1.5/5.1.6 with the repository's ServiceAccounts, complementing the single-resource rules
 * (cis-default-service-account on the account, cis-pod-default-service-account for an explicit
 * `serviceAccountName: default`):
 * - a pod that names no ServiceAccount runs as "default" of its namespace; when the repository
 *   declares no such account there, Kubernetes creates it with tokens mounted, so the pod gets one;
 * - a pod whose own ServiceAccount, declared in the repository, does not set
 *   automountServiceAccountToken: false gets a token unless the pod turns it off.
 * Nothing is reported where the index cannot tell: no namespace written on a raw pod, an account
 * that may be put in the namespace later, an account declared outside the repository, or a default
 * account that mounts tokens (reported once, on that account).
 */
export const serviceAccountToken: ComplianceRule = {
	id: 'cis-service-account-token',
	title: 'Pod gets an API token it may not need',
	severity: 'info',
	kinds: POD_TEMPLATE_KINDS,
	rationale:
		'A mounted ServiceAccount token lets anyone who gets code execution in the pod call the API server with that account\'s permissions. Most workloads never call the API and should not carry a token.',
	remediation:
		'Set automountServiceAccountToken: false in the pod spec (or on its ServiceAccount); give pods that call the API a ServiceAccount of their own with only the permissions they need.',
	controls: ['CIS-K8S-5.1.5', 'CIS-K8S-5.1.6'],
	appliesTo: isPodTemplateKind,
	check(resource, ctx): ComplianceProblem[] {
		const pod = podSpecOf(resource);
		if (!pod || pod.spec.automountServiceAccountToken === false) return [];
		const ns = resource.namespace;
		if (!ns || !hasIndex(ctx)) return [];
		const field = typeof pod.spec.serviceAccountName === 'string' && pod.spec.serviceAccountName !== '' ? 'serviceAccountName' : typeof pod.spec.serviceAccount === 'string' && pod.spec.serviceAccount !== '' ? 'serviceAccount' : undefined;
		const name = field ? (pod.spec[field] as string) : 'default';
		if (field && name === 'default') return []; // cis-pod-default-service-account
		let declared: IndexedObject | undefined;
		let maybe = false;
		for (const scope of scopesOf(ctx)) {
			for (const sa of scope.objects('ServiceAccount')) {
				if (sa.apiVersion !== 'v1' || sa.name !== name) continue;
				const where = inNamespace(sa, ns, ctx.objects.complete);
				if (where === 'yes') declared ??= sa;
				else if (where === 'maybe') maybe = true;
			}
		}
		if (!field) {
			if (declared || maybe) return []; // declared: cis-default-service-account reports it if it mounts tokens
			return [
				{
					path: pod.path,
					target: 'key',
					message: `The pod names no ServiceAccount, so it runs as "default" of namespace "${ns}", which this repository does not declare: Kubernetes creates that account without automountServiceAccountToken: false, so the pod gets an API token mounted. Set automountServiceAccountToken: false in the pod spec, or declare the default ServiceAccount of "${ns}" with automountServiceAccountToken: false. (CIS 5.1.5, 5.1.6)`,
				},
			];
		}
		if (!declared || declared.value.automountServiceAccountToken === false) return [];
		return [
			{
				path: [...pod.path, field],
				target: 'value',
				message: `ServiceAccount "${name}" (${declared.file}) does not set automountServiceAccountToken: false and the pod does not either, so the pod gets an API token mounted. If it does not call the API server, set automountServiceAccountToken: false in the pod spec or on the ServiceAccount. (CIS 5.1.6)`,
			},
		];
	},
};

import { POD_TEMPLATE_KINDS } from '../../../core/pod-spec';
import type { ComplianceProblem, ComplianceRule } from '../rule';
import { describeObject } from './rbac';

/** Namespaced kinds a workload is made of. */
const WORKLOAD_KINDS = [
	...POD_TEMPLATE_KINDS,
	'Service',
	'ConfigMap',
	'Secret',
	'ServiceAccount',
	'PersistentVolumeClaim',
	'Ingress',
	'NetworkPolicy',
	'HorizontalPodAutoscaler',
	'PodDisruptionBudget',
	'Role',
	'RoleBinding',
];

/**
 * CIS 5.7.4: an object placed in the `default` namespace. Only an explicit
 * `metadata.namespace: default` is reported: objects without a namespace usually get one later
 * from kustomize, Flux (targetNamespace) or Argo CD, and reporting them would be wrong.
 */
export const defaultNamespace: ComplianceRule = {
	id: 'cis-default-namespace',
	title: 'Objects in the default namespace',
	severity: 'warning',
	kinds: WORKLOAD_KINDS,
	rationale:
		'Everything created without a namespace lands in "default", so RBAC, network policies, quotas and Pod Security labels cannot be scoped to one workload there. A namespace per application keeps those boundaries.',
	remediation: 'Move the object to a namespace of its own (metadata.namespace, or the namespace of the kustomization or Flux/Argo CD application that deploys it).',
	controls: ['CIS-K8S-5.7.4'],
	// Without a namespace the object's place is decided elsewhere: nothing is evaluated here.
	evaluates: (resource) => resource.namespace !== undefined,
	check(resource): ComplianceProblem[] {
		if (resource.namespace !== 'default') return [];
		return [
			{
				path: ['metadata', 'namespace'],
				target: 'value',
				message: `${describeObject(resource)} is placed in the "default" namespace, where RBAC, network policies, quotas and Pod Security labels cannot be scoped to it apart from everything else deployed there. Give it a namespace of its own. (CIS 5.7.4)`,
			},
		];
	},
};

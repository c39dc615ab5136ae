import type { ComplianceProblem, ComplianceRule } from '../rule';

/** CIS 5.1.5/5.1.6: the `default` ServiceAccount must not mount its token into pods. */
export const defaultServiceAccount: ComplianceRule = {
	id: 'cis-default-service-account',
	title: 'default ServiceAccount mounts its token',
	severity: 'warning',
	kinds: ['ServiceAccount'],
	rationale:
		'Every pod that names no service account runs as "default". Unless that account sets automountServiceAccountToken: false, each such pod gets an API token it rarely needs, which an attacker in the pod can use against the API server.',
	remediation: 'Set automountServiceAccountToken: false on the default ServiceAccount and give workloads that call the API a ServiceAccount of their own.',
	controls: ['CIS-K8S-5.1.5', 'CIS-K8S-5.1.6'],
	appliesTo: (r) => r.group === '' && r.name === 'default',
	check(resource): ComplianceProblem[] {
		if (resource.value.automountServiceAccountToken === false) return [];
		const ns = resource.namespace ? `namespace "${resource.namespace}"` : 'its namespace';
		return [
			{
				path: ['metadata', 'name'],
				target: 'value',
				message: `ServiceAccount "default" does not set automountServiceAccountToken: false, so every pod in ${ns} that names no service account gets an API token mounted. Set automountServiceAccountToken: false and give workloads that need the API their own ServiceAccount. (CIS 5.1.5, 5.1.6)`,
			},
		];
	},
};

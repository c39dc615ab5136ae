import type { ComplianceProblem, ComplianceRule } from '../rule';
import { describeObject, findGrants, isUserRole } from './rbac';

const WRITE = ['create', 'update', 'patch', 'delete', 'deletecollection'];

const KIND: Record<string, string> = {
	validatingwebhookconfigurations: 'ValidatingWebhookConfigurations',
	mutatingwebhookconfigurations: 'MutatingWebhookConfigurations',
};

/**
 * CIS 5.1.12: writes to validating or mutating webhook configurations (cluster-scoped, so
 * ClusterRoles only). A rule limited with resourceNames changes only those configurations
 * (create cannot be granted by name), which is what webhook operators need: not reported.
 */
export const webhookConfigAccess: ComplianceRule = {
	id: 'cis-webhook-config-access',
	title: 'Permission to change admission webhook configurations',
	severity: 'warning',
	kinds: ['ClusterRole'],
	rationale:
		'An admission webhook receives every object its rules select, Secrets included, and a mutating one can rewrite them (add a container, swap an image). Whoever can create, change or delete webhook configurations can read or tamper with everything admitted to the cluster, or switch off the policies a webhook enforces.',
	remediation: 'Remove write access to validatingwebhookconfigurations and mutatingwebhookconfigurations; where an operator must patch its own webhooks (CA injection), limit the rule with resourceNames to them.',
	controls: ['CIS-K8S-5.1.12'],
	appliesTo: isUserRole,
	check(resource): ComplianceProblem[] {
		return findGrants(resource, { group: 'admissionregistration.k8s.io', resources: Object.keys(KIND), verbs: WRITE, skipNamed: true }).map((g) => ({
			path: g.path,
			target: 'value',
			message: `${describeObject(resource)} can change ${KIND[g.item.value] ?? g.item.value} (${g.verbs.join(', ')}): a webhook it registers receives every object it selects, Secrets included${g.item.value.startsWith('mutating') ? ', and can rewrite them' : ''}, and deleting one switches off the policy it enforces. If an operator needs this for its own webhooks, limit the rule with resourceNames to them. (CIS 5.1.12)`,
		}));
	},
};

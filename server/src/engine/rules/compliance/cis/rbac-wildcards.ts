import type { ComplianceProblem, ComplianceRule } from '../rule';
import { describeObject, isUserRole, policyRules } from './rbac';

const WHAT = {
	apiGroups: 'matches every API group ("*"), custom resources installed later included. List the API groups it needs ("" is the core group)',
	resources: 'grants every resource of its API groups ("*"), Secrets and resources added later included. List the resources it needs',
	verbs: 'allows every verb ("*"), delete, escalate, bind and impersonate included. List the verbs it needs (for example get, list, watch)',
} as const;

/** CIS 5.1.3: `*` in apiGroups, resources or verbs of a Role or ClusterRole. */
export const rbacWildcards: ComplianceRule = {
	id: 'cis-rbac-wildcards',
	title: 'Wildcards in Roles and ClusterRoles',
	severity: 'warning',
	kinds: ['Role', 'ClusterRole'],
	rationale:
		'A wildcard grants more than anyone reviewed: every verb or resource that exists today and every one added by a later Kubernetes release or CRD. Least privilege needs the permissions spelled out.',
	remediation: 'Replace "*" with the explicit API groups, resources and verbs the role needs. Roles and ClusterRoles named system:* are managed by Kubernetes and not reported.',
	controls: ['CIS-K8S-5.1.3', 'DORA-Art9(4)(c)'],
	appliesTo: isUserRole,
	check(resource): ComplianceProblem[] {
		const out: ComplianceProblem[] = [];
		for (const rule of policyRules(resource)) {
			for (const field of ['apiGroups', 'resources', 'verbs'] as const) {
				for (const item of rule[field]) {
					if (item.value !== '*') continue;
					out.push({
						path: [...rule.path, field, item.index],
						target: 'value',
						message: `Rule ${rule.number} of ${describeObject(resource)} ${WHAT[field]}. (CIS 5.1.3; DORA Art 9(4)(c))`,
					});
				}
			}
		}
		return out;
	},
};

import type { ComplianceProblem, ComplianceRule } from '../rule';
import { describeObject, findGrants, isUserRole, scopeOf } from './rbac';

/**
 * CIS 5.1.4: a Role or ClusterRole that can create pods (core group). A `*` resource is reported
 * by cis-rbac-wildcards on the same node, so only an explicit `pods` item is reported here.
 */
export const podCreate: ComplianceRule = {
	id: 'cis-pod-create',
	title: 'Permission to create pods',
	severity: 'info',
	kinds: ['Role', 'ClusterRole'],
	rationale:
		'Whoever can create a pod can run any image under any service account of the namespace and mount its Secrets, so the permission is as strong as everything those accounts can do. CI runners and operators often need it, so this is a finding to review.',
	remediation: 'Keep it where the subject needs it; otherwise remove create on pods (workloads are better created through a Deployment by a GitOps controller).',
	controls: ['CIS-K8S-5.1.4'],
	appliesTo: isUserRole,
	check(resource): ComplianceProblem[] {
		return findGrants(resource, { group: '', resources: ['pods'], verbs: ['create'] }).map((g) => ({
			path: g.path,
			target: 'value',
			message: `${describeObject(resource)} can create pods ${scopeOf(resource)}: a new pod can run any image under any service account there and mount its Secrets. This is often needed (CI runners, operators); if this subject does not need it, remove create. (CIS 5.1.4)`,
		}));
	},
};

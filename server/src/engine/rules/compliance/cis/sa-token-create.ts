import type { ComplianceProblem, ComplianceRule } from '../rule';
import { describeObject, findGrants, isUserRole, scopeOf } from './rbac';

/** CIS 5.1.13: create on `serviceaccounts/token`, unless limited to named ServiceAccounts with resourceNames. */
export const saTokenCreate: ComplianceRule = {
	id: 'cis-sa-token-create',
	title: 'Permission to create service account tokens',
	severity: 'warning',
	kinds: ['Role', 'ClusterRole'],
	rationale:
		'create on serviceaccounts/token mints a token for a ServiceAccount through the TokenRequest API, with any lifetime the API server allows. Whoever holds it can act as every ServiceAccount in its reach, with all of their permissions, without mounting their Secrets or running a pod.',
	remediation: 'Remove create on serviceaccounts/token, or limit it with resourceNames to the ServiceAccounts this subject must mint tokens for.',
	controls: ['CIS-K8S-5.1.13'],
	appliesTo: isUserRole,
	check(resource): ComplianceProblem[] {
		return findGrants(resource, { group: '', resources: ['serviceaccounts/token'], verbs: ['create'], skipNamed: true }).map((g) => ({
			path: g.path,
			target: 'value',
			message: `${describeObject(resource)} can create tokens (create on ${g.item.value}) for every ServiceAccount ${scopeOf(resource)}: it can act as any of them, with all of their permissions. Limit it with resourceNames to the ServiceAccounts this subject must mint tokens for. (CIS 5.1.13)`,
		}));
	},
};

import type { ComplianceProblem, ComplianceRule } from '../rule';
import { describeObject, findGrants, isUserRole, scopeOf } from './rbac';

const READ = ['get', 'list', 'watch'] as const;

/**
 * CIS 5.1.2: a Role or ClusterRole that can read `secrets` of the core group. A `*` resource is
 * reported by cis-rbac-wildcards on the same node, and a rule narrowed with resourceNames is
 * already minimal, so neither is reported here.
 */
export const secretsAccess: ComplianceRule = {
	id: 'cis-secrets-access',
	title: 'Read access to Secrets',
	severity: 'info',
	kinds: ['Role', 'ClusterRole'],
	rationale:
		'Reading Secrets yields the tokens, passwords and keys they hold, service account tokens included, which often lead to more privileges. Many controllers legitimately need it, so this is a finding to review rather than an error.',
	remediation: 'Keep it where the subject needs it; otherwise drop get/list/watch on secrets or narrow the rule to named Secrets with resourceNames.',
	controls: ['CIS-K8S-5.1.2'],
	appliesTo: isUserRole,
	check(resource): ComplianceProblem[] {
		return findGrants(resource, { group: '', resources: ['secrets'], verbs: READ, skipNamed: true }).map((g) => ({
			path: g.path,
			target: 'value',
			message: `${describeObject(resource)} can read Secrets (${g.verbs.join(', ')}) ${scopeOf(resource)}: whoever is bound to it gets every password, key and token they hold. This is often needed (controllers, operators); if this subject does not need it, drop these verbs or name the Secrets with resourceNames. (CIS 5.1.2)`,
		}));
	},
};

import type { ComplianceProblem, ComplianceRule } from '../rule';
import { andList, coversGroup, describeObject, isUserRole, policyRules, type PolicyRuleRef } from './rbac';

/** Where each verb takes effect: RBAC checks bind/escalate on roles, impersonate on identities. */
const TARGETS = {
	bind: { groups: ['rbac.authorization.k8s.io'], resources: ['roles', 'clusterroles'] },
	escalate: { groups: ['rbac.authorization.k8s.io'], resources: ['roles', 'clusterroles'] },
	impersonate: { groups: ['', 'authentication.k8s.io'], resources: ['users', 'groups', 'serviceaccounts', 'uids', 'userextras/*'] },
} as const;

type Verb = keyof typeof TARGETS;

const WHY: Record<Verb, string> = {
	bind: 'whoever holds it can create bindings to roles it does not hold itself, cluster-admin included unless resourceNames limits which, so it can grant itself more. Remove bind, or limit it with resourceNames to the roles this subject may hand out',
	escalate: 'whoever holds it can edit a Role or ClusterRole to contain permissions it does not hold itself, which switches off RBAC\'s privilege-escalation check. Remove escalate',
	impersonate: 'whoever holds it can send requests as another user, group or ServiceAccount and gets all of its permissions. Remove impersonate, or limit it with resourceNames to the identities this subject must act as',
};

const NAMED: Record<Verb, string> = {
	bind: 'whoever holds it can bind these roles to anyone, itself included.',
	escalate: 'whoever holds it can give these roles permissions it does not hold itself.',
	impersonate: 'whoever holds it can act as these identities, with all of their permissions.',
};

/** The resources of the rule on which `verb` takes effect (`*` included). */
function effectiveOn(rule: PolicyRuleRef, verb: Verb): string[] {
	const t = TARGETS[verb];
	if (!t.groups.some((g) => coversGroup(rule, g))) return [];
	return rule.resources.map((r) => r.value).filter((r) => r === '*' || (t.resources as readonly string[]).includes(r) || (verb === 'impersonate' && r.startsWith('userextras/')));
}

/**
 * CIS 5.1.8: the bind, escalate and impersonate verbs, each of which lets a subject get more than
 * RBAC granted it. Reported on the verb item, and only where the rule names resources the verb
 * takes effect on (bind on pods does nothing). A `*` verb is reported by cis-rbac-wildcards.
 */
export const escalationVerbs: ComplianceRule = {
	id: 'cis-rbac-escalation-verbs',
	title: 'bind, escalate or impersonate permissions',
	severity: 'warning',
	kinds: ['Role', 'ClusterRole'],
	rationale:
		'RBAC stops a subject from granting permissions it does not hold, except through three verbs: bind (create bindings to any role), escalate (write roles with more permissions) and impersonate (act as another identity). Each of them is a path to cluster-admin unless it is narrowed to named objects.',
	remediation: 'Remove bind, escalate and impersonate where they are not needed; where they are, limit them with resourceNames to the roles or identities concerned.',
	controls: ['CIS-K8S-5.1.8'],
	appliesTo: isUserRole,
	check(resource): ComplianceProblem[] {
		const out: ComplianceProblem[] = [];
		for (const rule of policyRules(resource)) {
			for (const item of rule.verbs) {
				if (!(item.value in TARGETS)) continue;
				const verb = item.value as Verb;
				const on = effectiveOn(rule, verb);
				if (on.length === 0) continue;
				const where = `Rule ${rule.number} of ${describeObject(resource)} allows ${verb} on ${andList(on)}`;
				if (rule.resourceNames.length > 0) {
					// Narrowed to named objects: the delegation pattern RBAC documents; worth a review, not a warning.
					const names = andList(rule.resourceNames.map((n) => `"${n.value}"`));
					out.push({
						path: [...rule.path, 'verbs', item.index],
						target: 'value',
						severity: 'info',
						message: `${where}, limited to ${names}: ${NAMED[verb]} Check that this subject may do that. (CIS 5.1.8)`,
					});
					continue;
				}
				out.push({ path: [...rule.path, 'verbs', item.index], target: 'value', message: `${where}: ${WHY[verb]}. (CIS 5.1.8)` });
			}
		}
		return out;
	},
};

import type { NodePath } from '../../parse';
import { isPlainObject, type Resource } from '../../resource';

/** The API group of Role, ClusterRole and their bindings (a CRD with the same kind name is not RBAC). */
export const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** Whether the resource is an RBAC object of the real API group. */
export function isRbac(resource: Pick<Resource, 'group'>): boolean {
	return resource.group === RBAC_GROUP;
}

/** `Role "reader"`, `ClusterRole "admin"`, or `This Role` when the object has no name. */
export function describeObject(resource: Pick<Resource, 'kind' | 'name'>): string {
	return resource.name ? `${resource.kind} "${resource.name}"` : `This ${resource.kind}`;
}

/**
 * ClusterRoles named `system:*` are created and reconciled by Kubernetes itself; reporting them
 * would be noise the user cannot act on.
 */
export function isSystemClusterRole(resource: Pick<Resource, 'kind' | 'name'>): boolean {
	return resource.kind === 'ClusterRole' && (resource.name ?? '').startsWith('system:');
}

/** One string item of a policy rule list, with its index in that list (non-strings are skipped). */
export interface RuleItem {
	value: string;
	index: number;
}

/** One entry of `rules[]` of a Role or ClusterRole, with its string lists. */
export interface PolicyRuleRef {
	/** Path of the rule item (`['rules', 0]`). */
	path: NodePath;
	/** 1-based number, for messages. */
	number: number;
	apiGroups: RuleItem[];
	resources: RuleItem[];
	verbs: RuleItem[];
	resourceNames: RuleItem[];
}

function items(v: unknown): RuleItem[] {
	if (!Array.isArray(v)) return [];
	const out: RuleItem[] = [];
	v.forEach((value, index) => {
		if (typeof value === 'string') out.push({ value, index });
	});
	return out;
}

/** The policy rules of a Role or ClusterRole. */
export function policyRules(resource: Resource): PolicyRuleRef[] {
	const rules = resource.value.rules;
	if (!Array.isArray(rules)) return [];
	const out: PolicyRuleRef[] = [];
	rules.forEach((r, i) => {
		if (!isPlainObject(r)) return;
		out.push({
			path: ['rules', i],
			number: i + 1,
			apiGroups: items(r.apiGroups),
			resources: items(r.resources),
			verbs: items(r.verbs),
			resourceNames: items(r.resourceNames),
		});
	});
	return out;
}

/** Whether the rule covers the core API group (`""`) or every group (`*`). */
export function coversCoreGroup(rule: PolicyRuleRef): boolean {
	return rule.apiGroups.some((g) => g.value === '' || g.value === '*');
}

/** The rule's verbs among `wanted` (`*` counts as all of them), in the order written. */
export function grantedVerbs(rule: PolicyRuleRef, wanted: readonly string[]): string[] {
	if (rule.verbs.some((v) => v.value === '*')) return [...wanted];
	return rule.verbs.map((v) => v.value).filter((v) => wanted.includes(v));
}

/** Where a Role's permissions reach, for messages. */
export function scopeOf(resource: Pick<Resource, 'kind' | 'namespace'>): string {
	if (resource.kind === 'ClusterRole') return 'in every namespace where it is bound (all of them through a ClusterRoleBinding)';
	return resource.namespace ? `in namespace "${resource.namespace}"` : 'in its namespace';
}

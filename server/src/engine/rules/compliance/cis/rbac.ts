import type { NodePath } from '../../../core/parse';
import { isPlainObject, type Resource } from '../../../core/resource';

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
 * Roles and ClusterRoles named `system:*` are created and reconciled by Kubernetes itself (the
 * control-plane controllers' ClusterRoles, the bootstrap-signer Roles of kube-system); reporting
 * them would be noise the user cannot act on.
 */
export function isSystemRole(resource: Pick<Resource, 'kind' | 'name'>): boolean {
	return (resource.kind === 'ClusterRole' || resource.kind === 'Role') && (resource.name ?? '').startsWith('system:');
}

/** A Role or ClusterRole of the real RBAC API group that is not one Kubernetes manages (`system:*`). */
export function isUserRole(resource: Pick<Resource, 'kind' | 'name' | 'group'>): boolean {
	return isRbac(resource) && !isSystemRole(resource);
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

/** Whether the rule covers the API group `group` (`""` is the core group) or every group (`*`). */
export function coversGroup(rule: PolicyRuleRef, group: string): boolean {
	return rule.apiGroups.some((g) => g.value === group || g.value === '*');
}

/** Whether the rule covers the core API group (`""`) or every group (`*`). */
export function coversCoreGroup(rule: PolicyRuleRef): boolean {
	return coversGroup(rule, '');
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

/** A permission to look for: some verbs on some resources of one API group. */
export interface GrantQuery {
	/** The API group (`""` is the core group). */
	group: string;
	/**
	 * Resources as RBAC names them: `pods`, or a subresource `nodes/proxy`. A subresource is also
	 * granted by `*\/proxy` (RBAC's only subresource wildcard); a bare `*` is not matched here:
	 * cis-rbac-wildcards reports it on the same node.
	 */
	resources: readonly string[];
	/** The verbs that matter; a `*` verb grants all of them. */
	verbs: readonly string[];
	/** Skip rules narrowed to named objects with resourceNames (already minimal for reads). */
	skipNamed?: boolean;
}

/** One resources item of a policy rule that grants a queried permission. */
export interface Grant {
	rule: PolicyRuleRef;
	/** The resources item (its value and index), where the finding goes. */
	item: RuleItem;
	/** Path of that item in the object. */
	path: NodePath;
	/** The queried verbs the rule grants, in the order written (all of them for `*`). */
	verbs: string[];
}

function matchesResource(item: string, wanted: string): boolean {
	if (item === wanted) return true;
	const slash = wanted.indexOf('/');
	return slash > 0 && item === `*${wanted.slice(slash)}`;
}

/** Every resources item of the object's policy rules that grants one of `query.verbs` on `query.resources`. */
export function findGrants(resource: Resource, query: GrantQuery): Grant[] {
	const out: Grant[] = [];
	for (const rule of policyRules(resource)) {
		if (!coversGroup(rule, query.group) || (query.skipNamed && rule.resourceNames.length > 0)) continue;
		const verbs = grantedVerbs(rule, query.verbs);
		if (verbs.length === 0) continue;
		for (const item of rule.resources) {
			if (!query.resources.some((w) => matchesResource(item.value, w))) continue;
			out.push({ rule, item, path: [...rule.path, 'resources', item.index], verbs });
		}
	}
	return out;
}

/** `"a", "b" and "c"` for messages. */
export function andList(items: readonly string[]): string {
	if (items.length <= 1) return items.join('');
	return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** `"a", "b" or "c"` for messages. */
export function orList(items: readonly string[]): string {
	if (items.length <= 1) return items.join('');
	return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

import { isPlainObject } from '../../core/resource';
import { gvkOf, isClusterScoped, labelsOf, nameOf, namespaceOf, resourceOf, selectorMatches } from './resources';
import type { PolicyWorld } from './types';

/**
 * `matchConstraints` of a ValidatingAdmissionPolicy (and of a Kyverno ValidatingPolicy) and
 * `matchResources` of a binding: resourceRules (API groups, versions, resources with `*`,
 * operations, resourceNames), excludeResourceRules, namespaceSelector (the labels of the namespace
 * the repository declares; unknown otherwise) and objectSelector. Kubernetes evaluates it against
 * what discovery serves; from Git, a kind's resource is its lower-cased plural.
 */

export type Match = true | false | { unknown: string };

const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const has = (list: unknown[], value: string) => list.some((x) => x === '*' || x === value);

function ruleMatches(rule: unknown, value: Record<string, unknown>, operation: string): boolean {
	if (!isPlainObject(rule)) return false;
	const gvk = gvkOf(value);
	const resource = resourceOf(gvk.kind);
	const resources = arr(rule.resources).map(String);
	// `pods/status` names a subresource, never the object itself.
	const resourceOk = resources.some((r) => r === '*' || r === '*/*' || r === resource);
	if (!has(arr(rule.apiGroups), gvk.group) || !has(arr(rule.apiVersions), gvk.version) || !resourceOk) return false;
	const ops = arr(rule.operations).map(String);
	if (ops.length > 0 && !ops.includes('*') && !ops.includes(operation)) return false;
	const names = arr(rule.resourceNames).map(String);
	if (names.length > 0 && !names.includes(nameOf(value))) return false;
	if (rule.scope === 'Namespaced' && isClusterScoped(gvk.kind)) return false;
	if (rule.scope === 'Cluster' && !isClusterScoped(gvk.kind)) return false;
	return true;
}

/** Whether match resources (a policy's matchConstraints or a binding's matchResources) select the object. */
export function matchResources(mc: unknown, value: Record<string, unknown>, world: PolicyWorld): Match {
	if (!isPlainObject(mc)) return true;
	const operation = world.operation ?? 'CREATE';
	const rules = arr(mc.resourceRules);
	if (rules.length > 0 && !rules.some((r) => ruleMatches(r, value, operation))) return false;
	if (arr(mc.excludeResourceRules).some((r) => ruleMatches(r, value, operation))) return false;
	if (isPlainObject(mc.objectSelector) && !selectorMatches(mc.objectSelector, labelsOf(value))) return false;
	if (isPlainObject(mc.namespaceSelector) && (Object.keys(mc.namespaceSelector.matchLabels ?? {}).length > 0 || arr(mc.namespaceSelector.matchExpressions).length > 0)) {
		const kind = gvkOf(value).kind;
		if (kind === 'Namespace') return selectorMatches(mc.namespaceSelector, labelsOf(value));
		if (isClusterScoped(kind)) return true;
		const ns = namespaceOf(value) || 'default';
		const labels = world.namespaceLabels(ns);
		if (!labels) return { unknown: `the labels of namespace ${ns} (its namespaceSelector) are not known from the repository` };
		return selectorMatches(mc.namespaceSelector, labels);
	}
	return true;
}

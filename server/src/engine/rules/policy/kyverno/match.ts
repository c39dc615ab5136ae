import { isPlainObject } from '../../../core/resource';
import { annotationsOf, gvkOf, labelsOf, nameOf, namespaceOf, wildcardMatch, wildcardSelectorMatches } from '../resources';

/**
 * Kyverno `match` and `exclude` blocks (pkg/engine/utils/match.go): `any` (one filter matches),
 * `all` (every filter), or the legacy `resources`; a filter's resource description needs all of
 * kinds (group/version/kind with wildcards), name(s), namespaces, annotations, selector,
 * namespaceSelector and operations. Who applies the object (subjects, roles, clusterRoles) cannot
 * be known from Git: such a condition is unknown, and so is a namespaceSelector on a namespace the
 * repository does not declare. Unknown is reported as such, never as a match or a miss.
 */

/** `who`: unknown because of who applies the object (subjects, roles), not because of missing facts. */
export type Tri = true | false | { unknown: string; who?: boolean };

export interface MatchEnv {
	operation: string;
	/** Labels of a namespace, or undefined where they are not known. */
	namespaceLabels(name: string): Record<string, string> | undefined;
}

const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const isUnknown = (t: Tri): t is { unknown: string; who?: boolean } => typeof t === 'object';

function all(results: Tri[]): Tri {
	if (results.some((r) => r === false)) return false;
	return results.find(isUnknown) ?? true;
}

function any(results: Tri[]): Tri {
	if (results.some((r) => r === true)) return true;
	return results.find(isUnknown) ?? false;
}

/** A kind selector (`Pod`, `v1/Pod`, `apps/v1/Deployment`, `batch/*\/CronJob`, `Pod/exec`) against an object. */
export function kindMatches(selector: string, value: Record<string, unknown>): boolean {
	const parts = selector.split('/');
	let group = '*';
	let version = '*';
	let kind: string;
	let sub = '';
	const upper = (s: string | undefined) => s !== undefined && /^[A-Z]/.test(s);
	if (parts.length === 1) kind = parts[0];
	else if (parts.length === 2) {
		if (upper(parts[1]) || (parts[1] === '*' && !upper(parts[0]))) [version, kind] = parts;
		else [kind, sub] = parts;
	} else if (parts.length === 3) {
		if (upper(parts[2]) || parts[2] === '*') [group, version, kind] = parts;
		else [version, kind, sub] = parts;
	} else [group, version, kind, sub] = parts;
	if (sub !== '') return false; // a subresource is never the object itself
	const gvk = gvkOf(value);
	if (parts.length === 2 && version !== '*' && kind !== parts[0]) group = '';
	return wildcardMatch(kind, gvk.kind) && wildcardMatch(version, gvk.version) && wildcardMatch(group, gvk.group);
}

function description(d: Record<string, unknown>, value: Record<string, unknown>, env: MatchEnv): Tri {
	const checks: Tri[] = [];
	const kinds = arr(d.kinds).map(String);
	if (kinds.length > 0) checks.push(kinds.some((k) => kindMatches(k, value)));
	const name = nameOf(value);
	if (typeof d.name === 'string' && d.name !== '') checks.push(wildcardMatch(d.name, name));
	const names = arr(d.names).map(String);
	if (names.length > 0) checks.push(names.some((n) => wildcardMatch(n, name)));
	const namespaces = arr(d.namespaces).map(String);
	if (namespaces.length > 0) {
		const ns = gvkOf(value).kind === 'Namespace' ? name : namespaceOf(value);
		checks.push(namespaces.some((n) => wildcardMatch(n, ns)));
	}
	if (isPlainObject(d.annotations)) {
		const ann = annotationsOf(value);
		checks.push(Object.entries(d.annotations).every(([k, v]) => Object.entries(ann).some(([ak, av]) => wildcardMatch(k, ak) && wildcardMatch(String(v), av))));
	}
	if (isPlainObject(d.selector)) checks.push(wildcardSelectorMatches(d.selector, labelsOf(value)));
	if (isPlainObject(d.namespaceSelector)) {
		const kind = gvkOf(value).kind;
		const ns = kind === 'Namespace' ? name : namespaceOf(value);
		const labels = kind === 'Namespace' ? labelsOf(value) : env.namespaceLabels(ns || 'default');
		checks.push(labels ? wildcardSelectorMatches(d.namespaceSelector, labels) : { unknown: `the labels of namespace ${ns || 'default'} (its namespaceSelector) are not known from the repository` });
	}
	const ops = arr(d.operations).map(String);
	if (ops.length > 0) checks.push(ops.includes(env.operation));
	return all(checks);
}

function userInfo(f: Record<string, unknown>): Tri | undefined {
	const who = ['subjects', 'roles', 'clusterRoles'].filter((k) => arr(f[k]).length > 0);
	return who.length > 0 ? { unknown: `its ${who.join(' and ')} (who applies the object) cannot be known from Git`, who: true } : undefined;
}

function filter(f: unknown, value: Record<string, unknown>, env: MatchEnv): Tri {
	if (!isPlainObject(f)) return false;
	const parts: Tri[] = [];
	if (isPlainObject(f.resources)) parts.push(description(f.resources, value, env));
	const u = userInfo(f);
	if (u) parts.push(u);
	return parts.length === 0 ? false : all(parts);
}

/** Whether a match or exclude block selects the object. */
export function blockMatches(block: unknown, value: Record<string, unknown>, env: MatchEnv): Tri {
	if (!isPlainObject(block)) return false;
	if (arr(block.any).length > 0) return any(arr(block.any).map((f) => filter(f, value, env)));
	if (arr(block.all).length > 0) return all(arr(block.all).map((f) => filter(f, value, env)));
	return filter(block, value, env);
}

/**
 * Whether a rule applies: its match selects the object and its exclude does not. An exclusion that
 * depends on what Git cannot know is left out (the rule applies) and said in `note`.
 */
export function ruleApplies(rule: Record<string, unknown>, value: Record<string, unknown>, env: MatchEnv): { applies: Tri; note?: string } {
	const matched = blockMatches(rule.match, value, env);
	if (matched !== true) return { applies: matched };
	if (rule.exclude === undefined) return { applies: true };
	const excluded = blockMatches(rule.exclude, value, env);
	if (excluded === true) return { applies: false };
	// Who applies is never known (a GitOps controller, a person): the exclusion is left out and said.
	if (isUnknown(excluded) && excluded.who) return { applies: true, note: `Its exclusion was not evaluated: ${excluded.unknown}.` };
	if (isUnknown(excluded)) return { applies: excluded };
	return { applies: true };
}

export { isUnknown };

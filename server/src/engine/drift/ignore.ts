import jq from '@michaelhomer/jqjs';
import type { PathKey } from '../kustomize/types';
import type { ManagedFieldsEntry } from '../live/full-objects';
import { ownerOf } from './managers';
import { pointerPath, startsWith, type Segment } from './paths';

/**
 * Ignore rules: fields (or whole objects) whose differences are not drift, from Argo CD's
 * `ignoreDifferences` (jsonPointers, jqPathExpressions, managedFieldsManagers), a HelmRelease's
 * `driftDetection.ignore` (JSON pointers with a target), and the `fleetscope.drift.ignore`
 * setting (the same fields as Argo CD's, plus `cluster`). A rule that names no field ignores the
 * whole object. jq expressions run on jqjs, a pure-JavaScript jq: a rule's paths are the paths
 * `path(EXPR)` yields on each side.
 */

export interface IgnoreRule {
	/** Where the rule comes from, for messages: `Application argocd/shop: ignoreDifferences[0]`. */
	origin: string;
	group?: string;
	kind?: string;
	name?: string;
	namespace?: string;
	/** Only on this cluster (the setting's rules). */
	cluster?: string;
	jsonPointers?: string[];
	jqPathExpressions?: string[];
	managedFieldsManagers?: string[];
}

export interface ObjectRef {
	group: string;
	kind: string;
	name: string;
	namespace?: string;
	cluster: string;
}

/** `*` matches anything, `?` one character; other characters match themselves. */
function glob(pattern: string | undefined, value: string | undefined): boolean {
	if (pattern === undefined || pattern === '' || pattern === '*') return true;
	if (value === undefined) return false;
	if (!/[*?]/.test(pattern)) return pattern === value;
	const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
	return re.test(value);
}

export function ruleMatches(rule: IgnoreRule, ref: ObjectRef): boolean {
	return (
		(rule.group === undefined || rule.group === '*' || rule.group === ref.group) &&
		glob(rule.kind, ref.kind) &&
		glob(rule.name, ref.name) &&
		glob(rule.namespace, ref.namespace ?? '') &&
		glob(rule.cluster, ref.cluster)
	);
}

/** Whether a rule names fields; a rule that names none ignores the whole object. */
export function isWholeObject(rule: IgnoreRule): boolean {
	return !rule.jsonPointers?.length && !rule.jqPathExpressions?.length && !rule.managedFieldsManagers?.length;
}

/** Problems with rules (a jq expression jqjs cannot compile), each once. */
export interface RuleProblem {
	origin: string;
	message: string;
}

/**
 * The rules of one drift computation, with their compiled jq programs (the cache belongs to this
 * object and lives as long as the rules do).
 */
export class IgnoreRules {
	private readonly compiled = new Map<string, ((input: unknown) => Iterable<unknown>) | null>();
	readonly problems: RuleProblem[] = [];

	constructor(readonly rules: readonly IgnoreRule[]) {}

	matching(ref: ObjectRef, extra: readonly IgnoreRule[] = []): IgnoreRule[] {
		return [...this.rules, ...extra].filter((r) => ruleMatches(r, ref));
	}

	private program(expr: string, origin: string): ((input: unknown) => Iterable<unknown>) | null {
		let p = this.compiled.get(expr);
		if (p === undefined) {
			try {
				p = jq.compile(`path(${expr})`);
			} catch (e) {
				p = null;
				const why = e instanceof Error && e.message ? `: ${e.message}` : '';
				this.problems.push({ origin, message: `the jq expression ${JSON.stringify(expr)} is not supported by Fleetscope's jq (jqjs)${why}; it ignores nothing` });
			}
			this.compiled.set(expr, p);
		}
		return p;
	}

	/** The paths a jq expression selects in a value (none when it fails on that value). */
	private jqPaths(expr: string, origin: string, value: unknown): PathKey[][] {
		const p = this.program(expr, origin);
		if (!p || value === undefined) return [];
		const out: PathKey[][] = [];
		try {
			for (const path of p(value)) if (Array.isArray(path)) out.push(path.filter((k): k is PathKey => typeof k === 'string' || typeof k === 'number'));
		} catch {
			/* an expression that does not apply to this object (`.spec.x[]` on a missing list) selects nothing */
		}
		return out;
	}

	/**
	 * A predicate over the differences of one object: true when a rule ignores the field. Paths of
	 * JSON pointers and jq expressions hold on either side; managers are those of the live field.
	 */
	fieldMatcher(rules: readonly IgnoreRule[], desired: unknown, live: unknown, managed: readonly ManagedFieldsEntry[] | undefined): (segs: readonly Segment[], desiredPath: readonly PathKey[], livePath: readonly PathKey[], leaf?: boolean) => boolean {
		const desiredPaths: PathKey[][] = [];
		const livePaths: PathKey[][] = [];
		const managers = new Set<string>();
		for (const r of rules) {
			for (const p of r.jsonPointers ?? []) {
				const path = pointerPath(p);
				if (path) {
					desiredPaths.push(path);
					livePaths.push(path);
				}
			}
			for (const e of r.jqPathExpressions ?? []) {
				desiredPaths.push(...this.jqPaths(e, r.origin, desired));
				livePaths.push(...this.jqPaths(e, r.origin, live));
			}
			for (const m of r.managedFieldsManagers ?? []) managers.add(m);
		}
		if (desiredPaths.length === 0 && livePaths.length === 0 && managers.size === 0) return () => false;
		return (segs, dpath, lpath, leaf = true) => {
			if (desiredPaths.some((p) => startsWith(dpath, p)) || livePaths.some((p) => startsWith(lpath, p))) return true;
			if (leaf && managers.size > 0) {
				const owner = ownerOf(managed, segs);
				if (owner && managers.has(owner.manager)) return true;
			}
			return false;
		};
	}
}

/** Rules from an Argo CD Application's `spec.ignoreDifferences`. */
export function argoRules(spec: unknown, origin: string): IgnoreRule[] {
	const list = spec && typeof spec === 'object' ? (spec as Record<string, unknown>).ignoreDifferences : undefined;
	if (!Array.isArray(list)) return [];
	return list.flatMap((r, i) => {
		if (!r || typeof r !== 'object') return [];
		const o = r as Record<string, unknown>;
		const strs = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined);
		return [
			{
				origin: `${origin}: ignoreDifferences[${i}]`,
				group: typeof o.group === 'string' ? o.group : undefined,
				kind: typeof o.kind === 'string' ? o.kind : undefined,
				name: typeof o.name === 'string' ? o.name : undefined,
				namespace: typeof o.namespace === 'string' ? o.namespace : undefined,
				jsonPointers: strs(o.jsonPointers),
				jqPathExpressions: strs(o.jqPathExpressions),
				managedFieldsManagers: strs(o.managedFieldsManagers),
			},
		];
	});
}

/** Rules from a HelmRelease's `spec.driftDetection.ignore[]{paths, target}`. */
export function helmReleaseRules(spec: unknown, origin: string): IgnoreRule[] {
	const dd = spec && typeof spec === 'object' ? (spec as Record<string, unknown>).driftDetection : undefined;
	const list = dd && typeof dd === 'object' ? (dd as Record<string, unknown>).ignore : undefined;
	if (!Array.isArray(list)) return [];
	return list.flatMap((r, i) => {
		if (!r || typeof r !== 'object') return [];
		const o = r as Record<string, unknown>;
		const paths = Array.isArray(o.paths) ? o.paths.filter((x): x is string => typeof x === 'string') : [];
		if (paths.length === 0) return [];
		const t = o.target && typeof o.target === 'object' ? (o.target as Record<string, unknown>) : {};
		const s = (v: unknown) => (typeof v === 'string' ? v : undefined);
		return [{ origin: `${origin}: driftDetection.ignore[${i}]`, group: s(t.group), kind: s(t.kind), name: s(t.name), namespace: s(t.namespace), jsonPointers: paths }];
	});
}

/** Rules of the `fleetscope.drift.ignore` setting (already validated by the settings). */
export function settingRules(list: readonly Omit<IgnoreRule, 'origin'>[]): IgnoreRule[] {
	return list.map((r, i) => ({ ...r, origin: `fleetscope.drift.ignore[${i}]` }));
}

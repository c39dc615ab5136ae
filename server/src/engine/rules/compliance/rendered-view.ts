import type { RenderedProblem, RenderedView } from '../../context/check-context';
import { SEVERITY_ORDER, type Severity } from '../../core/types';
import type { FleetscopeSettings } from '../../../../../shared/settings';
import type { FleetModel, TargetCluster } from '../../fleet/types';
import { escalate, escalationOf } from './escalation';
import type { ComplianceRule } from './rule';

/**
 * The view the rendered evaluation (`rendered.ts`) assembles: what the renders say about each
 * file, by document, with a stamp per file that stays while that is unchanged, and how identical
 * findings of several clusters become one.
 */

export interface Hit {
	rule: ComplianceRule;
	cluster: TargetCluster;
	problem: ReturnType<ComplianceRule['check']>[number];
	file: string;
	documentIndex: number;
	path: (string | number)[];
	via: string;
	object: RenderedProblem['object'];
}

export interface DocEntry {
	problems: RenderedProblem[];
	/** The rules that evaluated the document in some cluster (shared by the documents with the same set once assembled). */
	evaluated: ReadonlySet<string>;
}

/** A rendered view that knows each file's digest and stamp: a file keeps its stamp while what the renders say about it is unchanged. */
export class StampedView implements RenderedView {
	constructor(
		private readonly docs: ReadonlyMap<string, ReadonlyMap<number, DocEntry>>,
		readonly stamps: ReadonlyMap<string, string>,
	) {}

	/** What the renders say about a file, by document. */
	entries(path: string): ReadonlyMap<number, DocEntry> | undefined {
		return this.docs.get(path);
	}

	covers(path: string, doc: number): boolean {
		return this.docs.get(path)?.has(doc) ?? false;
	}

	problems(path: string, doc: number): readonly RenderedProblem[] {
		return this.docs.get(path)?.get(doc)?.problems ?? [];
	}

	evaluated(path: string, doc: number): readonly string[] {
		return [...(this.docs.get(path)?.get(doc)?.evaluated ?? [])];
	}

	stamp(path: string): string {
		return this.stamps.get(path) ?? '';
	}
}

/**
 * Whether the renders say the same about a file in two views: the same documents, each evaluated by
 * the same rules with the same findings (rule, place, severity and message, in order). Compared in
 * place: a text of it per file was kept for the next comparison, megabytes in a big fleet.
 */
export function sameEntries(a: ReadonlyMap<number, DocEntry> | undefined, b: ReadonlyMap<number, DocEntry>): boolean {
	if (!a || a.size !== b.size) return false;
	for (const [doc, y] of b) {
		const x = a.get(doc);
		if (!x || x.problems.length !== y.problems.length) return false;
		if (x.evaluated !== y.evaluated && (x.evaluated.size !== y.evaluated.size || [...y.evaluated].some((id) => !x.evaluated.has(id)))) return false;
		for (let i = 0; i < y.problems.length; i++) {
			const p = x.problems[i];
			const q = y.problems[i];
			if (p.ruleId !== q.ruleId || p.severity !== q.severity || p.message !== q.message || p.path.join('/') !== q.path.join('/')) return false;
		}
	}
	return true;
}

/** The files whose rendered findings differ between two views (what must be re-published). */
export function changedFiles(before: RenderedView | undefined, after: RenderedView | undefined): string[] {
	const a = before instanceof StampedView ? before.stamps : undefined;
	const b = after instanceof StampedView ? after.stamps : new Map<string, string>();
	const out = new Set<string>();
	for (const [file, stamp] of b) if (a?.get(file) !== stamp) out.add(file);
	if (a) for (const file of a.keys()) if (!b.has(file)) out.add(file);
	return [...out].sort();
}

/**
 * One finding for a group of identical findings across clusters: the most severe one's message,
 * raised one level when a production cluster is among them (naming every production cluster),
 * and naming the clusters where it holds when that is not every rendered cluster the file reaches.
 */
export function combine(group: Hit[], fleet: FleetModel, rendered: Set<string>, settings: FleetscopeSettings): RenderedProblem {
	const rule = group[0].rule;
	const representative = [...group].sort((a, b) => SEVERITY_ORDER[b.problem.severity ?? rule.severity] - SEVERITY_ORDER[a.problem.severity ?? rule.severity])[0];
	const base: Severity = representative.problem.severity ?? rule.severity;
	const clusters = [...new Set(group.map((h) => h.cluster.name))].sort();
	const targets = clusters.map((c) => group.find((h) => h.cluster.name === c)!.cluster);
	let message = representative.problem.message;
	const reaching = (fleet.files[representative.file] ?? []).filter((c) => rendered.has(c));
	const everywhere = reaching.length === 0 || reaching.every((c) => clusters.includes(c));
	if (!everywhere) message += ` This holds ${where(group, fleet)}, not in the other clusters this file reaches.`;
	let severity = base;
	if (!rule.productionOnly) ({ severity, message } = escalate(base, message, escalationOf(rule.id, { settings, fleet, targets, declared: [] })));
	const p = representative.problem;
	return {
		ruleId: rule.id,
		path: representative.path,
		target: p.target,
		message,
		severity,
		data: { path: representative.path, ...(p.missing ? { missing: [...p.missing] } : {}), ...(p.controls ? { controls: p.controls } : {}), ...(p.policy ? { policy: p.policy } : {}) },
		clusters,
		object: representative.object,
	};
}

/**
 * Notes about what Fleetscope did not render, rather than about the repository: unsupported fields,
 * remote bases, and paths outside the workspace folder (the folder may be a subdirectory of the
 * real repository, where such a path resolves).
 */
export const NOT_RENDERED = new Set(['kustomize-unsupported', 'kustomize-remote-resource', 'kustomize-outside-repository']);

/** `via apps/production (production: prod-eu-west-1, prod-us-east-1)`, per synced path, environments in promotion order. */
function where(group: Hit[], fleet: FleetModel): string {
	const byVia = new Map<string, Map<string, Set<string>>>();
	for (const h of group) {
		let envs = byVia.get(h.via);
		if (!envs) byVia.set(h.via, (envs = new Map()));
		const env = h.cluster.environment ?? 'no environment';
		let set = envs.get(env);
		if (!set) envs.set(env, (set = new Set()));
		set.add(h.cluster.name);
	}
	const order = (e: string) => fleet.environments.find((x) => x.name === e)?.order ?? fleet.environments.length;
	return [...byVia]
		.sort((a, b) => a[0].localeCompare(b[0]))
		.map(([via, envs]) => `via ${via || '.'} (${[...envs].sort((a, b) => order(a[0]) - order(b[0])).map(([e, cs]) => `${e}: ${[...cs].sort().join(', ')}`).join('; ')})`)
		.join(' and ');
}

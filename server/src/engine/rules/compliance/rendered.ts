import type { CheckContext, RenderedProblem, RenderedView, RepoContext } from '../../context/check-context';
import { targetCluster } from '../../fleet/clusters';
import { newComplianceContext } from './context';
import { type ComplianceContext, type ComplianceRule } from './rule';
import { escalate, escalationOf } from './escalation';
import { ObjectSet } from '../../core/objects';
import { isPlainObject, resourceHeader, resourceOf } from '../../core/resource';
import { SharedValues } from '../../core/shared-values';
import { SEVERITY_ORDER, type Severity } from '../../core/types';
import type { FleetscopeSettings } from '../../../../../shared/settings';
import type { ClusterRender } from '../../fleet/targets';
import type { FleetModel, TargetCluster } from '../../fleet/types';
import { FleetIndex } from '../../fleet/fleet-index';
import { independentOfTheModel } from './locality';

/**
 * Compliance on what each cluster actually receives. Every compliance rule runs on every object
 * of every cluster's render (the cluster is the rule's only target, its rendered objects are the
 * `ctx.objects` cross-resource rules see, with their final namespaces). Each finding is mapped back
 * to the source that produced the value (the patch that set it, the `images` entry, the base), and
 * a finding that several clusters share is one finding: it names the clusters where it holds only
 * in some of those the file reaches, and production escalation names the production ones.
 */

interface Hit {
	rule: ComplianceRule;
	cluster: TargetCluster;
	problem: ReturnType<ComplianceRule['check']>[number];
	file: string;
	documentIndex: number;
	path: (string | number)[];
	via: string;
	object: RenderedProblem['object'];
}

interface DocEntry {
	problems: RenderedProblem[];
	/** The rules that evaluated the document in some cluster (shared by the documents with the same set once assembled). */
	evaluated: ReadonlySet<string>;
}

/** What the compliance rules found in one cluster's render (cached with the render while the key holds). */
export interface ClusterEvaluation {
	hits: [string, Hit][];
	/** The rules that evaluated each object of the render, by its index there (none for objects that are not Kubernetes objects). */
	evaluated: (readonly string[] | undefined)[];
}

/** A hit of a cluster, built field by field: an object spread per hit was a hot spot of the evaluation. */
function withCluster(h: Omit<Hit, 'cluster'>, cluster: TargetCluster): Hit {
	return { rule: h.rule, cluster, problem: h.problem, file: h.file, documentIndex: h.documentIndex, path: h.path, via: h.via, object: h.object };
}

/** What the rules independent of the fleet model found on one object of a render (see `locality.ts`). */
interface LocalResult {
	evaluated: readonly string[];
	hits: [string, Omit<Hit, 'cluster'>][];
}

const NOTHING: LocalResult = { evaluated: [], hits: [] };

/** Rendered objects have no span in a file (findings are placed through their origins). */
const NO_SPAN = Object.freeze({ start: 0, end: 0 });

/** Keys of findings kept for sharing before the table starts again. */
const MAX_SHARED_KEYS = 200_000;

/** Objects judged between two steps of an evaluation. */
const STEP_OBJECTS = 200;

/** A cluster's evaluation kept with its render. */
interface Kept {
	key: string;
	result: ClusterEvaluation;
	/** The results of the model-independent rules, per object of the render, and the key they hold under. */
	localKey: string;
	local: LocalResult[];
}

/** What an evaluation needs besides the renders: the repository, the settings, the day. */
export interface EvalBase {
	repo: RepoContext;
	settings: FleetscopeSettings;
	today: string;
}

/**
 * Runs the compliance rules on what each cluster receives and assembles the findings by source
 * place. It owns what it caches: each cluster's evaluation (kept with the render while the render and
 * the key hold), the rules by kind, the interned lists of rule ids, and the stamp counter of the views it makes.
 */
export class RenderedEvaluator {
	private readonly evaluations = new WeakMap<ClusterRender, Kept>();
	private readonly byKind = new Map<string, ComplianceRule[]>();
	private readonly local = new Set<ComplianceRule>();
	/** Lists of rule ids, shared: most objects of a kind are evaluated by the same rules in every cluster. */
	private readonly idLists = new Map<string, readonly string[]>();
	/** Results of objects that passed, per shared list of rule ids (see `passed`). */
	private readonly passes = new Map<readonly string[], LocalResult>();
	/** Keys of findings, shared (see `key`). */
	private readonly keys = new SharedValues<string>(MAX_SHARED_KEYS);
	/** Sets of rule ids that evaluated a document, shared (see `sharedIds`). */
	private readonly idSets = new SharedValues<ReadonlySet<string>>(MAX_SHARED_KEYS);
	/** The rules of a kind followed by those of every kind (`*`), per kind asked. */
	private readonly candidates = new Map<string, readonly ComplianceRule[]>();
	/** Whether all those rules are kept across fleet-model changes, per kind asked. */
	private readonly allLocal = new Map<string, boolean>();
	private generation = 0;

	constructor(rules: readonly ComplianceRule[]) {
		for (const r of rules) for (const k of r.kinds) this.byKind.set(k, [...(this.byKind.get(k) ?? []), r]);
		for (const r of rules) if (independentOfTheModel(r)) this.local.add(r);
	}

	/**
	 * Runs the compliance rules on one cluster's render. The result is kept with the render: while the
	 * render is the same object (nothing it read changed) and `key` is the same (settings, day, the
	 * repository's facts and fleet model), it is not computed again. When only the key changed (a
	 * retag changes the fleet model's versions), the rules that do not read the model keep their
	 * results for every object of the render, and only the others run again.
	 */
	evaluateCluster(render: ClusterRender, fleet: FleetModel, base: EvalBase, key: string): ClusterEvaluation {
		const steps = this.evaluateSteps(render, fleet, base, key);
		for (let r = steps.next(); ; r = steps.next()) if (r.done) return r.value;
	}

	/**
	 * The same in steps: it yields after every few hundred objects, so that a host can answer the
	 * editor meanwhile, and returns the evaluation. One that is not run to its end keeps nothing.
	 */
	*evaluateSteps(render: ClusterRender, fleet: FleetModel, base: EvalBase, key: string): Generator<void, ClusterEvaluation> {
		const hit = this.evaluations.get(render);
		if (hit && hit.key === key) return hit.result;
		const result: ClusterEvaluation = { hits: [], evaluated: [] };
		const cluster = targetCluster(fleet, render.cluster);
		if (!cluster) {
			this.evaluations.set(render, { key, result, localKey: '', local: [] });
			return result;
		}
		const objects = ObjectSet.fromValues(
			render.objects.map((o) => ({ file: o.object.source.file, documentIndex: o.object.source.documentIndex, value: o.object.value })),
			true,
		);
		const namespaces = new Map<string, Record<string, string>>();
		for (const ns of objects.ofKind('Namespace')) if (ns.name) namespaces.set(ns.name, labelsOf(ns.value));
		const repo = clusterRepo(base.repo, objects, fleet, namespaces);
		const fleetIndex = base.repo.fleetIndex?.model === fleet ? base.repo.fleetIndex : new FleetIndex(fleet);
		// Version-aware rules (Pod Security) judge each cluster by the Kubernetes version it runs (its claim), not the setting.
		const settings = cluster.kubernetesVersion && /^1\.\d+$/.test(cluster.kubernetesVersion) ? { ...base.settings, kubernetesVersion: cluster.kubernetesVersion } : base.settings;
		const localKey = `${JSON.stringify(settings)}|${base.today}|${fallbackLabels(objects, namespaces, base.repo)}`;
		const kept = hit && hit.localKey === localKey ? hit.local : undefined;
		const local: LocalResult[] = kept ?? [];
		for (let i = 0; i < render.objects.length; i++) {
			if (i % STEP_OBJECTS === STEP_OBJECTS - 1) yield;
			const { object, via } = render.objects[i];
			const header = resourceHeader(object.value);
			if (!header) continue;
			const src = object.source;
			const evaluated: string[] = [];
			const candidates = this.candidatesOf(header.kind);
			if (candidates.length === 0) {
				result.evaluated[i] = this.ids(evaluated);
				continue;
			}
			const before = kept?.[i] ?? NOTHING;
			if (kept && this.allKeptAcrossModels(header.kind, candidates)) {
				// Every rule of this kind keeps its result while the render is the same: replayed whole, as the loop below would.
				for (const [k, h] of before.hits) result.hits.push([k, withCluster(h, cluster)]);
				result.evaluated[i] = before.evaluated;
				continue;
			}
			const mine: LocalResult = kept ? before : { evaluated: [], hits: [] };
			const resource = resourceOf(header, src.documentIndex, NO_SPAN, object.value);
			const ctx: CheckContext = { path: src.file, today: base.today, repo, settings, targets: [cluster], objects, fleet, fleetIndex, partial: false, perResource: new WeakMap() };
			const where = { kind: header.kind, name: header.name, namespace: header.namespace };
			// Cursors into the kept results: they were made by this loop over the same candidates, so
			// each local rule's entries come next, in candidate order.
			let nextEvaluated = 0;
			let nextHit = 0;
			// Made for the first rule that runs and held here for the others (not in a WeakMap per object).
			let cctx: ComplianceContext | undefined;
			for (const rule of candidates) {
				const isLocal = this.local.has(rule);
				if (isLocal && kept) {
					// Kept from an evaluation of this very render: replayed in the same order.
					if (before.evaluated[nextEvaluated] === rule.id) evaluated.push(before.evaluated[nextEvaluated++]);
					for (; nextHit < before.hits.length && before.hits[nextHit][1].rule === rule; nextHit++) {
						const [k, h] = before.hits[nextHit];
						result.hits.push([k, withCluster(h, cluster)]);
					}
					continue;
				}
				if (rule.appliesTo && !rule.appliesTo(resource)) continue;
				cctx ??= newComplianceContext(resource, ctx);
				const problems = rule.check(resource, cctx);
				if (problems.length > 0 || (rule.evaluates?.(resource, cctx) ?? true)) {
					evaluated.push(rule.id);
					if (isLocal) (mine.evaluated as string[]).push(rule.id);
				}
				for (const problem of problems) {
					const origin = object.originOf(problem.path);
					const k = this.key(`${rule.id}|${origin.file}#${origin.documentIndex}|${origin.path.join('/')}|${problem.target}${problem.policy ? `|${problem.policy.policy}|${problem.policy.rule}` : ''}`);
					const h = { rule, problem, file: origin.file, documentIndex: origin.documentIndex, path: origin.path, via, object: where };
					result.hits.push([k, withCluster(h, cluster)]);
					if (isLocal) mine.hits.push([k, h]);
				}
			}
			if (!kept) local[i] = mine.hits.length === 0 ? this.passed(mine.evaluated as string[]) : { evaluated: this.ids(mine.evaluated as string[]), hits: mine.hits };
			result.evaluated[i] = this.ids(evaluated);
		}
		this.evaluations.set(render, { key, result, localKey, local });
		return result;
	}

	/** The shared copy of a finding's key (the clusters of an environment share most findings). */
	private key(k: string): string {
		return this.keys.share(k, k);
	}

	/**
	 * The shared result of an object that these local rules evaluated and passed: most objects of every
	 * cluster are one of a few such results (one object per object and cluster was the largest item of
	 * a big fleet's heap after the renders themselves).
	 */
	private passed(evaluated: string[]): LocalResult {
		if (evaluated.length === 0) return NOTHING;
		const ids = this.ids(evaluated);
		let shared = this.passes.get(ids);
		if (!shared) this.passes.set(ids, (shared = { evaluated: ids, hits: [] }));
		return shared;
	}

	/** The shared copy of a list of rule ids. */
	private ids(list: string[]): string[] {
		const k = list.join(',');
		let shared = this.idLists.get(k);
		if (!shared) this.idLists.set(k, (shared = list));
		return shared as string[];
	}

	/** Whether every candidate rule of a kind is one of those kept across fleet-model changes (see `locality.ts`), per kind asked. */
	private allKeptAcrossModels(kind: string, candidates: readonly ComplianceRule[]): boolean {
		let all = this.allLocal.get(kind);
		if (all === undefined) this.allLocal.set(kind, (all = candidates.every((r) => this.local.has(r))));
		return all;
	}

	private candidatesOf(kind: string): readonly ComplianceRule[] {
		let list = this.candidates.get(kind);
		if (!list) this.candidates.set(kind, (list = [...(this.byKind.get(kind) ?? []), ...(this.byKind.get('*') ?? [])]));
		return list;
	}

	/** Runs the compliance rules on every cluster's render and groups the findings by source place. */
	evaluate(renders: readonly ClusterRender[], fleet: FleetModel, base: EvalBase, previous?: RenderedView, key = ''): StampedView {
		return this.assemble(renders, renders.map((r) => this.evaluateCluster(r, fleet, base, key)), fleet, base.settings, previous);
	}

	/** The view of the clusters' evaluations: identical findings across clusters combined, renderer notes added, stamps per file. */
	assemble(renders: readonly ClusterRender[], evals: readonly ClusterEvaluation[], fleet: FleetModel, settings: FleetscopeSettings, previous?: RenderedView): StampedView {
		const docs = new Map<string, Map<number, DocEntry>>();
		const entry = (file: string, doc: number): DocEntry => {
			let byDoc = docs.get(file);
			if (!byDoc) docs.set(file, (byDoc = new Map()));
			let e = byDoc.get(doc);
			if (!e) byDoc.set(doc, (e = { problems: [], evaluated: new Set<string>() }));
			return e;
		};
		const hits = new Map<string, Hit[]>();
		for (let r = 0; r < evals.length; r++) {
			const ev = evals[r];
			const objects = renders[r].objects;
			ev.evaluated.forEach((ids, i) => {
				if (!ids) return;
				const src = objects[i].object.source;
				const e = entry(src.file, src.documentIndex);
				const evaluated = e.evaluated as Set<string>;
				for (const id of ids) evaluated.add(id);
			});
			for (const [key, hit] of ev.hits) {
				const list = hits.get(key);
				if (list) list.push(hit);
				else hits.set(key, [hit]);
			}
		}
		const rendered = new Set(renders.map((r) => r.cluster));
		// What rendering itself says (an unsupported field, a patch that matches nothing), once per place;
		// not where discovery already reports the same place (a missing path of a kustomization).
		const seen = new Set<string>();
		for (const p of fleet.problems) seen.add(`${p.location.file}#${p.documentIndex}|${p.path.join('/')}`);
		for (const render of renders) {
			for (const n of render.notes) {
				const place = `${n.file}#${n.documentIndex}|${n.path.join('/')}`;
				const key = `${n.code}|${place}|${n.message}`;
				// Malformed YAML is the engine's finding on that very file already (yaml-syntax, yaml-duplicate-key).
				if (n.code === 'kustomize-malformed-yaml' || seen.has(key) || seen.has(place)) continue;
				seen.add(key);
				const clusters = renders.filter((r) => r.notes.some((x) => x.code === n.code && x.file === n.file && x.documentIndex === n.documentIndex && x.message === n.message)).map((r) => r.cluster);
				entry(n.file, n.documentIndex).problems.push({
					ruleId: NOT_RENDERED.has(n.code) ? 'kustomize-unsupported' : 'kustomize-build',
					path: n.path,
					target: n.path.length > 0 ? 'key' : 'value',
					// Fleetscope renders what it supports and reads what the workspace holds; neither is a reason to fail a build.
					severity: NOT_RENDERED.has(n.code) ? 'info' : n.severity,
					message: n.message,
					data: { path: n.path },
					clusters: clusters.sort(),
					object: { kind: 'Kustomization' },
				});
			}
		}
		for (const group of hits.values()) {
			const first = group[0];
			const problem = combine(group, fleet, rendered, settings);
			entry(first.file, first.documentIndex).problems.push(problem);
		}
		// Most documents are evaluated by one of a few sets of rules: each set is kept once.
		for (const byDoc of docs.values()) for (const e of byDoc.values()) e.evaluated = this.sharedIds(e.evaluated);
		// Stamps: a file keeps its stamp while what the renders say about it is unchanged.
		const prev = previous instanceof StampedView ? previous : undefined;
		const stamps = new Map<string, string>();
		for (const [file, byDoc] of docs) stamps.set(file, prev && sameEntries(prev.entries(file), byDoc) ? prev.stamps.get(file)! : `r${++this.generation}`);
		return new StampedView(docs, stamps);
	}

	/** The shared copy of a set of rule ids (the same ids in the same order: readers list them as they come). */
	private sharedIds(ids: ReadonlySet<string>): ReadonlySet<string> {
		return this.idSets.share([...ids].join(','), ids);
	}
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
function sameEntries(a: ReadonlyMap<number, DocEntry> | undefined, b: ReadonlyMap<number, DocEntry>): boolean {
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
function combine(group: Hit[], fleet: FleetModel, rendered: Set<string>, settings: FleetscopeSettings): RenderedProblem {
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
const NOT_RENDERED = new Set(['kustomize-unsupported', 'kustomize-remote-resource', 'kustomize-outside-repository']);

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

function labelsOf(value: Record<string, unknown>): Record<string, string> {
	const meta = isPlainObject(value.metadata) ? value.metadata : {};
	const out: Record<string, string> = {};
	if (isPlainObject(meta.labels)) for (const [k, v] of Object.entries(meta.labels)) if (typeof v === 'string') out[k] = v;
	return out;
}

/**
 * The repository as rules see it for one cluster: nothing is a patch (objects are rendered), its
 * Namespaces are the rendered ones (labels set by overlays count), its objects are the cluster's.
 */
function clusterRepo(repo: RepoContext, objects: ObjectSet, fleet: FleetModel, namespaces: Map<string, Record<string, string>>): RepoContext {
	return {
		isPatchFile: () => false,
		exists: (p) => repo.exists(p),
		version: repo.version,
		objects,
		fleet,
		namespaceLabels: (n: string) => namespaces.get(n) ?? repo.namespaceLabels?.(n),
		fleetExemptions: () => repo.fleetExemptions?.() ?? [],
		exemptions: repo.exemptions,
	};
}

/**
 * The labels the repository declares for the namespaces a cluster's objects use but its render does
 * not create (rules fall back to them): part of what the model-independent rules read.
 */
function fallbackLabels(objects: ObjectSet, rendered: Map<string, Record<string, string>>, repo: RepoContext): string {
	if (!repo.namespaceLabels) return '';
	const used = new Set<string>();
	for (const o of objects.all()) if (o.namespace && !rendered.has(o.namespace)) used.add(o.namespace);
	return JSON.stringify([...used].sort().map((n) => [n, repo.namespaceLabels!(n) ?? null]));
}

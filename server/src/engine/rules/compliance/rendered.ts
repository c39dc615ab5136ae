import type { CheckContext, RenderedView, RepoContext } from '../../context/check-context';
import { targetCluster } from '../../fleet/clusters';
import { newComplianceContext } from './context';
import { type ComplianceContext, type ComplianceRule } from './rule';
import { ObjectSet, type ObjectIndex } from '../../core/objects';
import { isPlainObject, resourceHeader, resourceOf } from '../../core/resource';
import { SharedValues } from '../../core/shared-values';
import type { FleetscopeSettings } from '../../../../../shared/settings';
import type { ClusterRender } from '../../fleet/targets';
import type { FleetModel, TargetCluster } from '../../fleet/types';
import { FleetIndex } from '../../fleet/fleet-index';
import { independentOfTheModel, readsVersions } from './locality';
import { carryOver, ReadRecorder, type CarryOver, type Reads } from './carry-over';
import { combine, NOT_RENDERED, sameEntries, StampedView, type DocEntry, type Hit } from './rendered-view';

export { changedFiles, StampedView } from './rendered-view';

/**
 * Compliance on what each cluster actually receives. Every compliance rule runs on every object
 * of every cluster's render (the cluster is the rule's only target, its rendered objects are the
 * `ctx.objects` cross-resource rules see, with their final namespaces). Each finding is mapped back
 * to the source that produced the value (the patch that set it, the `images` entry, the base), and
 * a finding that several clusters share is one finding: it names the clusters where it holds only
 * in some of those the file reaches, and production escalation names the production ones.
 */

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

/**
 * What the rules kept with a render found on one of its objects: those independent of the fleet
 * model, and (while the model's graph is named) those that read its graph only (see `locality.ts`).
 */
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
	/** What the kept rules read of the other objects (see `carry-over.ts`). */
	reads: ReadonlyMap<ComplianceRule, Reads>;
	/** The graph the results of the rules that read only the model's graph hold for (undefined: none kept). */
	graph: string | undefined;
}

/** What every evaluation of one render starts from (see `preparedOf`). */
interface Prepared {
	namespaces: Map<string, Record<string, string>>;
	/** The namespaces the render's objects use but it does not create, sorted. */
	outside: readonly string[];
}

/** What an evaluation needs besides the renders: the repository, the settings, the day. */
export interface EvalBase {
	repo: RepoContext;
	settings: FleetscopeSettings;
	today: string;
	/**
	 * Names the fleet model's graph: the same for models that differ only in their versions (a
	 * retag), so that the rules that read the graph but not the versions keep their results.
	 * Undefined: every model is a new graph.
	 */
	graph?: string;
}

/**
 * Runs the compliance rules on what each cluster receives and assembles the findings by source
 * place. It owns what it caches: each cluster's evaluation (kept with the render while the render and
 * the key hold), the rules by kind, the interned lists of rule ids, and the stamp counter of the views it makes.
 */
export class RenderedEvaluator {
	private readonly evaluations = new WeakMap<ClusterRender, Kept>();
	private readonly prepared = new WeakMap<ClusterRender, Prepared>();
	/** Each cluster's last evaluated render: a new render of the cluster carries over what still holds. */
	private readonly latest = new Map<string, ClusterRender>();
	private readonly byKind = new Map<string, ComplianceRule[]>();
	private readonly local = new Set<ComplianceRule>();
	/** The rules that read the fleet model's graph but not its versions (see `locality.ts`). */
	private readonly graphOnly = new Set<ComplianceRule>();
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
	/** Whether they are all kept with the render while the model's graph is the same, per kind asked. */
	private readonly allKeptWithGraph = new Map<string, boolean>();
	private generation = 0;

	constructor(rules: readonly ComplianceRule[]) {
		for (const r of rules) for (const k of r.kinds) this.byKind.set(k, [...(this.byKind.get(k) ?? []), r]);
		for (const r of rules) if (independentOfTheModel(r)) this.local.add(r);
		for (const r of rules) if (!independentOfTheModel(r) && !readsVersions(r)) this.graphOnly.add(r);
	}

	/**
	 * Runs the compliance rules on one cluster's render. The result is kept with the render: while the
	 * render is the same object (nothing it read changed) and `key` is the same (settings, day, the
	 * repository's facts and fleet model), it is not computed again. When only the key changed (a
	 * retag changes the fleet model's versions), the rules that do not read the model keep their
	 * results for every object of the render, and so do those that read only its graph while
	 * `base.graph` is the same; only the others run again. A new render of a cluster (an edit
	 * rendered one of its paths again) carries those results over for the objects still in it,
	 * where no object of a kind the rule read came or went (`carry-over.ts`).
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
			this.evaluations.set(render, { key, result, localKey: '', local: [], reads: new Map(), graph: undefined });
			return result;
		}
		// The objects indexed: per evaluation, not kept with the render (1.3 million objects of a
		// 102-cluster fleet took 160 MB kept); the Namespaces' labels and the namespaces used are kept.
		const values = ObjectSet.fromValues(
			render.objects.map((o) => ({ file: o.object.source.file, documentIndex: o.object.source.documentIndex, value: o.object.value })),
			true,
		);
		const { namespaces, outside } = this.preparedOf(render, values);
		// Version-aware rules (Pod Security) judge each cluster by the Kubernetes version it runs (its claim), not the setting.
		const settings = cluster.kubernetesVersion && /^1\.\d+$/.test(cluster.kubernetesVersion) ? { ...base.settings, kubernetesVersion: cluster.kubernetesVersion } : base.settings;
		const localKey = `${JSON.stringify(settings)}|${base.today}|${fallbackLabels(outside, base.repo)}`;
		// The rules whose results are kept with the render: those that read nothing of the model, and,
		// where the model's graph is named, those that read its graph but not its versions.
		const graph = base.graph;
		const keeps = (r: ComplianceRule) => this.local.has(r) || (graph !== undefined && this.graphOnly.has(r));
		const carry = this.carried(render, hit, localKey, graph);
		const objects = new ReadRecorder(values, carry?.reads);
		const repo = clusterRepo(base.repo, objects, fleet, namespaces);
		const fleetIndex = base.repo.fleetIndex?.model === fleet ? base.repo.fleetIndex : new FleetIndex(fleet);
		// Per kind: whether every kept rule's results hold (then an object's kept result is its result).
		const allHold = new Map<string, boolean>();
		const local: LocalResult[] = [];
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
			const before = carry?.resultOf(i);
			let holds = allHold.get(header.kind);
			if (holds === undefined) allHold.set(header.kind, (holds = carry !== undefined && candidates.every((r) => !keeps(r) || carry.holds(r))));
			if (before && holds && this.allKept(header.kind, candidates, graph !== undefined)) {
				// Every rule of this kind keeps its result: replayed whole, as the loop below would.
				for (const [k, h] of before.hits) result.hits.push([k, withCluster(h, cluster)]);
				result.evaluated[i] = before.evaluated;
				local[i] = before;
				continue;
			}
			// The object's local results: the kept ones where they all hold, else made again (some replayed, some run).
			const reuse = before !== undefined && holds;
			const mine: LocalResult = reuse ? before : { evaluated: [], hits: [] };
			const resource = resourceOf(header, src.documentIndex, NO_SPAN, object.value);
			const ctx: CheckContext = { path: src.file, today: base.today, repo, settings, targets: [cluster], objects, fleet, fleetIndex, partial: false, perResource: new WeakMap() };
			const where = { kind: header.kind, name: header.name, namespace: header.namespace };
			// Cursors into the kept results: they were made by this loop over the same candidates, so
			// each kept rule's entries come next, in candidate order.
			let nextEvaluated = 0;
			let nextHit = 0;
			// Made for the first rule that runs and held here for the others (not in a WeakMap per object).
			let cctx: ComplianceContext | undefined;
			for (const rule of candidates) {
				const isKept = keeps(rule);
				if (before) {
					// Kept from an evaluation of this render, or of the cluster's previous render for an object still in it: replayed in the same order where it holds.
					const replay = isKept && (reuse || carry!.holds(rule));
					if (before.evaluated[nextEvaluated] === rule.id) {
						nextEvaluated++;
						if (replay) {
							evaluated.push(rule.id);
							if (!reuse) (mine.evaluated as string[]).push(rule.id);
						}
					}
					for (; nextHit < before.hits.length && before.hits[nextHit][1].rule === rule; nextHit++) {
						if (!replay) continue;
						const [k, h] = before.hits[nextHit];
						result.hits.push([k, withCluster(h, cluster)]);
						if (!reuse) mine.hits.push([k, h]);
					}
					if (replay) continue;
				}
				if (rule.appliesTo && !rule.appliesTo(resource)) continue;
				// What a kept rule reads of the other objects decides whether its results outlive a new render.
				objects.reader = isKept ? rule : undefined;
				cctx ??= newComplianceContext(resource, ctx);
				const problems = rule.check(resource, cctx);
				if (problems.length > 0 || (rule.evaluates?.(resource, cctx) ?? true)) {
					evaluated.push(rule.id);
					if (isKept) (mine.evaluated as string[]).push(rule.id);
				}
				objects.reader = undefined;
				for (const problem of problems) {
					const origin = object.originOf(problem.path);
					const k = this.key(`${rule.id}|${origin.file}#${origin.documentIndex}|${origin.path.join('/')}|${problem.target}${problem.policy ? `|${problem.policy.policy}|${problem.policy.rule}` : ''}`);
					const h = { rule, problem, file: origin.file, documentIndex: origin.documentIndex, path: origin.path, via, object: where };
					result.hits.push([k, withCluster(h, cluster)]);
					if (isKept) mine.hits.push([k, h]);
				}
			}
			local[i] = reuse ? before : mine.hits.length === 0 ? this.passed(mine.evaluated as string[]) : { evaluated: this.ids(mine.evaluated as string[]), hits: mine.hits };
			result.evaluated[i] = this.ids(evaluated);
		}
		this.evaluations.set(render, { key, result, localKey, local, reads: objects.recorded(), graph });
		this.latest.set(render.cluster, render);
		return result;
	}

	/**
	 * What the model-independent rules found before that still holds: on this very render (the fleet
	 * model changed), or on the cluster's previous render for the objects still in the new one (an
	 * edit rendered one of its paths again). Undefined: everything runs.
	 */
	private carried(render: ClusterRender, hit: Kept | undefined, localKey: string, graph: string | undefined): CarryOver<LocalResult> | undefined {
		let kept = hit;
		let carry: CarryOver<LocalResult> | undefined;
		if (hit) carry = hit.localKey === localKey ? { resultOf: (i) => hit.local[i], holds: () => true, reads: hit.reads } : undefined;
		else {
			const previous = this.latest.get(render.cluster);
			kept = previous && this.evaluations.get(previous);
			if (previous && kept && kept.localKey === localKey) carry = carryOver(previous.objects, kept.local, kept.reads, render.objects);
		}
		if (!carry || !kept) return undefined;
		// The graph rules' results hold only for the same graph.
		const sameGraph = graph !== undefined && kept.graph === graph;
		const inner = carry;
		return { ...inner, holds: (r) => (this.local.has(r) || (sameGraph && this.graphOnly.has(r))) && inner.holds(r) };
	}

	/** Forgets the renders kept for carrying results over, but those of these clusters (rendering off: none). */
	keepOnly(clusters: ReadonlySet<string>): void {
		for (const name of [...this.latest.keys()]) if (!clusters.has(name)) this.latest.delete(name);
	}

	/**
	 * What every evaluation of a render starts from, made once per render: the labels of the
	 * Namespaces it creates, and the namespaces its objects use that it does not create.
	 */
	private preparedOf(render: ClusterRender, values: ObjectSet): Prepared {
		let p = this.prepared.get(render);
		if (!p) {
			const namespaces = new Map<string, Record<string, string>>();
			for (const ns of values.ofKind('Namespace')) if (ns.name) namespaces.set(ns.name, labelsOf(ns.value));
			const outside = new Set<string>();
			for (const o of values.all()) if (o.namespace && !namespaces.has(o.namespace)) outside.add(o.namespace);
			this.prepared.set(render, (p = { namespaces, outside: [...outside].sort() }));
		}
		return p;
	}

	/** The shared copy of a finding's key (the clusters of an environment share most findings). */
	private key(k: string): string {
		return this.keys.share(k, k);
	}

	/**
	 * The shared result of an object that these kept rules evaluated and passed: most objects of every
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

	/** Whether every candidate rule of a kind keeps its results with the render (with the graph's rules or without), per kind asked. */
	private allKept(kind: string, candidates: readonly ComplianceRule[], withGraph: boolean): boolean {
		const cache = withGraph ? this.allKeptWithGraph : this.allLocal;
		let all = cache.get(kind);
		if (all === undefined) cache.set(kind, (all = candidates.every((r) => this.local.has(r) || (withGraph && this.graphOnly.has(r)))));
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
function clusterRepo(repo: RepoContext, objects: ObjectIndex, fleet: FleetModel, namespaces: Map<string, Record<string, string>>): RepoContext {
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
function fallbackLabels(outside: readonly string[], repo: RepoContext): string {
	if (!repo.namespaceLabels) return '';
	return JSON.stringify(outside.map((n) => [n, repo.namespaceLabels!(n) ?? null]));
}

import type { FleetscopeSettings } from '../../../shared/settings';
import type { RepoContext, RenderedView } from '../engine/context/check-context';
import { discover, rediscover, type Discovery } from '../engine/fleet/discover';
import { DocumentStore } from '../engine/fleet/reader';
import { STEP, TargetRenderer, type ClusterRender } from '../engine/fleet/targets';
import type { FleetModel } from '../engine/fleet/types';
import { renderedRules } from '../engine/rules/policy-rendered';
import { changedFiles, RenderedEvaluator } from '../engine/rules/compliance/rendered';
import { NodeRepoReader } from '../host/repo-reader';

/** Rendering and judging yield to the editor at least this often (ms). */
const SLICE_MS = 10;

/** What rendering and the rendered compliance checks need besides the repository. */
export interface RenderSettings {
	settings: FleetscopeSettings;
	today: string;
}

/** What a rediscovery found: the model, and which files the change can affect. */
export interface Rediscovery {
	model: FleetModel;
	/**
	 * The files whose findings the change can affect: 'all' when the graph itself changed (clusters,
	 * environments, which files reach which cluster, the apps and their facts), else only the files
	 * that set a version that changed or hold a problem that changed (a retag in an overlay); empty
	 * when the model is the same.
	 */
	affected: 'all' | string[];
	/** Only the versions were read again (a retag, a chart bump, a workload edit: `versionOnlyEdit`). */
	versionsOnly: boolean;
}

/** What an evaluation of the renders produced: the view (undefined: rendering is off), the files whose rendered findings changed. */
export interface RenderOutcome {
	/** False when nothing was rendered (nothing changed, rendering off, or overtaken by newer work). */
	ran: boolean;
	view: RenderedView | undefined;
	changed: string[];
	clusters: number;
	objects: number;
}

/**
 * The fleet model and the renders of one repository on disk: discovery over a document store that
 * reads the disk (the editor's open documents win), and what each cluster receives, rendered and
 * judged by the compliance rules. It owns its reader, store, renderer and evaluator and their
 * caches; it never changes the repository snapshot itself: its folder applies what it returns.
 */
export class FleetState {
	private readonly reader: NodeRepoReader;
	private readonly store: DocumentStore;
	private renderer: TargetRenderer;
	private readonly evaluator = new RenderedEvaluator(renderedRules());
	private last?: Discovery;
	private lastRenders: readonly ClusterRender[] = [];
	private lastView?: RenderedView;
	/** What the last evaluation was computed for, or '' when it must run again. */
	private evaluatedWith = '';
	/** Names the model's graph: a rediscovery that read only the versions again keeps it (see `EvalBase.graph`). */
	private graph = 0;
	/** Counts evaluations, so that one overtaken by a newer one stops. */
	private generation = 0;

	/** `open`: the editor's texts (win over the disk); `known`: texts already read from the disk (kept, not read again). */
	constructor(root: string, files: readonly string[], open: (rel: string) => string | undefined, known?: (rel: string) => string | undefined) {
		this.reader = new NodeRepoReader(root, files, open, known);
		this.store = new DocumentStore(this.reader);
		this.renderer = new TargetRenderer(this.store);
	}

	/** The model as last discovered (discovering it first if needed). */
	get model(): FleetModel {
		return this.last?.model ?? this.rediscover([], this.reader.files()).model;
	}

	/** The document store discovery reads (also what rendering and navigation read). */
	get documents(): DocumentStore {
		return this.store;
	}

	/** The renders of the last evaluation (`fleetscope render`, the editor's rendered manifests). */
	get renders(): readonly ClusterRender[] {
		return this.lastRenders;
	}

	/**
	 * What one cluster receives: the last evaluation's render, else one made now and not kept (rendering
	 * off, not evaluated yet, or a host that needs a single cluster: `fleetscope render`, the explorer's
	 * Render Cluster, drift).
	 */
	renderOf(cluster: string, model: FleetModel = this.model): ClusterRender | undefined {
		const hit = this.lastRenders.find((r) => r.cluster === cluster);
		if (hit) return hit;
		const c = model.clusters.find((x) => x.name === cluster);
		return c ? new TargetRenderer(this.store).renderAll({ ...model, clusters: [c] })[0] : undefined;
	}

	/** These files changed on disk or in the editor (`files` is the repository's file list now): forget their texts and discover again. */
	rediscover(changed: readonly string[], files: readonly string[]): Rediscovery {
		const before = this.reader.files();
		for (const rel of changed) this.reader.invalidate(rel);
		// The store's listings (directories, the files below each) are rebuilt only when the list
		// changed: an edit in the editor (a retag) keeps them, and rebuilding them was a fifth of a rediscovery.
		const listChanged = !sameList(before, files);
		if (listChanged) {
			this.reader.setFiles(files);
			this.store.filesChanged();
		}
		// A file created or deleted changes directory listings; an edit only that file's renders.
		this.renderer.invalidate(changed, listChanged || changed.some((c) => !this.store.isFile(c)));
		const previous = this.last;
		// A retag (a version-only edit) reads the versions again, not the whole fleet.
		const found = previous && !listChanged ? rediscover(this.store, previous, changed) : { ...discover(this.store), versionsOnly: false };
		const model = found.model;
		if (found.versionsOnly) graphs.set(model, graphOf(previous!.model));
		else this.graph++;
		this.last = { model, walks: found.walks };
		this.evaluatedWith = '';
		return { model, affected: affectedFiles(previous?.model, model), versionsOnly: found.versionsOnly };
	}

	/**
	 * Renders what each cluster receives and runs the compliance rules on it; only the clusters whose
	 * files changed are rendered again. Between clusters `pause` lets the host serve other work, and
	 * `within` (when given) every few milliseconds inside one cluster's render or evaluation (the first
	 * cluster of an environment renders all of its paths); an evaluation overtaken by a newer one or
	 * by a rediscovery stops without a result.
	 */
	async evaluate(repo: RepoContext, run: RenderSettings, pause: () => Promise<void> = async () => undefined, within?: () => Promise<void>): Promise<RenderOutcome> {
		const key = `${JSON.stringify(run.settings)}|${run.today}|${repo.version ?? 0}`;
		const none = { ran: false, view: this.lastView, changed: [], clusters: 0, objects: 0 };
		if (key === this.evaluatedWith) return none;
		this.evaluatedWith = key;
		if (run.settings['fleet.render'] === false) {
			// Every file is judged as written: forget the renders (and the memory they hold).
			++this.generation;
			const previous = this.lastView;
			this.renderer = new TargetRenderer(this.store);
			this.evaluator.keepOnly(new Set());
			this.lastRenders = [];
			this.lastView = undefined;
			return { ...none, view: undefined, changed: previous ? changedFiles(previous, undefined) : [] };
		}
		const model = this.model;
		const graph = this.graph;
		const generation = ++this.generation;
		const moot = () => generation !== this.generation || this.last?.model !== model;
		const renders: ClusterRender[] = [];
		const evals = [];
		// `pause` between clusters; `within` a cluster's render or evaluation, once a slice of time is used.
		let sliceStart = Date.now();
		const slice = async (always: boolean): Promise<boolean> => {
			if (!always && (!within || Date.now() - sliceStart < SLICE_MS)) return false;
			await (always ? pause() : within!());
			sliceStart = Date.now();
			return moot();
		};
		for (const render of this.renderer.renderSteps(model)) {
			if (render === STEP) {
				if (await slice(false)) return none;
				continue;
			}
			renders.push(render);
			if (await slice(true)) return none;
			const steps = this.evaluator.evaluateSteps(render, model, { repo, settings: run.settings, today: run.today, graph: String(graph) }, key);
			let step = steps.next();
			for (; !step.done; step = steps.next()) if (await slice(false)) return none;
			evals.push(step.value);
			if (await slice(true)) return none;
		}
		this.renderer.settle();
		this.evaluator.keepOnly(new Set(renders.map((r) => r.cluster)));
		const previous = this.lastView;
		const view = this.evaluator.assemble(renders, evals, model, run.settings, previous);
		this.lastView = view;
		this.lastRenders = renders;
		return { ran: true, view, changed: changedFiles(previous, view), clusters: renders.length, objects: renders.reduce((n, r) => n + r.objects.length, 0) };
	}
}

/** Whether two file lists hold the same paths in the same order (the same list, mostly). */
function sameList(a: readonly string[], b: readonly string[]): boolean {
	if (a === b) return true;
	if (a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
	return true;
}

/** Locations compare by anchor (their ranges would need the slow parse). */
const anchorOnly = (_k: string, v: unknown) => (v && typeof v === 'object' && 'anchor' in v && typeof (v as { anchor: unknown }).anchor === 'string' ? (v as { anchor: string }).anchor : v);

/**
 * A model's graph without its versions and problems, as text: computed once per model (a model is
 * never changed once discovered), so a rediscovery serialises only the new one.
 */
const graphs = new WeakMap<FleetModel, string>();
function graphOf(m: FleetModel): string {
	let g = graphs.get(m);
	if (g === undefined) {
		g = JSON.stringify({ environments: m.environments, clusters: m.clusters, files: m.files, apps: m.apps.map((a) => ({ ...a, versions: undefined, behind: undefined })) }, anchorOnly);
		graphs.set(m, g);
	}
	return g;
}

/** See `Rediscovery.affected`. */
function affectedFiles(before: FleetModel | undefined, after: FleetModel): 'all' | string[] {
	if (!before) return 'all';
	// Versions and problems apart.
	if (graphOf(before) !== graphOf(after)) return 'all';
	const out = new Set<string>();
	const versionKey = (m: FleetModel) => new Map(m.apps.flatMap((a) => a.versions.map((v) => [JSON.stringify({ app: a.name, v }, anchorOnly), v.location.file] as const)));
	const problemKey = (m: FleetModel) => new Map(m.problems.map((p) => [JSON.stringify(p, anchorOnly), p.location.file] as const));
	for (const [a, b] of [
		[versionKey(before), versionKey(after)],
		[problemKey(before), problemKey(after)],
	]) {
		for (const [k, f] of a) if (!b.has(k)) out.add(f);
		for (const [k, f] of b) if (!a.has(k)) out.add(f);
	}
	// A version change moves what "behind" and promotion order say for the app's other environments too.
	const changedApps = after.apps.filter((a) => JSON.stringify(a.versions, anchorOnly) !== JSON.stringify(before.apps.find((x) => x.name === a.name)?.versions, anchorOnly));
	for (const a of changedApps) for (const v of [...a.versions, ...(before.apps.find((x) => x.name === a.name)?.versions ?? [])]) out.add(v.location.file);
	return [...out].sort();
}

import { RENDERED_RULES } from '../engine/rules/policy-rendered';
import { discoverFleet } from '../engine/fleet/discover';
import { assembleView, changedFiles, evaluateCluster } from '../engine/rules/compliance/rendered';
import { NO_RENDERS } from '../engine/context/check-context';
import { TargetRenderer, type ClusterRender } from '../engine/fleet/targets';
import type { FleetscopeSettings } from '../../../shared/settings';
import { DocumentStore } from '../engine/fleet/reader';
import { EMPTY_FLEET, type FleetModel } from '../engine/fleet/types';
import type { RepoIndex } from '../engine/context/repo-index';
import { NodeRepoReader } from './repo-reader';

/**
 * The fleet model of one repository on disk, kept current as files change. Discovery reads the
 * texts the repository index already prefetched, then the disk; the editor's open documents win
 * (`overlay`). It hands the model to the index (`RepoIndex.setFleet`), where every check finds it.
 */
export class FleetService {
	private readonly reader: NodeRepoReader;
	private readonly store: DocumentStore;
	private current?: FleetModel;
	private renderer: TargetRenderer;
	private lastRenders: readonly ClusterRender[] = [];
	/** Files changed since the last evaluation (or it never ran). */
	private dirty = true;
	private evaluatedWith = '';
	/** Counts evaluations, so that one overtaken by a newer one stops. */
	private generation = 0;

	constructor(
		root: string,
		private readonly repo: RepoIndex,
		overlay: (rel: string) => string | undefined = () => undefined,
	) {
		this.reader = new NodeRepoReader(root, repo.allFiles(), (rel) => overlay(rel) ?? repo.peekText(rel));
		this.store = new DocumentStore(this.reader);
		this.renderer = new TargetRenderer(this.store);
	}

	/** The model as last discovered (discovering it first if needed). */
	get model(): FleetModel {
		return (this.current ??= this.refresh().model);
	}

	/** The document store discovery reads (also what rendering and navigation read). */
	get documents(): DocumentStore {
		return this.store;
	}

	/** Files changed on disk or in the editor: forget their texts, rediscover, and tell the index. Returns whether the model changed. */
	refresh(changed: readonly string[] = []): FleetRefresh {
		const before = this.reader.files().length;
		for (const rel of changed) this.reader.invalidate(rel);
		this.reader.setFiles(this.repo.allFiles());
		this.store.filesChanged();
		// A file created or deleted changes directory listings; an edit only that file's renders.
		this.renderer.invalidate(changed, this.reader.files().length !== before || changed.some((c) => !this.store.isFile(c)));
		const previous = this.current;
		const model = discoverFleet(this.store);
		this.current = model;
		this.dirty = true;
		const isChanged = this.repo.setFleet(model);
		return { model, changed: isChanged, affected: isChanged ? affectedFiles(previous, model) : [] };
	}

	/**
	 * Renders what each cluster receives and runs the compliance rules on it; the index then carries
	 * the findings (`RepoIndex.rendered`). Returns the files whose rendered findings changed, which
	 * the host re-publishes. Only the clusters whose files changed are rendered again.
	 */
	async evaluate(run: RenderSettings, pause: () => Promise<void> = async () => undefined): Promise<RenderOutcome> {
		// Nothing changed since the last evaluation with these settings: the findings stand.
		const key = `${JSON.stringify(run.settings)}|${run.today}|${this.repo.version}`;
		if (!this.dirty && key === this.evaluatedWith) return { ran: false, changed: [], clusters: 0, objects: 0 };
		this.dirty = false;
		this.evaluatedWith = key;
		if (run.settings['fleet.render'] === false) {
			// Every file is judged as written: forget the renders (and the memory they hold).
			++this.generation;
			const previous = this.repo.rendered;
			this.renderer = new TargetRenderer(this.store);
			this.lastRenders = [];
			this.repo.setRendered(undefined);
			return { ran: false, changed: previous ? changedFiles(previous, NO_RENDERS) : [], clusters: 0, objects: 0 };
		}
		const model = this.model;
		// One cluster at a time, letting the host serve other work in between (a big fleet takes
		// seconds cold). A newer evaluation, or a rediscovery meanwhile, makes this one moot: it stops
		// and leaves the findings to the newer one (its caller follows every rediscovery with one).
		const generation = ++this.generation;
		const moot = () => generation !== this.generation || this.current !== model;
		const renders: ClusterRender[] = [];
		const evals = [];
		for (const render of this.renderer.renderEach(model)) {
			renders.push(render);
			await pause();
			if (moot()) return { ran: false, changed: [], clusters: 0, objects: 0 };
			evals.push(evaluateCluster(render, model, RENDERED_RULES, { repo: this.repo, settings: run.settings, today: run.today }, key));
			await pause();
			if (moot()) return { ran: false, changed: [], clusters: 0, objects: 0 };
		}
		const previous = this.repo.rendered;
		const view = assembleView(renders, evals, model, run.settings, previous);
		this.repo.setRendered(view);
		this.lastRenders = renders;
		return { ran: true, changed: changedFiles(previous, view), clusters: renders.length, objects: renders.reduce((n, r) => n + r.objects.length, 0) };
	}

	/** The renders of the last `evaluate` (for `fleetscope render` and the editor's views). */
	get renders(): readonly ClusterRender[] {
		return this.lastRenders;
	}
}

/** What a rediscovery found: the model, whether it changed, and which files that concerns. */
export interface FleetRefresh {
	model: FleetModel;
	changed: boolean;
	/**
	 * The files whose findings the change can affect: 'all' when the graph itself changed (clusters,
	 * environments, which files reach which cluster, the apps and their facts), else only the files
	 * that set a version that changed or hold a problem that changed (a retag in an overlay).
	 */
	affected: 'all' | string[];
}

/** What an evaluation did: whether it ran, the files whose rendered findings changed, what it rendered. */
export interface RenderOutcome {
	ran: boolean;
	changed: string[];
	clusters: number;
	objects: number;
}

/** What rendering and the rendered compliance checks need besides the repository. */
export interface RenderSettings {
	settings: FleetscopeSettings;
	today: string;
}

/** Discovers the fleet of a repository once and, given settings, runs the rendered compliance checks (the CLI). */
export async function loadFleet(root: string, repo: RepoIndex, run?: RenderSettings): Promise<FleetService> {
	const service = new FleetService(root, repo);
	service.refresh();
	if (run) await service.evaluate(run);
	return service;
}

/** The fleet model of a repository whose index carries one (the language server and the CLI set it), else the empty fleet. */
export async function fleetFor(_root: string, repo: RepoIndex): Promise<FleetModel> {
	return repo.fleet ?? EMPTY_FLEET;
}

/** See `FleetRefresh.affected`. */
function affectedFiles(before: FleetModel | undefined, after: FleetModel): 'all' | string[] {
	if (!before) return 'all';
	// Locations compare by anchor (their ranges would need the slow parse); versions and problems apart.
	const anchorOnly = (_k: string, v: unknown) => (v && typeof v === 'object' && 'anchor' in v && typeof (v as { anchor: unknown }).anchor === 'string' ? (v as { anchor: string }).anchor : v);
	const graph = (m: FleetModel) =>
		JSON.stringify({ environments: m.environments, clusters: m.clusters, files: m.files, apps: m.apps.map((a) => ({ ...a, versions: undefined, behind: undefined })) }, anchorOnly);
	if (graph(before) !== graph(after)) return 'all';
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

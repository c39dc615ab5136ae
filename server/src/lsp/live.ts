import { createHash } from 'node:crypto';
import { unwatchFile, watchFile } from 'node:fs';
import * as path from 'node:path';
import type { Engine, FileAnalysis } from '../engine/analysis/engine';
import type { RepoContext } from '../engine/context/check-context';
import { EMPTY_FLEET, isProductionEnvironment, type FleetCluster, type FleetModel, type TargetCluster } from '../engine/fleet/types';
import { liveProblems, type LiveSchemas } from '../engine/rules/live';
import { LIVE_FETCH_KINDS, liveFetchPlan } from '../engine/live/plan';
import { liveObjectsOfText } from '../engine/live/repo-objects';
import { stateAge, type ClusterState } from '../engine/live/state';
import { type RepoIndex } from '../engine/context/repo-index';
import { isIncluded, isYamlFile } from '../engine/core/paths';
import { RepoObjects } from '../engine/context/repo-objects';
import type { Finding } from '../engine/core/types';
import { LiveClusters } from '../host/live/manager';
import { readFileForValidation } from '../host/node-fs';
import type { ClusterInfo, ClustersResult } from '../../../shared/protocol';
import type { FleetscopeSettings } from '../../../shared/settings';
import { clustersReached, contextFor, filesReaching, kubeconfigCandidates, kubeconfigPaths, missingContextMessage, noContextMessage, targetOf, type ContextSource, type Off } from './live-bindings';
import type { Folder } from './workspace';

/**
 * Live cluster state in the editor. After a workspace scan (static diagnostics are out by then),
 * `refresh` maps each folder's fleet clusters to kubeconfig contexts and starts one watched
 * connection per context (`LiveClusters`); when a cluster's state changes (first fetch, cache loaded,
 * watch event), the files that reach it are validated again: open documents at once, the others from
 * disk in the background. Live findings are computed from the state in memory and cached per YAML
 * document by the engine (`Engine.extraFindings`): a keystroke never reaches a cluster, and re-checks
 * only the documents it changed. In an untrusted workspace nothing here runs: no kubeconfig is read,
 * no cluster contacted, no credential plugin started.
 */

export interface LiveHost {
	folders(): readonly Folder[];
	settings(folder: Folder): Promise<FleetscopeSettings>;
	/** Marks open documents of the folder among `files` stale and validates them again. */
	revalidateOpen(folder: Folder, files: ReadonlySet<string>): void;
	isOpen(folder: Folder, rel: string): boolean;
	/** Validates a workspace file from disk and publishes its diagnostics, if the folder validates it. */
	validateWorkspaceFile(folder: Folder, rel: string): Promise<void>;
	log(line: string): void;
	/** A cluster's status or state changed (`fleetscope/clustersChanged`). */
	clustersChanged(): void;
}

export interface LiveServiceOptions {
	trusted: boolean;
	/** Compiles CRD schemas found in clusters (without it `live-crd-schema` is off). */
	schemas?: LiveSchemas;
	env?: NodeJS.ProcessEnv;
	/** The state cache directory (default: the OS cache dir); false: none. */
	cacheDir?: string | false;
	/** How often kubeconfig files are checked for changes (ms). */
	kubeconfigPollMs?: number;
}

/** One cluster of a folder's fleet and how it is reached. */
interface Binding {
	cluster: FleetCluster;
	context?: string;
	source?: ContextSource;
	/** The connection manager it uses, when it is connected. */
	manager?: Manager;
	off?: Off;
}

interface FolderLive {
	bindings: Binding[];
	enabled: boolean;
	objects?: LiveObjects;
	/** Per cluster: what its live findings depend on, as last seen (see `checkChanges`). */
	signatures: Map<string, string>;
}

/** The repository's objects the live checks look up, kept current as files change on disk. */
class LiveObjects {
	readonly index: RepoObjects;
	version = 0;

	constructor(
		repo: RepoIndex,
		/** The include/exclude globs it was built with. */
		readonly globs: string,
	) {
		this.index = new RepoObjects((p) => repo.isPatchFile(p), liveObjectsOfText);
	}

	read(rel: string, text: string | undefined): boolean {
		const changed = this.index.read(rel, text);
		if (changed) this.version++;
		return changed;
	}
}

/** One `LiveClusters` per distinct kubeconfig setting (folders usually share one). */
interface Manager {
	key: string;
	live: LiveClusters;
	watched: string[];
	/** Per started context: what it was started with. */
	started: Map<string, { fingerprint: string; plan: string }>;
}

const SCAN_SLICE_MS = 8;
const CHANGE_DEBOUNCE_MS = 30;

export class LiveService {
	private trusted: boolean;
	private readonly folders = new Map<Folder, FolderLive>();
	private readonly managers = new Map<string, Manager>();
	private readonly contentKeys = new WeakMap<ClusterState, string>();
	private readonly objectIds = new WeakMap<object, number>();
	private nextObjectId = 1;
	private refreshing?: Promise<void>;
	private refreshAgain = false;
	private disposed = false;
	private changeTimer?: NodeJS.Timeout;
	private notifyTimer?: NodeJS.Timeout;
	/** Lines already logged for clusters that are not connected (each said once). */
	private readonly logged = new Map<string, string>();
	private readonly queue = new Map<Folder, Set<string>>();
	private draining = false;

	constructor(
		private readonly host: LiveHost,
		private readonly options: LiveServiceOptions,
	) {
		this.trusted = options.trusted;
	}

	/** As the client said at start-up (no refresh: that follows the first workspace scan). */
	setTrusted(trusted: boolean): void {
		this.trusted = trusted;
	}

	/** The workspace became trusted: connect now. */
	trust(): void {
		if (this.trusted) return;
		this.trusted = true;
		this.host.log('[live] The workspace is trusted now: connecting to the fleet\'s clusters.');
		this.refresh();
	}

	/**
	 * Maps every folder's clusters to contexts and (re)starts, re-targets or stops connections to
	 * match; cheap when nothing changed. Called after each workspace scan, on trust and when a
	 * kubeconfig file changes. Runs one at a time; a call during a run runs it once more after.
	 */
	refresh(): void {
		if (this.disposed) return;
		this.refreshAgain = true;
		if (this.refreshing) return;
		this.refreshing = (async () => {
			try {
				while (this.refreshAgain && !this.disposed) {
					this.refreshAgain = false;
					try {
						await this.reconcile();
					} catch (e) {
						this.host.log(`[live] refreshing the cluster connections failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
					}
				}
			} finally {
				this.refreshing = undefined;
			}
		})();
	}

	/** Resolves when no refresh is running (tests, shutdown). */
	async settled(): Promise<void> {
		while (this.refreshing) await this.refreshing;
	}

	private async reconcile(): Promise<void> {
		const wanted = new Map<Manager, Map<string, { cluster: string; namespaces: Set<string> }>>();
		const seen = new Set<Folder>();
		for (const folder of this.host.folders()) {
			seen.add(folder);
			const settings = await this.host.settings(folder);
			const repo = await folder.repo();
			if (this.disposed) return;
			const fleet = repo.fleet ?? EMPTY_FLEET;
			const enabled = settings['live.enabled'];
			const fl: FolderLive = this.folders.get(folder) ?? { bindings: [], enabled, signatures: new Map() };
			fl.enabled = enabled;
			this.folders.set(folder, fl);
			const on = this.trusted && enabled && fleet.clusters.length > 0;
			const manager = on ? this.managerFor(kubeconfigPaths(settings['live.kubeconfig'], folder.root)) : undefined;
			if (manager && !wanted.has(manager)) {
				// Kept while a folder uses it, connected or not: its kubeconfig watch notices a context added later.
				wanted.set(manager, new Map());
				manager.live.reload(); // the kubeconfig may have changed since
			}
			const contexts = new Set(manager?.live.contexts() ?? []);
			if (manager) for (const e of manager.live.kubeconfig.errors) this.logOnce(`kubeconfig|${e}`, `[live] kubeconfig ${e}`);
			if (on) fl.objects = await this.objectsOf(folder, repo, settings, fl.objects);
			else fl.objects = undefined;
			if (this.disposed) return;
			const plan = fl.objects ? liveFetchPlan(fl.objects.index) : { kinds: [...LIVE_FETCH_KINDS], namespaces: [] };
			const namespaces = new Set([...plan.namespaces, ...namespacesOf(repo, fleet)]);
			fl.bindings = fleet.clusters.map((cluster) => {
				const found = contextFor(cluster, settings, contexts);
				const b: Binding = { cluster, context: found?.context, source: found?.source };
				if (!this.trusted) b.off = { status: 'untrusted', message: 'the workspace is not trusted: Fleetscope contacts no cluster and runs no kubeconfig credential plugin. Trust the workspace to see live state.' };
				else if (!enabled) b.off = { status: 'disabled', message: 'live cluster state is off (fleetscope.live.enabled)' };
				else if (!found) b.off = { status: 'no-context', message: noContextMessage(cluster.name) };
				else if (!contexts.has(found.context)) b.off = { status: 'no-context', message: missingContextMessage(found.context, found.source, cluster.name, manager!.live.kubeconfig.files) };
				else {
					b.manager = manager;
					const per = wanted.get(manager!)!;
					const w = per.get(found.context) ?? { cluster: cluster.name, namespaces: new Set<string>() };
					for (const ns of namespaces) w.namespaces.add(ns);
					per.set(found.context, w);
				}
				if (b.off?.status === 'no-context') this.logOnce(`${folder.uri}|${cluster.name}`, `[live] ${cluster.name}: not connected: ${b.off.message}`);
				else this.logged.delete(`${folder.uri}|${cluster.name}`);
				return b;
			});
		}
		for (const folder of [...this.folders.keys()]) if (!seen.has(folder)) this.folders.delete(folder);
		if (!this.trusted && [...this.folders.values()].some((f) => f.bindings.length > 0)) {
			this.logOnce('untrusted', '[live] The workspace is not trusted: no cluster is contacted and no kubeconfig credential plugin runs.');
		}
		await this.applyConnections(wanted);
		this.checkChanges();
		this.clustersChangedSoon();
	}

	private managerFor(paths: string[]): Manager {
		const key = JSON.stringify(paths);
		let m = this.managers.get(key);
		if (m) return m;
		const env = this.options.env ?? process.env;
		const live = new LiveClusters({
			kubeconfig: { paths, env },
			// Only ever created in a trusted workspace: the user's kubeconfig runs as kubectl would run it.
			allowExec: true,
			cacheDir: this.options.cacheDir,
			log: (line) => this.host.log(line),
		});
		const watched = kubeconfigCandidates(paths, env);
		// Polling the files (a stat every few seconds) survives editors and tools that replace them.
		for (const f of watched) watchFile(f, { persistent: false, interval: this.options.kubeconfigPollMs ?? 5000 }, (cur, prev) => cur.mtimeMs !== prev.mtimeMs && this.refresh());
		m = { key, live, watched, started: new Map() };
		live.onDidChange(() => {
			this.changedSoon();
			this.clustersChangedSoon();
		});
		this.managers.set(key, m);
		return m;
	}

	/** Starts what is wanted and not running, re-targets what changed, stops the rest. */
	private async applyConnections(wanted: Map<Manager, Map<string, { cluster: string; namespaces: Set<string> }>>): Promise<void> {
		for (const m of [...this.managers.values()]) {
			const per = wanted.get(m) ?? new Map();
			for (const context of [...m.started.keys()]) {
				if (per.has(context)) continue;
				m.started.delete(context);
				await m.live.stop(context);
			}
			for (const [context, w] of per) {
				const fingerprint = fingerprintOf(m.live, context);
				const plan = JSON.stringify([...w.namespaces].sort());
				const before = m.started.get(context);
				if (before && before.fingerprint === fingerprint && before.plan === plan) continue;
				if (before && before.fingerprint !== fingerprint) await m.live.stop(context); // its kubeconfig entry changed: connect anew
				if (this.disposed) return; // shut down meanwhile: dispose() stops what was started
				m.started.set(context, { fingerprint, plan });
				m.live.start(context, { cluster: w.cluster, kinds: [...LIVE_FETCH_KINDS], namespaces: [...w.namespaces].sort() });
			}
			if (!wanted.has(m)) {
				this.managers.delete(m.key);
				for (const f of m.watched) unwatchFile(f);
				await m.live.stopAll();
			}
		}
	}

	/** The live object index of a folder: built once from the files the folder validates, then kept current by `fileChanged`. */
	private async objectsOf(folder: Folder, repo: RepoIndex, settings: FleetscopeSettings, current: LiveObjects | undefined): Promise<LiveObjects> {
		const globs = JSON.stringify([settings.include, settings.exclude]);
		if (current && current.globs === globs) return current;
		const objects = new LiveObjects(repo, globs);
		let slice = Date.now();
		for (const rel of repo.validatedFiles(settings)) {
			if (Date.now() - slice >= SCAN_SLICE_MS) {
				await new Promise<void>((resolve) => setImmediate(resolve));
				slice = Date.now();
			}
			objects.read(rel, repo.peekText(rel) ?? (await this.readText(folder, rel, settings)));
		}
		return objects;
	}

	private async readText(folder: Folder, rel: string, settings: FleetscopeSettings): Promise<string | undefined> {
		const read = await readFileForValidation(path.join(folder.root, ...rel.split('/')), settings.maxFileSizeKb * 1024);
		return 'text' in read ? read.text : undefined;
	}

	/** A file of a folder changed or was deleted on disk: keep the object index current. */
	async fileChanged(folder: Folder, rel: string, deleted: boolean): Promise<void> {
		const fl = this.folders.get(folder);
		if (!fl?.objects || !isYamlFile(rel)) return;
		const settings = await this.host.settings(folder);
		const text = deleted || !isIncluded(rel, settings) ? undefined : await this.readText(folder, rel, settings);
		if (fl.objects.read(rel, text)) {
			this.changedSoon();
			this.refresh(); // the namespaces to fetch may have changed
		}
	}

	// ---- findings -------------------------------------------------------------------------

	/**
	 * The live findings of an analysed file of a folder: against each cluster the file reaches
	 * whose state is known. Synchronous and cheap: the state is in memory, the results are cached per
	 * document, nothing is fetched.
	 */
	findings(folder: Folder, rel: string, analysis: FileAnalysis, engine: Engine, repo: RepoContext): Finding[] {
		const fl = this.folders.get(folder);
		if (!fl?.objects || analysis.skipped || !fl.bindings.some((b) => b.manager)) return [];
		const fleet = repo.fleet ?? EMPTY_FLEET;
		const reached = clustersReached(fleet, rel);
		if (reached.size === 0) return [];
		const now = new Date();
		const targets: { target: TargetCluster; state: ClusterState }[] = [];
		for (const b of fl.bindings) {
			const state = b.manager && reached.has(b.cluster.name) ? b.manager.live.state(b.context!) : undefined;
			if (state) targets.push({ target: targetOf(b.cluster, state, fleet), state });
		}
		if (targets.length === 0) return [];
		const objects = fl.objects;
		// The age in messages is part of the key: a cached state's findings say how old it is now.
		const key = `${targets.map((t) => `${t.target.name}=${this.contentKey(t.state)}:${stateAge(t.state, now)}`).join(',')}|o${objects.version}`;
		return engine.extraFindings(analysis, repo, {
			key,
			problems: (resource, partial) => targets.flatMap((t) => liveProblems(resource, t.target, t.state, objects.index, { now, schemas: this.options.schemas, partial })),
		});
	}

	/**
	 * What the live checks can see of a state. A watched cluster makes a new state object for every
	 * event, also when only an object's status or annotations changed (Argo CD updates its
	 * Applications every few seconds), which the kept metadata does not show: equal content, equal
	 * key, so nothing is validated again. Discovery and CRDs are compared by identity (the connection
	 * keeps them until they change), the objects' metadata by a hash.
	 */
	private contentKey(state: ClusterState): string {
		let key = this.contentKeys.get(state);
		if (key !== undefined) return key;
		const id = (o: object) => {
			let n = this.objectIds.get(o);
			if (n === undefined) this.objectIds.set(o, (n = this.nextObjectId++));
			return n;
		};
		const objects = createHash('sha1').update(JSON.stringify(state.objects)).digest('base64');
		key = `${state.origin}|${state.version.gitVersion}|s${id(state.served)}|c${state.crds.map(id).join('.')}|${(state.discoveryFailed ?? []).join(',')}|${objects}`;
		this.contentKeys.set(state, key);
		return key;
	}

	// ---- re-validation when a cluster changes ---------------------------------------------------

	private changedSoon(): void {
		if (this.disposed) return;
		this.changeTimer ??= setTimeout(() => {
			this.changeTimer = undefined;
			this.checkChanges();
		}, CHANGE_DEBOUNCE_MS);
	}

	private clustersChangedSoon(): void {
		if (this.disposed) return;
		this.notifyTimer ??= setTimeout(() => {
			this.notifyTimer = undefined;
			this.host.clustersChanged();
		}, 100);
	}

	/** Re-validates the files of every cluster whose state (or binding, or the repository's objects) changed since last seen. */
	private checkChanges(): void {
		for (const [folder, fl] of this.folders) {
			const seen = new Set<string>();
			const changed: string[] = [];
			for (const b of fl.bindings) {
				const state = b.manager ? b.manager.live.state(b.context!) : undefined;
				const sig = state && fl.objects ? `${b.manager!.key}|${b.context}|${this.contentKey(state)}|o${fl.objects.version}` : '';
				seen.add(b.cluster.name);
				if ((fl.signatures.get(b.cluster.name) ?? '') !== sig) changed.push(b.cluster.name);
				if (sig) fl.signatures.set(b.cluster.name, sig);
				else fl.signatures.delete(b.cluster.name);
			}
			for (const name of [...fl.signatures.keys()]) if (!seen.has(name)) (fl.signatures.delete(name), changed.push(name));
			if (changed.length === 0) continue;
			void folder.repo().then((repo) => {
				const fleet = repo.fleet ?? EMPTY_FLEET;
				const files = new Set<string>();
				for (const name of changed) for (const rel of filesReaching(fleet, name)) files.add(rel);
				this.revalidate(folder, files);
			});
		}
	}

	private revalidate(folder: Folder, files: Set<string>): void {
		if (files.size === 0 || this.disposed) return;
		this.host.revalidateOpen(folder, files);
		const pending = this.queue.get(folder) ?? new Set<string>();
		for (const f of files) if (!this.host.isOpen(folder, f)) pending.add(f);
		if (pending.size > 0) this.queue.set(folder, pending);
		if (!this.draining) void this.drain();
	}

	/**
	 * Validates queued workspace files from disk, yielding to incoming messages every few ms. A
	 * change during a round queues the next round, after a pause as long as the round took (at most
	 * 1 s), so that a cluster whose objects change all the time cannot keep the CPU busy.
	 */
	private async drain(): Promise<void> {
		this.draining = true;
		try {
			while (this.queue.size > 0 && !this.disposed) {
				const [folder, files] = this.queue.entries().next().value as [Folder, Set<string>];
				this.queue.delete(folder);
				const started = Date.now();
				let slice = started;
				for (const rel of files) {
					if (Date.now() - slice >= SCAN_SLICE_MS) {
						await new Promise<void>((resolve) => setImmediate(resolve));
						slice = Date.now();
					}
					if (this.disposed || !this.host.folders().includes(folder)) break;
					if (!this.host.isOpen(folder, rel)) await this.host.validateWorkspaceFile(folder, rel);
				}
				if (this.queue.size > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, Date.now() - started)));
			}
		} finally {
			this.draining = false;
		}
	}

	// ---- statuses ---------------------------------------------------------------------------

	/** One entry per cluster of each folder's fleet (see `fleetscope/clusters`). */
	async clusters(folderUri?: string): Promise<ClustersResult> {
		const out: ClusterInfo[] = [];
		for (const [folder, fl] of this.folders) {
			if (folderUri && folder.uri !== folderUri) continue;
			const fleet = (await folder.repo()).fleet ?? EMPTY_FLEET;
			for (const b of fl.bindings) {
				const base = {
					folderUri: folder.uri,
					cluster: b.cluster.name,
					...(b.cluster.environment ? { environment: b.cluster.environment } : {}),
					production: isProductionEnvironment(fleet, b.cluster.environment),
					...(b.context ? { context: b.context, contextSource: b.source } : {}),
					files: filesReaching(fleet, b.cluster.name).size,
				};
				const status = b.manager?.live.status(b.context!);
				if (b.off || !status) {
					out.push({ ...base, status: b.off?.status ?? 'connecting', message: b.off?.message ?? 'starting' });
					continue;
				}
				const state = b.manager!.live.state(b.context!);
				out.push({
					...base,
					status: status.status,
					message: status.message,
					since: status.since,
					...(status.lastSuccess ? { lastSuccess: status.lastSuccess } : {}),
					...(state ? { kubernetesVersion: state.version.gitVersion, stateOrigin: state.origin, fetchedAt: state.fetchedAt } : {}),
					...(status.forbidden ? { forbidden: status.forbidden } : {}),
					...(status.auth ? { auth: status.auth } : {}),
				});
			}
		}
		const live: ClustersResult['live'] = !this.trusted ? 'untrusted' : this.folders.size > 0 && [...this.folders.values()].every((f) => !f.enabled) ? 'disabled' : 'on';
		return { live, clusters: out };
	}

	private logOnce(key: string, line: string): void {
		if (this.logged.get(key) === line) return;
		this.logged.set(key, line);
		this.host.log(line);
	}

	/** Stops every connection (their states are written to the cache) and every kubeconfig watch. */
	async dispose(): Promise<void> {
		// A refresh still running stops at its next step (it may be waiting for the client, which is shutting down).
		this.disposed = true;
		clearTimeout(this.changeTimer);
		clearTimeout(this.notifyTimer);
		for (const m of this.managers.values()) for (const f of m.watched) unwatchFile(f);
		await Promise.all([...this.managers.values()].map((m) => m.live.stopAll()));
		this.managers.clear();
	}
}

/** Identifies what a connection was started with: its context's cluster and user entries (a hash, never the credentials). */
function fingerprintOf(live: LiveClusters, context: string): string {
	const kc = live.kubeconfig.config;
	const ctx = kc.getContextObject(context);
	const entries = [ctx, ctx ? kc.getCluster(ctx.cluster) : null, ctx?.user ? kc.getUser(ctx.user) : null];
	return createHash('sha256').update(JSON.stringify(entries)).digest('hex');
}

/** Namespaces the repository deploys to that the live index does not see: declared Namespaces and sync target namespaces. */
function namespacesOf(repo: RepoIndex, fleet: FleetModel): string[] {
	const out = new Set<string>();
	for (const o of repo.objects.ofKind('Namespace')) if (o.name) out.add(o.name);
	for (const c of fleet.clusters) for (const s of c.syncs) if (s.targetNamespace) out.add(s.targetNamespace);
	return [...out];
}

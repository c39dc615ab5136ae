import { createHash } from 'node:crypto';
import { unwatchFile, watchFile } from 'node:fs';
import type { ClusterInfo, ClustersResult } from '../../../shared/protocol';
import type { FleetscopeSettings } from '../../../shared/settings';
import { isIncluded, isYamlFile } from '../engine/core/paths';
import { RepoObjects } from '../engine/context/repo-objects';
import { EMPTY_FLEET, isProductionEnvironment, type FleetCluster, type FleetModel } from '../engine/fleet/types';
import { LIVE_FETCH_KINDS, liveFetchPlan } from '../engine/live/plan';
import type { ClusterState } from '../engine/live/state';
import { liveObjectsOfText } from '../engine/live/repo-objects';
import { InstalledSchemas } from '../engine/rules/live/crd-schema';
import type { LiveSchemas } from '../engine/schema/types';
import { LiveClusters } from '../host/live/manager';
import { readFileForValidation } from '../host/node-fs';
import type { ConnectedCluster } from './drift';
import type { Folder } from './folder';
import { contextFor, kubeconfigCandidates, kubeconfigPaths, missingContextMessage, noContextMessage, type ContextSource, type Off } from './live-bindings';
import { filesReaching, liveView, StateKeys, targetOf, type LiveCluster } from './live-view';

/**
 * Live cluster state in the editor. After a workspace scan (static diagnostics are out by then),
 * `refresh` maps each folder's fleet clusters to kubeconfig contexts and starts one watched
 * connection per context (`LiveClusters`); when a cluster's state changes (first fetch, cache loaded,
 * watch event), the folder gets a new live view (its snapshot's `live`) and the host is told which
 * files reach the clusters that changed. Live findings are computed by the engine from the states
 * in memory and cached per YAML document: a keystroke never reaches a cluster. In an untrusted
 * workspace nothing here runs: no kubeconfig is read, no cluster contacted, no credential plugin started.
 */

export interface LiveHost {
	folders(): readonly Folder[];
	settings(folder: Folder): Promise<FleetscopeSettings>;
	/** The live view of these files of the folder changed: validate them again. */
	changed(folder: Folder, files: ReadonlySet<string>): void;
	log(line: string): void;
	/** A cluster's status or state changed (`fleetscope/clustersChanged`). */
	clustersChanged(): void;
	/** The clusters' connections were reconciled (what reads more of them follows: drift). */
	reconciled(): void;
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
	/** Whether the user disconnected a cluster of a folder for this session (it is then not connected). */
	paused?(folderUri: string, cluster: string): boolean;
}

/** One cluster of a folder's fleet and how it is reached. */
interface Binding {
	cluster: FleetCluster;
	context?: string;
	source?: ContextSource;
	/** The connection manager it uses, when it is connected. */
	manager?: Manager;
	off?: Off;
	/** Its state as the live checks last saw it. */
	live?: LiveCluster;
}

interface FolderLive {
	bindings: Binding[];
	enabled: boolean;
	objects?: LiveObjects;
	/** Per cluster: what its live findings depend on, as last seen (see `checkChanges`). */
	signatures: Map<string, string>;
	/** `fleetscope.kubernetesVersion`: the version the static checks judge a cluster at that declares none. */
	kubernetesVersion?: string;
}

/** The repository's objects the live checks look up, kept current as files change on disk. */
class LiveObjects {
	readonly index: RepoObjects;
	version = 0;

	constructor(
		folder: Folder,
		/** The include/exclude globs it was built with. */
		readonly globs: string,
	) {
		this.index = new RepoObjects((p) => folder.snapshot.isPatchFile(p), liveObjectsOfText);
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

export class LiveConnections {
	private trusted: boolean;
	private readonly folders = new Map<Folder, FolderLive>();
	private readonly managers = new Map<string, Manager>();
	private readonly keys = new StateKeys();
	private readonly schemas?: InstalledSchemas;
	private refreshing?: Promise<void>;
	private refreshAgain = false;
	private disposed = false;
	private changeTimer?: NodeJS.Timeout;
	private notifyTimer?: NodeJS.Timeout;
	/** Lines already logged for clusters that are not connected (each said once). */
	private readonly logged = new Map<string, string>();

	constructor(
		private readonly host: LiveHost,
		private readonly options: LiveServiceOptions,
	) {
		this.trusted = options.trusted;
		if (options.schemas) this.schemas = new InstalledSchemas(options.schemas);
	}

	/** Whether the workspace is trusted: nothing reaches a cluster, git or a hosting API otherwise. */
	get isTrusted(): boolean {
		return this.trusted;
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
			await folder.ready();
			if (this.disposed) return;
			const repo = folder.snapshot;
			const fleet = repo.fleet ?? EMPTY_FLEET;
			const enabled = settings['live.enabled'];
			const fl: FolderLive = this.folders.get(folder) ?? { bindings: [], enabled, signatures: new Map() };
			fl.enabled = enabled;
			fl.kubernetesVersion = settings.kubernetesVersion;
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
			if (on) fl.objects = await this.objectsOf(folder, settings, fl.objects);
			else fl.objects = undefined;
			if (this.disposed) return;
			const plan = fl.objects ? liveFetchPlan(fl.objects.index) : { kinds: [...LIVE_FETCH_KINDS], namespaces: [] };
			const namespaces = new Set([...plan.namespaces, ...namespacesOf(repo.objects.ofKind('Namespace'), fleet)]);
			fl.bindings = fleet.clusters.map((cluster) => {
				const found = contextFor(cluster, settings, contexts);
				const b: Binding = { cluster, context: found?.context, source: found?.source };
				if (!this.trusted) b.off = { status: 'untrusted', message: 'the workspace is not trusted: Fleetscope contacts no cluster and runs no kubeconfig credential plugin. Trust the workspace to see live state.' };
				else if (!enabled) b.off = { status: 'disabled', message: 'live cluster state is off (fleetscope.live.enabled)' };
				else if (!found) b.off = { status: 'no-context', message: noContextMessage(cluster.name) };
				else if (!contexts.has(found.context)) b.off = { status: 'no-context', message: missingContextMessage(found.context, found.source, cluster.name, manager!.live.kubeconfig.files) };
				else if (this.options.paused?.(folder.uri, cluster.name)) b.off = { status: 'stopped', message: 'disconnected for this session: Fleetscope: Connect Cluster connects it again' };
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
		this.host.reconciled();
	}

	/** The clusters of a folder with a running connection: their contexts and the kubeconfig that reaches them. */
	connected(folder: Folder): (ConnectedCluster & { state?: ClusterState })[] {
		const fl = this.folders.get(folder);
		if (!fl || !this.trusted) return [];
		return fl.bindings.flatMap((b) => (b.manager && b.context ? [{ cluster: b.cluster.name, context: b.context, kubeconfig: b.manager.live.kubeconfig.config, state: b.manager.live.state(b.context) }] : []));
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
	private async objectsOf(folder: Folder, settings: FleetscopeSettings, current: LiveObjects | undefined): Promise<LiveObjects> {
		const globs = JSON.stringify([settings.include, settings.exclude]);
		if (current && current.globs === globs) return current;
		const objects = new LiveObjects(folder, globs);
		let slice = Date.now();
		for (const rel of folder.snapshot.validatedFiles(settings)) {
			if (Date.now() - slice >= SCAN_SLICE_MS) {
				await new Promise<void>((resolve) => setImmediate(resolve));
				slice = Date.now();
			}
			objects.read(rel, folder.peekText(rel) ?? (await this.readText(folder, rel, settings)));
		}
		return objects;
	}

	private async readText(folder: Folder, rel: string, settings: FleetscopeSettings): Promise<string | undefined> {
		const read = await readFileForValidation(folder.fileOf(rel), settings.maxFileSizeKb * 1024);
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

	/**
	 * Gives each folder whose clusters' states (or bindings, or the repository's objects) changed since
	 * last seen a new live view, and tells the host which files reach the clusters that changed.
	 */
	private checkChanges(): void {
		for (const [folder, fl] of this.folders) {
			const seen = new Set<string>();
			const changed: string[] = [];
			const fleet = folder.snapshot.fleet ?? EMPTY_FLEET;
			const clusters: LiveCluster[] = [];
			for (const b of fl.bindings) {
				const state = b.manager && fl.objects ? b.manager.live.state(b.context!) : undefined;
				b.live = state ? this.keys.cluster(targetOf(b.cluster, state, fleet), state, b.live) : undefined;
				if (b.live) clusters.push(b.live);
				// The declared and default versions too: the live `schema-version` check judges against them.
				const sig = b.live ? `${b.manager!.key}|${b.context}|${b.live.key}|o${fl.objects!.version}|d${b.cluster.kubernetesVersion ?? ''}|k${fl.kubernetesVersion ?? ''}` : '';
				seen.add(b.cluster.name);
				if ((fl.signatures.get(b.cluster.name) ?? '') !== sig) changed.push(b.cluster.name);
				if (sig) fl.signatures.set(b.cluster.name, sig);
				else fl.signatures.delete(b.cluster.name);
			}
			for (const name of [...fl.signatures.keys()]) if (!seen.has(name)) (fl.signatures.delete(name), changed.push(name));
			if (changed.length === 0) continue;
			folder.setLive(fl.objects ? liveView(clusters, fleet, fl.objects.index, fl.objects.version, { schemas: this.schemas, kubernetesVersion: fl.kubernetesVersion }) : undefined);
			const files = new Set<string>();
			for (const name of changed) for (const rel of filesReaching(fleet, name)) files.add(rel);
			if (files.size > 0 && !this.disposed) this.host.changed(folder, files);
		}
	}

	// ---- statuses ---------------------------------------------------------------------------

	/** One entry per cluster of each folder's fleet (see `fleetscope/clusters`). */
	async clusters(folderUri?: string): Promise<ClustersResult> {
		const out: ClusterInfo[] = [];
		for (const [folder, fl] of this.folders) {
			if (folderUri && folder.uri !== folderUri) continue;
			const fleet = folder.snapshot.fleet ?? EMPTY_FLEET;
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
function namespacesOf(declared: readonly { name?: string }[], fleet: FleetModel): string[] {
	const out = new Set<string>();
	for (const o of declared) if (o.name) out.add(o.name);
	for (const c of fleet.clusters) for (const s of c.syncs) if (s.targetNamespace) out.add(s.targetNamespace);
	return [...out];
}

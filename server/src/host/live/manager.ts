import { StateCache, defaultCacheDir } from './cache';
import { loadKubeconfig, type KubeconfigSource, type LoadedKubeconfig } from './kubeconfig';
import { Redactor } from './redact';
import { readSnapshot } from './snapshot';
import { ClusterConnection, type KindRequest, type StateChange } from './source';
import type { ClusterStatus } from './status';
import type { ClusterState } from '../../engine/live/state';

/**
 * The live clusters of one host process (the language server, or a CLI run): one connection per
 * kubeconfig context, plus snapshot directories as clusters. This is the API the LSP calls:
 *
 *   const live = new LiveClusters({ allowExec: workspaceTrusted, log: (l) => connection.console.log(l) });
 *   live.start('arn:aws:eks:...:cluster/prod-us-east-1', { cluster: 'prod-us-east-1', kinds, namespaces });
 *   live.onDidChange((c) => revalidateFilesReaching(c.context));   // state or status changed
 *   live.state(context); live.status(context); live.statuses();
 *   await live.stopAll();                                           // on shutdown / trust change
 */

export interface LiveClustersOptions {
	/** Kubeconfig files; default KUBECONFIG, else ~/.kube/config. */
	kubeconfig?: KubeconfigSource;
	/** False in an untrusted workspace: exec plugins and auth providers are refused, not run. */
	allowExec: boolean;
	/** The state cache directory; default under the OS cache dir; false: no disk cache. */
	cacheDir?: string | false;
	timeoutMs?: number;
	backoff?: { initialMs?: number; maxMs?: number };
	watchTimeoutSeconds?: number;
	/** One line per status change of a cluster, credentials redacted. */
	log?: (line: string) => void;
	clock?: () => Date;
}

export interface StartOptions {
	/** The cluster's name in diagnostics (the fleet's name for it); default: the context. */
	cluster?: string;
	/** Kinds whose objects the repository's files reference or deploy (Secrets are fetched as metadata only). */
	kinds?: KindRequest[];
	/** Namespaces the repository deploys to: listed one by one where a cluster-wide list is forbidden. */
	namespaces?: string[];
	/** Keep watching (default true); false fetches once. */
	watch?: boolean;
}

export class LiveClusters {
	private loaded?: LoadedKubeconfig;
	private readonly connections = new Map<string, ClusterConnection>();
	private readonly snapshots = new Map<string, { state: ClusterState; status: ClusterStatus }>();
	private readonly listeners = new Set<(c: StateChange) => void>();
	private readonly redactor = new Redactor();
	readonly cache?: StateCache;

	constructor(private readonly options: LiveClustersOptions) {
		const dir = options.cacheDir === undefined ? defaultCacheDir() : options.cacheDir;
		if (dir !== false) this.cache = new StateCache(dir);
	}

	/** The merged kubeconfig, read on first use (activation does no I/O); `reload()` reads it again. */
	get kubeconfig(): LoadedKubeconfig {
		this.loaded ??= loadKubeconfig(this.options.kubeconfig);
		return this.loaded;
	}

	reload(): void {
		this.loaded = undefined;
	}

	/** The context names of the kubeconfig. */
	contexts(): string[] {
		return this.kubeconfig.config.contexts.map((c) => c.name);
	}

	/** Starts (or re-targets) the connection of one context; the state comes through `onDidChange`. */
	start(context: string, options: StartOptions = {}): ClusterConnection {
		const existing = this.connections.get(context);
		if (existing) {
			existing.setKinds(options.kinds ?? [], options.namespaces);
			return existing;
		}
		const c = this.connection(context, options);
		this.connections.set(context, c);
		c.onChange((change) => this.emit(change));
		c.start();
		return c;
	}

	/** Fetches one context once (no watch): live state, else cached; for the CLI. */
	async fetchOnce(context: string, options: StartOptions = {}): Promise<StateChange> {
		return this.connection(context, { ...options, watch: false }).fetchOnce();
	}

	private connection(context: string, options: StartOptions): ClusterConnection {
		return new ClusterConnection({
			context,
			cluster: options.cluster,
			kubeconfig: this.kubeconfig.config,
			allowExec: this.options.allowExec,
			kinds: options.kinds,
			namespaces: options.namespaces,
			cache: this.cache,
			timeoutMs: this.options.timeoutMs,
			watch: options.watch,
			backoff: this.options.backoff,
			watchTimeoutSeconds: this.options.watchTimeoutSeconds,
			log: this.options.log,
			redactor: this.redactor,
			clock: this.options.clock,
		});
	}

	async stop(context: string): Promise<void> {
		const c = this.connections.get(context);
		if (!c) return;
		this.connections.delete(context);
		await c.stop();
		this.emit({ context, state: undefined, status: c.status });
	}

	async stopAll(): Promise<void> {
		await Promise.all([...this.connections.keys()].map((c) => this.stop(c)));
	}

	/** Adds a snapshot directory as a cluster (key: `snapshot:DIR`). Throws SnapshotError. */
	addSnapshot(dir: string, cluster?: string): { key: string; state: ClusterState; warnings: string[] } {
		const { state, warnings } = readSnapshot(dir, cluster);
		const key = `snapshot:${dir}`;
		const status: ClusterStatus = { context: key, cluster: state.cluster, status: 'snapshot', message: `snapshot ${dir} (Kubernetes ${state.version.gitVersion}, taken ${state.fetchedAt})`, since: new Date().toISOString(), lastSuccess: state.fetchedAt };
		this.snapshots.set(key, { state, status });
		this.emit({ context: key, state, status });
		return { key, state, warnings };
	}

	state(context: string): ClusterState | undefined {
		return this.connections.get(context)?.state ?? this.snapshots.get(context)?.state;
	}

	status(context: string): ClusterStatus | undefined {
		return this.connections.get(context)?.status ?? this.snapshots.get(context)?.status;
	}

	statuses(): ClusterStatus[] {
		return [...[...this.connections.values()].map((c) => c.status), ...[...this.snapshots.values()].map((s) => s.status)];
	}

	/** Called with the new state and status of a cluster whenever either changes. */
	onDidChange(listener: (c: StateChange) => void): { dispose(): void } {
		this.listeners.add(listener);
		return { dispose: () => this.listeners.delete(listener) };
	}

	private emit(change: StateChange): void {
		for (const l of [...this.listeners]) {
			try {
				l(change);
			} catch {
				/* a subscriber's bug must not stop the others */
			}
		}
	}
}

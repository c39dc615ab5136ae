import type { KubeConfig } from '@kubernetes/client-node';
import { stateAge, type ClusterState } from '../../engine/live/state';
import type { StateCache } from './cache';
import { KubeClient, METADATA_OBJECT, type WatchHandle } from './client';
import { ClusterModel, CRD_PATH, pathOf, type KindRequest, type Scope } from './cluster-model';
import { KubeRequestError, type FailureKind } from './errors';
import { authMethod, forContext } from './kubeconfig';
import { Redactor } from './redact';
import { retryable, type ClusterStatus, type ClusterStatusKind } from './status';

/**
 * The live state of ONE cluster through one kubeconfig context: fetched (version, discovery, CRDs,
 * metadata of the kinds asked for), then kept current with watches. A dropped watch resumes from
 * its last resourceVersion, a 410 Gone re-lists that kind, a failure of the cluster backs off with
 * jitter and re-syncs by itself when the server is back. Until the first fetch, and whenever the
 * cluster cannot be reached, the last state seen (memory, else the disk cache) is served, marked
 * `cached`. Subscribers get the state and ONE status; the log gets one line per status change.
 */

export type { KindRequest } from './cluster-model';

export interface ConnectionOptions {
	context: string;
	/** The name the state and messages use (the fleet's cluster name); default: the context. */
	cluster?: string;
	kubeconfig: KubeConfig;
	/** False in an untrusted workspace: exec plugins and auth providers are refused, not run. */
	allowExec: boolean;
	/** The kinds whose objects' metadata to fetch (Namespaces always are). */
	kinds?: KindRequest[];
	/** Where listing a kind cluster-wide is forbidden, these namespaces are listed one by one instead. */
	namespaces?: string[];
	cache?: StateCache;
	/** Per-request timeout (default 10 s). */
	timeoutMs?: number;
	/** Keep the state current with watches (default true). False: fetch once. */
	watch?: boolean;
	backoff?: { initialMs?: number; maxMs?: number };
	/** Server-side watch timeout; the watch is renewed from its resourceVersion after it (default 240–300 s). */
	watchTimeoutSeconds?: number;
	log?: (line: string) => void;
	redactor?: Redactor;
	clock?: () => Date;
	random?: () => number;
}

export interface StateChange {
	context: string;
	state?: ClusterState;
	status: ClusterStatus;
}

/** Thrown inside the sync loop to start over at once (a CRD the watch set depends on changed). */
class Resync extends Error {}

export class ClusterConnection {
	private readonly redactor: Redactor;
	private readonly clock: () => Date;
	private readonly random: () => number;
	private readonly listeners = new Set<(c: StateChange) => void>();
	private client?: KubeClient;
	private currentState?: ClusterState;
	private currentStatus: ClusterStatus;
	private stopped = true;
	private running?: Promise<void>;
	private handles = new Set<WatchHandle>();
	private wake?: () => void;
	private emitTimer?: NodeJS.Timeout;
	private saveTimer?: NodeJS.Timeout;
	private failures = 0;
	/** Bumped at every sync: watch loops of an earlier sync end by themselves. */
	private generation = 0;
	private resyncTimer?: NodeJS.Timeout;
	private pendingResync?: (e: Error) => void;
	/** The live model, mutated by lists and watch events, frozen into `currentState` on emit. */
	private model = new ClusterModel();
	private lastSuccess?: string;

	constructor(private options: ConnectionOptions) {
		this.redactor = options.redactor ?? new Redactor();
		this.clock = options.clock ?? (() => new Date());
		this.random = options.random ?? Math.random;
		this.currentStatus = this.makeStatus('stopped', 'not started');
	}

	get context(): string {
		return this.options.context;
	}

	get cluster(): string {
		return this.options.cluster ?? this.options.context;
	}

	get state(): ClusterState | undefined {
		return this.currentState;
	}

	get status(): ClusterStatus {
		return this.currentStatus;
	}

	onChange(listener: (c: StateChange) => void): { dispose(): void } {
		this.listeners.add(listener);
		return { dispose: () => this.listeners.delete(listener) };
	}

	/** Changes the kinds and namespaces to fetch; a running connection re-syncs. */
	setKinds(kinds: KindRequest[], namespaces?: string[]): void {
		this.options = { ...this.options, kinds, namespaces };
		if (!this.stopped) this.restartLoop();
	}

	/** Starts fetching and watching in the background (idempotent). */
	start(): void {
		if (!this.stopped) return;
		this.stopped = false;
		this.loadCache();
		this.running = this.loop();
	}

	async stop(): Promise<void> {
		if (this.stopped) return;
		this.stopped = true;
		this.restartLoop();
		await this.running;
		clearTimeout(this.resyncTimer);
		clearTimeout(this.saveTimer);
		clearTimeout(this.emitTimer);
		this.flushCache();
		this.client?.dispose();
		this.client = undefined;
		this.setStatus(this.makeStatus('stopped', 'stopped'));
	}

	/** Fetches once, without watching (the CLI): the live state, else the cached one, and the status. */
	async fetchOnce(): Promise<StateChange> {
		this.loadCache();
		const client = this.ensureClient();
		if (client) {
			try {
				await this.sync(client, false);
				this.emitNow();
				this.flushCache();
			} catch (e) {
				this.failed(e, undefined);
			}
		}
		this.client?.dispose();
		return { context: this.context, state: this.currentState, status: this.currentStatus };
	}

	private makeStatus(status: ClusterStatusKind, message: string, extra: Partial<ClusterStatus> = {}): ClusterStatus {
		const auth = this.client?.authMethod ?? authMethod(forContext(this.options.kubeconfig, this.options.context)?.getCurrentUser());
		return { context: this.context, cluster: this.cluster, status, message: this.redactor.redact(message), since: this.clock().toISOString(), ...(this.lastSuccess ? { lastSuccess: this.lastSuccess } : {}), auth, ...extra };
	}

	/** Sets the status; true when it changed (subscribers were told). */
	private setStatus(s: ClusterStatus): boolean {
		const prev = this.currentStatus;
		if (prev.status === s.status && prev.reason === s.reason && prev.message === s.message && JSON.stringify(prev.forbidden) === JSON.stringify(s.forbidden)) return false;
		// Keep the start of a status that goes on (retries) so "since" means since when.
		this.currentStatus = prev.status === s.status && prev.reason === s.reason ? { ...s, since: prev.since } : s;
		if (prev.status !== s.status || prev.reason !== s.reason) this.options.log?.(this.redactor.redact(`[live] ${this.cluster}: ${s.status}${s.reason ? ` (${s.reason})` : ''}: ${s.message}`));
		this.notify();
		return true;
	}

	private notify(): void {
		const change: StateChange = { context: this.context, state: this.currentState, status: this.currentStatus };
		for (const l of [...this.listeners]) {
			try {
				l(change);
			} catch {
				/* a subscriber's bug must not stop the connection */
			}
		}
	}

	private loadCache(): void {
		if (this.currentState || !this.options.cache) return;
		const cached = this.options.cache.load(this.context);
		if (cached) {
			this.currentState = { ...cached, cluster: this.cluster, origin: 'cache' };
			this.lastSuccess = cached.fetchedAt;
		}
	}

	private flushCache(): void {
		clearTimeout(this.saveTimer);
		this.saveTimer = undefined;
		if (this.options.cache && this.currentState && this.currentState.origin === 'live') {
			try {
				this.options.cache.save(this.currentState);
			} catch (e) {
				this.options.log?.(`[live] ${this.cluster}: could not write the state cache (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
			}
		}
	}

	private ensureClient(): KubeClient | undefined {
		if (this.client) return this.client;
		const kc = forContext(this.options.kubeconfig, this.context);
		if (!kc) {
			this.setStatus(this.withState('config-error', `the kubeconfig has no context "${this.context}"`));
			return undefined;
		}
		this.client = new KubeClient(kc, { timeoutMs: this.options.timeoutMs ?? 10_000, allowExec: this.options.allowExec, redactor: this.redactor });
		return this.client;
	}

	/** The status for a failure: `cached` when a state is still there to use, else the failure itself. */
	private withState(kind: FailureKind | 'config-error', full: string, extra: Partial<ClusterStatus> = {}, tail = ''): ClusterStatus {
		const message = tail || this.currentState ? full.replace(/\.$/, '') : full;
		if (this.currentState) {
			const age = stateAge(this.currentState.origin === 'live' ? { ...this.currentState, origin: 'cache' } : this.currentState, this.clock());
			return this.makeStatus('cached', `${message}; using the last state seen (${age})${tail}`, { reason: kind, ...extra });
		}
		const status: ClusterStatusKind = kind === 'not-found' || kind === 'gone' || kind === 'http' ? 'unreachable' : kind;
		return this.makeStatus(status, `${message}${tail}`, { reason: kind, ...extra });
	}

	/** Ends the current watches and starts over with a fresh sync (kinds changed, a CRD appeared, stop). */
	private restartLoop(): void {
		this.generation++;
		this.abortWatches();
		this.wake?.();
		this.pendingResync?.(new Resync());
	}

	private abortWatches(): void {
		for (const h of this.handles) h.abort();
		this.handles.clear();
	}

	private backoffMs(): number {
		const initial = this.options.backoff?.initialMs ?? 1000;
		const max = this.options.backoff?.maxMs ?? 60_000;
		const base = Math.min(max, initial * 2 ** Math.min(this.failures - 1, 20));
		// Full jitter in the upper half: clusters that failed together do not retry together.
		return Math.round(base / 2 + (this.random() * base) / 2);
	}

	private sleep(ms: number): Promise<void> {
		return new Promise((resolve) => {
			const t = setTimeout(done, ms);
			function done() {
				clearTimeout(t);
				resolve();
			}
			this.wake = done;
		});
	}

	private async loop(): Promise<void> {
		if (!this.currentState) this.setStatus(this.makeStatus('connecting', `connecting to ${forContext(this.options.kubeconfig, this.context)?.getCurrentCluster()?.server ?? 'the cluster'}`));
		else this.notify();
		while (!this.stopped) {
			const client = this.ensureClient();
			if (!client) return;
			try {
				this.generation++;
				await this.sync(client, true);
				this.failures = 0;
				this.emitNow();
				this.flushCache();
				if (this.options.watch === false || this.stopped) return;
				await this.watchAll(client);
			} catch (e) {
				this.generation++;
				this.abortWatches();
				if (this.stopped) return;
				if (e instanceof Resync) continue;
				this.failures++;
				const delay = this.backoffMs();
				const kind = this.failed(e, delay);
				if (!retryable(kind)) return;
				await this.sleep(delay);
			}
		}
	}

	/** Records a failure: the state turns `cached`, the status says why (and when the next try is). */
	private failed(e: unknown, retryInMs: number | undefined): FailureKind | 'config-error' {
		const err = e instanceof KubeRequestError ? e : new KubeRequestError('http', e instanceof Error ? e.message : String(e));
		if (this.currentState?.origin === 'live') {
			this.currentState = { ...this.currentState, origin: 'cache' };
		}
		const retry = retryInMs !== undefined && retryable(err.kind) ? `; retrying in ${Math.max(1, Math.round(retryInMs / 1000))} s` : '';
		const nextRetry = retryInMs !== undefined && retryable(err.kind) ? new Date(this.clock().getTime() + retryInMs).toISOString() : undefined;
		if (!this.setStatus(this.withState(err.kind, err.message, nextRetry ? { nextRetry } : {}, retry))) this.notify();
		return err.kind;
	}

	/** Version, discovery, CRDs and the lists of every scope; the status says what could not be listed. */
	private async sync(client: KubeClient, watching: boolean): Promise<void> {
		const notListed = await this.model.fetch(client, this.options.kinds ?? [], this.options.namespaces ?? []);
		this.lastSuccess = this.clock().toISOString();
		this.currentState = this.freeze();
		const gitVersion = this.model.version?.gitVersion ?? '';
		if (notListed.length > 0) {
			this.setStatus(this.makeStatus('forbidden-partial', `connected (Kubernetes ${gitVersion}), but not allowed to list ${notListed.join(', ')}: references to them are not checked`, { forbidden: this.model.forbiddenKeys() }));
		} else {
			this.setStatus(this.makeStatus('connected', `connected (Kubernetes ${gitVersion})${watching && this.options.watch !== false ? ', watching' : ''}`));
		}
	}

	private freeze(): ClusterState {
		return this.model.freeze(this.cluster, this.context, this.lastSuccess ?? this.clock().toISOString());
	}

	private emitSoon(): void {
		// Events come in bursts (a sync of many objects): one new state per burst, well within the 2 s target.
		this.emitTimer ??= setTimeout(() => {
			this.emitTimer = undefined;
			this.emitNow();
		}, 50);
	}

	private emitNow(): void {
		clearTimeout(this.emitTimer);
		this.emitTimer = undefined;
		if (!this.model.version) return;
		this.currentState = this.freeze();
		this.notify();
		if (this.options.cache) this.saveTimer ??= setTimeout(() => this.flushCache(), 5000);
	}

	/** Watches every scope and the CRDs until one fails in a way the loop must handle (rejects). */
	private watchAll(client: KubeClient): Promise<never> {
		const gen = this.generation;
		return new Promise<never>((_, reject) => {
			const fail = (e: unknown) => reject(e);
			this.pendingResync = fail;
			// Stopped or re-targeted while the sync ran: start over (or end) at once.
			if (this.stopped || gen !== this.generation) return fail(new Resync());
			for (const s of this.model.scopes) this.watchScope(client, s).catch(fail);
			const gitops = this.model.gitops;
			for (const s of gitops.scopes()) {
				const onEvent = (type: string, object: Record<string, unknown>) => {
					if (gitops.event(s, type, object)) this.changed();
				};
				this.watchLoop(client, s.path, 'application/json', () => s.rv, onEvent, () => gitops.relist(client, s)).catch(fail);
			}
			if (this.model.crdRv !== 'forbidden') this.watchCrds(client).catch(fail);
		});
	}

	private watchTimeout(): string {
		return String(this.options.watchTimeoutSeconds ?? 240 + Math.floor(this.random() * 60));
	}

	private async watchLoop(client: KubeClient, path: string, accept: string, getRv: () => string, onEvent: (type: string, object: Record<string, unknown>) => void, relist: () => Promise<void>): Promise<void> {
		let quick = 0;
		const gen = this.generation;
		while (!this.stopped && gen === this.generation) {
			const started = Date.now();
			const timeout = this.watchTimeout();
			const handle = client.watch(path, { resourceVersion: getRv(), allowWatchBookmarks: 'true', timeoutSeconds: timeout }, accept, (e) => onEvent(e.type, e.object), (Number(timeout) + 30) * 1000);
			this.handles.add(handle);
			const end = await handle.done;
			this.handles.delete(handle);
			if (this.stopped || end.reason === 'aborted' || gen !== this.generation) return;
			if (end.reason === 'gone') {
				await relist();
				this.emitSoon();
				continue;
			}
			// Allowed to list but not to watch: the kind is refreshed at each re-sync only.
			if (end.reason === 'error' && end.error.kind === 'forbidden') return;
			if (end.reason === 'error') throw end.error;
			// Closed by the server (timeout, restart, a proxy cutting it): resume from the last resourceVersion.
			if (Date.now() - started < 1000) {
				quick++;
				await new Promise((r) => setTimeout(r, Math.min(30_000, 100 * 2 ** quick) * (0.5 + this.random() / 2)));
				// A server that is gone answers the next watch with a connection error, which the loop above handles.
			} else quick = 0;
		}
	}

	/** A watch event changed the model: a new state soon. */
	private changed(): void {
		this.lastSuccess = this.clock().toISOString();
		this.emitSoon();
	}

	private watchScope(client: KubeClient, s: Scope): Promise<void> {
		return this.watchLoop(
			client,
			pathOf(s),
			METADATA_OBJECT,
			() => s.rv,
			(type, object) => {
				if (this.model.scopeEvent(s, type, object)) this.changed();
			},
			() => this.model.list(client, s),
		);
	}

	private watchCrds(client: KubeClient): Promise<void> {
		return this.watchLoop(
			client,
			CRD_PATH,
			'application/json',
			() => this.model.crdRv,
			(type, object) => {
				const c = this.model.crdEvent(type, object);
				if (!c) return;
				this.changed();
				// A kind the repo deploys appeared or went away: its objects need a list and a watch of their own.
				if ((this.options.kinds ?? []).some((k) => k.group === c.group && k.kind === c.kind)) {
					const listed = this.model.scopes.some((s) => s.group === c.group && s.kind === c.kind);
					if (listed === (type === 'DELETED')) this.restartLoopSoon();
				}
			},
			async () => this.model.listCrds(client),
		);
	}

	private restartLoopSoon(): void {
		this.resyncTimer ??= setTimeout(() => {
			this.resyncTimer = undefined;
			this.restartLoop();
		}, 200);
	}
}

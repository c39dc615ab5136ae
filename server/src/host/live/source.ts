import type { KubeConfig } from '@kubernetes/client-node';
import { crdStateOf, metaOf } from '../../engine/live/sanitize';
import { kindKey, STATE_FORMAT_VERSION, stateAge, type ClusterState, type CrdState, type KindObjects, type ObjectMetaState, type ServedKind } from '../../engine/live/state';
import type { StateCache } from './cache';
import { KubeClient, METADATA_LIST, METADATA_OBJECT, type WatchHandle } from './client';
import { KubeRequestError, type FailureKind } from './errors';
import { GitOpsScopes } from './gitops-scopes';
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

export interface KindRequest {
	/** API group, '' for core. */
	group: string;
	kind: string;
}

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

const NAMESPACE: KindRequest = { group: '', kind: 'Namespace' };
const CRD_PATH = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
const PAGE = 500;

/** One list-and-watch unit: a kind, cluster-wide or in one namespace. */
interface Scope {
	key: string;
	group: string;
	kind: string;
	plural: string;
	groupVersion: string;
	namespaced: boolean;
	namespace?: string;
	rv: string;
	items: Map<string, ObjectMetaState>;
}

/** Thrown inside the sync loop to start over at once (a CRD the watch set depends on changed). */
class Resync extends Error {}

function pathOf(s: { groupVersion: string; plural: string; namespace?: string }): string {
	const base = s.groupVersion.includes('/') ? `/apis/${s.groupVersion}` : `/api/${s.groupVersion}`;
	return s.namespace !== undefined ? `${base}/namespaces/${encodeURIComponent(s.namespace)}/${s.plural}` : `${base}/${s.plural}`;
}

async function pool<T, R>(items: T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
	const out: R[] = new Array(items.length);
	let next = 0;
	const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
		while (next < items.length) {
			const i = next++;
			out[i] = await fn(items[i]);
		}
	});
	await Promise.all(workers);
	return out;
}

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
	// The live model, mutated by watch events and frozen into `currentState` on emit.
	private served: Record<string, ServedKind[]> = {};
	private discoveryFailed: string[] = [];
	private crds = new Map<string, CrdState>();
	private crdRv = '';
	private scopes: Scope[] = [];
	private coverage = new Map<string, Omit<KindObjects, 'items'>>();
	private version?: ClusterState['version'];
	private lastSuccess?: string;
	/** Flux, Flux Operator and Argo CD objects, status kept (the one exception to metadata only). */
	private readonly gitops = new GitOpsScopes();

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

	/** Version, discovery, CRDs and the lists of every scope. */
	private async sync(client: KubeClient, watching: boolean): Promise<void> {
		const version = await client.get<{ major?: string; minor?: string; gitVersion?: string }>('/version');
		this.version = { major: String(version.major ?? ''), minor: String(version.minor ?? ''), gitVersion: String(version.gitVersion ?? '') };
		await this.discover(client);
		await this.listCrds(client);
		const wanted = [NAMESPACE, ...(this.options.kinds ?? [])].filter((k, i, all) => all.findIndex((x) => x.group === k.group && x.kind === k.kind) === i);
		const scopes: Scope[] = [];
		this.coverage = new Map();
		for (const k of wanted) {
			const served = this.servedAs(k);
			if (!served) continue; // not served: nothing to list (live-api-not-served says so where it matters)
			const { groupVersion, def } = served;
			const base = { group: k.group, kind: k.kind, plural: def.plural, groupVersion, namespaced: def.namespaced, rv: '', items: new Map<string, ObjectMetaState>() };
			const key = kindKey(k.group, k.kind);
			try {
				const all: Scope = { ...base, key };
				await this.list(client, all);
				scopes.push(all);
				this.coverage.set(key, { group: k.group, kind: k.kind, namespaced: def.namespaced, coverage: 'complete' });
			} catch (e) {
				if (!(e instanceof KubeRequestError) || e.kind !== 'forbidden') throw e;
				// Cluster-wide listing forbidden: namespace-scoped RBAC may still allow the namespaces the repo deploys to.
				const allowed: string[] = [];
				const denied: string[] = [];
				if (def.namespaced) {
					for (const ns of this.options.namespaces ?? []) {
						const s: Scope = { ...base, key: `${key}|${ns}`, namespace: ns, items: new Map() };
						try {
							await this.list(client, s);
							scopes.push(s);
							allowed.push(ns);
						} catch (e2) {
							if (!(e2 instanceof KubeRequestError) || e2.kind !== 'forbidden') throw e2;
							denied.push(ns);
						}
					}
				}
				const reason = `${e.message}${denied.length > 0 && allowed.length > 0 ? `; also in ${denied.join(', ')}` : ''}`;
				this.coverage.set(key, { group: k.group, kind: k.kind, namespaced: def.namespaced, coverage: allowed.length > 0 ? 'partial' : 'forbidden', ...(allowed.length > 0 ? { namespaces: allowed } : {}), reason });
			}
		}
		this.scopes = scopes;
		await this.gitops.sync(client, (k) => this.servedAs(k));
		this.lastSuccess = this.clock().toISOString();
		const forbidden = [...this.coverage.entries()].filter(([, c]) => c.coverage !== 'complete').map(([k]) => k);
		this.currentState = this.freeze();
		if (forbidden.length > 0) {
			const what = forbidden.map((k) => {
				const c = this.coverage.get(k)!;
				return c.coverage === 'partial' ? `${c.kind} outside ${c.namespaces!.join(', ')}` : c.kind;
			});
			this.setStatus(this.makeStatus('forbidden-partial', `connected (Kubernetes ${this.version.gitVersion}), but not allowed to list ${what.join(', ')}: references to them are not checked`, { forbidden }));
		} else {
			this.setStatus(this.makeStatus('connected', `connected (Kubernetes ${this.version.gitVersion})${watching && this.options.watch !== false ? ', watching' : ''}`));
		}
	}

	private servedAs(k: KindRequest): { groupVersion: string; def: ServedKind } | undefined {
		let found: { groupVersion: string; def: ServedKind } | undefined;
		for (const [gv, kinds] of Object.entries(this.served)) {
			const g = gv.includes('/') ? gv.slice(0, gv.lastIndexOf('/')) : '';
			if (g !== k.group) continue;
			const def = kinds.find((x) => x.kind === k.kind && x.verbs.includes('list'));
			// The first listed version is the group's preferred one (discovery order).
			if (def && !found) found = { groupVersion: gv, def };
		}
		return found;
	}

	private async discover(client: KubeClient): Promise<void> {
		const served: Record<string, ServedKind[]> = {};
		const failed: string[] = [];
		const core = await client.get<{ versions?: string[] }>('/api');
		const groups = await client.get<{ groups?: { name: string; versions: { groupVersion: string }[]; preferredVersion?: { groupVersion: string } }[] }>('/apis');
		const gvs: string[] = [...(core.versions ?? [])];
		for (const g of groups.groups ?? []) {
			const preferred = g.preferredVersion?.groupVersion;
			const versions = g.versions.map((v) => v.groupVersion);
			gvs.push(...(preferred && versions.includes(preferred) ? [preferred, ...versions.filter((v) => v !== preferred)] : versions));
		}
		await pool(gvs, 8, async (gv) => {
			try {
				const list = await client.get<{ resources?: { name: string; kind: string; namespaced: boolean; verbs?: string[] }[] }>(gv.includes('/') ? `/apis/${gv}` : `/api/${gv}`);
				// Subresources (`deployments/scale`) are not kinds of their own.
				served[gv] = (list.resources ?? []).filter((r) => !r.name.includes('/')).map((r) => ({ kind: r.kind, plural: r.name, namespaced: r.namespaced, verbs: r.verbs ?? [] }));
			} catch (e) {
				// An aggregated API that is down (metrics.k8s.io answering 503) must not fail the whole cluster.
				if (e instanceof KubeRequestError && (e.kind === 'http' || e.kind === 'not-found' || e.kind === 'forbidden')) failed.push(gv.includes('/') ? gv.slice(0, gv.lastIndexOf('/')) : '');
				else throw e;
			}
		});
		// Keep discovery order: preferred versions first.
		this.served = Object.fromEntries(gvs.filter((gv) => served[gv]).map((gv) => [gv, served[gv]]));
		this.discoveryFailed = [...new Set(failed)];
	}

	private async listCrds(client: KubeClient): Promise<void> {
		this.crds = new Map();
		this.crdRv = '';
		let cont = '';
		try {
			do {
				const page = await client.get<{ items?: unknown[]; metadata?: { resourceVersion?: string; continue?: string } }>(`${CRD_PATH}?limit=100${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`);
				for (const item of page.items ?? []) {
					const c = crdStateOf(item);
					if (c) this.crds.set(kindKey(c.group, c.kind), c);
				}
				this.crdRv = page.metadata?.resourceVersion ?? this.crdRv;
				cont = page.metadata?.continue ?? '';
			} while (cont);
		} catch (e) {
			if (!(e instanceof KubeRequestError) || e.kind !== 'forbidden') throw e;
			this.coverage.set('apiextensions.k8s.io|CustomResourceDefinition', { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition', namespaced: false, coverage: 'forbidden', reason: e.message });
			this.crdRv = 'forbidden';
		}
	}

	/** Lists one scope (metadata only, paginated) into its item map; sets its resourceVersion. */
	private async list(client: KubeClient, s: Scope): Promise<void> {
		s.items = new Map();
		let cont = '';
		do {
			const page = await client.get<{ items?: { metadata?: unknown }[]; metadata?: { resourceVersion?: string; continue?: string } }>(`${pathOf(s)}?limit=${PAGE}${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`, METADATA_LIST);
			for (const item of page.items ?? []) {
				const m = metaOf(item.metadata);
				if (m) s.items.set(`${m.namespace ?? ''}/${m.name}`, m);
			}
			s.rv = page.metadata?.resourceVersion ?? s.rv;
			cont = page.metadata?.continue ?? '';
		} while (cont);
	}

	private freeze(): ClusterState {
		const objects: Record<string, KindObjects> = {};
		for (const [key, c] of this.coverage) objects[key] = { ...c, items: [] };
		for (const s of this.scopes) {
			const key = kindKey(s.group, s.kind);
			const o = (objects[key] ??= { group: s.group, kind: s.kind, namespaced: s.namespaced, coverage: 'complete', items: [] });
			for (const m of s.items.values()) o.items.push(m);
		}
		delete objects['apiextensions.k8s.io|CustomResourceDefinition'];
		return {
			formatVersion: STATE_FORMAT_VERSION,
			cluster: this.cluster,
			context: this.context,
			origin: 'live',
			fetchedAt: this.lastSuccess ?? this.clock().toISOString(),
			version: this.version ?? { major: '', minor: '', gitVersion: '' },
			served: this.served,
			...(this.discoveryFailed.length > 0 ? { discoveryFailed: this.discoveryFailed } : {}),
			crds: [...this.crds.values()],
			objects,
			...(this.gitops.frozen() ? { gitops: this.gitops.frozen() } : {}),
		};
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
		if (!this.version) return;
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
			for (const s of this.scopes) this.watchScope(client, s).catch(fail);
			for (const s of this.gitops.scopes()) {
				const onEvent = (type: string, object: Record<string, unknown>) => {
					if (!this.gitops.event(s, type, object)) return;
					this.lastSuccess = this.clock().toISOString();
					this.emitSoon();
				};
				this.watchLoop(client, s.path, 'application/json', () => s.rv, onEvent, () => this.gitops.relist(client, s)).catch(fail);
			}
			if (this.crdRv !== 'forbidden') this.watchCrds(client).catch(fail);
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

	private watchScope(client: KubeClient, s: Scope): Promise<void> {
		return this.watchLoop(
			client,
			pathOf(s),
			METADATA_OBJECT,
			() => s.rv,
			(type, object) => {
				const rv = (object.metadata as { resourceVersion?: string } | undefined)?.resourceVersion;
				if (rv) s.rv = rv;
				if (type === 'BOOKMARK') return;
				const m = metaOf(object.metadata);
				if (!m) return;
				const id = `${m.namespace ?? ''}/${m.name}`;
				if (type === 'DELETED') s.items.delete(id);
				else s.items.set(id, m);
				this.lastSuccess = this.clock().toISOString();
				this.emitSoon();
			},
			() => this.list(client, s),
		);
	}

	private watchCrds(client: KubeClient): Promise<void> {
		return this.watchLoop(
			client,
			CRD_PATH,
			'application/json',
			() => this.crdRv,
			(type, object) => {
				const rv = (object.metadata as { resourceVersion?: string } | undefined)?.resourceVersion;
				if (rv) this.crdRv = rv;
				if (type === 'BOOKMARK') return;
				const c = crdStateOf(object);
				if (!c) return;
				const key = kindKey(c.group, c.kind);
				if (type === 'DELETED') this.crds.delete(key);
				else this.crds.set(key, c);
				this.updateServed(c, type === 'DELETED');
				this.lastSuccess = this.clock().toISOString();
				this.emitSoon();
				// A kind the repo deploys appeared or went away: its objects need a list and a watch of their own.
				if ((this.options.kinds ?? []).some((k) => k.group === c.group && k.kind === c.kind)) {
					const listed = this.scopes.some((s) => s.group === c.group && s.kind === c.kind);
					if (listed === (type === 'DELETED')) this.restartLoopSoon();
				}
			},
			async () => this.listCrds(client),
		);
	}

	private restartLoopSoon(): void {
		this.resyncTimer ??= setTimeout(() => {
			this.resyncTimer = undefined;
			this.restartLoop();
		}, 200);
	}

	/** Discovery of a CRD's group follows the CRD: its served versions serve its kind. */
	private updateServed(c: CrdState, deleted: boolean): void {
		const next: Record<string, ServedKind[]> = {};
		for (const [gv, kinds] of Object.entries(this.served)) {
			const rest = gv.startsWith(`${c.group}/`) ? kinds.filter((k) => k.kind !== c.kind) : kinds;
			if (rest.length > 0) next[gv] = rest;
		}
		if (!deleted) {
			for (const v of c.versions) {
				if (!v.served) continue;
				const gv = `${c.group}/${v.name}`;
				next[gv] = [...(next[gv] ?? []), { kind: c.kind, plural: c.plural, namespaced: c.namespaced, verbs: ['get', 'list', 'watch'] }];
			}
		}
		this.served = next;
	}
}

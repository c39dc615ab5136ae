import type { KubeConfig } from '@kubernetes/client-node';
import type { DriftProjection, KindRef } from '../../engine/drift';
import type { LiveKindObjects, LiveObject, LiveObjects } from '../../engine/live/full-objects';
import { KubeClient, METADATA_OBJECT, type WatchHandle } from './client';
import { KubeRequestError } from './errors';
import { forContext } from './kubeconfig';
import { Redactor } from './redact';

/**
 * The live objects drift compares with Git, read from one cluster with GET, LIST and WATCH only:
 * full objects for the kinds the repository declares (each cut down by the projection to the
 * fields Git declares, as it arrives: the rest never stays in memory), and Secrets as a Table
 * (`kubectl get secrets` columns plus metadata), so their data is never requested. A list that
 * breaks off, or a kind that is forbidden, is marked so (`failed`, `forbidden`, `partial`): drift
 * then says `unknown`, never `missing`. `watch()` keeps the objects current.
 */

export const SECRET_TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io';
const PAGE = 500;

export interface FullObjectsOptions {
	context: string;
	cluster?: string;
	kubeconfig: KubeConfig;
	allowExec: boolean;
	projection: DriftProjection;
	/** Where a cluster-wide list is forbidden, these namespaces are listed one by one. */
	namespaces?: string[];
	timeoutMs?: number;
	redactor?: Redactor;
	clock?: () => Date;
}

interface Served {
	groupVersion: string;
	plural: string;
	namespaced: boolean;
	/** Every groupVersion serving the kind. */
	all: string[];
}

interface Scope {
	ref: KindRef;
	served: Served;
	namespace?: string;
	rv: string;
	items: Map<string, LiveObject>;
}

const isSecret = (k: KindRef) => k.group === '' && k.kind === 'Secret';

function pathOf(s: Served, namespace?: string): string {
	const base = s.groupVersion.includes('/') ? `/apis/${s.groupVersion}` : `/api/${s.groupVersion}`;
	return namespace !== undefined ? `${base}/namespaces/${encodeURIComponent(namespace)}/${s.plural}` : `${base}/${s.plural}`;
}

/** A Secret row of a Table answer: its metadata and its type, nothing else. */
function secretFromRow(row: Record<string, unknown>, typeColumn: number, groupVersion: string, projection: DriftProjection): LiveObject | undefined {
	const obj = row.object as Record<string, unknown> | undefined;
	if (!obj || typeof obj !== 'object') return undefined;
	const cells = Array.isArray(row.cells) ? row.cells : [];
	const raw: Record<string, unknown> = { apiVersion: groupVersion, kind: 'Secret', metadata: obj.metadata };
	if (typeColumn >= 0 && typeof cells[typeColumn] === 'string') raw.type = cells[typeColumn];
	const projected = projection.project(raw);
	return projected ? { ...projected, ...(typeof raw.type === 'string' ? { type: raw.type } : {}) } : undefined;
}

const idOf = (o: LiveObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

export class FullObjectsSource {
	private readonly client: KubeClient;
	private readonly redactor: Redactor;
	private scopes: Scope[] = [];
	private served = new Map<string, Served | undefined>();
	private kinds: Record<string, LiveKindObjects> = {};
	private fetchedAt?: string;
	private handles = new Set<WatchHandle>();
	private stopped = false;

	constructor(private readonly options: FullObjectsOptions) {
		this.redactor = options.redactor ?? new Redactor();
		const kc = forContext(options.kubeconfig, options.context);
		if (!kc) throw new KubeRequestError('http', `the kubeconfig has no context "${options.context}"`);
		this.client = new KubeClient(kc, { timeoutMs: options.timeoutMs ?? 10_000, allowExec: options.allowExec, redactor: this.redactor });
	}

	/** The client (the optional dry-run sends through it). */
	get kubeClient(): KubeClient {
		return this.client;
	}

	/** Where each kind is served: the group's preferred version, from discovery (undefined: not served). */
	private async discover(refs: KindRef[]): Promise<Map<string, Served | undefined>> {
		const out = new Map<string, Served | undefined>();
		const groups = await this.client.get<{ groups?: { name: string; versions: { groupVersion: string }[]; preferredVersion?: { groupVersion: string } }[] }>('/apis');
		const byGroup = new Map<string, string[]>([['', ['v1']]]);
		for (const g of groups.groups ?? []) {
			const pref = g.preferredVersion?.groupVersion;
			const all = g.versions.map((v) => v.groupVersion);
			byGroup.set(g.name, pref && all.includes(pref) ? [pref, ...all.filter((v) => v !== pref)] : all);
		}
		const resources = new Map<string, { name: string; kind: string; namespaced: boolean; verbs?: string[] }[]>();
		for (const ref of refs) {
			let found: Served | undefined;
			const all: string[] = [];
			// Read at the version Git writes, where the cluster serves it; else at the group's preferred one.
			const declared = this.options.projection.apiVersions(ref.group, ref.kind);
			const candidates = byGroup.get(ref.group) ?? [];
			for (const gv of [...declared.filter((v) => candidates.includes(v)), ...candidates.filter((v) => !declared.includes(v))]) {
				if (!resources.has(gv)) {
					try {
						const list = await this.client.get<{ resources?: { name: string; kind: string; namespaced: boolean; verbs?: string[] }[] }>(gv.includes('/') ? `/apis/${gv}` : `/api/${gv}`);
						resources.set(gv, list.resources ?? []);
					} catch (e) {
						if (e instanceof KubeRequestError && (e.kind === 'http' || e.kind === 'not-found' || e.kind === 'forbidden')) resources.set(gv, []);
						else throw e;
					}
				}
				const r = resources.get(gv)!.find((x) => x.kind === ref.kind && !x.name.includes('/') && (x.verbs ?? ['list']).includes('list'));
				if (r) {
					all.push(gv);
					found ??= { groupVersion: gv, plural: r.name, namespaced: r.namespaced, all };
				}
			}
			out.set(`${ref.group}|${ref.kind}`, found);
		}
		return out;
	}

	/** Lists one scope, page by page, keeping the projected objects. Throws on any failure (the caller marks the kind). */
	private async list(s: Scope): Promise<void> {
		const items = new Map<string, LiveObject>();
		let cont = '';
		const secret = isSecret(s.ref);
		do {
			const url = `${pathOf(s.served, s.namespace)}?limit=${PAGE}${secret ? '&includeObject=Metadata' : ''}${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`;
			if (secret) {
				const page = await this.client.get<{ columnDefinitions?: { name?: string }[]; rows?: Record<string, unknown>[]; metadata?: { resourceVersion?: string; continue?: string } }>(url, SECRET_TABLE);
				const typeColumn = (page.columnDefinitions ?? []).findIndex((c) => c.name?.toLowerCase() === 'type');
				for (const row of page.rows ?? []) {
					const o = secretFromRow(row, typeColumn, s.served.groupVersion, this.options.projection);
					if (o) items.set(idOf(o), o);
				}
				s.rv = page.metadata?.resourceVersion ?? s.rv;
				cont = page.metadata?.continue ?? '';
			} else {
				const page = await this.client.get<{ items?: Record<string, unknown>[]; metadata?: { resourceVersion?: string; continue?: string } }>(url);
				const apiVersion = s.served.groupVersion;
				for (const item of page.items ?? []) {
					// List items may omit apiVersion and kind: they are the list's.
					const o = this.options.projection.project({ apiVersion, kind: s.ref.kind, ...item });
					if (o) items.set(idOf(o), o);
				}
				s.rv = page.metadata?.resourceVersion ?? s.rv;
				cont = page.metadata?.continue ?? '';
			}
		} while (cont);
		s.items = items;
	}

	/** Reads every declared kind once. Never throws for one kind: its coverage says what happened. */
	async fetch(): Promise<LiveObjects> {
		const refs = this.options.projection.kinds();
		const served = await this.discover(refs);
		this.served = served;
		this.scopes = [];
		this.kinds = {};
		for (const ref of refs) {
			const key = `${ref.group}|${ref.kind}`;
			const s = served.get(key);
			const base = { group: ref.group, kind: ref.kind, ...(isSecret(ref) ? { metadataOnly: true } : {}) };
			if (!s) {
				this.kinds[key] = { ...base, namespaced: true, coverage: 'not-served', items: [] };
				continue;
			}
			const scope: Scope = { ref, served: s, rv: '', items: new Map() };
			Object.assign(base, { apiVersions: s.all });
			try {
				await this.list(scope);
				this.scopes.push(scope);
				this.kinds[key] = { ...base, namespaced: s.namespaced, coverage: 'complete', items: [...scope.items.values()] };
			} catch (e) {
				const err = e instanceof KubeRequestError ? e : new KubeRequestError('http', e instanceof Error ? e.message : String(e));
				if (err.kind !== 'forbidden' || !s.namespaced) {
					this.kinds[key] = { ...base, namespaced: s.namespaced, coverage: err.kind === 'forbidden' ? 'forbidden' : 'failed', reason: this.redactor.redact(err.message), items: [] };
					continue;
				}
				const allowed: string[] = [];
				const items: LiveObject[] = [];
				let failure: string | undefined;
				for (const ns of this.options.namespaces ?? []) {
					const nsScope: Scope = { ref, served: s, namespace: ns, rv: '', items: new Map() };
					try {
						await this.list(nsScope);
						this.scopes.push(nsScope);
						allowed.push(ns);
						items.push(...nsScope.items.values());
					} catch (e2) {
						if (!(e2 instanceof KubeRequestError) || e2.kind !== 'forbidden') failure = e2 instanceof Error ? e2.message : String(e2);
					}
				}
				const coverage = failure ? 'failed' : allowed.length > 0 ? 'partial' : 'forbidden';
				this.kinds[key] = { ...base, namespaced: true, coverage, ...(allowed.length > 0 && !failure ? { namespaces: allowed } : {}), reason: this.redactor.redact(failure ?? err.message), items: failure ? [] : items };
			}
		}
		this.fetchedAt = (this.options.clock?.() ?? new Date()).toISOString();
		return this.snapshot();
	}

	/** The URL path of one object of a listed kind (undefined: the kind is not served). */
	objectPath(group: string, kind: string, namespace: string | undefined, name: string): string | undefined {
		const s = this.served.get(`${group}|${kind}`);
		return s ? `${pathOf(s, s.namespaced ? namespace : undefined)}/${encodeURIComponent(name)}` : undefined;
	}

	/** The objects as last read (and updated by watches). */
	snapshot(): LiveObjects {
		const kinds: Record<string, LiveKindObjects> = {};
		for (const [k, v] of Object.entries(this.kinds)) kinds[k] = { ...v, items: v.coverage === 'complete' || v.coverage === 'partial' ? this.scopes.filter((s) => `${s.ref.group}|${s.ref.kind}` === k).flatMap((s) => [...s.items.values()]) : [] };
		return { cluster: this.options.cluster ?? this.options.context, context: this.options.context, origin: 'live', fetchedAt: this.fetchedAt ?? new Date(0).toISOString(), kinds };
	}

	/**
	 * Keeps the listed scopes current with watches (full objects; Secrets as metadata, their type
	 * kept from the list since it never changes). `onChange` runs after each event; a watch that
	 * ends is resumed from its resourceVersion, a 410 Gone re-lists the scope.
	 */
	watch(onChange: () => void): void {
		for (const s of this.scopes) void this.watchScope(s, onChange);
	}

	private async watchScope(s: Scope, onChange: () => void): Promise<void> {
		const secret = isSecret(s.ref);
		while (!this.stopped) {
			const handle = this.client.watch(pathOf(s.served, s.namespace), { resourceVersion: s.rv, allowWatchBookmarks: 'true', timeoutSeconds: '240' }, secret ? METADATA_OBJECT : 'application/json', (e) => {
				const rv = (e.object.metadata as { resourceVersion?: string } | undefined)?.resourceVersion;
				if (rv) s.rv = rv;
				if (e.type === 'BOOKMARK') return;
				const raw = secret ? { apiVersion: s.served.groupVersion, kind: 'Secret', metadata: e.object.metadata } : { apiVersion: s.served.groupVersion, kind: s.ref.kind, ...e.object };
				const o = this.options.projection.project(raw);
				if (!o) return;
				const id = idOf(o);
				if (e.type === 'DELETED') s.items.delete(id);
				else s.items.set(id, secret && s.items.get(id)?.type !== undefined ? { ...o, type: s.items.get(id)!.type } : o);
				this.fetchedAt = (this.options.clock?.() ?? new Date()).toISOString();
				onChange();
			}, 300_000);
			this.handles.add(handle);
			const end = await handle.done;
			this.handles.delete(handle);
			if (this.stopped || end.reason === 'aborted') return;
			if (end.reason === 'gone') {
				try {
					await this.list(s);
					onChange();
				} catch {
					return;
				}
			} else if (end.reason === 'error') return;
			else await new Promise((r) => setTimeout(r, 200));
		}
	}

	stop(): void {
		this.stopped = true;
		for (const h of this.handles) h.abort();
		this.handles.clear();
		this.client.dispose();
	}
}

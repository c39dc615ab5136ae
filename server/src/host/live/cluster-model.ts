import { crdStateOf, metaOf } from '../../engine/live/sanitize';
import { kindKey, STATE_FORMAT_VERSION, type ClusterState, type CrdState, type KindObjects, type ObjectMetaState, type ServedKind } from '../../engine/live/state';
import { METADATA_LIST, type KubeClient } from './client';
import { KubeRequestError } from './errors';
import { GitOpsScopes } from './gitops-scopes';
import { fetchApiSchemas } from './api-schemas';
import type { ApiSchemaState } from '../../engine/live/api-schemas';

/**
 * What one connection knows of its cluster, owned by that connection: the version, discovery, the
 * CRDs and the metadata of the kinds asked for, each kind listed cluster-wide or, where that is
 * forbidden, namespace by namespace. `fetch` fills it with lists; the connection's watches keep it
 * current through `scopeEvent` and `crdEvent`; `freeze` turns it into the immutable `ClusterState`
 * the engine reads.
 */

export interface KindRequest {
	/** API group, '' for core. */
	group: string;
	kind: string;
}

/** One list-and-watch unit: a kind, cluster-wide or in one namespace. */
export interface Scope {
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

const NAMESPACE: KindRequest = { group: '', kind: 'Namespace' };
const CRD_KEY = 'apiextensions.k8s.io|CustomResourceDefinition';
export const CRD_PATH = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
const PAGE = 500;

export function pathOf(s: { groupVersion: string; plural: string; namespace?: string }): string {
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

export class ClusterModel {
	version?: ClusterState['version'];
	private served: Record<string, ServedKind[]> = {};
	private discoveryFailed: string[] = [];
	private crds = new Map<string, CrdState>();
	/** What the cluster publishes for its aggregated APIs' kinds (read at each sync; such APIs change with the cluster's version). */
	private apiSchemas: ApiSchemaState[] = [];
	/** The CRDs' resourceVersion to watch from; 'forbidden' when they may not be listed. */
	crdRv = '';
	scopes: Scope[] = [];
	private coverage = new Map<string, Omit<KindObjects, 'items'>>();
	/** Flux, Flux Operator and Argo CD objects, status kept (the one exception to metadata only). */
	readonly gitops = new GitOpsScopes();

	/** Version, discovery, CRDs and the lists of every scope. Returns the kinds not (fully) listable, described. */
	async fetch(client: KubeClient, kinds: KindRequest[], namespaces: string[]): Promise<string[]> {
		const version = await client.get<{ major?: string; minor?: string; gitVersion?: string }>('/version');
		this.version = { major: String(version.major ?? ''), minor: String(version.minor ?? ''), gitVersion: String(version.gitVersion ?? '') };
		await this.discover(client);
		await this.listCrds(client);
		this.apiSchemas = await fetchApiSchemas(client, this.served, new Set(this.crds.keys()));
		this.coverage = new Map();
		const wanted = [NAMESPACE, ...kinds].filter((k, i, all) => all.findIndex((x) => x.group === k.group && x.kind === k.kind) === i);
		const scopes: Scope[] = [];
		for (const k of wanted) {
			const served = this.servedAs(k);
			if (!served) continue; // not served: nothing to list (live-api-not-served says so where it matters)
			scopes.push(...(await this.listKind(client, k, served, namespaces)));
		}
		this.scopes = scopes;
		await this.gitops.sync(client, (k) => this.servedAs(k));
		return [...this.coverage.entries()]
			.filter(([, c]) => c.coverage !== 'complete')
			.map(([, c]) => (c.coverage === 'partial' ? `${c.kind} outside ${c.namespaces!.join(', ')}` : c.kind));
	}

	/** The coverage keys not fully listed (the status's `forbidden`). */
	forbiddenKeys(): string[] {
		return [...this.coverage.entries()].filter(([, c]) => c.coverage !== 'complete').map(([k]) => k);
	}

	/** Lists a kind cluster-wide, else (forbidden) in each namespace the repo deploys to that RBAC allows. */
	private async listKind(client: KubeClient, k: KindRequest, served: { groupVersion: string; def: ServedKind }, namespaces: string[]): Promise<Scope[]> {
		const { groupVersion, def } = served;
		const base = { group: k.group, kind: k.kind, plural: def.plural, groupVersion, namespaced: def.namespaced, rv: '', items: new Map<string, ObjectMetaState>() };
		const key = kindKey(k.group, k.kind);
		try {
			const all: Scope = { ...base, key };
			await this.list(client, all);
			this.coverage.set(key, { group: k.group, kind: k.kind, namespaced: def.namespaced, coverage: 'complete' });
			return [all];
		} catch (e) {
			if (!(e instanceof KubeRequestError) || e.kind !== 'forbidden') throw e;
			// Cluster-wide listing forbidden: namespace-scoped RBAC may still allow the namespaces the repo deploys to.
			const scopes: Scope[] = [];
			const allowed: string[] = [];
			const denied: string[] = [];
			if (def.namespaced) {
				for (const ns of namespaces) {
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
			return scopes;
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

	/** Lists the CRDs (paginated); forbidden is recorded as coverage, not a failure. */
	async listCrds(client: KubeClient): Promise<void> {
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
			this.coverage.set(CRD_KEY, { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition', namespaced: false, coverage: 'forbidden', reason: e.message });
			this.crdRv = 'forbidden';
		}
	}

	/** Lists one scope (metadata only, paginated) into its item map; sets its resourceVersion. */
	async list(client: KubeClient, s: Scope): Promise<void> {
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

	/** A watch event of one scope; true when the model changed. */
	scopeEvent(s: Scope, type: string, object: Record<string, unknown>): boolean {
		const rv = (object.metadata as { resourceVersion?: string } | undefined)?.resourceVersion;
		if (rv) s.rv = rv;
		if (type === 'BOOKMARK') return false;
		const m = metaOf(object.metadata);
		if (!m) return false;
		const id = `${m.namespace ?? ''}/${m.name}`;
		if (type === 'DELETED') s.items.delete(id);
		else s.items.set(id, m);
		return true;
	}

	/** A watch event of the CRDs: the CRD that changed (discovery of its group follows it), if any. */
	crdEvent(type: string, object: Record<string, unknown>): CrdState | undefined {
		const rv = (object.metadata as { resourceVersion?: string } | undefined)?.resourceVersion;
		if (rv) this.crdRv = rv;
		if (type === 'BOOKMARK') return undefined;
		const c = crdStateOf(object);
		if (!c) return undefined;
		const key = kindKey(c.group, c.kind);
		if (type === 'DELETED') this.crds.delete(key);
		else this.crds.set(key, c);
		this.updateServed(c, type === 'DELETED');
		return c;
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

	/** The immutable state the engine reads. */
	freeze(cluster: string, context: string, fetchedAt: string): ClusterState {
		const objects: Record<string, KindObjects> = {};
		for (const [key, c] of this.coverage) objects[key] = { ...c, items: [] };
		for (const s of this.scopes) {
			const key = kindKey(s.group, s.kind);
			const o = (objects[key] ??= { group: s.group, kind: s.kind, namespaced: s.namespaced, coverage: 'complete', items: [] });
			for (const m of s.items.values()) o.items.push(m);
		}
		delete objects[CRD_KEY];
		return {
			formatVersion: STATE_FORMAT_VERSION,
			cluster,
			context,
			origin: 'live',
			fetchedAt,
			version: this.version ?? { major: '', minor: '', gitVersion: '' },
			served: this.served,
			...(this.discoveryFailed.length > 0 ? { discoveryFailed: this.discoveryFailed } : {}),
			crds: [...this.crds.values()],
			...(this.apiSchemas.length > 0 ? { apiSchemas: this.apiSchemas } : {}),
			objects,
			...(this.gitops.frozen() ? { gitops: this.gitops.frozen() } : {}),
		};
	}
}

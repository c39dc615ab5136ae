/**
 * What Fleetscope knows of one live cluster: its Kubernetes version, the API versions and kinds it
 * serves, the CRD schemas installed there, and the metadata (never the content) of the objects of
 * the kinds asked for. Pure, JSON-serialisable data: the host fetches and watches it
 * (`server/src/host/live/`), caches it on disk and reads it from snapshots; the live checks read it.
 * Secret data never enters it: objects keep name, namespace, uid and labels only. The one exception
 * to metadata only: the status that Flux, the Flux Operator and Argo CD report (`gitops`).
 */
import type { ApiSchemaState } from './api-schemas';
import type { GitOpsObjectState } from './gitops';

/** A kind one API group/version serves (from discovery). */
export interface ServedKind {
	kind: string;
	/** Resource name in URLs (`deployments`). */
	plural: string;
	namespaced: boolean;
	verbs: string[];
}

/** The schema of one version of a CRD installed in the cluster. */
export interface CrdVersionState {
	name: string;
	served: boolean;
	storage: boolean;
	/** `spec.versions[].schema.openAPIV3Schema`, if the CRD has one. */
	schema?: Record<string, unknown>;
}

export interface CrdState {
	/** `certificates.cert-manager.io`. */
	name: string;
	group: string;
	kind: string;
	plural: string;
	namespaced: boolean;
	versions: CrdVersionState[];
}

/** The metadata Fleetscope keeps of one object: no annotations (`last-applied-configuration` holds a Secret's data), no content. */
export interface ObjectMetaState {
	name: string;
	namespace?: string;
	uid?: string;
	labels?: Record<string, string>;
}

/** How complete the objects of one kind are. */
export type KindCoverage = 'complete' | 'partial' | 'forbidden';

export interface KindObjects {
	group: string;
	kind: string;
	namespaced: boolean;
	coverage: KindCoverage;
	/**
	 * Where the list covers only some namespaces (cluster-wide list forbidden, per-namespace lists
	 * allowed): the namespaces that were listed. Absent: every namespace (or none, when forbidden).
	 */
	namespaces?: string[];
	/** Why the coverage is not complete (`forbidden: list secrets in namespace orders`). */
	reason?: string;
	items: ObjectMetaState[];
}

export interface ServerVersion {
	major: string;
	minor: string;
	/** `v1.27.16`. */
	gitVersion: string;
}

/** Where a state comes from: fetched and watched now, the disk cache of an earlier run, or a snapshot directory. */
export type StateOrigin = 'live' | 'cache' | 'snapshot';

export interface ClusterState {
	/** Bumped when the shape changes; a cache file of another version is ignored. */
	formatVersion: 1;
	/** The cluster's name as the fleet knows it (or the kubeconfig context / snapshot name). */
	cluster: string;
	/** The kubeconfig context it was fetched through, if any. */
	context?: string;
	origin: StateOrigin;
	/** ISO time of the last moment the state was known to be current (the last successful list or watch event). */
	fetchedAt: string;
	version: ServerVersion;
	/** `groupVersion` (`apps/v1`, `v1`) → the kinds it serves. */
	served: Record<string, ServedKind[]>;
	/** API groups whose discovery failed: nothing can be said about what they serve. */
	discoveryFailed?: string[];
	crds: CrdState[];
	/**
	 * The schemas the cluster publishes (`/openapi/v3`) for kinds of aggregated APIs, which no CRD
	 * describes (OpenShift's Route): see api-schemas.ts. Absent where none were read.
	 */
	apiSchemas?: ApiSchemaState[];
	/** `group|kind` (`|Secret`, `apps|Deployment`) → the objects of that kind, for the kinds that were asked for. */
	objects: Record<string, KindObjects>;
	/** What the cluster's Flux Kustomizations and HelmReleases, Argo CD Applications and FluxReport say (status only; see gitops.ts). */
	gitops?: GitOpsObjectState[];
}

export const STATE_FORMAT_VERSION = 1;

export function kindKey(group: string, kind: string): string {
	return `${group}|${kind}`;
}

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
	const slash = apiVersion.lastIndexOf('/');
	return slash === -1 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** The `1.27` minor version number of a state, or undefined. */
export function stateMinor(state: ClusterState): number | undefined {
	const minor = parseInt(state.version.minor, 10);
	if (Number.isFinite(minor)) return minor;
	const m = /^v?1\.(\d+)/.exec(state.version.gitVersion);
	return m ? Number(m[1]) : undefined;
}

/** `1.27.16` (from gitVersion, without the leading `v` and build suffixes), or `1.27`. */
export function stateVersionText(state: ClusterState): string {
	const m = /^v?(\d+\.\d+(?:\.\d+)?)/.exec(state.version.gitVersion);
	return m ? m[1] : `${state.version.major}.${state.version.minor.replace(/\D+$/, '')}`;
}

function ago(ms: number): string {
	const min = Math.round(ms / 60_000);
	if (min < 1) return 'less than 1 min';
	if (min < 60) return `${min} min`;
	const h = Math.round(min / 60);
	if (h < 48) return `${h} h`;
	return `${Math.round(h / 24)} days`;
}

/**
 * How old the state is, in words for a message: `live`, `cached, 2 h old`, `snapshot, 3 days old`.
 * A `live` state is one the source is watching right now (it turns `cache` when the connection
 * is lost), so it has no age.
 */
export function stateAge(state: ClusterState, now: Date): string {
	if (state.origin === 'live') return 'live';
	const t = Date.parse(state.fetchedAt);
	const age = Number.isFinite(t) ? Math.max(0, now.getTime() - t) : NaN;
	if (!Number.isFinite(age)) return state.origin;
	if (state.origin === 'cache') return `cached, ${ago(age)} old`;
	return `snapshot, ${ago(age)} old`;
}

/** Lookups over a state, built once per state object. */
export interface StateIndex {
	/** Kinds served by `groupVersion`. */
	servedKinds(groupVersion: string): ServedKind[] | undefined;
	/** Every groupVersion of `group` that serves `kind`. */
	versionsServing(group: string, kind: string): string[];
	/** Whether the group appears in discovery at all. */
	servesGroup(group: string): boolean;
	crd(group: string, kind: string): CrdState | undefined;
	/** The schema the cluster publishes for a kind of an aggregated API (`route.openshift.io/v1`, `Route`). */
	apiSchema(apiVersion: string, kind: string): ApiSchemaState | undefined;
	objects(group: string, kind: string): KindObjects | undefined;
	/** Whether an object exists; undefined when the state cannot tell (kind not fetched, forbidden, namespace not listed). */
	exists(group: string, kind: string, name: string, namespace?: string): boolean | undefined;
}

/** Lookups over a state; whoever holds the state keeps its index (building one walks every served kind). */
export function indexState(state: ClusterState): StateIndex {
	const byGroupKind = new Map<string, string[]>();
	const groups = new Set<string>();
	for (const [gv, kinds] of Object.entries(state.served)) {
		const { group } = splitApiVersion(gv);
		groups.add(group);
		for (const k of kinds) {
			const key = kindKey(group, k.kind);
			const list = byGroupKind.get(key) ?? [];
			if (!list.includes(gv)) list.push(gv);
			byGroupKind.set(key, list);
		}
	}
	const crds = new Map(state.crds.map((c) => [kindKey(c.group, c.kind), c]));
	const apiSchemas = new Map((state.apiSchemas ?? []).map((s) => [`${s.apiVersion}|${s.kind}`, s]));
	const names = new Map<string, Set<string>>();
	const namesOf = (key: string): Set<string> | undefined => {
		let set = names.get(key);
		if (!set) {
			const objs = state.objects[key];
			if (!objs) return undefined;
			set = new Set(objs.items.map((o) => `${o.namespace ?? ''}/${o.name}`));
			names.set(key, set);
		}
		return set;
	};
	return {
		servedKinds: (gv) => state.served[gv],
		versionsServing: (group, kind) => byGroupKind.get(kindKey(group, kind)) ?? [],
		servesGroup: (group) => groups.has(group),
		crd: (group, kind) => crds.get(kindKey(group, kind)),
		apiSchema: (apiVersion, kind) => apiSchemas.get(`${apiVersion}|${kind}`),
		objects: (group, kind) => state.objects[kindKey(group, kind)],
		exists(group, kind, name, namespace) {
			const key = kindKey(group, kind);
			const objs = state.objects[key];
			if (!objs || objs.coverage === 'forbidden') return undefined;
			const ns = objs.namespaced ? (namespace ?? '') : '';
			if (namesOf(key)!.has(`${ns}/${name}`)) return true;
			if (objs.coverage === 'partial' && !(objs.namespaced && objs.namespaces?.includes(ns))) return undefined;
			return false;
		},
	};
}

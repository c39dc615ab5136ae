import type { ApiSchemaState } from './api-schemas';
import { isPlainObject } from '../core/resource';
import { sanitizeGitOps } from './gitops';
import { STATE_FORMAT_VERSION, type ClusterState, type CrdState, type KindObjects, type ObjectMetaState, type ServedKind, type StateOrigin } from './state';

/**
 * A ClusterState rebuilt field by field from untrusted JSON (a cache file, a snapshot, a server's
 * answer): only the fields of the model survive, so nothing else (annotations, Secret data, a
 * stray token) can ride along into memory, the cache or a message. Undefined when it is not a state.
 */

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function labels(v: unknown): Record<string, string> | undefined {
	if (!isPlainObject(v)) return undefined;
	const out: Record<string, string> = {};
	for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
	return Object.keys(out).length > 0 ? out : undefined;
}

/** The metadata Fleetscope keeps of an object (from `metadata` of any object or PartialObjectMetadata). */
export function metaOf(metadata: unknown): ObjectMetaState | undefined {
	if (!isPlainObject(metadata)) return undefined;
	const name = str(metadata.name);
	if (!name) return undefined;
	const out: ObjectMetaState = { name };
	const ns = str(metadata.namespace);
	if (ns) out.namespace = ns;
	const uid = str(metadata.uid);
	if (uid) out.uid = uid;
	const l = labels(metadata.labels);
	if (l) out.labels = l;
	return out;
}

function served(v: unknown): Record<string, ServedKind[]> {
	const out: Record<string, ServedKind[]> = {};
	if (!isPlainObject(v)) return out;
	for (const [gv, kinds] of Object.entries(v)) {
		if (!Array.isArray(kinds)) continue;
		out[gv] = kinds.filter(isPlainObject).flatMap((k) =>
			typeof k.kind === 'string' ? [{ kind: k.kind, plural: str(k.plural) ?? '', namespaced: k.namespaced === true, verbs: Array.isArray(k.verbs) ? k.verbs.filter((x): x is string => typeof x === 'string') : [] }] : [],
		);
	}
	return out;
}

/** A CRD state from an apiextensions.k8s.io/v1 CustomResourceDefinition object (spec only; status and metadata dropped). */
export function crdStateOf(crd: unknown): CrdState | undefined {
	if (!isPlainObject(crd) || !isPlainObject(crd.spec) || !isPlainObject(crd.spec.names)) return undefined;
	const spec = crd.spec;
	const names = spec.names as Record<string, unknown>;
	const group = str(spec.group);
	const kind = str(names.kind);
	if (!group || !kind) return undefined;
	const meta = isPlainObject(crd.metadata) ? crd.metadata : {};
	const versions = Array.isArray(spec.versions) ? spec.versions.filter(isPlainObject) : [];
	return {
		name: str(meta.name) ?? `${str(names.plural) ?? kind.toLowerCase()}.${group}`,
		group,
		kind,
		plural: str(names.plural) ?? '',
		namespaced: spec.scope !== 'Cluster',
		versions: versions.flatMap((v) => {
			const name = str(v.name);
			if (!name) return [];
			const schema = isPlainObject(v.schema) && isPlainObject(v.schema.openAPIV3Schema) ? v.schema.openAPIV3Schema : undefined;
			return [{ name, served: v.served !== false, storage: v.storage === true, ...(schema ? { schema } : {}) }];
		}),
	};
}

function crdState(v: unknown): CrdState | undefined {
	if (!isPlainObject(v) || typeof v.group !== 'string' || typeof v.kind !== 'string' || !Array.isArray(v.versions)) return undefined;
	return {
		name: str(v.name) ?? '',
		group: v.group,
		kind: v.kind,
		plural: str(v.plural) ?? '',
		namespaced: v.namespaced !== false,
		versions: v.versions.filter(isPlainObject).flatMap((x) =>
			typeof x.name === 'string' ? [{ name: x.name, served: x.served !== false, storage: x.storage === true, ...(isPlainObject(x.schema) ? { schema: x.schema } : {}) }] : [],
		),
	};
}

function kindObjects(v: unknown): KindObjects | undefined {
	if (!isPlainObject(v) || typeof v.kind !== 'string' || typeof v.group !== 'string' || !Array.isArray(v.items)) return undefined;
	const coverage = v.coverage === 'partial' || v.coverage === 'forbidden' ? v.coverage : 'complete';
	const out: KindObjects = { group: v.group, kind: v.kind, namespaced: v.namespaced === true, coverage, items: v.items.flatMap((i) => metaOf(i) ?? []) };
	if (Array.isArray(v.namespaces)) out.namespaces = v.namespaces.filter((n): n is string => typeof n === 'string');
	const reason = str(v.reason);
	if (reason) out.reason = reason;
	return out;
}

export function sanitizeState(raw: unknown, origin?: StateOrigin): ClusterState | undefined {
	if (!isPlainObject(raw) || raw.formatVersion !== STATE_FORMAT_VERSION || typeof raw.cluster !== 'string' || !isPlainObject(raw.version)) return undefined;
	const v = raw.version;
	const objects: Record<string, KindObjects> = {};
	if (isPlainObject(raw.objects)) {
		for (const [k, o] of Object.entries(raw.objects)) {
			const ko = kindObjects(o);
			if (ko) objects[k] = ko;
		}
	}
	const state: ClusterState = {
		formatVersion: STATE_FORMAT_VERSION,
		cluster: raw.cluster,
		origin: origin ?? (raw.origin === 'cache' || raw.origin === 'snapshot' ? raw.origin : 'live'),
		fetchedAt: str(raw.fetchedAt) ?? new Date(0).toISOString(),
		version: { major: str(v.major) ?? '1', minor: str(v.minor) ?? '', gitVersion: str(v.gitVersion) ?? '' },
		served: served(raw.served),
		crds: Array.isArray(raw.crds) ? raw.crds.flatMap((c) => crdState(c) ?? []) : [],
		objects,
	};
	const context = str(raw.context);
	if (context) state.context = context;
	if (Array.isArray(raw.discoveryFailed)) state.discoveryFailed = raw.discoveryFailed.filter((g): g is string => typeof g === 'string');
	const gitops = sanitizeGitOps(raw.gitops);
	if (gitops.length > 0) state.gitops = gitops;
	const apiSchemas = Array.isArray(raw.apiSchemas) ? raw.apiSchemas.flatMap((a) => apiSchema(a) ?? []) : [];
	if (apiSchemas.length > 0) state.apiSchemas = apiSchemas;
	return state;
}

/** A published schema of a cached or exported state: its apiVersion, kind and schema object, nothing else. */
function apiSchema(v: unknown): ApiSchemaState | undefined {
	if (!isPlainObject(v) || typeof v.apiVersion !== 'string' || typeof v.kind !== 'string' || !isPlainObject(v.schema)) return undefined;
	return { apiVersion: v.apiVersion, kind: v.kind, schema: v.schema };
}

import { isPlainObject } from '../core/resource';
import type { ClusterRender } from '../fleet/targets';
import type { LiveObject, LiveObjectMeta, LiveOwnerReference, ManagedFieldsEntry } from '../live/full-objects';
import { groupOf } from './identity';

/**
 * What of a live object drift keeps in memory: for each kind the repository declares, the fields
 * Git declares for any object of that kind (list items by the union of their items' fields, merge
 * keys always), the metadata that says who owns the object, and the managedFields entries cut
 * down to those fields. Everything else (the rest of the spec, status, Secret data, annotations
 * Git does not set, `last-applied-configuration` above all) is dropped as the object is read.
 */

/** A field tree: map keys to subtrees; `[]` is the subtree of every list item; an empty tree keeps the value whole. */
export interface FieldTree {
	[key: string]: FieldTree;
}

const ITEM = '[]';
/** Merge keys of the built-in associative lists: always kept, so that list items can be matched. */
const MERGE_KEYS = new Set(['name', 'containerPort', 'port', 'protocol', 'mountPath', 'devicePath', 'ip', 'topologyKey', 'whenUnsatisfiable', 'type', 'uid']);
/** Annotations kept whatever Git declares: tracking and Flux's per-object instructions. */
const KEPT_ANNOTATIONS = /^(argocd\.argoproj\.io\/tracking-id|argocd\.argoproj\.io\/compare-options|kustomize\.toolkit\.fluxcd\.io\/(ssa|reconcile|prune))$/;
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

function merge(tree: FieldTree, value: unknown, depth = 0): void {
	if (depth > 64) return;
	if (Array.isArray(value)) {
		const items = (tree[ITEM] ??= {});
		for (const v of value) merge(items, v, depth + 1);
		return;
	}
	if (!isPlainObject(value)) return;
	for (const [k, v] of Object.entries(value)) {
		const sub = (tree[k] ??= {});
		merge(sub, v, depth + 1);
	}
}

export interface KindRef {
	group: string;
	kind: string;
}

export class DriftProjection {
	private readonly trees = new Map<string, FieldTree>();
	private readonly nsSet = new Set<string>();
	private readonly versions = new Map<string, Map<string, number>>();

	/** `whole`: keep every field but status (and Secret data) of the declared kinds (`fleetscope snapshot --full`). */
	constructor(readonly whole = false) {}

	/** The union of what the clusters' renders declare, per kind. */
	static fromRenders(renders: readonly ClusterRender[], whole = false): DriftProjection {
		const p = new DriftProjection(whole);
		for (const r of renders) for (const { object } of r.objects) p.add(object.value);
		return p;
	}

	add(value: Record<string, unknown>): void {
		if (typeof value.apiVersion !== 'string' || typeof value.kind !== 'string') return;
		const key = `${groupOf(value.apiVersion)}|${value.kind}`;
		const counts = this.versions.get(key) ?? new Map<string, number>();
		counts.set(value.apiVersion, (counts.get(value.apiVersion) ?? 0) + 1);
		this.versions.set(key, counts);
		let tree = this.trees.get(key);
		if (!tree) this.trees.set(key, (tree = {}));
		const body: Record<string, unknown> = {};
		for (const [k, v] of Object.entries(value)) if (k !== 'apiVersion' && k !== 'kind' && k !== 'status') body[k] = v;
		// Secret data is never kept, whatever Git declares.
		if (value.kind === 'Secret') {
			delete body.data;
			delete body.stringData;
		}
		merge(tree, body);
		const meta = isPlainObject(value.metadata) ? value.metadata : {};
		if (typeof meta.namespace === 'string') this.nsSet.add(meta.namespace);
		if (value.kind === 'Namespace' && typeof meta.name === 'string') this.nsSet.add(meta.name);
	}

	/** The kinds to read (Namespaces always, Secrets as metadata only). */
	kinds(): KindRef[] {
		return [...this.trees.keys()].sort().map((k) => {
			const [group, kind] = k.split('|');
			return { group, kind };
		});
	}

	/** The apiVersions Git writes a kind in, the most used first (a host reads the kind at the first the cluster serves). */
	apiVersions(group: string, kind: string): string[] {
		return [...(this.versions.get(`${group}|${kind}`) ?? new Map<string, number>())].sort((a, b) => b[1] - a[1]).map(([v]) => v);
	}

	/** The namespaces the repository deploys to (listed one by one where a cluster-wide list is forbidden). */
	namespaces(): string[] {
		return [...this.nsSet].sort();
	}

	/** A text that changes when what is kept changes (a host re-lists a kind when its tree grows). */
	signature(group: string, kind: string): string {
		return JSON.stringify(this.trees.get(`${group}|${kind}`) ?? null);
	}

	/** The kept part of a live object of a declared kind, or undefined when it is not an object. */
	project(raw: unknown): LiveObject | undefined {
		if (!isPlainObject(raw) || !isPlainObject(raw.metadata) || typeof raw.apiVersion !== 'string' || typeof raw.kind !== 'string') return undefined;
		const group = groupOf(raw.apiVersion);
		const tree = this.trees.get(`${group}|${raw.kind}`) ?? {};
		return projectObject(raw, tree, group, this.whole && this.trees.has(`${group}|${raw.kind}`));
	}
}

function keep(value: unknown, tree: FieldTree, depth = 0): unknown {
	if (Object.keys(tree).length === 0 || depth > 64) return value;
	if (Array.isArray(value)) {
		const items = tree[ITEM] ?? {};
		return value.map((v) => keep(v, items, depth + 1));
	}
	if (!isPlainObject(value)) return value;
	const out: Record<string, unknown> = {};
	for (const [k, v] of Object.entries(value)) {
		if (k in tree) out[k] = keep(v, tree[k], depth + 1);
		else if (MERGE_KEYS.has(k) && (typeof v === 'string' || typeof v === 'number')) out[k] = v;
	}
	return out;
}

/** fieldsV1 cut down to a field tree (`f:` keys follow it, list items follow `[]`). */
function keepFields(fields: unknown, tree: FieldTree | undefined, depth = 0): Record<string, unknown> | undefined {
	if (!isPlainObject(fields)) return undefined;
	if (tree === undefined) return undefined;
	// An empty node owns its value whole (an atomic list, a scalar): kept as is.
	if (Object.keys(tree).length === 0 || Object.keys(fields).length === 0 || depth > 64) return fields;
	const out: Record<string, unknown> = {};
	for (const [k, v] of Object.entries(fields)) {
		if (k === '.') out[k] = v;
		else if (k.startsWith('f:')) {
			const sub = keepFields(v, tree[k.slice(2)], depth + 1);
			if (sub) out[k] = sub;
		} else if (k.startsWith('k:') || k.startsWith('i:') || k.startsWith('v:')) {
			const sub = keepFields(v, tree[ITEM], depth + 1);
			if (sub) out[k] = sub;
		}
	}
	return Object.keys(out).length > 0 ? out : undefined;
}

function strings(v: unknown, pick?: (k: string) => boolean): Record<string, string> | undefined {
	if (!isPlainObject(v)) return undefined;
	const out: Record<string, string> = {};
	for (const [k, x] of Object.entries(v)) if (typeof x === 'string' && (!pick || pick(k))) out[k] = x;
	return Object.keys(out).length > 0 ? out : undefined;
}

export function projectObject(raw: Record<string, unknown>, tree: FieldTree, group: string, whole = false): LiveObject {
	const m = raw.metadata as Record<string, unknown>;
	const declaredMeta = tree.metadata ?? {};
	const declaredAnnotations = declaredMeta.annotations ?? {};
	const meta: LiveObjectMeta = { name: String(m.name ?? '') };
	if (typeof m.namespace === 'string') meta.namespace = m.namespace;
	if (typeof m.uid === 'string') meta.uid = m.uid;
	if (typeof m.creationTimestamp === 'string') meta.creationTimestamp = m.creationTimestamp;
	const labels = strings(m.labels);
	if (labels) meta.labels = labels;
	const annotations = strings(m.annotations, (k) => k !== LAST_APPLIED && (whole || k in declaredAnnotations || KEPT_ANNOTATIONS.test(k)));
	if (annotations) meta.annotations = annotations;
	if (Array.isArray(m.ownerReferences)) {
		const refs: LiveOwnerReference[] = m.ownerReferences.filter(isPlainObject).flatMap((r) =>
			typeof r.kind === 'string' && typeof r.name === 'string' ? [{ kind: r.kind, name: r.name, ...(typeof r.apiVersion === 'string' ? { apiVersion: r.apiVersion } : {}), ...(typeof r.uid === 'string' ? { uid: r.uid } : {}), ...(r.controller === true ? { controller: true } : {}) }] : [],
		);
		if (refs.length > 0) meta.ownerReferences = refs;
	}
	if ('finalizers' in declaredMeta && Array.isArray(m.finalizers)) meta.finalizers = m.finalizers.filter((f): f is string => typeof f === 'string');
	if (Array.isArray(m.managedFields)) {
		const fieldTree: FieldTree = { ...tree, metadata: { ...declaredMeta, labels: {}, annotations: declaredAnnotations } };
		if (Object.keys(declaredAnnotations).length === 0) delete fieldTree.metadata.annotations;
		const entries: ManagedFieldsEntry[] = [];
		for (const e of m.managedFields.filter(isPlainObject)) {
			if (typeof e.manager !== 'string') continue;
			const fieldsV1 = whole ? (isPlainObject(e.fieldsV1) ? e.fieldsV1 : undefined) : keepFields(e.fieldsV1, fieldTree);
			if (!fieldsV1) continue;
			// A YAML dump read with timestamps as dates still gives the time.
			const time = e.time instanceof Date ? e.time.toISOString().replace(/\.000Z$/, 'Z') : e.time;
			entries.push({ manager: e.manager, ...(typeof e.operation === 'string' ? { operation: e.operation } : {}), ...(typeof time === 'string' ? { time } : {}), ...(typeof e.subresource === 'string' ? { subresource: e.subresource } : {}), fieldsV1 });
		}
		if (entries.length > 0) meta.managedFields = entries;
	}
	const out: LiveObject = { apiVersion: String(raw.apiVersion), kind: String(raw.kind), metadata: meta };
	const secret = raw.kind === 'Secret' && group === '';
	for (const [k, v] of Object.entries(raw)) {
		if (k === 'apiVersion' || k === 'kind' || k === 'metadata') continue;
		if (secret && (k === 'data' || k === 'stringData')) continue;
		if (secret && k === 'type' && typeof v === 'string') out.type = v;
		else if (whole && k !== 'status') out[k] = v;
		else if (k in tree) out[k] = keep(v, tree[k]);
	}
	// Flux's inventory says what a Kustomization applied: it decides what is extraneous.
	if (group === 'kustomize.toolkit.fluxcd.io' && raw.kind === 'Kustomization' && isPlainObject(raw.status) && isPlainObject(raw.status.inventory)) {
		const entries = Array.isArray(raw.status.inventory.entries) ? raw.status.inventory.entries.filter(isPlainObject).map((e) => ({ id: String(e.id ?? ''), v: String(e.v ?? '') })) : [];
		out.status = { inventory: { entries } };
	}
	return out;
}

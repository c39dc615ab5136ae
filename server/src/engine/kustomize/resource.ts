import { cloneNode, get, str, type KMap, type Src } from './node';

/**
 * A resource while it is being rendered: its tree plus the bookkeeping kustomize keeps in
 * internal annotations (previous ids for name references, the prefixes and suffixes applied,
 * whether a generated name still needs its hash suffix).
 */

export interface Gvk {
	group: string;
	version: string;
	kind: string;
}

export interface ResId extends Gvk {
	name: string;
	namespace: string;
}

export type Behavior = 'create' | 'merge' | 'replace';

export interface Res {
	node: KMap;
	/** The document the object comes from. */
	source: Src;
	/** Ids the resource had before its name, namespace or kind changed, oldest first (kustomize's PrevIds). */
	prevIds: ResId[];
	/** Name prefixes and suffixes applied, outermost last (kustomize's ResCtx). */
	prefixes: string[];
	suffixes: string[];
	/** A generated ConfigMap or Secret whose name still gets the content hash. */
	needsHash: boolean;
	/** For generated resources: how they combine with an existing one of the same id. */
	behavior?: Behavior;
	/** The place that set the generated name (the generator's `name` field), for the hashed name's origin. */
	nameSrc?: Src;
}

export function cloneRes(r: Res): Res {
	return { ...r, node: cloneNode(r.node), prevIds: r.prevIds.slice(), prefixes: r.prefixes.slice(), suffixes: r.suffixes.slice() };
}

export function parseApiVersion(apiVersion: string): { group: string; version: string } {
	const slash = apiVersion.lastIndexOf('/');
	return slash === -1 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

export function gvkOf(node: KMap): Gvk {
	const { group, version } = parseApiVersion(str(get(node, 'apiVersion')) ?? '');
	return { group, version, kind: str(get(node, 'kind')) ?? '' };
}

export function curId(r: Res | KMap): ResId {
	const node = 'node' in r ? r.node : r;
	const meta = get(node, 'metadata');
	const { group, version, kind } = gvkOf(node);
	// Built field by field: a spread of the GVK here was the costliest line of a cold start's renders.
	return { group, version, kind, name: str(get(meta, 'name')) ?? '', namespace: str(get(meta, 'namespace')) ?? '' };
}

/** The original id: the oldest previous id, or the current one. */
export function orgId(r: Res): ResId {
	return r.prevIds.length > 0 ? r.prevIds[0] : curId(r);
}

/** Records the current id as a previous one (kustomize's StorePreviousId). */
export function storePreviousId(r: Res): void {
	r.prevIds.push(curId(r));
}

/** All ids, previous ones first and the current one last. */
export function allIds(r: Res): ResId[] {
	return [...r.prevIds, curId(r)];
}

export function gvkEquals(a: Gvk, b: Gvk): boolean {
	return a.group === b.group && a.version === b.version && a.kind === b.kind;
}

/** A selector Gvk matches when each of its non-empty parts is equal (kustomize's IsSelected). */
export function gvkSelected(x: Gvk, selector: Partial<Gvk>): boolean {
	if (selector.group && selector.group !== x.group) return false;
	if (selector.version && selector.version !== x.version) return false;
	if (selector.kind && selector.kind !== x.kind) return false;
	return true;
}

/**
 * Kinds whose objects are cluster-scoped in the Kubernetes API schema kustomize v5.5 embeds.
 * Kustomize treats every kind it does not know (custom resources included) as namespaced, so
 * `namespace:` sets a namespace on a ClusterIssuer too; this table keeps that behaviour.
 */
const CLUSTER_SCOPED: Record<string, string[]> = {
	'': ['ComponentStatus', 'Namespace', 'Node', 'PersistentVolume'],
	'admissionregistration.k8s.io': ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'],
	'apiextensions.k8s.io': ['CustomResourceDefinition'],
	'apiregistration.k8s.io': ['APIService'],
	'authentication.k8s.io': ['TokenReview'],
	'authorization.k8s.io': ['SelfSubjectAccessReview', 'SelfSubjectRulesReview', 'SubjectAccessReview'],
	'certificates.k8s.io': ['CertificateSigningRequest'],
	'flowcontrol.apiserver.k8s.io': ['FlowSchema', 'PriorityLevelConfiguration'],
	'networking.k8s.io': ['IngressClass'],
	'node.k8s.io': ['RuntimeClass'],
	policy: ['PodSecurityPolicy'],
	'rbac.authorization.k8s.io': ['ClusterRole', 'ClusterRoleBinding'],
	'scheduling.k8s.io': ['PriorityClass'],
	'storage.k8s.io': ['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment'],
	extensions: ['PodSecurityPolicy'],
};

export function isClusterScoped(gvk: Gvk): boolean {
	return CLUSTER_SCOPED[gvk.group]?.includes(gvk.kind) ?? false;
}

/** Namespace as kustomize compares it: '' and 'default' are the same, cluster-scoped objects have none. */
export function effectiveNamespace(id: ResId): string {
	if (isClusterScoped(id)) return '';
	return id.namespace === '' ? 'default' : id.namespace;
}

export function nsEquals(a: ResId, b: ResId): boolean {
	return effectiveNamespace(a) === effectiveNamespace(b);
}

/** kustomize's ResId.Equals: same gvk, name and (effective) namespace. */
export function idEquals(a: ResId, b: ResId): boolean {
	return gvkEquals(a, b) && a.name === b.name && nsEquals(a, b);
}

export function idString(id: ResId): string {
	const g = id.group ? `${id.group}/` : '';
	const ns = id.namespace ? `${id.namespace}/` : '';
	return `${g}${id.version}/${id.kind}/${ns}${id.name}`;
}

export function labelsOf(r: Res): Record<string, string> {
	return stringMap(get(get(r.node, 'metadata'), 'labels'));
}

export function annotationsOf(r: Res): Record<string, string> {
	return stringMap(get(get(r.node, 'metadata'), 'annotations'));
}

function stringMap(n: ReturnType<typeof get>): Record<string, string> {
	const out: Record<string, string> = {};
	if (n?.kind === 'map') {
		for (const [k, v] of n.entries) if (v.kind === 'scalar' && v.value !== null) out[k] = String(v.value);
	}
	return out;
}

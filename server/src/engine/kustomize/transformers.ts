import { COMMON_ANNOTATIONS, NAMESPACE, REPLICAS, type FieldSpec } from './fieldspecs';
import { FieldPathError, visitFieldSpec } from './fieldpath';
import { ensureMap, get, isMap, scalar, str, type KMap, type KNode, type Src } from './node';
import { curId, gvkOf, gvkSelected, isClusterScoped, orgId, storePreviousId, type Res } from './resource';
import { matchingByAnyId } from './selector';

/**
 * The built-in transformers of a kustomization, in the order kustomize runs them after patches:
 * namespace, name prefix and suffix, labels, annotations, replicas and images. Each one gives the
 * values it sets the place of the kustomization field that asked for them.
 */

export type Problem = (message: string, at: Src, severity?: 'warning' | 'error') => void;

function guarded(r: Res, problem: Problem, at: Src, what: string, fn: () => void): void {
	try {
		fn();
	} catch (e) {
		if (!(e instanceof FieldPathError)) throw e;
		const id = curId(r);
		problem(`${what} could not be applied to ${id.kind} '${id.name}': ${e.message}.`, at);
	}
}

function setScalar(node: KNode, value: string | number, src: Src): void {
	if (node.kind !== 'scalar') throw new FieldPathError(`expected a value, found a ${node.kind === 'map' ? 'map' : 'list'}`);
	node.value = value;
	node.src = src;
}

/** kustomize's `SetEntry` on every map a spec reaches. */
function setEntries(r: Res, specs: FieldSpec[], entries: [string, string, Src][], at: Src, problem: Problem, what: string): void {
	const sorted = [...entries].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
	for (const spec of specs) {
		guarded(r, problem, at, what, () =>
			visitFieldSpec(
				r.node,
				spec,
				(node) => {
					if (node.kind !== 'map') throw new FieldPathError(`'${spec.path}' is not a map`);
					for (const [k, v, src] of sorted) {
						const cur = node.entries.get(k);
						if (cur && cur.kind === 'scalar') {
							cur.value = v;
							cur.src = src;
						} else node.entries.set(k, scalar(v, src));
					}
				},
				'map',
				at,
			),
		);
	}
}

export function applyNamespace(resources: Res[], namespace: string, at: Src, problem: Problem): void {
	for (const r of resources) {
		if (r.node.entries.size === 0) continue;
		storePreviousId(r);
		const gvk = gvkOf(r.node);
		guarded(r, problem, at, `namespace '${namespace}'`, () => {
			if (!isClusterScoped(gvk)) {
				const meta = ensureMap(r.node, 'metadata', at);
				if (!meta) throw new FieldPathError('metadata is not a map');
				const cur = meta.entries.get('namespace');
				if (cur && cur.kind === 'scalar') setScalar(cur, namespace, at);
				else meta.entries.set('namespace', scalar(namespace, at));
			}
			if (gvk.kind === 'RoleBinding' || gvk.kind === 'ClusterRoleBinding') {
				// Only subjects named "default" get the namespace (kustomize's roleBindingHack); the
				// others are fixed by name references when their ServiceAccount is part of the build.
				const subjects = get(r.node, 'subjects');
				if (subjects?.kind === 'seq') {
					for (const s of subjects.items) {
						if (s.kind !== 'map' || str(s.entries.get('name')) !== 'default') continue;
						const cur = s.entries.get('namespace');
						if (cur && cur.kind === 'scalar') setScalar(cur, namespace, at);
						else s.entries.set('namespace', scalar(namespace, at));
					}
				}
			}
			for (const spec of NAMESPACE) {
				visitFieldSpec(r.node, spec, (node) => setScalar(node, namespace, at), 'scalar', at);
			}
		});
	}
	// Two objects that now share an id are a conflict in kustomize.
	const seen = new Map<string, Res>();
	for (const r of resources) {
		const id = curId(r);
		const key = `${id.group}|${id.version}|${id.kind}|${id.namespace}|${id.name}`;
		if (seen.has(key)) problem(`Setting namespace '${namespace}' makes two ${id.kind} objects named '${id.name}' collide.`, at, 'error');
		seen.set(key, r);
	}
}

const PREFIX_SKIP = [{ kind: 'CustomResourceDefinition' }, { group: 'apiregistration.k8s.io', kind: 'APIService' }, { kind: 'Namespace' }];

/** namePrefix or nameSuffix on metadata.name of every object except CRDs, APIServices and Namespaces. */
export function applyAffix(resources: Res[], affix: string, side: 'prefix' | 'suffix', at: Src): void {
	for (const r of resources) {
		if (PREFIX_SKIP.some((s) => gvkSelected(orgId(r), s))) continue;
		if (affix !== '') {
			if (side === 'prefix') r.prefixes.push(affix);
			else r.suffixes.push(affix);
			storePreviousId(r);
		}
		const name = get(get(r.node, 'metadata'), 'name');
		if (name?.kind !== 'scalar' || affix === '') continue;
		const v = name.value === null ? '' : String(name.value);
		name.value = side === 'prefix' ? affix + v : v + affix;
		name.src = at;
	}
}

export interface LabelSet {
	pairs: [string, string, Src][];
	specs: FieldSpec[];
	at: Src;
	what: string;
}

export function applyLabels(resources: Res[], set: LabelSet, problem: Problem): void {
	if (set.pairs.length === 0) return;
	for (const r of resources) setEntries(r, set.specs, set.pairs, set.at, problem, set.what);
}

export function applyAnnotations(resources: Res[], pairs: [string, string, Src][], at: Src, problem: Problem): void {
	if (pairs.length === 0) return;
	for (const r of resources) setEntries(r, COMMON_ANNOTATIONS, pairs, at, problem, 'commonAnnotations');
}

export interface ReplicaSpec {
	name: string;
	count: number;
	at: Src;
}

/** Returns false when no object has that name (an error in kustomize). */
export function applyReplicas(resources: Res[], rep: ReplicaSpec, problem: Problem): boolean {
	let found = false;
	for (const spec of REPLICAS) {
		const matches = matchingByAnyId(resources, (id) => id.name === rep.name && gvkSelected(id, { kind: spec.kind, group: spec.group, version: spec.version }));
		for (const r of matches) {
			found = true;
			guarded(r, problem, rep.at, `replicas for '${rep.name}'`, () =>
				visitFieldSpec(r.node, spec, (node) => setScalar(node, rep.count, rep.at), 'scalar', rep.at),
			);
		}
	}
	return found;
}

export interface ImageSpec {
	name: string;
	newName?: string;
	newTag?: string;
	digest?: string;
	at: Src;
}

/** kustomize's image.Split: name, tag and digest of an image reference. */
export function splitImage(image: string): { name: string; tag: string; digest: string } {
	let searchName = image;
	let slash = image.indexOf('/');
	if (slash > 0) searchName = image.slice(slash);
	else slash = 0;
	let at = searchName.indexOf('@');
	let colon = searchName.indexOf(':');
	if (colon < 0 && at < 0) return { name: image, tag: '', digest: '' };
	if (at >= 0 && (at < colon || colon < 0)) {
		at += slash;
		return { name: image.slice(0, at), tag: '', digest: image.slice(at + 1) };
	}
	if (at >= 0 && colon >= 0) {
		at += slash;
		colon += slash;
		return { name: image.slice(0, colon), tag: image.slice(colon + 1, at), digest: image.slice(at + 1) };
	}
	colon += slash;
	return { name: image.slice(0, colon), tag: image.slice(colon + 1), digest: '' };
}

function imageMatches(value: string, name: string): boolean {
	// kustomize builds a regular expression from the name as written (dots match any character).
	try {
		return new RegExp(`^${name}(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9_.{}-]*)?$`).test(value) || value === name;
	} catch {
		return splitImage(value).name === name;
	}
}

export function updateImage(value: string, img: ImageSpec): string | undefined {
	if (!imageMatches(value, img.name)) return undefined;
	let { name, tag, digest } = splitImage(value);
	if (img.newName) name = img.newName;
	if (img.newTag && img.digest) {
		tag = img.newTag;
		digest = img.digest;
	} else if (img.newTag) {
		tag = img.newTag;
		digest = '';
	} else if (img.digest) {
		tag = '';
		digest = img.digest;
	}
	return name + (tag ? ':' + tag : '') + (digest ? '@' + digest : '');
}

/** Every `image` of every element of a `containers` or `initContainers` list, anywhere in any object but a CRD. */
export function applyImage(resources: Res[], img: ImageSpec): void {
	for (const r of resources) {
		if (gvkOf(r.node).kind === 'CustomResourceDefinition') continue;
		visitContainers(r.node, img, 0);
	}
}

function visitContainers(node: KNode, img: ImageSpec, depth: number): void {
	if (depth > 100) return;
	if (node.kind === 'seq') {
		for (const i of node.items) visitContainers(i, img, depth + 1);
		return;
	}
	if (!isMap(node)) return;
	for (const [k, v] of node.entries) {
		visitContainers(v, img, depth + 1);
		if ((k === 'containers' || k === 'initContainers') && v.kind === 'seq') {
			for (const c of v.items) {
				const image = get(c, 'image');
				if (image?.kind !== 'scalar' || typeof image.value !== 'string') continue;
				const next = updateImage(image.value, img);
				if (next !== undefined) {
					image.value = next;
					image.src = img.at;
				}
			}
		}
	}
}

export type { KMap };

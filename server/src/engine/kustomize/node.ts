import { base64 } from './encoding';
import type { Origin, PathKey } from './types';

/**
 * The renderer works on a small tree of its own: plain JSON data where every node also knows the
 * place in the repository its value came from. Transformations replace or add nodes; a node taken
 * from a patch keeps the patch's place, a value set by a transformer gets the kustomization field
 * that set it. A place is a chain of (parent, key) links, so the nodes of one document share
 * their path prefixes and a path is built only when someone asks for it.
 */

export interface DocRef {
	readonly file: string;
	readonly documentIndex: number;
}

/** A place inside a document: the document itself (no parent) or a key below another place. */
export interface Src {
	readonly doc: DocRef;
	readonly parent: Src | undefined;
	readonly key: PathKey | undefined;
}

export type Scalar = string | number | boolean | null;

export interface KMap {
	kind: 'map';
	src: Src;
	entries: Map<string, KNode>;
}
export interface KSeq {
	kind: 'seq';
	src: Src;
	items: KNode[];
}
export interface KScalar {
	kind: 'scalar';
	src: Src;
	value: Scalar;
	/** Written quoted or as a block in its source: kustomize keeps that style, so Flux's substitution keeps it a string. */
	quoted?: boolean;
}
export type KNode = KMap | KSeq | KScalar;

export function docSrc(file: string, documentIndex: number): Src {
	return { doc: { file, documentIndex }, parent: undefined, key: undefined };
}

export function childSrc(parent: Src, key: PathKey): Src {
	return { doc: parent.doc, parent, key };
}

/** A place given as a document and a JSON path (for values set by kustomization fields). */
export function srcAt(doc: Src, path: readonly PathKey[]): Src {
	let s = doc;
	for (const k of path) s = childSrc(s, k);
	return s;
}

export function originOfSrc(src: Src): Origin {
	const path: PathKey[] = [];
	for (let s: Src | undefined = src; s && s.key !== undefined; s = s.parent) path.push(s.key);
	path.reverse();
	return { file: src.doc.file, documentIndex: src.doc.documentIndex, path };
}

/** Builds a tree from plain data (a parsed document value), each node placed below `src`. */
export function fromPlain(value: unknown, src: Src, depth = 0): KNode {
	if (depth > 200) return { kind: 'scalar', src, value: null };
	if (Array.isArray(value)) {
		return { kind: 'seq', src, items: value.map((v, i) => fromPlain(v, childSrc(src, i), depth + 1)) };
	}
	if (value instanceof Date) return { kind: 'scalar', src, value: Number.isNaN(value.getTime()) ? String(value) : value.toISOString() };
	if (typeof value === 'object' && value !== null) {
		if (value instanceof Uint8Array) return { kind: 'scalar', src, value: base64(value) };
		const entries = new Map<string, KNode>();
		for (const [k, v] of Object.entries(value as Record<string, unknown>)) entries.set(k, fromPlain(v, childSrc(src, k), depth + 1));
		return { kind: 'map', src, entries };
	}
	if (typeof value === 'bigint') return { kind: 'scalar', src, value: Number(value) };
	if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return { kind: 'scalar', src, value };
	return { kind: 'scalar', src, value: null };
}

/** Plain JSON data of a tree. Map keys keep their order. */
export function toPlain(node: KNode): unknown {
	switch (node.kind) {
		case 'scalar':
			return node.value;
		case 'seq':
			return node.items.map(toPlain);
		case 'map': {
			const out: Record<string, unknown> = {};
			for (const [k, v] of node.entries) out[k] = toPlain(v);
			return out;
		}
	}
}

/** A deep copy; places are immutable and shared. */
export function cloneNode<T extends KNode>(node: T): T {
	switch (node.kind) {
		case 'scalar':
			return { ...node } as T;
		case 'seq':
			return { kind: 'seq', src: node.src, items: node.items.map(cloneNode) } as T;
		case 'map': {
			const entries = new Map<string, KNode>();
			for (const [k, v] of node.entries) entries.set(k, cloneNode(v));
			return { kind: 'map', src: node.src, entries } as T;
		}
	}
}

export function scalar(value: Scalar, src: Src): KScalar {
	return { kind: 'scalar', src, value };
}

export function emptyMap(src: Src): KMap {
	return { kind: 'map', src, entries: new Map() };
}

export function isMap(n: KNode | undefined): n is KMap {
	return n !== undefined && n.kind === 'map';
}
export function isSeq(n: KNode | undefined): n is KSeq {
	return n !== undefined && n.kind === 'seq';
}
export function isNull(n: KNode | undefined): boolean {
	return n !== undefined && n.kind === 'scalar' && n.value === null;
}
export function isMissingOrNull(n: KNode | undefined): boolean {
	return n === undefined || isNull(n);
}

/** The string value of a scalar node, or undefined. */
export function str(n: KNode | undefined): string | undefined {
	return n !== undefined && n.kind === 'scalar' && typeof n.value === 'string' ? n.value : undefined;
}

/** A scalar's text as kyaml compares it (`80`, `true`); '' for maps, lists and null. */
export function textOf(n: KNode | undefined): string {
	if (n === undefined || n.kind !== 'scalar' || n.value === null) return '';
	return typeof n.value === 'string' ? n.value : String(n.value);
}

export function get(n: KNode | undefined, key: string): KNode | undefined {
	return n !== undefined && n.kind === 'map' ? n.entries.get(key) : undefined;
}

/** The node at a path of map keys and list indices, or undefined. */
export function getPath(n: KNode | undefined, path: readonly PathKey[]): KNode | undefined {
	let cur = n;
	for (const k of path) {
		if (cur === undefined) return undefined;
		if (cur.kind === 'map') cur = cur.entries.get(String(k));
		else if (cur.kind === 'seq' && typeof k === 'number') cur = cur.items[k];
		else return undefined;
	}
	return cur;
}

/** The map at `key` of `parent`, created (placed at `src`) when missing or null. Undefined when the field holds something else. */
export function ensureMap(parent: KMap, key: string, src: Src): KMap | undefined {
	const cur = parent.entries.get(key);
	if (cur === undefined || isNull(cur)) {
		const m = emptyMap(src);
		parent.entries.set(key, m);
		return m;
	}
	return cur.kind === 'map' ? cur : undefined;
}

/** The deepest node along `path` and its place: what `RenderedObject.originOf` answers. */
export function deepestSrc(root: KNode, path: readonly PathKey[]): Src {
	let cur: KNode = root;
	for (const k of path) {
		let next: KNode | undefined;
		if (cur.kind === 'map') next = cur.entries.get(String(k));
		else if (cur.kind === 'seq') next = cur.items[typeof k === 'number' ? k : Number(k)];
		if (next === undefined) break;
		cur = next;
	}
	return cur.src;
}

/** Deep equality of two trees' data. */
export function equalData(a: KNode, b: KNode): boolean {
	if (a.kind !== b.kind) return false;
	if (a.kind === 'scalar') return a.value === (b as KScalar).value;
	if (a.kind === 'seq') {
		const bi = (b as KSeq).items;
		return a.items.length === bi.length && a.items.every((x, i) => equalData(x, bi[i]));
	}
	const be = (b as KMap).entries;
	if (a.entries.size !== be.size) return false;
	for (const [k, v] of a.entries) {
		const w = be.get(k);
		if (w === undefined || !equalData(v, w)) return false;
	}
	return true;
}

/** Gives every node of a tree the same place (values parsed from a string inside a kustomization, e.g. an inline patch). */
export function flatten(n: KNode, src: Src): KNode {
	const visit = (x: KNode) => {
		x.src = src;
		if (x.kind === 'map') x.entries.forEach(visit);
		else if (x.kind === 'seq') x.items.forEach(visit);
	};
	visit(n);
	return n;
}

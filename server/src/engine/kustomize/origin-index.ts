import { childSrc, originOfSrc, type KNode, type Src } from './node';
import type { Origin, PathKey } from './types';

/**
 * Where each value of a rendered object came from, without the object's node tree: a node's
 * place is usually its parent's place one key further (the same document, the same path below
 * it), so only the nodes where that does not hold (a patched field, a value a transformer set, a
 * list item that moved) are recorded, by path. With the object's plain value this answers
 * `originOf` exactly as the node tree does, and rebuilds the tree where one is needed again (Flux's
 * post-build substitution). A rendered object then holds its value and a handful of places instead
 * of a node and a place per value.
 */
export class OriginIndex {
	private constructor(
		private readonly root: Src,
		/** Places that are not their parent's natural child, by path key (see `pathKey`). */
		private readonly overrides: ReadonlyMap<string, Src> | undefined,
		/** Quoted strings that hold `$` (substitution keeps them strings), by path key. */
		private readonly quoted: ReadonlySet<string> | undefined,
	) {}

	static of(node: KNode): OriginIndex {
		let overrides: Map<string, Src> | undefined;
		let quoted: Set<string> | undefined;
		const visit = (n: KNode, key: string, depth: number) => {
			if (depth > 200) return;
			if (n.kind === 'scalar') {
				if (n.quoted && typeof n.value === 'string' && n.value.includes('$')) (quoted ??= new Set()).add(key);
				return;
			}
			const each = (child: KNode, k: PathKey) => {
				const ck = pathKey(key, k);
				const s = child.src;
				if (!(s.parent === n.src && s.key === k && s.doc === n.src.doc)) (overrides ??= new Map()).set(ck, s);
				visit(child, ck, depth + 1);
			};
			if (n.kind === 'map') for (const [k, v] of n.entries) each(v, k);
			else n.items.forEach(each);
		};
		visit(node, '', 0);
		return new OriginIndex(node.src, overrides, quoted);
	}

	/** The origin of the deepest value along `path` in `value` (what `deepestSrc` of the node tree answers). */
	originOf(value: unknown, path: readonly PathKey[]): Origin {
		let src = this.root;
		let key = '';
		let cur = value;
		for (const k of path) {
			let next: unknown;
			let step: PathKey;
			if (Array.isArray(cur)) {
				step = typeof k === 'number' ? k : Number(k);
				next = cur[step];
			} else if (typeof cur === 'object' && cur !== null) {
				step = String(k);
				next = Object.prototype.hasOwnProperty.call(cur, step) ? (cur as Record<string, unknown>)[step] : undefined;
			} else break;
			if (next === undefined) break;
			key = pathKey(key, step);
			src = this.overrides?.get(key) ?? childSrc(src, step);
			cur = next;
		}
		return originOfSrc(src);
	}

	/** The node tree of `value` with every node at its place (a fresh tree: callers may change it). */
	tree(value: unknown): KNode {
		const build = (v: unknown, src: Src, key: string, depth: number): KNode => {
			if (depth <= 200 && Array.isArray(v)) return { kind: 'seq', src, items: v.map((x, i) => build(x, this.srcOf(src, key, i), pathKey(key, i), depth + 1)) };
			if (depth <= 200 && typeof v === 'object' && v !== null) {
				const entries = new Map<string, KNode>();
				for (const [k, x] of Object.entries(v)) entries.set(k, build(x, this.srcOf(src, key, k), pathKey(key, k), depth + 1));
				return { kind: 'map', src, entries };
			}
			const scalar = v === undefined || typeof v === 'object' ? null : (v as string | number | boolean);
			return this.quoted?.has(key) ? { kind: 'scalar', src, value: scalar, quoted: true } : { kind: 'scalar', src, value: scalar };
		};
		return build(value, this.root, '', 0);
	}

	private srcOf(parent: Src, parentKey: string, k: PathKey): Src {
		return this.overrides?.get(pathKey(parentKey, k)) ?? childSrc(parent, k);
	}
}

/** A path as a map key: list indexes and map keys kept apart, separators that keys cannot hold. */
function pathKey(parent: string, k: PathKey): string {
	return typeof k === 'number' ? `${parent}\u0001${k}` : `${parent}\u0002${k}`;
}

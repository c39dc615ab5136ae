/**
 * Who owns the live heap: the dominator tree of a V8 heap snapshot (`--heapsnapshot-signal`,
 * `v8.writeHeapSnapshot`), as Chrome DevTools' "Retainers"/"Retained size" would show it, printed
 * as text for this machine (no browser here). An object's retained size is what would be freed if
 * it went; its owner (immediate dominator) is the one object every path from the roots to it passes
 * through. Weak edges do not hold anything.
 *
 *   node --max-old-space-size=8000 --import tsx bench/heap-owners.ts FILE.heapsnapshot [--min=1] [--depth=8] [--group=FleetState]
 *
 * --min: smallest retained size shown, in MiB; --depth: levels of the tree; --group: for each object
 * whose label contains it, what it owns grouped by kind (`object:Rendered ×11,169: 10.6 MiB`).
 * Build with `npm run build:dev` first to see class names instead of minified ones. The dominators
 * are computed with Cooper, Harvey and Kennedy's iterative algorithm ("A Simple, Fast Dominance
 * Algorithm", 2001) over a reverse postorder.
 */
import { readFileSync } from 'node:fs';

interface Snapshot {
	snapshot: { meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] } };
	nodes: number[];
	edges: number[];
	strings: string[];
}

export interface HeapOwners {
	/** Retained size of each node (bytes), by node ordinal. */
	retained: Float64Array;
	/** Immediate dominator of each node (-1: unreachable), by node ordinal. */
	idom: Int32Array;
	label(node: number): string;
	/** The name of the edge from `owner` to `node` (`.fleetState`, `[3]`). */
	edgeName(owner: number, node: number): string;
	/** The nodes `owner` dominates directly. */
	owned(owner: number): number[];
	count: number;
}

export function heapOwners(snap: Snapshot): HeapOwners {
	const { meta } = snap.snapshot;
	const N = meta.node_fields.length;
	const E = meta.edge_fields.length;
	const [nodeTypes] = meta.node_types;
	const [edgeTypes] = meta.edge_types;
	const TYPE = meta.node_fields.indexOf('type');
	const NAME = meta.node_fields.indexOf('name');
	const SIZE = meta.node_fields.indexOf('self_size');
	const EDGES = meta.node_fields.indexOf('edge_count');
	const ETYPE = meta.edge_fields.indexOf('type');
	const ENAME = meta.edge_fields.indexOf('name_or_index');
	const ETO = meta.edge_fields.indexOf('to_node');
	const { nodes, edges, strings } = snap;
	const count = nodes.length / N;
	const firstEdge = new Uint32Array(count + 1);
	for (let i = 0, e = 0; i < count; i++) {
		firstEdge[i] = e;
		e += nodes[i * N + EDGES] * E;
	}
	firstEdge[count] = edges.length;
	const weak = edgeTypes.indexOf('weak');
	const shortcut = edgeTypes.indexOf('shortcut');
	const holds = (e: number) => edges[e + ETYPE] !== weak && edges[e + ETYPE] !== shortcut;

	// Postorder of a depth-first walk from the root (node 0), iterative: snapshots are deep.
	const post = new Int32Array(count).fill(-1);
	const order = new Uint32Array(count);
	let visited = 0;
	const next = new Uint32Array(count);
	const seen = new Uint8Array(count);
	const stack = [0];
	seen[0] = 1;
	next[0] = firstEdge[0];
	while (stack.length > 0) {
		const v = stack[stack.length - 1];
		let descended = false;
		while (next[v] < firstEdge[v + 1]) {
			const e = next[v];
			next[v] += E;
			if (!holds(e)) continue;
			const w = edges[e + ETO] / N;
			if (seen[w]) continue;
			seen[w] = 1;
			next[w] = firstEdge[w];
			stack.push(w);
			descended = true;
			break;
		}
		if (!descended) {
			stack.pop();
			post[v] = visited;
			order[visited++] = v;
		}
	}

	// Predecessors, as one flat array.
	const predStart = new Uint32Array(count + 1);
	for (let v = 0; v < count; v++) if (post[v] >= 0) for (let e = firstEdge[v]; e < firstEdge[v + 1]; e += E) if (holds(e)) predStart[edges[e + ETO] / N + 1]++;
	for (let i = 0; i < count; i++) predStart[i + 1] += predStart[i];
	const preds = new Uint32Array(predStart[count]);
	const fill = predStart.slice(0, count);
	for (let v = 0; v < count; v++) if (post[v] >= 0) for (let e = firstEdge[v]; e < firstEdge[v + 1]; e += E) if (holds(e)) preds[fill[edges[e + ETO] / N]++] = v;

	const idom = new Int32Array(count).fill(-1);
	idom[0] = 0;
	const intersect = (a: number, b: number): number => {
		while (a !== b) {
			while (post[a] < post[b]) a = idom[a];
			while (post[b] < post[a]) b = idom[b];
		}
		return a;
	};
	for (let changed = true; changed; ) {
		changed = false;
		for (let k = visited - 1; k >= 0; k--) {
			const v = order[k];
			if (v === 0) continue;
			let dom = -1;
			for (let p = predStart[v]; p < predStart[v + 1]; p++) {
				const u = preds[p];
				if (idom[u] >= 0) dom = dom < 0 ? u : intersect(u, dom);
			}
			if (dom >= 0 && idom[v] !== dom) {
				idom[v] = dom;
				changed = true;
			}
		}
	}
	const retained = new Float64Array(count);
	for (let k = 0; k < visited; k++) {
		const v = order[k];
		retained[v] += nodes[v * N + SIZE];
		if (v !== 0) retained[idom[v]] += retained[v];
	}
	const children = new Map<number, number[]>();
	for (let v = 1; v < count; v++) {
		if (idom[v] < 0) continue;
		const list = children.get(idom[v]);
		if (list) list.push(v);
		else children.set(idom[v], [v]);
	}
	return {
		retained,
		idom,
		count,
		owned: (owner) => children.get(owner) ?? [],
		label: (v) => {
			const type = nodeTypes[nodes[v * N + TYPE]];
			const name = strings[nodes[v * N + NAME]].replace(/\s+/g, ' ');
			return `${type}:${name.slice(0, type === 'object' || type === 'closure' ? 50 : 30)}`;
		},
		edgeName: (owner, v) => {
			for (let e = firstEdge[owner]; e < firstEdge[owner + 1]; e += E) {
				if (edges[e + ETO] / N !== v) continue;
				const type = edgeTypes[edges[e + ETYPE]];
				return type === 'element' || type === 'hidden' ? `[${edges[e + ENAME]}]` : `.${strings[edges[e + ENAME]]}`;
			}
			return '';
		},
	};
}

const MiB = 1024 * 1024;
const mib = (bytes: number) => (bytes / MiB).toFixed(1).padStart(7);

/** The tree of owners down to `depth` levels, each at least `min` bytes. */
export function ownerTree(h: HeapOwners, min: number, depth: number): string[] {
	const out: string[] = [`${mib(h.retained[0])} MiB in all`];
	const walk = (v: number, level: number): void => {
		const big = h
			.owned(v)
			.filter((c) => h.retained[c] >= min)
			.sort((a, b) => h.retained[b] - h.retained[a]);
		for (const c of big.slice(0, 12)) {
			out.push(`${'  '.repeat(level)}${mib(h.retained[c])} ${h.edgeName(v, c).slice(0, 30)} ${h.label(c)}`);
			if (level + 1 < depth) walk(c, level + 1);
		}
	};
	walk(0, 0);
	return out;
}

/** For each object whose label contains `group`, what it owns directly, grouped by label. */
export function ownedByKind(h: HeapOwners, group: string, min: number): string[] {
	const out: string[] = [];
	for (let v = 0; v < h.count; v++) {
		if (h.retained[v] < min || !h.label(v).includes(group)) continue;
		out.push(`${h.label(v)}: ${mib(h.retained[v]).trim()} MiB`);
		const kinds = new Map<string, { n: number; bytes: number }>();
		for (const c of h.owned(v)) {
			const k = kinds.get(h.label(c)) ?? { n: 0, bytes: 0 };
			k.n++;
			k.bytes += h.retained[c];
			kinds.set(h.label(c), k);
		}
		for (const [label, k] of [...kinds].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, 15)) out.push(`  ${mib(k.bytes)} MiB ×${k.n.toLocaleString('en-US')} ${label}`);
	}
	return out;
}

if (require.main === module) {
	const args = process.argv.slice(2);
	const file = args.find((a) => !a.startsWith('--'));
	const opt = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
	if (!file) {
		process.stderr.write('usage: bench/heap-owners.ts FILE.heapsnapshot [--min=MiB] [--depth=N] [--group=LABEL]\n');
		process.exit(2);
	}
	const owners = heapOwners(JSON.parse(readFileSync(file, 'utf8')) as Snapshot);
	const min = Number(opt('min') ?? 1) * MiB;
	const group = opt('group');
	const lines = group ? ownedByKind(owners, group, min) : ownerTree(owners, min, Number(opt('depth') ?? 8));
	process.stdout.write(`${lines.join('\n')}\n`);
}

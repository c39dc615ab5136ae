import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { heapOwners, ownedByKind, ownerTree } from '../bench/heap-owners';

/**
 * A heap snapshot in V8's format, small enough to check by hand: nodes are (type, name, self_size,
 * edge_count), edges (type, name_or_index, to_node as an offset into `nodes`).
 */
function snapshot(nodes: [string, number, number][], edges: [number, [string, string, number][]][]) {
	const strings = ['', 'root', 'Store', 'Cache', 'Value', 'Orphan', 'a', 'b', 'c', 'w', 'Other'];
	const nodeTypes = ['synthetic', 'object'];
	const edgeTypes = ['property', 'weak', 'element'];
	const flatNodes: number[] = [];
	const flatEdges: number[] = [];
	nodes.forEach(([type, name, size], i) => {
		const out = edges.find(([from]) => from === i)?.[1] ?? [];
		flatNodes.push(nodeTypes.indexOf(type), name, size, out.length);
		for (const [etype, ename, to] of out) flatEdges.push(edgeTypes.indexOf(etype), strings.indexOf(ename), to * 4);
	});
	return {
		snapshot: { meta: { node_fields: ['type', 'name', 'self_size', 'edge_count'], node_types: [nodeTypes] as [string[]], edge_fields: ['type', 'name_or_index', 'to_node'], edge_types: [edgeTypes] as [string[]] } },
		nodes: flatNodes,
		edges: flatEdges,
		strings,
	};
}

// root(0) -> Store(1) -a-> Value(3); Store -b-> Cache(2) -c-> Value(3) as well; Cache -w (weak)-> Orphan(4);
// root -> Other(5) -> Orphan(4). Value is owned by Store (every path to it passes there); Orphan by root.
const SNAP = snapshot(
	[
		['synthetic', 1, 0],
		['object', 2, 100],
		['object', 3, 50],
		['object', 4, 1000],
		['object', 5, 7],
		['object', 10, 3],
	],
	[
		[0, [['property', 'a', 1], ['property', 'b', 5]]],
		[1, [['property', 'a', 3], ['property', 'b', 2]]],
		[2, [['property', 'c', 3], ['weak', 'w', 4]]],
		[5, [['property', 'a', 4]]],
	],
);

test('heap owners: an object reached from two places is owned by the one both paths pass through', () => {
	const h = heapOwners(SNAP);
	assert.equal(h.idom[3], 1, 'Value is owned by Store, not by Cache');
	assert.equal(h.retained[1], 100 + 50 + 1000, 'Store would free itself, Cache and Value');
	assert.equal(h.retained[2], 50, 'Cache alone frees only itself');
});

test('heap owners: a weak edge holds nothing', () => {
	const h = heapOwners(SNAP);
	assert.equal(h.idom[4], 5, 'Orphan belongs to Other, its only strong referrer');
	assert.equal(h.retained[0], 100 + 50 + 1000 + 7 + 3);
});

test('heap owners: the tree and the grouped view name owners, edges and sizes', () => {
	const h = heapOwners(SNAP);
	const tree = ownerTree(h, 0, 3).join('\n');
	assert.match(tree, /\.a object:Store/);
	assert.match(tree, /\.a object:Value/);
	const grouped = ownedByKind(h, 'object:Store', 0).join('\n');
	assert.match(grouped, /object:Store: 0\.0 MiB/);
	assert.match(grouped, /×1 object:Value/);
	assert.match(grouped, /×1 object:Cache/);
});

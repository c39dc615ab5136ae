import assert from 'node:assert/strict';
import type { ExplorerNode } from '../../client/src/views/nodes';

/** What the explorer's tree tests share: walking nodes as VS Code does. */

export async function children(n: ExplorerNode): Promise<ExplorerNode[]> {
	return (await n.children?.()) ?? [];
}

export const byLabel = (nodes: ExplorerNode[], label: string): ExplorerNode => {
	const n = nodes.find((x) => x.label === label);
	assert.ok(n, `no node "${label}" in ${nodes.map((x) => x.label).join(', ')}`);
	return n;
};

/** Each node of a tree: a unique id (VS Code requires it), a tooltip, an icon that says its state, a context value for menus. Returns how many. */
export async function everyNode(roots: ExplorerNode[]): Promise<number> {
	const ids = new Set<string>();
	const walk = async (nodes: ExplorerNode[]): Promise<void> => {
		for (const n of nodes) {
			assert.ok(!ids.has(n.id), `duplicate id ${n.id}`);
			ids.add(n.id);
			assert.ok(n.tooltip && n.icon && n.contextValue, `${n.id} lacks a tooltip, an icon or a context value`);
			await walk(await children(n));
		}
	};
	await walk(roots);
	return ids.size;
}

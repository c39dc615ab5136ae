import assert from 'node:assert/strict';
import { test } from 'node:test';
import { childSrc, deepestSrc, docSrc, fromPlain, originOfSrc, srcAt, toPlain, type KMap, type KNode } from '../../server/src/engine/kustomize/node';
import { OriginIndex } from '../../server/src/engine/kustomize/origin-index';

/** Every path of a tree, and a path past each of its nodes. */
function paths(n: KNode, path: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
	out.push(path, [...path, 'nope'], [...path, 7]);
	if (n.kind === 'map') for (const [k, v] of n.entries) paths(v, [...path, k], out);
	if (n.kind === 'seq') n.items.forEach((v, i) => paths(v, [...path, i], out));
	return out;
}

/** A Deployment from a base, patched and transformed as kustomize does: values from other documents, a moved list item, a quoted `$` string. */
function renderedTree(): KMap {
	const base = docSrc('base/deployment.yaml', 0);
	const node = fromPlain({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: { app: 'web' } }, spec: { replicas: 1, template: { spec: { containers: [{ name: 'a', image: 'x:1' }, { name: 'b', image: 'y:1', args: ['$(PORT)', 'z'] }] } } } }, base) as KMap;
	const patch = docSrc('overlays/prod/replicas.yaml', 0);
	const spec = node.entries.get('spec') as KMap;
	spec.entries.set('replicas', { kind: 'scalar', src: srcAt(patch, ['spec', 'replicas']), value: 5 });
	// The images transformer sets a tag from the kustomization's images entry.
	const containers = (spec.entries.get('template') as KMap).entries.get('spec') as KMap;
	const list = containers.entries.get('containers')!;
	if (list.kind !== 'seq') throw new Error('seq');
	const first = list.items[0] as KMap;
	first.entries.set('image', { kind: 'scalar', src: srcAt(docSrc('overlays/prod/kustomization.yaml', 0), ['images', 0, 'newTag']), value: 'x:2' });
	// A strategic merge puts the second container first: its place stays the base's index 1.
	list.items.reverse();
	// A namespace set by the kustomization, a quoted `$` string (Flux substitution keeps it a string).
	(node.entries.get('metadata') as KMap).entries.set('namespace', { kind: 'scalar', src: childSrc(docSrc('overlays/prod/kustomization.yaml', 0), 'namespace'), value: 'prod' });
	const args = ((list.items[0] as KMap).entries.get('args')!);
	if (args.kind === 'seq' && args.items[0].kind === 'scalar') args.items[0].quoted = true;
	return node;
}

test('the origin index answers every path as the node tree does, and rebuilds the same tree', () => {
	const node = renderedTree();
	const value = toPlain(node);
	const index = OriginIndex.of(node);
	for (const p of paths(node)) assert.deepEqual(index.originOf(value, p), originOfSrc(deepestSrc(node, p)), JSON.stringify(p));
	const rebuilt = index.tree(value);
	assert.deepEqual(toPlain(rebuilt), value);
	for (const p of paths(node)) assert.deepEqual(originOfSrc(deepestSrc(rebuilt, p)), originOfSrc(deepestSrc(node, p)), JSON.stringify(p));
	const arg = (((((rebuilt as KMap).entries.get('spec') as KMap).entries.get('template') as KMap).entries.get('spec') as KMap).entries.get('containers') as { items: KMap[] }).items[0].entries.get('args');
	assert.equal(arg?.kind === 'seq' && arg.items[0].kind === 'scalar' && arg.items[0].quoted, true);
	// The values kustomize changed point at what changed them.
	assert.deepEqual(index.originOf(value, ['spec', 'replicas']), { file: 'overlays/prod/replicas.yaml', documentIndex: 0, path: ['spec', 'replicas'] });
	assert.deepEqual(index.originOf(value, ['spec', 'template', 'spec', 'containers', 0, 'name']), { file: 'base/deployment.yaml', documentIndex: 0, path: ['spec', 'template', 'spec', 'containers', 1, 'name'] });
});

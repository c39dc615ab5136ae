import { test } from 'node:test';
import assert from 'node:assert/strict';
import { quantityValue, sameQuantity } from '../../server/src/engine/drift/quantity';
import { sameScalar } from '../../server/src/engine/drift/normalise';
import { formatPath } from '../../server/src/engine/drift/paths';
import { driftDocuments } from '../../server/src/engine/drift';
import { canonicalQuantity } from '../../tools/kube-sim/defaults';

/** The value normalisations on their own, each from both sides: the same amount is equal, another never. */

test('quantities: every spelling of one amount is equal, a different amount is not', () => {
	for (const [a, b] of [['0.5', '500m'], [0.5, '500m'], ['1Gi', '1024Mi'], ['1.5Gi', '1536Mi'], ['1e3', '1k'], ['2000m', 2], ['1G', '1000M']] as const) {
		assert.ok(sameQuantity(a, b), `${a} = ${b}`);
		assert.ok(sameQuantity(b, a), `${b} = ${a}`);
		// What the API server stores is the same amount too.
		assert.ok(sameQuantity(a, canonicalQuantity(a)), `${a} ~ ${String(canonicalQuantity(a))}`);
	}
	for (const [a, b] of [['0.5', '501m'], ['1Gi', '1G'], ['100Mi', '100M'], ['1', '1m']] as const) assert.ok(!sameQuantity(a, b), `${a} != ${b}`);
	assert.equal(quantityValue('abc'), undefined);
	assert.equal(quantityValue('1Gb'), undefined);
});

test('scalars: quantities only where the path is a quantity; int and float by value; empty and absent', () => {
	assert.ok(sameScalar('0.5', '500m', ['spec', 'containers', 'resources', 'requests', 'cpu']));
	assert.ok(!sameScalar('0.5', '500m', ['data', 'ratio']), 'a ConfigMap value is text');
	assert.ok(sameScalar(3, 3.0, ['spec', 'replicas']));
	assert.ok(!sameScalar(3, 3.5, ['spec', 'replicas']));
	assert.ok(!sameScalar(3, '3', ['spec', 'replicas']));
	assert.ok(sameScalar('', undefined, ['spec', 'x']));
	assert.ok(sameScalar(null, undefined, ['spec', 'x']));
	assert.ok(!sameScalar('a', undefined, ['spec', 'x']));
	assert.ok(!sameScalar(undefined, 'a', ['spec', 'x']));
});

test('field paths: dots, list items by merge key, positions, quoted keys', () => {
	assert.equal(formatPath([{ key: 'spec' }, { key: 'template' }, { key: 'spec' }, { key: 'containers' }, { item: { name: 'web' } }, { key: 'image' }]), 'spec.template.spec.containers[name=web].image');
	assert.equal(formatPath([{ key: 'spec' }, { key: 'ports' }, { item: { port: 80, protocol: 'TCP' } }]), 'spec.ports[port=80,protocol=TCP]');
	assert.equal(formatPath([{ key: 'args' }, { index: 0 }]), 'args[0]');
	assert.equal(formatPath([{ key: 'metadata' }, { key: 'labels' }, { key: 'app.kubernetes.io/name' }]), 'metadata.labels["app.kubernetes.io/name"]');
	assert.equal(formatPath([{ key: 'env' }, { item: { name: 'a b' } }]), 'env[name="a b"]');
});

test('Show Diff documents: a Secret\'s stringData and data meet as masked keys; live cut to what Git declares', () => {
	const desired = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', labels: { a: 'b' } }, stringData: { token: 'x' } };
	const live = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', labels: { a: 'b', extra: 'c' }, uid: 'u', managedFields: [] }, type: 'Opaque', data: { token: 'eA==' } };
	const docs = driftDocuments(desired, live as never);
	assert.deepEqual(docs.desired, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', labels: { a: 'b' } }, data: { token: '***' } });
	assert.deepEqual(docs.live, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', labels: { a: 'b' } }, data: { token: '***' } });
	assert.ok(!JSON.stringify(docs).includes('eA=='));
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchPattern } from '../../server/src/engine/rules/policy/kyverno/pattern';

/** Kyverno patterns: each anchor, lists of maps, wildcard metadata keys, and where a failure points. */

const pod = (container: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx:1', ...container }], ...extra } });

test('a plain pattern: required keys and values, failing at the deepest node', () => {
	assert.deepEqual(matchPattern(pod({}), { metadata: { labels: { app: '?*' } } }), { status: 'pass' });
	const r = matchPattern(pod({}), { metadata: { labels: { team: '?*' } } });
	assert.equal(r.status, 'fail');
	assert.deepEqual(r.status === 'fail' && r.path, ['metadata', 'labels', 'team']);
	const img = matchPattern(pod({ image: 'nginx:latest' }), { spec: { containers: [{ image: '!*:latest' }] } });
	assert.deepEqual(img.status === 'fail' && img.path, ['spec', 'containers', 0, 'image']);
	assert.equal(matchPattern(pod({}), { spec: { containers: [{ name: '*' }] } }).status, 'pass');
	assert.equal(matchPattern(pod({}), { spec: { containers: [{ resources: '*' }] } }).status, 'fail');
});

test('conditional anchor (key): an element that does not meet it is skipped; none meeting it skips the rule', () => {
	const pattern = { spec: { containers: [{ '(image)': '*:latest', imagePullPolicy: 'Always' }] } };
	assert.equal(matchPattern(pod({ image: 'nginx:latest', imagePullPolicy: 'Always' }), pattern).status, 'pass');
	assert.equal(matchPattern(pod({ image: 'nginx:latest', imagePullPolicy: 'IfNotPresent' }), pattern).status, 'fail');
	assert.equal(matchPattern(pod({ image: 'nginx:1' }), pattern).status, 'skip');
	// At the root, an unmet condition skips the rule.
	assert.equal(matchPattern(pod({}), { metadata: { '(name)': 'other', labels: { team: '?*' } } }).status, 'skip');
});

test('global anchor ^(key): when it does not hold, the whole rule is skipped', () => {
	const pattern = { spec: { containers: [{ '^(name)': 'sidecar' }], hostNetwork: false } };
	assert.equal(matchPattern(pod({}, { hostNetwork: true }), pattern).status, 'skip');
	assert.equal(matchPattern({ ...pod({}, { hostNetwork: true }), spec: { containers: [{ name: 'sidecar' }], hostNetwork: true } }, pattern).status, 'fail');
});

test('equality anchor =(key): checked only when present', () => {
	const pattern = { spec: { '=(hostNetwork)': false } };
	assert.equal(matchPattern(pod({}), pattern).status, 'pass');
	assert.equal(matchPattern(pod({}, { hostNetwork: false }), pattern).status, 'pass');
	const r = matchPattern(pod({}, { hostNetwork: true }), pattern);
	assert.deepEqual(r.status === 'fail' && r.path, ['spec', 'hostNetwork']);
	assert.equal(matchPattern(pod({ securityContext: { privileged: true } }), { spec: { containers: [{ '=(securityContext)': { '=(privileged)': false } }] } }).status, 'fail');
});

test('negation anchor X(key): the key must not exist, a fail wherever it is', () => {
	const pattern = { spec: { 'X(hostPath)': 'null' } };
	assert.equal(matchPattern(pod({}), pattern).status, 'pass');
	const r = matchPattern(pod({}, { hostPath: {} }), pattern);
	assert.deepEqual(r.status === 'fail' && r.path, ['spec', 'hostPath']);
	const nested = { spec: { containers: [{ '(name)': 'c', 'X(securityContext)': 'null' }] } };
	assert.equal(matchPattern(pod({ securityContext: {} }), nested).status, 'fail');
});

test('existence anchor <(key): at least one element of the list matches', () => {
	const pattern = { spec: { '<(containers)': [{ image: 'nginx:*' }] } };
	assert.equal(matchPattern(pod({}), pattern).status, 'pass');
	assert.equal(matchPattern(pod({ image: 'redis:7' }), pattern).status, 'fail');
	assert.equal(matchPattern({ spec: {} }, pattern).status, 'pass', 'absent list: nothing to check');
});

test('wildcard keys in metadata labels and annotations stand for the keys they match', () => {
	const pattern = { metadata: { '=(annotations)': { '=(container.apparmor.security.beta.kubernetes.io/*)': 'runtime/default | localhost/*' } } };
	const annotated = (v: string) => ({ metadata: { name: 'p', annotations: { 'container.apparmor.security.beta.kubernetes.io/c': v } } });
	assert.equal(matchPattern(annotated('runtime/default'), pattern).status, 'pass');
	assert.equal(matchPattern(annotated('unconfined'), pattern).status, 'fail');
	assert.equal(matchPattern({ metadata: { name: 'p' } }, pattern).status, 'pass');
	assert.equal(matchPattern({ metadata: { labels: { 'app.kubernetes.io/name': 'x' } } }, { metadata: { labels: { 'app.kubernetes.io/*': '?*' } } }).status, 'pass');
});

test('structure mismatches fail: a list where the pattern wants a map, a map where it wants a list', () => {
	assert.equal(matchPattern({ spec: { containers: {} } }, { spec: { containers: [{ name: '*' }] } }).status, 'fail');
	assert.equal(matchPattern({ spec: [] }, { spec: { x: 1 } }).status, 'fail');
});

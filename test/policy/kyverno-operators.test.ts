import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateCondition } from '../../server/src/engine/rules/policy/kyverno/conditions';
import { operatorOf, valueMatches } from '../../server/src/engine/rules/policy/kyverno/value-pattern';
import { wildcardMatch } from '../../server/src/engine/rules/policy/resources';

/** Kyverno's value operators in patterns, and every condition operator, each both ways. */

test('wildcards: * any run, ? one character, everything else literal; no backtracking blow-up', () => {
	assert.equal(wildcardMatch('a*c', 'abc'), true);
	assert.equal(wildcardMatch('a*c', 'ac'), true);
	assert.equal(wildcardMatch('a*c', 'abd'), false);
	assert.equal(wildcardMatch('*.example.com', 'x.example.com'), true);
	assert.equal(wildcardMatch('*.example.com', 'example.com'), false);
	assert.equal(wildcardMatch('*a*b', 'xaxxb'), true);
	assert.equal(wildcardMatch('*a*b', 'xaxxbc'), false);
	assert.equal(wildcardMatch('a**b', 'ab'), true);
	assert.equal(wildcardMatch('ab*', 'a'), false);
	assert.equal(wildcardMatch('a?c', 'ac'), false);
	assert.equal(wildcardMatch('?', ''), false);
	assert.equal(wildcardMatch('a.c', 'abc'), false, 'a dot is literal');
	assert.equal(wildcardMatch('[a]*', '[a]x'), true, 'brackets are literal');
	assert.equal(wildcardMatch('kube-*', 'kube-system'), true);
	const started = performance.now();
	assert.equal(wildcardMatch('*a*a*a*a*a*a*a*b', 'a'.repeat(20000)), false);
	assert.ok(performance.now() - started < 500, 'a hostile pattern stays fast');
});

test('pattern values: wildcards, negation, alternatives and conjunctions', () => {
	assert.equal(valueMatches('nginx:1.27', '*:*'), true);
	assert.equal(valueMatches('nginx', '*:*'), false);
	assert.equal(valueMatches('abc', 'a?c'), true);
	assert.equal(valueMatches('abbc', 'a?c'), false);
	assert.equal(valueMatches('x', '?*'), true);
	assert.equal(valueMatches('', '?*'), false);
	assert.equal(valueMatches(undefined, '?*'), false);
	assert.equal(valueMatches('nginx:latest', '!*:latest'), false);
	assert.equal(valueMatches('nginx:1.0', '!*:latest'), true);
	assert.equal(valueMatches('localhost/x', 'runtime/default | localhost/*'), true);
	assert.equal(valueMatches('unconfined', 'runtime/default | localhost/*'), false);
	assert.equal(valueMatches('ab', 'a* & *b'), true);
	assert.equal(valueMatches('ac', 'a* & *b'), false);
});

test('pattern values: numeric operators and ranges, with quantities and durations', () => {
	assert.deepEqual(['>=1', '<=1', '>1', '<1', '!x', '1-5', '1!-5', 'x'].map(operatorOf), ['>=', '<=', '>', '<', '!', '-', '!-', '']);
	assert.equal(valueMatches(3, '>2'), true);
	assert.equal(valueMatches(2, '>2'), false);
	assert.equal(valueMatches(2, '>=2'), true);
	assert.equal(valueMatches(1, '<2'), true);
	assert.equal(valueMatches('512Mi', '<=1Gi'), true);
	assert.equal(valueMatches('2Gi', '<=1Gi'), false);
	assert.equal(valueMatches('500m', '<1'), true);
	assert.equal(valueMatches(8080, '1024-65535'), true);
	assert.equal(valueMatches(80, '1024-65535'), false);
	assert.equal(valueMatches(80, '1024!-65535'), true);
	assert.equal(valueMatches(2000, '1024!-65535'), false);
	assert.equal(valueMatches('30m', '<1h'), true);
	assert.equal(valueMatches('2h', '<1h'), false);
	// A missing value counts as 0 for quantity comparisons, as in Kyverno.
	assert.equal(valueMatches(undefined, '<10'), true);
});

test('pattern values: booleans, numbers and null', () => {
	assert.equal(valueMatches(true, true), true);
	assert.equal(valueMatches('true', true), false);
	assert.equal(valueMatches(3, 3), true);
	assert.equal(valueMatches('3', 3), true);
	assert.equal(valueMatches(3.5, 3), false);
	assert.equal(valueMatches(null, null), true);
	assert.equal(valueMatches('', null), true);
	assert.equal(valueMatches(0, null), true);
	assert.equal(valueMatches('x', null), false);
	assert.equal(valueMatches({}, {}), true);
	assert.equal(valueMatches('x', {}), false);
});

test('Equals and NotEquals: wildcard values, quantities, durations, numbers, structures', () => {
	assert.equal(evaluateCondition('NodePort', 'Equals', 'NodePort'), true);
	assert.equal(evaluateCondition('ghcr.io/x', 'Equals', 'ghcr.io/*'), true);
	assert.equal(evaluateCondition('1Gi', 'Equals', '1024Mi'), true);
	assert.equal(evaluateCondition('1h', 'Equals', '60m'), true);
	assert.equal(evaluateCondition(3, 'Equals', '3'), true);
	assert.equal(evaluateCondition(true, 'Equals', true), true);
	assert.equal(evaluateCondition(['a'], 'Equals', ['a']), true);
	assert.equal(evaluateCondition({ a: 1 }, 'Equals', { a: 2 }), false);
	assert.equal(evaluateCondition('ClusterIP', 'NotEquals', 'NodePort'), true);
	assert.equal(evaluateCondition('NodePort', 'NotEquals', 'NodePort'), false);
	assert.equal(evaluateCondition('DELETE', 'NotEquals', 'DELETE'), false);
});

test('AnyIn, AllIn, AnyNotIn, AllNotIn, In, NotIn', () => {
	assert.equal(evaluateCondition(['a', 'x'], 'AnyIn', ['a', 'b']), true);
	assert.equal(evaluateCondition(['x'], 'AnyIn', ['a', 'b']), false);
	assert.equal(evaluateCondition('batch/v1beta1', 'AnyIn', ['batch/v1beta1', 'policy/v1beta1']), true);
	assert.equal(evaluateCondition(['a', 'b'], 'AllIn', ['a', 'b', 'c']), true);
	assert.equal(evaluateCondition(['a', 'x'], 'AllIn', ['a', 'b']), false);
	assert.equal(evaluateCondition(['NET_RAW'], 'AnyNotIn', ['CHOWN', 'KILL']), true);
	assert.equal(evaluateCondition(['CHOWN'], 'AnyNotIn', ['CHOWN', 'KILL']), false);
	assert.equal(evaluateCondition(['x', 'y'], 'AllNotIn', ['a']), true);
	assert.equal(evaluateCondition(['x', 'a'], 'AllNotIn', ['a']), false);
	assert.equal(evaluateCondition('a', 'In', ['a', 'b']), true);
	assert.equal(evaluateCondition('c', 'NotIn', ['a', 'b']), true);
	// A value may be a JSON list in a string (a ConfigMap's data) or a range.
	assert.equal(evaluateCondition('b', 'AnyIn', '["a","b"]'), true);
	assert.equal(evaluateCondition(['8080'], 'AnyIn', '1-1023'), false);
	assert.equal(evaluateCondition(['80'], 'AnyIn', '1-1023'), true);
	assert.equal(evaluateCondition(['ALL'], 'AnyIn', ['*']), true);
});

test('GreaterThan(OrEquals), LessThan(OrEquals) and the Duration forms', () => {
	assert.equal(evaluateCondition(5, 'GreaterThan', 3), true);
	assert.equal(evaluateCondition(3, 'GreaterThan', 3), false);
	assert.equal(evaluateCondition(3, 'GreaterThanOrEquals', 3), true);
	assert.equal(evaluateCondition('2Gi', 'GreaterThan', '1Gi'), true);
	assert.equal(evaluateCondition('500m', 'LessThan', '1'), true);
	assert.equal(evaluateCondition('1', 'LessThanOrEquals', '500m'), false);
	assert.equal(evaluateCondition('2h', 'DurationGreaterThan', '1h'), true);
	assert.equal(evaluateCondition('30m', 'DurationLessThanOrEquals', '30m'), true);
	assert.equal(evaluateCondition('1.2.3', 'LessThan', '1.10.0'), true);
	assert.throws(() => evaluateCondition('a', 'Bogus', 'b'), /unknown condition operator/);
});

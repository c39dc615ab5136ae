import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rulesWithAutogen } from '../../server/src/engine/rules/policy/kyverno/autogen';
import { JmesPath, NotEvaluatedError } from '../../server/src/engine/rules/policy/kyverno/jmespath';
import { blockMatches, kindMatches, ruleApplies } from '../../server/src/engine/rules/policy/kyverno/match';
import { substitute } from '../../server/src/engine/rules/policy/kyverno/variables';

/** Kyverno's JMESPath functions, `{{ }}` substitution, match/exclude blocks and autogen. */

const jp = new JmesPath(() => new Date('2026-01-02T03:04:05Z'));
const q = (query: string, data: unknown = {}) => jp.search(query, data);

test('string functions', () => {
	assert.equal(q("to_upper('ab')"), 'AB');
	assert.equal(q("to_lower('AB')"), 'ab');
	assert.deepEqual(q("split('a,b', ',')"), ['a', 'b']);
	assert.equal(q("trim('--a--', '-')"), 'a');
	assert.equal(q("trim_prefix('prefix-x', 'prefix-')"), 'x');
	assert.equal(q("replace('aaa', 'a', 'b', `2`)"), 'bba');
	assert.equal(q("replace_all('aaa', 'a', 'b')"), 'bbb');
	assert.equal(q("truncate('abcdef', `3`)"), 'abc');
	assert.equal(q("compare('a', 'b')"), -1);
	assert.equal(q("equal_fold('Go', 'GO')"), true);
	assert.equal(q("path_canonicalize('/a/./b/../c')"), '/a/c');
});

test('matching functions: regex (RE2), wildcard patterns, label selectors', () => {
	assert.equal(q("regex_match('^[0-9]+$', '123')"), true);
	assert.equal(q("regex_match('^[0-9]+$', '12a')"), false);
	assert.equal(q("pattern_match('ghcr.io/*', 'ghcr.io/acme/x')"), true);
	assert.equal(q('label_match(`{"app":"web"}`, `{"app":"web","team":"x"}`)'), true);
	assert.equal(q('label_match(`{"app":"db"}`, `{"app":"web"}`)'), false);
	assert.equal(q("semver_compare('1.2.3', '>=1.2.0 <2.0.0')"), true);
	assert.equal(q("semver_compare('2.0.1', '>=1.2.0 <2.0.0')"), false);
});

test('arithmetic, encodings, JSON, objects and time', () => {
	assert.equal(q('add(`1`, `2`)'), 3);
	assert.equal(q('subtract(`5`, `2`)'), 3);
	assert.equal(q('multiply(`2`, `3`)'), 6);
	assert.equal(q('divide(`6`, `4`)'), 1.5);
	assert.equal(q('modulo(`7`, `4`)'), 3);
	assert.equal(q('round(`2.567`, `2`)'), 2.57);
	assert.equal(q("add('1h', '30m')"), '1h30m0s');
	assert.throws(() => q('divide(`1`, `0`)'), /Zero divisor/);
	assert.equal(q("base64_encode('héllo')"), 'aMOpbGxv');
	assert.equal(q("base64_decode('aMOpbGxv')"), 'héllo');
	assert.deepEqual(q("parse_json('{\"a\": [1]}')"), { a: [1] });
	assert.deepEqual(q("object_from_lists(`[\"a\",\"b\"]`, `[1,2]`)"), { a: 1, b: 2 });
	assert.equal(q("lookup(`{\"a\":1}`, 'a')"), 1);
	assert.equal(q("time_now_utc()"), '2026-01-02T03:04:05Z');
	assert.equal(q("time_since('', '2026-01-02T02:04:05Z', '')"), '1h0m0s');
	assert.equal(q("to_boolean('True')"), true);
	// The community built-ins are there too.
	assert.equal(q('length(@)', [1, 2]), 2);
	assert.deepEqual(q('keys(@)', { a: 1 }), ['a']);
});

test('functions that need what Git does not have say so: the rule is not evaluated, not failed', () => {
	assert.throws(() => q("x509_decode('x')"), NotEvaluatedError);
	assert.throws(() => q("regex_replace_all('a', 'b', 'c')"), NotEvaluatedError);
});

test('{{ }} substitution: a whole variable keeps its type, inside a string it becomes text, \\{{ }} stays literal', () => {
	const scope = { jmes: jp, data: { request: { object: { metadata: { name: 'web', labels: { a: 'b' } }, spec: { replicas: 3 } } } } };
	assert.equal(substitute('{{ request.object.spec.replicas }}', scope), 3);
	assert.equal(substitute('name={{request.object.metadata.name}}', scope), 'name=web');
	assert.equal(substitute('labels: {{ request.object.metadata.labels }}', scope), 'labels: {"a":"b"}');
	assert.equal(substitute('{{ request.object.missing }}', scope), null);
	assert.equal(substitute("{{ request.operation || 'BACKGROUND' }}", scope), 'BACKGROUND');
	assert.equal(substitute('\\{{ literal }}', scope), '{{ literal }}');
	assert.deepEqual(substitute({ '{{ request.object.metadata.name }}': ['{{ request.object.spec.replicas }}'] }, scope), { web: [3] });
});

test('kind selectors: kind, version/kind, group/version/kind with wildcards; subresources never match the object', () => {
	const deploy = { apiVersion: 'apps/v1', kind: 'Deployment' };
	const cron = { apiVersion: 'batch/v1beta1', kind: 'CronJob' };
	assert.equal(kindMatches('Deployment', deploy), true);
	assert.equal(kindMatches('apps/v1/Deployment', deploy), true);
	assert.equal(kindMatches('apps/v2/Deployment', deploy), false);
	assert.equal(kindMatches('batch/*/CronJob', cron), true);
	assert.equal(kindMatches('v1/Pod', { apiVersion: 'v1', kind: 'Pod' }), true);
	assert.equal(kindMatches('Pod/exec', { apiVersion: 'v1', kind: 'Pod' }), false);
	assert.equal(kindMatches('*', deploy), true);
});

test('match and exclude blocks: any, all, names, namespaces, selectors, operations; who applies is unknown', () => {
	const env = { operation: 'CREATE', namespaceLabels: (n: string) => (n === 'prod' ? { tier: 'prod' } : undefined) };
	const obj = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-1', namespace: 'prod', labels: { app: 'web' } } };
	assert.equal(blockMatches({ any: [{ resources: { kinds: ['Service'] } }, { resources: { kinds: ['Pod'], names: ['web-*'] } }] }, obj, env), true);
	assert.equal(blockMatches({ all: [{ resources: { kinds: ['Pod'] } }, { resources: { namespaces: ['dev'] } }] }, obj, env), false);
	assert.equal(blockMatches({ resources: { kinds: ['Pod'], selector: { matchLabels: { app: 'web' } } } }, obj, env), true);
	assert.equal(blockMatches({ any: [{ resources: { kinds: ['Pod'], operations: ['UPDATE'] } }] }, obj, env), false);
	assert.equal(blockMatches({ any: [{ resources: { kinds: ['Pod'], namespaceSelector: { matchLabels: { tier: 'prod' } } } }] }, obj, env), true);
	const unknownNs = blockMatches({ any: [{ resources: { kinds: ['Pod'], namespaceSelector: { matchLabels: { tier: 'prod' } } } }] }, { ...obj, metadata: { ...obj.metadata, namespace: 'other' } }, env);
	assert.equal(typeof unknownNs === 'object' && /namespace other/.test(unknownNs.unknown), true);
	// An exclusion by who applies the object is left out, and said.
	const rule = { match: { any: [{ resources: { kinds: ['Pod'] } }] }, exclude: { any: [{ clusterRoles: ['cluster-admin'] }] } };
	const applies = ruleApplies(rule, obj, env);
	assert.equal(applies.applies, true);
	assert.match(applies.note ?? '', /clusterRoles .* cannot be known from Git/);
	assert.equal(ruleApplies({ ...rule, exclude: { any: [{ resources: { namespaces: ['prod'] } }] } }, obj, env).applies, false);
});

test('autogen: a Pod rule also judges pod controllers and CronJobs, with the pattern moved into the template', () => {
	const policy = { metadata: { name: 'p' }, spec: { rules: [{ name: 'r', match: { any: [{ resources: { kinds: ['Pod'] } }] }, validate: { pattern: { spec: { hostNetwork: false } }, message: '{{ request.object.metadata.name }}' } }] } };
	const rules = rulesWithAutogen(policy);
	assert.deepEqual(rules.map((r) => r.name), ['r', 'autogen-r', 'autogen-cronjob-r']);
	const pod = rules[1] as { match: { any: { resources: { kinds: string[] } }[] }; validate: { pattern: unknown; message: string } };
	assert.deepEqual(pod.match.any[0].resources.kinds, ['DaemonSet', 'Deployment', 'Job', 'ReplicaSet', 'ReplicationController', 'StatefulSet']);
	assert.deepEqual(pod.validate.pattern, { spec: { template: { spec: { hostNetwork: false } } } });
	assert.equal(pod.validate.message, '{{ request.object.spec.template.metadata.name }}');
	const cron = rules[2] as { match: { any: { resources: { kinds: string[] } }[] }; validate: { pattern: unknown } };
	assert.deepEqual(cron.match.any[0].resources.kinds, ['CronJob']);
	assert.deepEqual(cron.validate.pattern, { spec: { jobTemplate: { spec: { template: { spec: { hostNetwork: false } } } } } });
	// A rule naming its Pods, or mixing kinds, gets none; the annotation can turn it off or narrow it.
	assert.deepEqual(rulesWithAutogen({ spec: { rules: [{ ...policy.spec.rules[0], match: { any: [{ resources: { kinds: ['Pod'], names: ['x'] } }] } }] } }).map((r) => r.name), ['r']);
	assert.deepEqual(rulesWithAutogen({ ...policy, metadata: { name: 'p', annotations: { 'pod-policies.kyverno.io/autogen-controllers': 'none' } } }).map((r) => r.name), ['r']);
	assert.deepEqual(rulesWithAutogen({ ...policy, metadata: { name: 'p', annotations: { 'pod-policies.kyverno.io/autogen-controllers': 'Deployment' } } }).map((r) => r.name), ['r', 'autogen-r']);
});

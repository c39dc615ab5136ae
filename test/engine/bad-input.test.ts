import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, bareEngine, brief } from './helpers';

/** Bad input gets one clear finding and never an exception (the server and CLI must stay up). */

const lol = (name: string, ref: string) => `${name}: &${name} [${Array(9).fill(ref).join(', ')}]\n`;
const billionLaughs = 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n' + ['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'].map((n, i) => lol(n, `*${'abcdefgh'[i]}`)).join('');

test('an alias bomb is not expanded and is reported on the document', () => {
	const f = analyze(billionLaughs);
	assert.deepEqual(f.map((x) => x.ruleId), ['yaml-limits']);
	assert.match(f[0].message, /billion laughs/);
	assert.equal(f[0].range.start.line, 0);
});

test('ordinary anchors and aliases are fine', () => {
	assert.deepEqual(analyze('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  labels: &l {app: x}\n  annotations: *l\n'), []);
});

test('10,000-deep nesting is reported once, in plain words', () => {
	for (const text of ['a: ' + '['.repeat(10000) + ']'.repeat(10000) + '\n', '- '.repeat(10000) + 'x\n']) {
		const f = analyze(text);
		assert.equal(f.length, 1, JSON.stringify(f));
		assert.equal(f[0].ruleId, 'yaml-limits');
		assert.match(f[0].message, /nested too deeply/);
	}
});

test('empty documents are allowed', () => {
	assert.deepEqual(analyze(''), []);
	assert.deepEqual(analyze('---\n---\n# only a comment\n'), []);
});

test('lists and scalars are flagged only in files that hold Kubernetes objects', () => {
	const f = analyze('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n- 1\n- 2\n---\njust a scalar\n');
	assert.deepEqual(f.map(brief), ['4:0-4:3 resource-shape', '7:0-7:13 resource-shape']);
	assert.match(f[0].message, /is a list, not a Kubernetes object/);
	// A values file or a CI config is not a manifest: no findings.
	assert.deepEqual(analyze('- 1\n- 2\n'), []);
	assert.deepEqual(analyze('replicaCount: 2\nimage:\n  tag: v1\n'), []);
});

test('an object with kind but no apiVersion is reported on its first key', () => {
	const f = analyze('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\nkind: Deployment\nmetadata:\n  name: web\n');
	assert.deepEqual(f.map(brief), ['4:0-4:4 resource-shape']);
	assert.match(f[0].message, /no apiVersion/);
});

test('Helm templates, SOPS files, binary and non-UTF-8 content are skipped with a note', () => {
	const cases: [string, RegExp][] = [
		['apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n', /^Helm or Go template: its `\{\{ \}\}` expressions outside quoted strings are not valid YAML/],
		['apiVersion: v1\nkind: Secret\ndata:\n  x: ENC[AES256_GCM,data:abc]\nsops:\n  mac: ENC[x]\n  version: 3.8.1\n', /SOPS-encrypted/],
		['abc\u0000def', /binary/],
		['a: caf\uFFFD\n', /not valid UTF-8/],
	];
	for (const [text, message] of cases) {
		const f = analyze(text);
		assert.equal(f.length, 1);
		assert.equal(f[0].ruleId, 'file-skipped');
		assert.equal(f[0].severity, 'info');
		assert.match(f[0].message, message);
		assert.equal(f[0].range.start.line, 0);
	}
	// `{{` in a comment is not a template.
	assert.deepEqual(analyze('# use {{ .Values }} in the chart, not here\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n'), []);
	// The EKS aws-auth ConfigMap's aws-iam-authenticator placeholders are not Helm either; a real template next to them still is.
	const awsAuth = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: aws-auth, namespace: kube-system}\ndata:\n  mapRoles: |\n    - rolearn: arn:aws:iam::1:role/node\n      username: system:node:{{EC2PrivateDNSName}}\n      groups: [system:nodes]\n';
	assert.deepEqual(analyze(awsAuth), []);
	// A template expression inside a string is a string: the file is valid YAML and validated.
	assert.deepEqual(analyze(awsAuth.replace('role/node', 'role/{{ .Values.role }}')), []);
	assert.match(analyze(awsAuth.replace('name: aws-auth', 'name: {{ .Release.Name }}'))[0].message, /^Helm or Go template/);
});

test('a file over the size limit is skipped with its size, without parsing', () => {
	const doc = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n---\n';
	const f = bareEngine({ maxFileSizeKb: 64 }).analyze({ path: 'big.yaml', text: doc.repeat(2000) }).findings;
	assert.equal(f.length, 1);
	assert.match(f[0].message, /over the limit of 64 KiB/);
});

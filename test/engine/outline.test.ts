import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { Outline } from '../../server/src/engine/core/outline';
import { parseFile } from '../../server/src/engine/core/parse';
import { diffFiles, diffText, yamlFilesUnder, type DiffResult } from './outline-diff';

const ROOT = join(__dirname, '..', '..');
const fresh = (): DiffResult => ({ documents: 0, outlined: 0, nodes: 0, answered: 0, mismatches: [] });

test('the outline places every node of the fixtures exactly where the slow parse does, and reads nearly all of them', () => {
	const r = diffFiles([...yamlFilesUnder(join(ROOT, 'examples')), ...yamlFilesUnder(join(ROOT, 'test', 'fixtures'))]);
	assert.deepEqual(r.mismatches, []);
	assert.ok(r.documents > 300, `${r.documents} documents`);
	// Declining is safe (the slow parse places those findings), but the outline must be the rule, not the exception.
	assert.ok(r.outlined / r.documents > 0.95, `${r.outlined} of ${r.documents} documents outlined`);
	assert.ok(r.answered / r.nodes > 0.9, `${r.answered} of ${r.nodes} paths answered`);
});

test('the shapes manifests are written in: nested maps, sequences at and below their key, quoted and block scalars, flow values, comments', () => {
	const text = [
		'# leading comment',
		'apiVersion: apps/v1 # trailing',
		'kind: Deployment',
		'metadata:',
		'  name: "web"',
		"  labels: {app: web, 'tier': x}",
		'  annotations:',
		'    note: |',
		'      line one',
		'',
		'      line three',
		'    other: >-',
		'      folded',
		'spec:',
		'  template:',
		'    spec:',
		'      containers:',
		'      - name: app',
		'        image: nginx:1.25',
		'        args: ["--port", "80"]',
		'        env:',
		'          - name: A',
		'            value: \'it\'\'s\'',
		'      - name: side',
		'        ports: []',
		'  empty:',
		'  selector:',
		'    matchLabels:',
		'      app: web',
		'',
		'# trailing comment',
		'',
	].join('\n');
	const r = fresh();
	diffText('shapes', text, r);
	assert.deepEqual(r.mismatches, []);
	assert.equal(r.outlined, 1);
	const d = parseFile(text).documents[0];
	const o = d.outline!;
	const at = (s: { start: number; end: number } | null | 'unsure') => (s && s !== 'unsure' ? text.slice(s.start, s.end) : s);
	assert.equal(at(o.key(['spec', 'template', 'spec', 'containers', 0, 'image'])), 'image');
	assert.equal(at(o.value(['spec', 'template', 'spec', 'containers', 0, 'image'])), 'nginx:1.25');
	assert.equal(at(o.value(['metadata', 'name'])), '"web"');
	assert.equal(at(o.value(['spec', 'template', 'spec', 'containers', 0, 'env', 0, 'value'])), "'it''s'");
	assert.equal(o.value(['metadata', 'missing']), null);
	assert.equal(o.key(['spec', 'template', 'spec', 'containers', 5]), null);
	// Inside a flow collection, and the span of an empty value: not read (the slow parse answers).
	assert.equal(o.value(['metadata', 'labels', 'app']), 'unsure');
	assert.equal(o.value(['spec', 'empty']), 'unsure');
	assert.equal(at(o.firstKey() ?? null), 'apiVersion');
});

test('the outline declines what it does not read, so the slow parse places those findings', () => {
	const declined = (text: string) => {
		const d = parseFile(text).documents[0];
		return Outline.read(d.segment.text, d.span, d.value) === undefined;
	};
	assert.ok(declined('a: &x 1\nb: 2\n'), 'anchors');
	assert.ok(declined('a: !!str 1\n'), 'tags');
	assert.ok(declined('a: one\n  two\nb: 3\n'), 'multi-line plain scalar');
	assert.ok(declined('a: "one\n  two"\n'), 'multi-line quoted scalar');
	assert.ok(declined('"quoted key": 1\n'), 'quoted key');
	assert.ok(declined('? complex\n: 1\n'), 'complex key');
	assert.ok(declined('a:\n  - - 1\n'), 'nested sequence on one line');
	assert.ok(declined('a: [1,\n  2]\n'), 'flow collection over lines');
	assert.ok(declined('on: 1\n'), 'a key YAML 1.1 reads as a boolean');
	assert.ok(!declined('a: 1\nb:\n- x\n'), 'a plain document is read');
	assert.ok(declined('(conditions[?type == \'Ready\']):\n  status: "True"\n'), 'a JMESPath expression as a key');
	assert.ok(declined('base:\n  <<: {a: 1}\n'), 'a merge key (the value has its keys, not <<)');
});

test('keys that start with a character other than a letter: Kyverno anchors, dotted and path keys', () => {
	const text = 'metadata:\n  annotations:\n    +(safe-to-evict): "true"\nspec:\n  volumes:\n  - <(emptyDir): {}\n  =(hostNetwork): false\n  ^(x): 1\n  (name): web\ndata:\n  .dockerconfigjson: abc\n  /etc/hosts: x\n';
	const d = parseFile(text).documents[0];
	const o = d.outline!;
	assert.ok(o, 'outlined');
	const at = (s: { start: number; end: number } | null | 'unsure') => (s && s !== 'unsure' ? text.slice(s.start, s.end) : s);
	assert.equal(at(o.key(['metadata', 'annotations', '+(safe-to-evict)'])), '+(safe-to-evict)');
	assert.equal(at(o.key(['spec', 'volumes', 0, '<(emptyDir)'])), '<(emptyDir)');
	assert.equal(at(o.value(['spec', '=(hostNetwork)'])), 'false');
	assert.equal(at(o.key(['data', '.dockerconfigjson'])), '.dockerconfigjson');
	assert.equal(at(o.value(['data', '/etc/hosts'])), 'x');
	const r = { documents: 0, outlined: 0, nodes: 0, answered: 0, mismatches: [] as string[] };
	diffText('anchors.yaml', text, r as DiffResult);
	assert.deepEqual(r.mismatches, []);
});

test('findings land on the same ranges with and without the outline', async () => {
	// The engine over a document whose findings are placed by the outline gives what the slow parse gives.
	const { analyzeWith } = await import('./outline-engine');
	const { withOutline, withoutOutline } = analyzeWith([
		'apiVersion: apps/v1',
		'kind: Deployment',
		'metadata:',
		'  name: web',
		'spec:',
		'  replicas: "3"',
		'  selector:',
		'    matchLabels: {app: web}',
		'  template:',
		'    metadata:',
		'      labels:',
		'        app: web',
		'    spec:',
		'      containers:',
		'      - name: app',
		'        image: nginx',
		'        imagePullPolicyy: Always',
		'        securityContext:',
		'          privileged: true',
		'',
	].join('\n'));
	assert.ok(withOutline.length >= 3, `${withOutline.length} findings`);
	assert.deepEqual(withOutline, withoutOutline);
});

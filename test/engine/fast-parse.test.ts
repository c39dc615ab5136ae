import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { fastValue } from '../../server/src/engine/core/fast-parse';
import { parseSegment } from '../../server/src/engine/core/parse';

/** The fast path must read every value exactly as the slow path (and Kubernetes' YAML 1.1) does. */

const SAMPLES = [
	'a: 1', 'a: 1.30', 'a: "1.30"', 'a: on', 'a: yes', 'a: No', 'a: y', 'a: ~', 'a:', 'a: null', 'a: 0777', 'a: 0x1F',
	'a: 1_000', 'a: 190:20:30', 'a: .inf', 'a: -.5', 'a: 1e3', 'a: true', "a: 'on'", 'on: 1', '1: x',
	'a: [1, on, "x"]', 'a: |\n  text\n', 'a: >-\n  folded\n  more\n', '<<: {a: 1}\nb: 2', 'a: 0b101', 'a: +12', 'a: 1.', 'a: 08',
	'key with spaces: v', 'a: !!str 5', '---\na: 1\n', 'a: b # comment', '? complex\n: v', 'image: nginx:1.25', 'port: 8080:80',
	// Aliases of scalars and what only looks like an alias.
	'a: &x 1\nb: *x', 'a: &x foo\nb: [*x, *x]', 'a: &x on\nb: *x', 'schedule: "* * * * *"', 'image: "*:*"', "d: 'see *this*'",
	'description: >-\n  a *bold* claim\n', 'base: &b {a: 1}\nother:\n  <<: *b\n  c: 2',
];

const json = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === 'number' && !Number.isFinite(x) ? String(x) : x));

test('fast and slow paths agree on every value', () => {
	for (const s of SAMPLES) {
		const fast = fastValue(s);
		if (!fast) continue; // the slow path takes it: nothing to compare
		const slow = (parseAllDocuments(s, { version: '1.1' }) as { toJS(): unknown }[]).map((d) => d.toJS());
		assert.equal(json(fast.value), json(slow[0] ?? null), s);
	}
});

test('documents js-yaml cannot read safely take the slow path, which reports their problems', () => {
	for (const s of ['a: &x [1]\nb: *x\n', 'a: &x {b: 1}\nc: [*x]\n', 'a: &x {b: {c: 1}}\nd:\n  <<: *x\n', 'a: 1\na: 2\n', 'a:\n\tb: 1\n', 'a: !custom x\n', 'a: 1\n---\nb: 2\n']) {
		assert.equal(fastValue(s), undefined, s);
	}
	const seg = parseSegment('metadata:\n  name: a\n  name: b\n');
	assert.deepEqual(seg.documents[0].syntax.map((p) => p.code), ['DUPLICATE_KEY']);
});

test('a fast document parses its syntax tree only when asked, at the same span', () => {
	const text = '---\n# leading comment\napiVersion: v1\nkind: ConfigMap\n# trailing comment\n';
	const fast = parseSegment(text).documents[0];
	const slow = parseAllDocuments(text, { version: '1.1' })[0] as { contents: { range: number[] } };
	assert.deepEqual(fast.span, { start: slow.contents.range[0], end: slow.contents.range[1] - 1 }, "the span ends with the content, before its newline");
	const forced = parseSegment(text + "a: &x [1]\nb: *x\n").documents[0];
	assert.equal(forced.span.start, fast.span.start, "slow path, same start");
	assert.equal(fast.doc.get('kind'), 'ConfigMap');
});

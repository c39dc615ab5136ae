import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commonPrefix, commonSuffix, parseFile, segmentStarts } from '../../server/src/engine/core/parse';
import { analyze, bareEngine, brief } from './helpers';

const threeDocs = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n';

test('a multi-document file is split at column-0 document markers only', () => {
	const second = threeDocs.indexOf('---');
	assert.deepEqual(segmentStarts(threeDocs), [0, second, threeDocs.indexOf('---', second + 1)]);
	// An indented `---` inside a block scalar is content, not a marker.
	assert.deepEqual(segmentStarts('a: |\n  ---\n  x\n'), [0]);
	// Directives apply to the documents after them: such a file stays one piece.
	assert.deepEqual(segmentStarts('%YAML 1.1\n---\na: 1\n---\nb: 2\n'), [0]);
});

test('an edit in one document re-parses only that document', () => {
	const first = parseFile(threeDocs);
	const second = parseFile(threeDocs.replace('name: b', 'name: bb'), first);
	assert.equal(second.documents.length, 3);
	assert.equal(second.segments[0].segment, first.segments[0].segment, 'first document reused');
	assert.notEqual(second.segments[1].segment, first.segments[1].segment, 'edited document re-parsed');
	assert.equal(second.segments[2].segment, first.segments[2].segment, 'last document reused although it moved');
	assert.equal(second.segments[2].base, first.segments[2].base + 1);
});

test('findings in a reused document move with it', () => {
	const engine = bareEngine();
	const text = 'a: 1\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  name: y\n';
	const before = engine.analyze({ path: 'f.yaml', text });
	assert.deepEqual(before.findings.map(brief), ['6:2-6:6 yaml-duplicate-key']);
	const after = engine.analyze({ path: 'f.yaml', text: '# a comment line\n' + text }, undefined, before);
	assert.deepEqual(after.findings.map(brief), ['7:2-7:6 yaml-duplicate-key']);
});

test('a duplicate key is reported on the repeated key, and the object is still read', () => {
	const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n';
	const r = bareEngine().analyze({ path: 'f.yaml', text });
	assert.deepEqual(r.findings.map(brief), ['4:2-4:6 yaml-duplicate-key']);
	assert.match(r.findings[0].message, /appears twice/);
	assert.equal(r.resources[0].name, 'b', 'the last value wins, as in Kubernetes');
});

test('a tab used for indentation is reported on the tab', () => {
	const f = analyze('apiVersion: v1\nkind: ConfigMap\ndata:\n\tkey: value\n');
	assert.equal(f.length >= 1, true);
	assert.equal(f[0].ruleId, 'yaml-syntax');
	assert.equal(f[0].range.start.line, 3);
	assert.equal(f[0].range.start.character, 0);
	assert.match(f[0].message, /tabs/);
});

test('the resource model reads kind, name and namespace of every document', () => {
	const r = bareEngine().analyze({ path: 'f.yaml', text: threeDocs.replace('name: c', 'name: c\n  namespace: apps') });
	assert.deepEqual(
		r.resources.map((x) => `${x.apiVersion} ${x.kind} ${x.namespace ?? '-'}/${x.name} #${x.documentIndex}`),
		['v1 ConfigMap -/a #0', 'v1 ConfigMap -/b #1', 'v1 ConfigMap apps/c #2'],
	);
	assert.equal(r.lines.positionAt(r.resources[1].span.start).line, 5);
});

test('incremental parsing splits exactly like a fresh parse, whatever the edit', () => {
	// Deterministic pseudo-random edits, biased towards the characters that make and break markers.
	let seed = 42;
	const rnd = (n: number) => {
		seed = (seed * 1103515245 + 12345) & 0x7fffffff;
		return seed % n;
	};
	const pieces = ['-', '---', '\n', '\n---\n', 'a: 1\n', ' ', '...\n', '#', 'x'];
	let text = threeDocs;
	let prev = parseFile(text);
	for (let i = 0; i < 400; i++) {
		const at = rnd(text.length + 1);
		const del = rnd(4) === 0 ? rnd(6) : 0;
		text = text.slice(0, at) + (rnd(3) === 0 ? '' : pieces[rnd(pieces.length)]) + text.slice(at + del);
		const incremental = parseFile(text, prev);
		const fresh = parseFile(text);
		assert.deepEqual(
			incremental.segments.map((s) => [s.base, s.segment.text]),
			fresh.segments.map((s) => [s.base, s.segment.text]),
			`edit ${i} at ${at}`,
		);
		assert.equal(incremental.documents.length, fresh.documents.length);
		prev = incremental;
	}
});

test('the changed region of an edit is found exactly, at any distance from block boundaries', () => {
	// Differential against the obvious character loop, on texts around the 1,024-character compare blocks.
	const naive = (a: string, b: string) => {
		const max = Math.min(a.length, b.length);
		let p = 0;
		while (p < max && a[p] === b[p]) p++;
		let s = 0;
		while (s < max - p && a[a.length - 1 - s] === b[b.length - 1 - s]) s++;
		return [p, s];
	};
	let seed = 7;
	const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
	for (let round = 0; round < 300; round++) {
		const base = Array.from({ length: rand(5000) }, () => 'ab\n-: '[rand(6)]).join('');
		const at = rand(base.length + 1);
		const removed = Math.min(rand(4), base.length - at);
		const inserted = Array.from({ length: rand(4) }, () => 'ab\n'[rand(3)]).join('');
		const edited = base.slice(0, at) + inserted + base.slice(at + removed);
		const max = Math.min(base.length, edited.length);
		const p = commonPrefix(base, edited, max);
		assert.deepEqual([p, commonSuffix(base, edited, max - p)], naive(base, edited), `round ${round}`);
	}
	assert.equal(commonPrefix('x'.repeat(3000), 'x'.repeat(3000), 3000), 3000);
	assert.equal(commonSuffix('a' + 'x'.repeat(2048), 'b' + 'x'.repeat(2048), 2049), 2048);
});

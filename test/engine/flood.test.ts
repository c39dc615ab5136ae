import { test } from 'node:test';
import assert from 'node:assert/strict';
import { limitFloods, MAX_SYNTAX_PER_DOCUMENT } from '../../server/src/engine/analysis/flood';
import type { Finding } from '../../server/src/engine/core/types';
import { analyze } from './helpers';

const at = (line: number, ruleId = 'yaml-syntax', message = `problem on ${line}`, character = 0): Finding => ({
	ruleId,
	severity: 'error',
	message,
	range: { start: { line, character }, end: { line, character: character + 1 } },
});
const brief = (fs: Finding[]) => fs.map((f) => `${f.range.start.line} ${f.ruleId} ${f.message.slice(0, 40)}`);

test('identical findings at one range merge into one; the same message elsewhere, or another rule, stays', () => {
	const same = at(3, 'yaml-syntax', 'Flow map must end with a }');
	const out = limitFloods([same, { ...same }, { ...same }, at(4, 'yaml-syntax', 'Flow map must end with a }'), at(3, 'schema-type', 'Flow map must end with a }')]);
	assert.deepEqual(brief(out), ['3 yaml-syntax Flow map must end with a }', '4 yaml-syntax Flow map must end with a }', '3 schema-type Flow map must end with a }']);
	// Nothing to merge: the input, unchanged.
	const plain = [at(1, 'schema-type'), at(2, 'pss-privileged')];
	assert.deepEqual(limitFloods(plain), plain);
});

test('many distinct findings at one place each stay once, however many repeat there', () => {
	// A hostile file: 2,000 different messages at one position, each reported three times.
	const distinct = Array.from({ length: 2000 }, (_, i) => at(7, 'schema-type', `value ${i} is not allowed`, 4));
	const out = limitFloods([...distinct, ...distinct.map((f) => ({ ...f })), ...distinct.map((f) => ({ ...f, range: { ...f.range } }))]);
	assert.equal(out.length, 2000);
	assert.deepEqual(new Set(out.map((f) => f.message)).size, 2000);
	// Another end or another severity at the same start is another finding.
	const wider = { ...distinct[0], range: { start: distinct[0].range.start, end: { line: 7, character: 9 } } };
	const warning = { ...distinct[0], severity: 'warning' as const };
	assert.equal(limitFloods([...distinct, wider, warning, { ...wider }]).length, 2002);
});

test('syntax findings are capped per document: the first few, then one that says how many more', () => {
	const many = Array.from({ length: 40 }, (_, i) => at(i + 1));
	const out = limitFloods([...many, at(50, 'schema-type', 'not syntax')]);
	assert.equal(out.length, MAX_SYNTAX_PER_DOCUMENT + 2);
	assert.deepEqual(brief(out.slice(0, MAX_SYNTAX_PER_DOCUMENT)), many.slice(0, MAX_SYNTAX_PER_DOCUMENT).map((f) => `${f.range.start.line} yaml-syntax ${f.message}`));
	const summary = out[MAX_SYNTAX_PER_DOCUMENT];
	assert.equal(summary.range.start.line, MAX_SYNTAX_PER_DOCUMENT + 1, 'where the first hidden one was');
	assert.equal(summary.message, '35 more YAML syntax problems in this document are not shown: fix the 5 above first, since one mistake (an unclosed bracket or quote, a bad indent) often causes all the others.');
	// Other rules are never capped.
	assert.equal(out[out.length - 1].ruleId, 'schema-type');
	// Exactly at the cap: nothing hidden, no summary.
	assert.deepEqual(limitFloods(many.slice(0, MAX_SYNTAX_PER_DOCUMENT)), many.slice(0, MAX_SYNTAX_PER_DOCUMENT));
	assert.match(limitFloods(many.slice(0, MAX_SYNTAX_PER_DOCUMENT + 1))[MAX_SYNTAX_PER_DOCUMENT].message, /^1 more YAML syntax problem in this document is not shown/);
});

test('each document has its own cap', () => {
	const first = Array.from({ length: 8 }, (_, i) => at(i));
	const second = Array.from({ length: 3 }, (_, i) => at(20 + i));
	const out = limitFloods([...first, ...second], [0, 20]);
	assert.deepEqual(out.map((f) => f.range.start.line), [0, 1, 2, 3, 4, 5, 20, 21, 22]);
	assert.match(out[5].message, /^3 more YAML syntax problems/);
});

test('through the engine: a document of 300 broken lines gets six findings, the next document its own', () => {
	const text = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n${Array.from({ length: 300 }, (_, i) => `\tk${i}: v\n`).join('')}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: b\n`;
	const fs = analyze(text);
	assert.equal(fs.length, 7);
	assert.match(fs[5].message, /^295 more YAML syntax problems in this document/);
	assert.equal(fs[6].range.start.line, 309);
});

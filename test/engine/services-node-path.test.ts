import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFile } from '../../server/src/engine/core/parse';
import { completionSite, locate } from '../../server/src/engine/services/node-path';
import { caret } from './services-fixtures';

function at(src: string) {
	const { text, offset } = caret(src);
	const loc = locate(parseFile(text), offset);
	return loc && { path: loc.path, on: loc.on, text: text.slice(loc.span.start, loc.span.end), doc: loc.document.index };
}

function site(src: string) {
	const { text, offset } = caret(src);
	const s = completionSite(parseFile(text), offset);
	if (!s) return undefined;
	const { document, replace, ...rest } = s;
	return { ...rest, doc: document?.index, replaced: text.slice(replace.start, replace.end) };
}

test('locate: keys and values of nested mappings and sequences', () => {
	const doc = 'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: app\n      image: nginx\n';
	assert.deepEqual(at(doc.replace('kind', 'ki|nd')), { path: ['kind'], on: 'key', text: 'kind', doc: 0 });
	assert.deepEqual(at(doc.replace('Pod', 'P|od')), { path: ['kind'], on: 'value', text: 'Pod', doc: 0 });
	assert.deepEqual(at(doc.replace('image', 'im|age')), { path: ['spec', 'containers', 0, 'image'], on: 'key', text: 'image', doc: 0 });
	assert.deepEqual(at(doc.replace('nginx', 'nginx|')), { path: ['spec', 'containers', 0, 'image'], on: 'value', text: 'nginx', doc: 0 });
});

test('locate: the right document of a multi-document file, none on comments between them', () => {
	const text = 'a: 1\n---\n# about b\nb:\n  c: 2\n';
	assert.deepEqual(at(text.replace('c: 2', 'c: |2')), { path: ['b', 'c'], on: 'value', text: '2', doc: 1 });
	assert.equal(at(text.replace('about', 'ab|out')), undefined);
});

test('locate survives 10,000-deep nesting without overflowing the stack', () => {
	const deep = '['.repeat(10_000) + 'x' + ']'.repeat(10_000);
	const { text, offset } = caret(deep.replace('x', '|x'));
	assert.doesNotThrow(() => locate(parseFile(text), offset));
});

test('completionSite: a new key under a parent, a sibling, and at the root', () => {
	assert.deepEqual(site('kind: Widget\nspec:\n  size: 1\n  |\n'), { kind: 'key', parentPath: ['spec'], prefix: '', doc: 0, replaced: '' });
	assert.deepEqual(site('kind: Widget\nspec:\n  mo|\n'), { kind: 'key', parentPath: ['spec'], prefix: 'mo', doc: 0, replaced: 'mo' });
	assert.deepEqual(site('kind: Widget\nspec:\n  size: 1\n|\n'), { kind: 'key', parentPath: [], prefix: '', doc: 0, replaced: '' });
	assert.deepEqual(site('|'), { kind: 'key', parentPath: [], prefix: '', doc: undefined, replaced: '' });
});

test('completionSite: keys inside sequence items, indented and not', () => {
	const indented = 'spec:\n  parts:\n    - name: a\n      |\n';
	assert.deepEqual(site(indented), { kind: 'key', parentPath: ['spec', 'parts', 0], prefix: '', doc: 0, replaced: '' });
	const next = 'spec:\n  parts:\n    - name: a\n    - |\n';
	assert.deepEqual(site(next), { kind: 'key', parentPath: ['spec', 'parts', 1], prefix: '', doc: 0, replaced: '' });
	const first = 'spec:\n  parts:\n  - |\n';
	assert.deepEqual(site(first), { kind: 'key', parentPath: ['spec', 'parts', 0], prefix: '', doc: 0, replaced: '' });
});

test('completionSite: a value after `key: `, in the second document', () => {
	assert.deepEqual(site('a: 1\n---\nspec:\n  mode: fa|\n'), { kind: 'value', path: ['spec', 'mode'], prefix: 'fa', doc: 1, replaced: 'fa' });
	assert.deepEqual(site('kind: |\n'), { kind: 'value', path: ['kind'], prefix: '', doc: 0, replaced: '' });
});

test('completionSite: nothing inside a comment', () => {
	assert.equal(site('spec:\n  # a comm|\n'), undefined);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Rng } from '../../bench/prng';
import { parseFile, segmentStarts } from '../../server/src/engine/core/parse';
import { SegmentedText } from '../../server/src/engine/core/segmented-text';
import { LineIndex } from '../../server/src/engine/core/text';
import { SegmentedDocument, SEGMENTED_DOCUMENTS } from '../../server/src/lsp/text-document';
import { brief, NO_SCHEMAS } from './helpers';
import { Engine } from '../../server/src/engine/analysis/engine';
import type { ResourceCheck } from '../../server/src/engine/context/check-context';
import { defaultSettings } from '../../shared/settings';
import { schemaEngine } from './schema-helpers';

/** Pieces of YAML text an editor might type, chosen to make and break `---` markers, CRLF pairs and directives. */
const BITS = ['---', '---\n', '\n---\n', '--', '-', '\n', '\r\n', '\r', 'a: 1', 'kind: ConfigMap', '  x', ' ', '#', '%YAML 1.1\n', '\u2028', '---x', 'é', ''];

function randomText(rng: Rng, parts: number): string {
	let out = '';
	for (let i = 0; i < parts; i++) out += rng.pick(BITS);
	return out;
}

/** The split `segmentStarts` makes of a whole text: what a segmented text's pieces must always be. */
function expectedPieces(text: string): string[] {
	const starts = segmentStarts(text);
	return starts.map((s, i) => text.slice(s, i + 1 < starts.length ? starts[i + 1] : text.length));
}

test('a segmented text answers as vscode-languageserver-textdocument does, and stays split as the parser splits, through random edits', () => {
	const rng = new Rng(20261207);
	for (let round = 0; round < 150; round++) {
		const initial = randomText(rng, rng.int(0, 40));
		let reference = TextDocument.create('file:///f.yaml', 'yaml', 0, initial);
		let doc = SEGMENTED_DOCUMENTS.create('file:///f.yaml', 'yaml', 0, initial);
		for (let step = 0; step < 25; step++) {
			const text = reference.getText();
			// Positions past line ends and past the last line too: the editor may send them.
			const pos = () => ({ line: rng.int(0, reference.lineCount), character: rng.int(0, 12) });
			const change = rng.chance(0.05) ? { text: randomText(rng, rng.int(0, 10)) } : { range: { start: pos(), end: pos() }, text: randomText(rng, rng.int(0, 4)) };
			reference = TextDocument.update(reference, [change], step + 1);
			doc = SEGMENTED_DOCUMENTS.update(doc, [change], step + 1);
			const now = reference.getText();
			const where = `round ${round} step ${step}: ${JSON.stringify(text)} then ${JSON.stringify(change)}`;
			assert.equal(doc.getText(), now, where);
			assert.deepEqual([...doc.text.pieces], expectedPieces(now), where);
			assert.equal(doc.lineCount, reference.lineCount, where);
			assert.equal(doc.version, step + 1);
			for (let o = -1; o <= now.length + 1; o++) assert.deepEqual(doc.positionAt(o), reference.positionAt(o), `${where}: positionAt(${o})`);
			for (let line = -1; line <= reference.lineCount; line++) {
				for (let character = -1; character < 8; character++) {
					assert.equal(doc.offsetAt({ line, character }), reference.offsetAt({ line, character }), `${where}: offsetAt(${line}:${character})`);
				}
				assert.deepEqual(doc.getLineRange(line), reference.getLineRange(line), `${where}: getLineRange(${line})`);
				assert.equal(doc.getEOLCharacters(line), reference.getEOLCharacters(line), `${where}: getEOLCharacters(${line})`);
			}
			const a = pos();
			const b = pos();
			const range = a.line < b.line || (a.line === b.line && a.character <= b.character) ? { start: a, end: b } : { start: b, end: a };
			assert.equal(doc.getText(range), reference.getText(range), `${where}: getText(range)`);
			// The engine's own line index ('\n' lines) reads the pieces as it reads the whole text.
			const lines = new LineIndex(doc.text);
			const flat = new LineIndex(now);
			assert.equal(lines.lineCount, flat.lineCount, where);
			for (let o = 0; o <= now.length; o++) assert.deepEqual(lines.positionAt(o), flat.positionAt(o), `${where}: LineIndex.positionAt(${o})`);
		}
	}
});

test('an edit in one document of a large file keeps every other document\'s string and parse', () => {
	const docs = Array.from({ length: 300 }, (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\ndata:\n  key: value-${i}\n`);
	const whole = docs.join('---\n');
	const before = SEGMENTED_DOCUMENTS.create('file:///big.yaml', 'yaml', 1, whole);
	// Type one character at the end of document 150's value.
	const at = before.positionAt(whole.indexOf('value-150') + 'value-150'.length);
	const after = SEGMENTED_DOCUMENTS.update(before, [{ range: { start: at, end: at }, text: 'x' }], 2);
	assert.equal(after.getText(), whole.replace('value-150', 'value-150x'));
	assert.equal(after.text.pieces.length, 300);
	const first = parseFile(before.text);
	const second = parseFile(after.text, first);
	const reused = second.segments.filter((s, i) => s.segment === first.segments[i].segment).length;
	assert.equal(reused, 299, 'only the edited document is parsed again');
	assert.equal(second.segments[151].base, first.segments[151].base + 1);
});

test('a segmented text is validated exactly as its whole text is', () => {
	const engine = schemaEngine();
	const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata: 3\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  replicas: "3"\n  selector: {}\n---\nkey: [unclosed\n';
	const flat = schemaEngine().analyze({ path: 'many.yaml', text });
	const segmented = engine.analyze({ path: 'many.yaml', text: SegmentedText.of(text) });
	assert.ok(flat.findings.length >= 3, 'the sample has findings in several documents');
	assert.deepEqual(segmented.findings.map(brief), flat.findings.map(brief));
	assert.equal(segmented.parsed.text, text);
	assert.deepEqual(segmented.resources.map((r) => r.span), flat.resources.map((r) => r.span));
	// An edit through the document: the findings move with the text, as a fresh analysis of the new text has them.
	const doc = new SegmentedDocument('file:///many.yaml', 'yaml', 1, SegmentedText.of(text));
	const start = doc.positionAt(0);
	const edited = doc.update([{ range: { start, end: start }, text: '# a comment\n' }], 2);
	const next = engine.analyze({ path: 'many.yaml', text: edited.text }, undefined, segmented);
	assert.deepEqual(next.findings.map(brief), schemaEngine().analyze({ path: 'many.yaml', text: edited.getText() }).findings.map(brief));
});

test('an edit is judged once: the next version reuses the results of the documents it did not touch, from the same engine only', () => {
	const seen: string[] = [];
	const counting: ResourceCheck = {
		id: 'counting',
		appliesTo: () => true,
		check: (r) => {
			seen.push(String(r.name));
			return [{ ruleId: 'counting', severity: 'warning', message: `saw ${r.name}`, path: ['metadata', 'name'], target: 'value' }];
		},
	};
	const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;
	const text = [cm('a'), cm('b'), cm('c')].join('---\n');
	const engine = new Engine(NO_SCHEMAS, defaultSettings(), [counting]);
	const first = engine.analyze({ path: 'cms.yaml', text: SegmentedText.of(text) });
	assert.deepEqual(seen.splice(0), ['a', 'b', 'c']);
	// A line added in the first document: b and c move down a line, and only a is judged again.
	const doc = new SegmentedDocument('file:///cms.yaml', 'yaml', 1, SegmentedText.of(text));
	const edited = doc.update([{ range: { start: { line: 3, character: 9 }, end: { line: 3, character: 9 } }, text: '\n  # a note' }], 2);
	const second = engine.analyze({ path: 'cms.yaml', text: edited.text }, undefined, first);
	assert.deepEqual(seen.splice(0), ['a']);
	assert.deepEqual(second.findings.map(brief), schemaFree(edited.getText(), counting).map(brief), 'the moved findings are where a fresh analysis puts them');
	seen.length = 0;
	// A new document above them all: every later document moves one place down the list, and only the new one and the one it now precedes (its text starts with the marker now) are judged.
	const grown = edited.update([{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: `${cm('z')}---\n` }], 3);
	const third = engine.analyze({ path: 'cms.yaml', text: grown.text }, undefined, second);
	assert.deepEqual(seen.splice(0), ['z', 'a']);
	assert.equal(third.parsed.segmentList.length, 4);
	// Another engine (other settings) does not take the first engine's results.
	const other = new Engine(NO_SCHEMAS, { ...defaultSettings(), kubernetesVersion: '1.29' }, [counting]);
	other.analyze({ path: 'cms.yaml', text: edited.text }, undefined, second);
	assert.deepEqual(seen.splice(0), ['a', 'b', 'c']);
});

function schemaFree(text: string, check: ResourceCheck) {
	return new Engine(NO_SCHEMAS, defaultSettings(), [check]).analyze({ path: 'cms.yaml', text }).findings;
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../../server/src/engine/analysis/engine';
import { complete } from '../../server/src/engine/services/completion';
import { hover } from '../../server/src/engine/services/hover';
import { documentSymbols } from '../../server/src/engine/services/symbols';
import { defaultSettings } from '../../shared/settings';
import { caret, WIDGETS } from './services-fixtures';

const engine = new Engine(WIDGETS, defaultSettings());

function run<T>(src: string, fn: (a: ReturnType<Engine['analyze']>, offset: number) => T): T {
	const { text, offset } = caret(src);
	return fn(engine.analyze({ path: 'w.yaml', text }), offset);
}

const widget = 'apiVersion: example.io/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  size: 3\n  mode: fast\n';

test('hover on a key shows its path, type and description', () => {
	const h = run(widget.replace('size', 'si|ze'), (a, o) => hover(a, WIDGETS, o));
	assert.equal(h?.markdown, '**spec.size** · `integer`\n\nHow many parts.');
	assert.deepEqual(h?.range, { start: { line: 5, character: 2 }, end: { line: 5, character: 6 } });
});

test('hover on an enum value lists the allowed values', () => {
	const h = run(widget.replace('fast', 'fa|st'), (a, o) => hover(a, WIDGETS, o));
	assert.equal(h?.markdown, '**spec.mode** · `string`\n\nHow it runs.\n\nAllowed values: `fast`, `slow`, `on`');
});

test('hover on a finding shows its message and rule; nothing on a kind without schema', () => {
	const dup = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  na|me: b\n';
	const h = run(dup, (a, o) => hover(a, WIDGETS, o));
	assert.match(h!.markdown, /^\*\*error\*\*: This key appears twice/);
	assert.match(h!.markdown, /\[yaml-duplicate-key\]\(https:\/\/.*\/docs\/rules\/yaml-duplicate-key\.md\) · Duplicate key$/);
	assert.equal(run('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  na|me: a\n', (a, o) => hover(a, WIDGETS, o)), undefined);
});

test('completion offers the missing keys of a mapping, required first, with snippets by type', () => {
	const items = run('apiVersion: example.io/v1\nkind: Widget\nspec:\n  size: 3\n  |\n', (a, o) => complete(a, WIDGETS, o));
	assert.deepEqual(
		items.map((i) => [i.label, i.insertText, i.sortText]),
		[
			['mode', 'mode: $0', '1mode'],
			['parts', 'parts:\n  - $0', '1parts'],
			['enabled', 'enabled: $0', '1enabled'],
		],
	);
	const first = run('apiVersion: example.io/v1\nkind: Widget\nspec:\n  |\n', (a, o) => complete(a, WIDGETS, o));
	assert.equal(first[0].label, 'size');
	assert.equal(first[0].detail, 'integer (required)');
});

test('completion inside a sequence item uses the item schema', () => {
	const items = run('apiVersion: example.io/v1\nkind: Widget\nspec:\n  parts:\n    - name: a\n      |\n', (a, o) => complete(a, WIDGETS, o));
	assert.deepEqual(items.map((i) => i.label), ['colour']);
	assert.deepEqual(items[0].range, { start: { line: 5, character: 6 }, end: { line: 5, character: 6 } });
});

test('completion of enum and boolean values, quoting what YAML 1.1 would misread', () => {
	const modes = run('apiVersion: example.io/v1\nkind: Widget\nspec:\n  mode: s|\n', (a, o) => complete(a, WIDGETS, o));
	assert.deepEqual(modes.map((i) => [i.label, i.insertText]), [['fast', 'fast'], ['slow', 'slow'], ['on', '"on"']]);
	assert.deepEqual(modes[0].range, { start: { line: 3, character: 8 }, end: { line: 3, character: 9 } });
	const flags = run('apiVersion: example.io/v1\nkind: Widget\nspec:\n  enabled: |\n', (a, o) => complete(a, WIDGETS, o));
	assert.deepEqual(flags.map((i) => i.label), ['true', 'false']);
});

test('completion of kind values and of apiVersion/kind pairs in an empty document', () => {
	const kinds = run('apiVersion: example.io/v1\nkind: |\n', (a, o) => complete(a, WIDGETS, o));
	assert.deepEqual(kinds.map((i) => [i.label, i.detail]), [['Widget', 'example.io/v1'], ['Gadget', 'example.io/v1']]);
	const pairs = run('|', (a, o) => complete(a, WIDGETS, o));
	assert.deepEqual(pairs.map((i) => i.label), ['Widget (example.io/v1)', 'Gadget (example.io/v1)']);
	assert.equal(pairs[0].insertText, 'apiVersion: example.io/v1\nkind: Widget\nmetadata:\n  name: $1');
	// Not in YAML that is clearly something else.
	assert.deepEqual(run('services:\n  web: {}\n|', (a, o) => complete(a, WIDGETS, o)), []);
});

test('document symbols: one per resource, Kind/name, selecting the name', () => {
	const text = `${widget}---\n# nothing\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-a\n---\napiVersion: v1\nkind: List\n`;
	const symbols = documentSymbols(engine.analyze({ path: 'w.yaml', text }));
	assert.deepEqual(
		symbols.map((s) => [s.name, s.detail, s.range.start.line, s.range.end.line, `${s.selectionRange.start.line}:${s.selectionRange.start.character}-${s.selectionRange.end.character}`]),
		[
			['Widget/w', 'example.io/v1', 0, 6, '3:8-9'],
			['Namespace/team-a', 'v1', 10, 13, '13:8-14'],
			['List', 'v1', 15, 16, '16:6-10'],
		],
	);
});

test('hover on a compliance finding explains it: why, the fix, and every control it evidences', async () => {
	const { complianceChecks } = await import('../../server/src/engine/rules/compliance');
	const { NO_SCHEMAS } = await import('./helpers');
	const engine = new Engine(NO_SCHEMAS, defaultSettings(), complianceChecks);
	const { text, offset } = caret('apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: x\n      securityContext:\n        privileged: tr|ue\n');
	const h = hover(engine.analyze({ path: 'p.yaml', text }), NO_SCHEMAS, offset);
	assert.ok(h);
	assert.match(h.markdown, /^\*\*warning\*\*: Container "c" runs privileged/);
	assert.match(h.markdown, /\*Why:\* A privileged container gets every capability/);
	assert.match(h.markdown, /\*Fix:\* Set securityContext\.privileged to false/);
	assert.match(h.markdown, /\*Controls:\* `CIS-K8S-5\.2\.2`, `PSS-baseline-privileged`/);
});

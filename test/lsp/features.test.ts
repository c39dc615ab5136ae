import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CompletionItem, DocumentSymbol, Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { ensureServerBuilt, positionOf, Session } from './harness';

let session: Session;

before(async () => {
	ensureServerBuilt();
	session = await Session.start();
});
after(() => session?.stop());

const deployment = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  template:\n    spec:\n      containers:\n        - name: web\n          image: nginx\n          imagePullPolicy: \n';

async function opened(name: string, text: string): Promise<string> {
	const uri = `untitled:${name}`;
	await session.open(uri, text);
	await session.diagnosticsOfVersion(uri, 1);
	return uri;
}

test('hover on a key shows the schema description', { timeout: 30_000 }, async () => {
	const uri = await opened('hover.yaml', deployment);
	const h = await session.request<Hover>('textDocument/hover', { textDocument: { uri }, position: positionOf(deployment, 'replicas', 3) });
	const md = h.contents as MarkupContent;
	assert.equal(md.kind, 'markdown');
	assert.match(md.value, /^\*\*spec\.replicas\*\* · `[a-z]+`\n\nNumber of desired pods\./);
	assert.deepEqual(h.range, { start: { line: 5, character: 2 }, end: { line: 5, character: 10 } });
});

test('hover on a finding adds its message and rule', { timeout: 30_000 }, async () => {
	const text = deployment.replace('replicas: 2', 'replicas: two');
	const uri = await opened('hover-finding.yaml', text);
	const h = await session.request<Hover>('textDocument/hover', { textDocument: { uri }, position: positionOf(text, 'two', 1) });
	assert.match((h.contents as MarkupContent).value, /\*\*error\*\*: spec\.replicas must be an integer, got the string "two"\n\n\[schema-type\]\(https:\/\/\S+\/schema-type\.md\)/);
});

test('completion offers the missing keys of the mapping at the cursor, not the present ones', { timeout: 30_000 }, async () => {
	const text = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  \n';
	const uri = await opened('complete-keys.yaml', text);
	const items = await session.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri }, position: { line: 6, character: 2 } });
	const labels = items.map((i) => i.label);
	assert.ok(labels.includes('selector') && labels.includes('template') && labels.includes('strategy'), labels.join(','));
	assert.ok(!labels.includes('replicas'), 'replicas is already there');
	const selector = items.find((i) => i.label === 'selector')!;
	assert.deepEqual(selector.textEdit, { range: { start: { line: 6, character: 2 }, end: { line: 6, character: 2 } }, newText: 'selector:\n  $0' });
	assert.equal(selector.sortText, '0selector', 'required fields sort first');
});

test('completion offers enum values after `key: `', { timeout: 30_000 }, async () => {
	const uri = await opened('complete-enum.yaml', deployment);
	const items = await session.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri }, position: positionOf(deployment, 'imagePullPolicy: ', 17) });
	assert.deepEqual(items.map((i) => i.label), ['Always', 'IfNotPresent', 'Never']);
});

test('completion offers apiVersion/kind pairs in an empty document', { timeout: 30_000 }, async () => {
	const uri = await opened('complete-kind.yaml', '');
	const items = await session.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri }, position: { line: 0, character: 0 } });
	const deploy = items.find((i) => i.label === 'Deployment (apps/v1)');
	assert.ok(deploy, `${items.length} items`);
	assert.equal(deploy.textEdit?.newText, 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: $1');
	assert.ok(items.some((i) => i.label === 'HelmRelease (helm.toolkit.fluxcd.io/v2)'), 'custom resources too');
});

test('document symbols: one per resource, Kind/name, selecting the name', { timeout: 30_000 }, async () => {
	const text = `${deployment}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\n`;
	const uri = await opened('symbols.yaml', text);
	const symbols = await session.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
	assert.deepEqual(
		symbols.map((s) => [s.name, s.detail, s.range.start.line, s.range.end.line, s.selectionRange]),
		[
			['Deployment/web', 'apps/v1', 0, 11, { start: { line: 3, character: 8 }, end: { line: 3, character: 11 } }],
			['Service/web', 'v1 · shop', 13, 17, { start: { line: 16, character: 8 }, end: { line: 16, character: 11 } }],
		],
	);
});

test('a quick fix is offered over LSP for a compliance finding, linked to its diagnostic, with an edit that fixes it', { timeout: 30_000 }, async () => {
	const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: x\n      securityContext:\n        privileged: true\n';
	const uri = await opened('quick-fix.yaml', text);
	const at = positionOf(text, 'true', 1);
	const actions = await session.request<{ title: string; kind: string; isPreferred?: boolean; diagnostics: { code: string }[]; edit: { changes: Record<string, { range: unknown; newText: string }[]> } }[]>(
		'textDocument/codeAction',
		{ textDocument: { uri }, range: { start: at, end: at }, context: { diagnostics: [] } },
	);
	const fix = actions.find((a) => a.title === 'Set privileged: false');
	assert.ok(fix, actions.map((a) => a.title).join(', '));
	assert.equal(fix.kind, 'quickfix');
	assert.equal(fix.isPreferred, true);
	assert.deepEqual(fix.diagnostics.map((d) => d.code), ['pss-privileged']);
	assert.deepEqual(fix.edit.changes[uri], [{ range: { start: { line: 9, character: 20 }, end: { line: 9, character: 24 } }, newText: 'false' }]);
	assert.ok(actions.some((a) => a.title === 'Exempt this pss-privileged finding (write the reason)'));
});

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureServerBuilt, positionOf, Session } from './harness';

let session: Session;
let settings: Record<string, unknown> = {};

before(async () => {
	ensureServerBuilt();
	session = await Session.start({ settings: () => settings });
});
after(() => session?.stop());

// A Service, not a workload: these tests are about the protocol, not about Pod Security rules.
const service = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n    - name: http\n      port: "80"\n';

test('an open file with a mistake gets a diagnostic on the exact node, with rule, source and help link', { timeout: 30_000 }, async () => {
	const uri = 'untitled:service-1';
	await session.open(uri, service);
	const { diagnostics } = await session.diagnosticsOfVersion(uri, 1);
	assert.deepEqual(diagnostics, [
		{
			range: { start: { line: 9, character: 12 }, end: { line: 9, character: 16 } },
			severity: 1,
			code: 'schema-type',
			codeDescription: { href: 'https://github.com/fleetscope/fleetscope/blob/main/docs/rules/schema-type.md' },
			source: 'fleetscope',
			message: 'spec.ports[0].port must be an integer, got the string "80"',
		},
	]);
});

test('an incremental edit that fixes the mistake clears the diagnostics', { timeout: 30_000 }, async () => {
	const uri = 'untitled:service-2';
	await session.open(uri, service);
	assert.equal((await session.diagnosticsOfVersion(uri, 1)).diagnostics.length, 1);
	// Replace `"80"` by `80`: one incremental change of the quoted range.
	const start = positionOf(service, '"80"');
	await session.change(uri, 2, [{ range: { start, end: { line: start.line, character: start.character + 4 } }, text: '80' }]);
	assert.deepEqual((await session.diagnosticsOfVersion(uri, 2)).diagnostics, []);
	// And breaking it again brings the diagnostic back, at the new place.
	await session.change(uri, 3, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# web\n' }, { range: { start: { line: 10, character: 12 }, end: { line: 10, character: 14 } }, text: 'eighty' }]);
	const again = await session.diagnosticsOfVersion(uri, 3);
	assert.deepEqual(
		again.diagnostics.map((d) => [d.range.start.line, d.range.start.character, d.range.end.character, d.message]),
		[[10, 12, 18, 'spec.ports[0].port must be an integer, got the string "eighty"']],
	);
});

test('editing the second document of a three-document file re-parses only that document', { timeout: 30_000 }, async () => {
	const uri = 'untitled:multi';
	const cm = (name: string, extra = '') => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${extra}data:\n  a: "1"\n`;
	const text = [cm('one', 'bogus: 1\n'), cm('two'), cm('three', 'bogus: 3\n')].join('---\n');
	await session.open(uri, text);
	const first = await session.diagnosticsOfVersion(uri, 1);
	assert.deepEqual(first.diagnostics.map((d) => `${d.range.start.line} ${d.code}`), ['4 schema-unknown-field', '19 schema-unknown-field']);
	assert.deepEqual((await session.status(uri)).document, { version: 1, documents: 3, reparsedDocuments: 3, analyses: 1, findings: 2 });

	// Add an unknown field to document 2 (line 12 is its `data:` line).
	await session.change(uri, 2, [{ range: { start: { line: 12, character: 0 }, end: { line: 12, character: 0 } }, text: 'extra: 2\n' }]);
	const second = await session.diagnosticsOfVersion(uri, 2);
	assert.deepEqual(second.diagnostics.map((d) => `${d.range.start.line} ${d.code}`), ['4 schema-unknown-field', '12 schema-unknown-field', '20 schema-unknown-field']);
	// The server's own account: documents 1 and 3 came unchanged from the previous version's parse.
	assert.deepEqual((await session.status(uri)).document, { version: 2, documents: 3, reparsedDocuments: 1, analyses: 2, findings: 3 });
});

test('a severity override `off` in the settings removes the rule, and `warning` downgrades it', { timeout: 30_000 }, async () => {
	const uri = 'untitled:service-3';
	await session.open(uri, service);
	assert.equal((await session.diagnosticsOfVersion(uri, 1)).diagnostics[0].severity, 1);
	settings = { severity: { 'schema-type': 'warning' } };
	let next = session.nextDiagnostics(uri);
	await session.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
	assert.deepEqual((await next).diagnostics.map((d) => [d.code, d.severity]), [['schema-type', 2]]);
	settings = { severity: { 'schema-type': 'off' } };
	next = session.nextDiagnostics(uri);
	await session.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
	assert.deepEqual((await next).diagnostics, []);
	settings = {};
});

test('closing a document that is not in a workspace folder clears its diagnostics', { timeout: 30_000 }, async () => {
	const uri = 'untitled:service-4';
	await session.open(uri, service);
	await session.diagnosticsOfVersion(uri, 1);
	const cleared = session.nextDiagnostics(uri);
	await session.close(uri);
	assert.deepEqual((await cleared).diagnostics, []);
});

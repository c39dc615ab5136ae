import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CompletionItem, DocumentSymbol, Hover } from 'vscode-languageserver-protocol';
import { ensureServerBuilt, Session } from './harness';

/**
 * Bad input gets a clear diagnostic, never a crash or a hang: after each input the server
 * still answers hover, completion and symbols on that file, and a normal request on a normal one.
 */
let session: Session;
const normal = 'untitled:normal.yaml';
const normalText = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fine\n';

before(async () => {
	ensureServerBuilt();
	session = await Session.start();
	await session.open(normal, normalText);
	await session.diagnosticsOfVersion(normal, 1);
});
after(() => session?.stop());

const laughs = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
	.concat('bcdefghi'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`))
	.join('\n');

const cases: { name: string; text: string; expect: [line: number, code: string, message: RegExp][] }[] = [
	{ name: 'a tab used for indentation', text: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: x\n', expect: [[3, 'yaml-syntax', /^YAML does not allow tabs for indentation/]] },
	{ name: 'a binary file named .yaml', text: 'apiVersion: v1\u0000\u0001\u0002\u00ff kind', expect: [[0, 'file-skipped', /it contains NUL bytes, so it is binary/]] },
	{ name: 'text that is not valid UTF-8', text: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: caf\uFFFD\n', expect: [[0, 'file-skipped', /not valid UTF-8/]] },
	{ name: 'a 50 MB file', text: 'a: b\n'.repeat(10 * 1024 * 1024), expect: [[0, 'file-skipped', /it is 50\.0 MB, over the limit of 4096 KiB/]] },
	{ name: 'an alias bomb (billion laughs)', text: laughs, expect: [[0, 'yaml-limits', /"billion laughs" attack/]] },
	{ name: '10,000-deep nesting', text: `apiVersion: v1\nkind: ConfigMap\ndata: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`, expect: [[2, 'yaml-limits', /nested too deeply/]] },
	{ name: 'an unclosed flow mapping nested 5,000 deep (hundreds of identical parser errors, merged)', text: `${normalText}data: ${'{a: '.repeat(5000)}\n`, expect: [[4, 'yaml-limits', /nested too deeply/], [4, 'yaml-syntax', /^Flow map in block collection/]] },
	{ name: '300 tab-indented keys (syntax findings capped per document)', text: `${normalText}data:\n${Array.from({ length: 300 }, (_, i) => `\tk${i}: v\n`).join('')}`, expect: [...[5, 6, 7, 8, 9].map((l): [number, string, RegExp] => [l, 'yaml-syntax', /^YAML does not allow tabs/]), [10, 'yaml-syntax', /^295 more YAML syntax problems/]] },
	{ name: 'a Helm template', text: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n', expect: [[0, 'file-skipped', /^Helm or Go template/]] },
	{ name: 'a document that is a list', text: `${normalText}---\n- a\n- b\n`, expect: [[5, 'resource-shape', /^This document is a list, not a Kubernetes object/]] },
	{ name: 'a document that is a scalar', text: `${normalText}---\njust text\n`, expect: [[5, 'resource-shape', /^This document is a string value/]] },
	{ name: 'empty documents', text: '---\n---\n# only a comment\n---\n', expect: [] },
];

for (const [i, c] of cases.entries()) {
	test(`${c.name}: a clear diagnostic, and the server keeps answering`, { timeout: 60_000 }, async () => {
		const uri = `untitled:bad-${i}.yaml`;
		await session.open(uri, c.text);
		const { diagnostics } = await session.diagnosticsOfVersion(uri, 1);
		assert.equal(diagnostics.length, c.expect.length, JSON.stringify(diagnostics));
		for (const [k, [line, code, message]] of c.expect.entries()) {
			assert.equal(diagnostics[k].range.start.line, line);
			assert.equal(diagnostics[k].code, code);
			assert.match(diagnostics[k].message, message);
		}
		// Every feature on the bad file answers (possibly with nothing)...
		const middle = { line: 2, character: 3 };
		await session.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: middle });
		await session.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri }, position: middle });
		await session.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
		await session.close(uri);
		// ...and a normal request on a normal file still gets its normal answer.
		const symbols = await session.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: normal } });
		assert.deepEqual(symbols.map((s) => s.name), ['ConfigMap/fine']);
		assert.ok(session.alive);
		// No handler failed behind the scenes (failures are logged, not thrown).
		assert.deepEqual(session.logs.filter((l) => /failed:|Uncaught|Unhandled/.test(l)), []);
	});
}

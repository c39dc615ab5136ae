import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The engine core stays pure: no Node built-ins, no vscode, no LSP packages. The LSP and CLI are adapters on top. */

function tsFiles(dir: string, out: string[] = []): string[] {
	for (const name of readdirSync(dir)) {
		const p = join(dir, name);
		if (statSync(p).isDirectory()) tsFiles(p, out);
		else if (name.endsWith('.ts')) out.push(p);
	}
	return out;
}

const FORBIDDEN = /^(node:|fs$|path$|os$|child_process$|http|https$|net$|vscode$|vscode-languageserver|vscode-languageclient|vscode-jsonrpc|@kubernetes\/client-node)/;

test('the engine core imports no Node, vscode or LSP module', () => {
	const offenders: string[] = [];
	for (const file of [...tsFiles('server/src/engine'), ...tsFiles('shared')]) {
		const src = readFileSync(file, 'utf8');
		for (const m of src.matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
			const spec = m[1] ?? m[2] ?? m[3];
			if (FORBIDDEN.test(spec)) offenders.push(`${file}: ${spec}`);
			if (spec.startsWith('.') && /\/(lsp|cli|host)\//.test(join(file, '..', spec) + '/')) offenders.push(`${file}: ${spec} (adapter code)`);
		}
	}
	assert.deepEqual(offenders, []);
});

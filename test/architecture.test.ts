import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * The layers of the server, bottom to top (docs/architecture.md draws them). A module may import
 * its own files and modules of lower layers, never a module of its own or a higher layer, and no
 * import cycle exists anywhere. The engine (everything under server/src/engine) stays pure: no
 * Node built-ins, no vscode, no LSP, no Kubernetes client.
 */
const LAYERS: readonly (readonly string[])[] = [
	['shared'],
	['server/src/engine/core'],
	['server/src/engine/schema', 'server/src/engine/kustomize', 'server/src/engine/cel'],
	['server/src/engine/fleet', 'server/src/engine/live'],
	['server/src/engine/context'],
	['server/src/engine/rules/checks', 'server/src/engine/rules/compliance', 'server/src/engine/rules/live', 'server/src/engine/rules/policy'],
	['server/src/engine/rules'],
	['server/src/engine/analysis'],
	['server/src/engine/services', 'server/src/engine/report', 'server/src/engine/drift', 'server/src/engine/promotion'],
	['server/src/host'],
	['server/src/workspace'],
	['server/src/lsp', 'server/src/cli'],
	['server/src/bin'],
];

const MODULES = LAYERS.flatMap((mods, layer) => mods.map((m) => ({ m, layer }))).sort((a, b) => b.m.length - a.m.length);

function moduleOf(file: string): { m: string; layer: number } | undefined {
	return MODULES.find(({ m }) => file === m || file.startsWith(`${m}/`));
}

function tsFiles(dir: string, out: string[] = []): string[] {
	for (const name of readdirSync(dir)) {
		const p = join(dir, name);
		if (statSync(p).isDirectory()) tsFiles(p, out);
		else if (name.endsWith('.ts')) out.push(p);
	}
	return out;
}

const IMPORT = /(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)|import\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/gm;

function specifiers(file: string): string[] {
	return [...readFileSync(file, 'utf8').matchAll(IMPORT)].map((m) => m[1] ?? m[2] ?? m[3] ?? m[4]);
}

function resolveLocal(from: string, spec: string): string | undefined {
	const p = resolve(dirname(from), spec);
	for (const c of [`${p}.ts`, join(p, 'index.ts'), p]) if (existsSync(c) && statSync(c).isFile()) return relative(process.cwd(), c).split('\\').join('/');
	return undefined;
}

const files = [...tsFiles('server/src'), ...tsFiles('shared')].map((f) => f.split('\\').join('/'));
const graph = new Map(files.map((f) => [f, specifiers(f).filter((s) => s.startsWith('.')).flatMap((s) => resolveLocal(f, s) ?? [])]));

test('every server file belongs to a layer', () => {
	assert.deepEqual(files.filter((f) => !moduleOf(f)), []);
});

test('imports only run down the layers (a module imports its own files and lower layers)', () => {
	const offenders: string[] = [];
	for (const [file, deps] of graph) {
		const from = moduleOf(file)!;
		for (const dep of deps) {
			const to = moduleOf(dep);
			if (!to || to.m === from.m) continue;
			if (to.layer >= from.layer) offenders.push(`${file} -> ${dep} (${from.m} is layer ${from.layer}, ${to.m} layer ${to.layer})`);
		}
	}
	assert.deepEqual(offenders, []);
});

test('no import cycle in server/src or shared', () => {
	// Tarjan's strongly connected components: any component of more than one file is a cycle.
	let index = 0;
	const stack: string[] = [];
	const on = new Set<string>();
	const idx = new Map<string, number>();
	const low = new Map<string, number>();
	const cycles: string[][] = [];
	const visit = (v: string): void => {
		idx.set(v, index);
		low.set(v, index++);
		stack.push(v);
		on.add(v);
		for (const w of graph.get(v) ?? []) {
			if (!graph.has(w)) continue;
			if (!idx.has(w)) {
				visit(w);
				low.set(v, Math.min(low.get(v)!, low.get(w)!));
			} else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
		}
		if (low.get(v) === idx.get(v)) {
			const c: string[] = [];
			let w: string;
			do {
				w = stack.pop()!;
				on.delete(w);
				c.push(w);
			} while (w !== v);
			if (c.length > 1) cycles.push(c.sort());
		}
	};
	for (const v of graph.keys()) if (!idx.has(v)) visit(v);
	assert.deepEqual(cycles, []);
});

const FORBIDDEN = /^(node:|fs$|path$|os$|crypto$|child_process$|http|https$|net$|vscode$|vscode-languageserver|vscode-languageclient|vscode-jsonrpc|@kubernetes\/client-node|@octokit|@gitbeaker)/;

test('the engine imports no Node, vscode, LSP, Kubernetes client or hosting API module', () => {
	const offenders: string[] = [];
	for (const file of files.filter((f) => f.startsWith('server/src/engine/') || f.startsWith('shared/'))) {
		for (const spec of specifiers(file)) if (FORBIDDEN.test(spec)) offenders.push(`${file}: ${spec}`);
	}
	assert.deepEqual(offenders, []);
});

test('the client imports no server code: only shared types and its own files', () => {
	const offenders: string[] = [];
	for (const file of tsFiles('client/src')) {
		for (const spec of specifiers(file)) {
			if (!spec.startsWith('.')) continue;
			const target = relative(process.cwd(), resolve(dirname(file), spec)).split('\\').join('/');
			if (!target.startsWith('client/') && !target.startsWith('shared/') && target !== 'package.json') offenders.push(`${file}: ${spec}`);
		}
	}
	assert.deepEqual(offenders, []);
});

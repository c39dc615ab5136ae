/**
 * Where the cold time goes, without LSP: reads the corpus, then times parsing alone and the full
 * engine analysis (the language server's work per file), in one process. A diagnostic aid for
 * the benchmark (`node --import tsx bench/engine-micro.ts [--repeat=N]`); it prints, never asserts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Engine, type FileAnalysis } from '../server/src/engine/analysis/engine';
import { parseFile } from '../server/src/engine/core/parse';
import { RepoSnapshot } from '../server/src/engine/context/repo-snapshot';
import { nodeEngineDeps } from '../server/src/host/engine-deps';
import { nodeFileSystem } from '../server/src/host/node-fs';
import { defaultSettings } from '../shared/settings';
import type { CorpusManifest } from './corpus';

const CORPUS = join(__dirname, '.corpus');

async function main(): Promise<void> {
	const repeat = Number(process.argv.find((a) => a.startsWith('--repeat='))?.slice(9) ?? 3);
	const manifest = JSON.parse(readFileSync(join(CORPUS, 'manifest.json'), 'utf8')) as CorpusManifest;
	const texts = manifest.files.map((rel) => ({ path: rel, text: readFileSync(join(CORPUS, rel), 'utf8') }));
	const mem = () => `${Math.round(process.memoryUsage().heapUsed / 2 ** 20)} MiB heap, ${Math.round(process.memoryUsage().rss / 2 ** 20)} MiB rss`;

	let t = performance.now();
	const repo = await RepoSnapshot.build(nodeFileSystem(CORPUS));
	console.log(`repo index: ${(performance.now() - t).toFixed(0)} ms`);

	for (let r = 0; r < repeat; r++) {
		t = performance.now();
		let docs = 0;
		for (const f of texts) docs += parseFile(f.text).documents.length;
		console.log(`parse only: ${(performance.now() - t).toFixed(0)} ms (${docs} documents)`);
	}
	const deps = nodeEngineDeps();
	for (let r = 0; r < repeat; r++) {
		// A fresh engine each round: no cached segment results, as on a cold start (schemas stay compiled).
		const engine = new Engine(deps.registry, defaultSettings(), deps.checks);
		const kept: FileAnalysis[] = [];
		t = performance.now();
		let findings = 0;
		for (const f of texts) {
			const a = engine.analyze(f, repo);
			findings += a.findings.length;
			kept.push(a);
		}
		console.log(`analyze (kept, as for open files): ${(performance.now() - t).toFixed(0)} ms, ${findings} findings; ${mem()}`);
		kept.length = 0;
	}
}

void main();

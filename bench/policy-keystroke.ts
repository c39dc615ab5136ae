/**
 * What 100 admission policies add per keystroke, engine only (no LSP): the 20,000-line file of the
 * benchmark corpus (`big/all.yaml`, 621 objects, most of them of kinds the policies match) is
 * analysed once, then edited 100 times in the middle (a replica count, as a person types) and
 * analysed again each time from its previous analysis, as the language server does. Run on the
 * repositories `bench/policy-overhead.ts` keeps (BENCH_KEEP=1): without policies, and with the 100
 * policies deployed nowhere (so they judge the raw file).
 *
 * Usage: node --import tsx bench/policy-keystroke.ts DIR   (DIR: the kept directory, holding base/ and undeployed/)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Engine, type FileAnalysis } from '../server/src/engine/analysis/engine';
import { RepoSnapshot } from '../server/src/engine/context/repo-snapshot';
import { nodeEngineDeps } from '../server/src/host/engine-deps';
import { nodeFileSystem } from '../server/src/host/node-fs';
import { defaultSettings } from '../shared/settings';

const EDITS = Number(process.env.EDITS ?? 300);
const FILE = 'big/all.yaml';

async function measure(root: string): Promise<{ p50: number; p95: number; findings: number }> {
	const repo = await RepoSnapshot.build(nodeFileSystem(root));
	const deps = nodeEngineDeps();
	const engine = new Engine(deps.registry, defaultSettings(), deps.checks);
	let text = readFileSync(join(root, FILE), 'utf8');
	let previous: FileAnalysis = engine.analyze({ path: FILE, text }, repo);
	const middle = text.indexOf('replicas: ', Math.floor(text.length / 2));
	if (middle < 0) throw new Error(`${FILE} has no replicas in its second half`);
	const at = middle + 'replicas: '.length;
	const samples: number[] = [];
	for (let i = 0; i < EDITS; i++) {
		const end = text.indexOf('\n', at);
		text = `${text.slice(0, at)}${2 + (i % 7)}${text.slice(end)}`;
		const t = performance.now();
		previous = engine.analyze({ path: FILE, text }, repo, previous);
		void previous.findings.length;
		samples.push(performance.now() - t);
	}
	samples.sort((a, b) => a - b);
	return { p50: samples[Math.floor(EDITS * 0.5)], p95: samples[Math.floor(EDITS * 0.95)], findings: previous.findings.filter((f) => f.ruleId === 'policy').length };
}

async function main(): Promise<void> {
	const dir = process.argv[2];
	if (!dir) throw new Error('usage: node --import tsx bench/policy-keystroke.ts DIR');
	for (const variant of ['base', 'undeployed']) {
		const r = await measure(join(dir, variant));
		console.log(`${variant.padEnd(11)} keystroke in ${FILE}: p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms (${r.findings} policy findings in the file)`);
	}
}

void main();

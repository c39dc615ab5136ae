/**
 * Micro-benchmark of the kustomize renderer (`node --import tsx bench/kustomize.ts [--repeat=N]`):
 * renders the realistic fixture fleet (test/fixtures/kustomize/fleet: base, two components,
 * dev/staging/production/regional overlays) from memory, N times cold (a new RenderCache each
 * time) and warm (one cache, after an edit to one overlay file), and a synthetic base with 2,000
 * objects. Deterministic input; it prints milliseconds, never asserts. Not part of the tests.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { RenderCache, renderKustomization, type KustomizeFs } from '../server/src/engine/kustomize';

function loadTree(root: string): Record<string, string> {
	const out: Record<string, string> = {};
	const walk = (dir: string) => {
		for (const name of readdirSync(dir)) {
			const p = join(dir, name);
			if (statSync(p).isDirectory()) walk(p);
			else if (name !== 'expected.yaml') out[relative(root, p).split('\\').join('/')] = readFileSync(p, 'utf8');
		}
	};
	walk(root);
	return out;
}

function memFs(files: Record<string, string>): KustomizeFs {
	const dirs = new Set<string>();
	for (const f of Object.keys(files)) {
		const parts = f.split('/');
		for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
	}
	return {
		readFile: (p) => files[p],
		isDirectory: (p) => dirs.has(p),
		listDirectory: (p) => Object.keys(files).filter((f) => f.startsWith(p + '/') && !f.slice(p.length + 1).includes('/')),
	};
}

const repeat = Number(process.argv.find((a) => a.startsWith('--repeat='))?.slice(9) ?? 50);
const files = loadTree(join(__dirname, '../test/fixtures/kustomize/fleet'));
const entries = ['apps/dev', 'apps/staging', 'apps/production', 'apps/production-eu'];
const fs = memFs(files);
const ms = (t: number) => (performance.now() - t).toFixed(1);

let t = performance.now();
let objects = 0;
for (let i = 0; i < repeat; i++) {
	const cache = new RenderCache();
	for (const e of entries) objects += renderKustomization(e, fs, cache).objects.length;
}
console.log(`fleet, cold: ${repeat} × ${entries.length} overlays (${objects / repeat} objects) in ${ms(t)} ms, ${((performance.now() - t) / repeat).toFixed(2)} ms per fleet`);

const cache = new RenderCache();
for (const e of entries) renderKustomization(e, fs, cache);
t = performance.now();
for (let i = 0; i < repeat; i++) {
	files['apps/production/resources.yaml'] = files['apps/production/resources.yaml'].replace(/value: production( \d+)?/, `value: production ${i}`);
	cache.invalidate('apps/production/resources.yaml');
	for (const e of entries) renderKustomization(e, fs, cache);
}
console.log(`fleet, warm after a one-file edit in production: ${repeat} rounds in ${ms(t)} ms, ${((performance.now() - t) / repeat).toFixed(2)} ms per round`);

const big: Record<string, string> = { 'big/base/kustomization.yaml': 'resources:\n' + Array.from({ length: 200 }, (_, i) => `- app-${i}.yaml\n`).join('') };
for (let i = 0; i < 200; i++) big[`big/base/app-${i}.yaml`] = Array.from({ length: 10 }, (_, j) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-${i}-${j}\ndata:\n  k: v${j}\n`).join('---\n');
big['big/overlay/kustomization.yaml'] = 'resources: [../base]\nnamespace: big\nnamePrefix: o-\ncommonLabels: {team: big}\n';
const bigFs = memFs(big);
t = performance.now();
const n = renderKustomization('big/overlay', bigFs).objects.length;
console.log(`synthetic overlay of ${n} objects, cold: ${ms(t)} ms`);

/**
 * `npm run bench` (after the LSP benchmark), or `node --import tsx bench/live.ts` alone: live state
 * at fleet scale. Starts 5 simulated clusters (tools/kube-sim) with 2,000 objects each, connects to
 * all over HTTPS, then measures: the time to fetch; the time to produce the live problems of every
 * resource of examples/fleet against all 5 states (target well under 3 s); the delay from a change
 * in a cluster to the subscriber (target under 2 s, watch); the heap the 5 states hold (target
 * under 150 MB). It measures and prints; it asserts nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKubeSim, type KubeSim } from '../tools/kube-sim/sim';
import { fixtureOptions, loadFixture } from '../tools/kube-sim/fixture';
import { mergeKubeconfigs } from '../tools/kube-sim/kubeconfig';
import { parse } from 'yaml';
import { writeFileSync } from 'node:fs';
import { LiveClusters } from '../server/src/host/live/manager';
import { liveProblems } from '../server/src/engine/rules/live';
import { LIVE_FETCH_KINDS } from '../server/src/engine/live/plan';
import { ObjectSet } from '../server/src/engine/core/objects';
import { Engine } from '../server/src/engine/analysis/engine';
import { RepoSnapshot } from '../server/src/engine/context/repo-snapshot';
import { nodeEngineDeps } from '../server/src/host/engine-deps';
import { nodeFileSystem } from '../server/src/host/node-fs';
import { defaultSettings, normaliseSettings } from '../shared/settings';

const CLUSTERS = 5;
const OBJECTS = 2000;

function objects(i: number): Record<string, unknown>[] {
	const out: Record<string, unknown>[] = [];
	for (let n = 0; n < OBJECTS; n++) {
		const ns = `team-${n % 40}`;
		const kinds = ['Secret', 'ConfigMap', 'ServiceAccount'];
		out.push({ apiVersion: 'v1', kind: kinds[n % 3], metadata: { name: `obj-${n}`, namespace: ns, labels: { app: `app-${n % 100}`, cluster: `c${i}` } }, data: { k: 'dmFsdWU=' } });
	}
	for (let n = 0; n < 40; n++) out.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `team-${n}` } });
	return out;
}

async function main(): Promise<void> {
	const dir = mkdtempSync(join(tmpdir(), 'fleetscope-bench-live-'));
	const base = fixtureOptions(loadFixture('tools/kube-sim/fixtures/production.yaml'));
	const sims: KubeSim[] = [];
	for (let i = 0; i < CLUSTERS; i++) sims.push(await startKubeSim({ ...base, name: `bench-${i}`, objects: [...(base.objects ?? []), ...objects(i)] }));
	const kc = join(dir, 'kubeconfig');
	writeFileSync(kc, mergeKubeconfigs(sims.map((s) => s.kubeconfigText()), parse));
	global.gc?.();
	const heapBefore = process.memoryUsage().heapUsed;
	const live = new LiveClusters({ kubeconfig: { paths: [kc] }, allowExec: false, cacheDir: join(dir, 'cache') });
	const t0 = performance.now();
	for (const s of sims) live.start(s.name, { kinds: [...LIVE_FETCH_KINDS] });
	await new Promise<void>((resolve) => {
		const sub = live.onDidChange(() => {
			if (live.statuses().every((s) => s.status === 'connected')) {
				sub.dispose();
				resolve();
			}
		});
	});
	const fetchMs = performance.now() - t0;
	global.gc?.();
	const heapStates = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;

	// Live problems of every resource of the example fleet against the 5 states.
	const { registry, checks } = nodeEngineDeps();
	const engine = new Engine(registry, normaliseSettings(defaultSettings()), checks);
	const texts = new Map<string, string>();
	const repo = await RepoSnapshot.build(nodeFileSystem('examples/fleet'), (f, text) => texts.set(f, text));
	const analyses = repo.validatedFiles(engine.currentSettings).map((f) => engine.analyze({ path: f, text: texts.get(f) ?? '' }, repo));
	const set = ObjectSet.fromValues(analyses.flatMap((a) => a.resources.map((r) => ({ file: a.path, documentIndex: r.documentIndex, value: r.value }))), false);
	const t1 = performance.now();
	let problems = 0;
	for (const s of sims) {
		const state = live.state(s.name)!;
		for (const a of analyses) for (const r of a.resources) problems += liveProblems(r, { name: s.name, production: true }, state, set, { schemas: registry }).length;
	}
	const checkMs = performance.now() - t1;

	// A change in one cluster, to the subscriber.
	const t2 = performance.now();
	const seen = new Promise<number>((resolve) => {
		const sub = live.onDidChange((c) => {
			if (c.state?.objects['|Secret']?.items.some((i) => i.name === 'bench-change')) {
				sub.dispose();
				resolve(performance.now() - t2);
			}
		});
	});
	sims[2].apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'bench-change', namespace: 'team-1' } });
	const watchMs = await seen;
	await live.stopAll();
	await Promise.all(sims.map((s) => s.stop()));
	rmSync(dir, { recursive: true, force: true });
	const rows = [
		['fetch 5 clusters × 2,000 objects (HTTPS, metadata only)', `${fetchMs.toFixed(0)} ms`, ''],
		[`live problems, ${analyses.reduce((n, a) => n + a.resources.length, 0)} resources × 5 clusters (${problems} problems)`, `${checkMs.toFixed(0)} ms`, checkMs < 3000 ? 'PASS (< 3 s)' : 'FAIL (< 3 s)'],
		['change in a cluster → subscriber (watch)', `${watchMs.toFixed(0)} ms`, watchMs < 2000 ? 'PASS (< 2 s)' : 'FAIL (< 2 s)'],
		['heap held by the 5 states (+ connections)', `${heapStates.toFixed(1)} MiB`, heapStates < 150 ? 'PASS (< 150 MB)' : 'FAIL (< 150 MB)'],
	];
	console.log('\nLive state (bench/live.ts)\n');
	for (const [what, value, target] of rows) console.log(`  ${what.padEnd(72)} ${value.padStart(10)}  ${target}`);
}

void main();

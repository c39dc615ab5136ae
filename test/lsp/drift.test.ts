import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { startKubeSim, type KubeSim } from '../../tools/kube-sim/sim';
import { fixtureOptions, loadFixture } from '../../tools/kube-sim/fixture';
import { mergeKubeconfigs } from '../../tools/kube-sim/kubeconfig';
import { DriftChangedNotification, DriftDiffRequest, DriftRequest, type DriftDiffResult, type DriftResult } from '../../shared/protocol';
import { cli } from '../../server/src/cli/main';
import { ensureServerBuilt, Session, uriOf } from './harness';

/**
 * Drift in the editor, on the demo's setup (examples/fleet with its two simulated clusters): the
 * Drift view's report is what `fleetscope drift` finds, each drifted field is a `drift` diagnostic on
 * the line that produced Git's value, each drifted object has a CodeLens, Show Diff gets both
 * documents, and no Secret's data is ever asked for.
 */

const STAGING = 'arn:aws:eks:eu-west-1:111122223333:cluster/staging-eu-west-1';
const PROD = 'arn:aws:eks:us-east-1:444455556666:cluster/prod-us-east-1';
const ROOT = resolve('examples/fleet');
let dir: string;
let sims: KubeSim[];
let session: Session;

before(async () => {
	ensureServerBuilt();
	dir = mkdtempSync(join(tmpdir(), 'fleetscope-lsp-drift-'));
	sims = await Promise.all(['staging', 'production'].map((f) => startKubeSim(fixtureOptions(loadFixture(`tools/kube-sim/fixtures/${f}.yaml`)))));
	writeFileSync(join(dir, 'kubeconfig'), mergeKubeconfigs([sims[0].kubeconfigText({ context: STAGING }), sims[1].kubeconfigText({ context: PROD })], parse));
	session = await Session.start({
		folders: [ROOT],
		env: { ...process.env, KUBECONFIG: join(dir, 'kubeconfig'), FLEETSCOPE_CACHE_DIR: join(dir, 'cache') },
		initializationOptions: { workspaceTrusted: true },
	});
});
after(async () => {
	await session?.stop();
	await Promise.all((sims ?? []).map((s) => s.stop()));
	rmSync(dir, { recursive: true, force: true });
});

/** The report once both clusters have been read and compared. */
async function report(): Promise<DriftResult['folders'][number]['report']> {
	for (;;) {
		// Waiting for the next change is set up before asking, so no change is missed in between.
		const changed = new Promise<void>((resolve) => session.conn.onNotification(DriftChangedNotification.method, () => resolve()));
		const r = await session.request<DriftResult>(DriftRequest.method, {});
		const rep = r.folders[0]?.report;
		if (rep && ['staging-eu-west-1', 'prod-us-east-1'].every((n) => rep.clusters.some((c) => c.name === n && c.state !== 'unknown'))) return rep;
		await changed;
	}
}

test('the Drift view shows what fleetscope drift finds: production drifted, staging in sync', { timeout: 90_000 }, async () => {
	let stdout = '';
	const env = { ...process.env, KUBECONFIG: join(dir, 'kubeconfig') };
	await cli(['drift', ROOT, '--format', 'json', '--context', STAGING, '--context', PROD], { cwd: process.cwd(), env, stdoutIsTty: false, stdout: (s) => (stdout += s), stderr: () => {} });
	const cliReport = JSON.parse(stdout) as { clusters: { name: string; state: string; objects: { kind: string; name: string; state: string }[] }[] };
	const rep = await report();
	const summary = (cs: { name: string; state: string; objects: { kind: string; name: string; state: string }[] }[]) =>
		cs.map((c) => `${c.name} ${c.state}: ${c.objects.filter((o) => o.state !== 'in-sync').map((o) => `${o.kind}/${o.name} ${o.state}`).sort().join(', ')}`).sort();
	assert.deepEqual(summary(rep.clusters), summary(cliReport.clusters));
	const prod = rep.clusters.find((c) => c.name === 'prod-us-east-1')!;
	assert.equal(prod.state, 'drifted');
	assert.equal(rep.clusters.find((c) => c.name === 'staging-eu-west-1')!.state, 'in-sync');
});

test('a drifted field is a drift diagnostic on the line that produced Git\'s value, naming the cluster, the live value and who set it', { timeout: 90_000 }, async () => {
	const rep = await report();
	const prod = rep.clusters.find((c) => c.name === 'prod-us-east-1')!;
	const image = prod.objects.flatMap((o) => o.fields.map((f) => ({ o, f }))).find(({ f }) => f.path.endsWith('.image'))!;
	assert.ok(image.f.source, 'the image field has a source line');
	const uri = uriOf(join(ROOT, image.f.source!.file));
	const p = await session.diagnostics(uri, (x) => x.diagnostics.some((d) => d.code === 'drift'));
	const d = p.diagnostics.find((x) => x.code === 'drift' && x.message.startsWith(image.f.path))!;
	assert.equal(d.range.start.line + 1, image.f.source!.line);
	assert.equal(d.severity, 3, 'information');
	assert.match(d.message, / is ghcr\.io\/stefanprodan\/podinfo:6\.5\.4 in prod-us-east-1, set by kubectl-set \d+ h ago;/);
	assert.match(d.message, /Git says ghcr\.io\/stefanprodan\/podinfo:6\.5\.3/);
});

test('each drifted object has a CodeLens on its first line; Show Diff gets Git\'s and the live document', { timeout: 90_000 }, async () => {
	const rep = await report();
	const prod = rep.clusters.find((c) => c.name === 'prod-us-east-1')!;
	const drifted = prod.objects.find((o) => o.state === 'drifted' && o.kind === 'Deployment')!;
	const lenses = await session.request<{ range: { start: { line: number } }; command: { title: string } }[]>('textDocument/codeLens', { textDocument: { uri: uriOf(join(ROOT, drifted.source!.file)) } });
	const lens = lenses.find((l) => l.range.start.line + 1 === drifted.source!.line);
	assert.ok(lens, JSON.stringify(lenses));
	assert.equal(lens.command.title, 'drifted in 1 cluster: prod-us-east-1');
	const diff = await session.request<DriftDiffResult | null>(DriftDiffRequest.method, { folderUri: uriOf(ROOT), cluster: 'prod-us-east-1', object: drifted });
	assert.ok(diff);
	assert.match(diff.desired, /image: ghcr\.io\/stefanprodan\/podinfo:6\.5\.3/);
	assert.match(diff.live, /image: ghcr\.io\/stefanprodan\/podinfo:6\.5\.4/);
});

test('the clusters were only read (GET, LIST, WATCH), and no Secret\'s data was asked for', { timeout: 90_000 }, async () => {
	await report();
	for (const s of sims) {
		assert.deepEqual(s.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.url}`), []);
		for (const r of s.requests.filter((x) => /\/secrets(\?|$|\/)/.test(x.url.split('?')[0] + (x.url.includes('?') ? '?' : '')))) assert.ok(/as=Table|PartialObjectMetadata|metadata/i.test(r.accept ?? ''), `${r.url} asked for ${r.accept}`);
	}
});

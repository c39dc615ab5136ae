import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { KubeSim } from '../../tools/kube-sim/sim';
import { DriftChangedNotification, DriftDiffRequest, DriftRequest, FleetClustersRequest, type DriftDiffResult, type DriftResult, type FleetClustersResult } from '../../shared/protocol';
import { cli } from '../../server/src/cli/main';
import { EXAMPLE_FLEET as ROOT, PROD, STAGING, startDemoClusters, type DemoClusters } from '../live/demo-clusters';
import { uriOf, type Session } from './harness';

/**
 * Drift in the editor, on the demo's setup (examples/fleet with its two simulated clusters): the
 * Drift view's report is what `fleetscope drift` finds, each drifted field is a `drift` diagnostic on
 * the line that produced Git's value, each drifted object has a CodeLens, Show Diff gets both
 * documents, and no Secret's data is ever asked for.
 */

let demo: DemoClusters;
let dir: string;
let sims: KubeSim[];
let session: Session;

before(async () => {
	demo = await startDemoClusters('fleetscope-lsp-drift-');
	({ dir, sims, session } = demo);
});
after(async () => {
	await demo?.stop();
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

test('the Clusters view\'s rows carry each compared cluster\'s drift counts (what the Drift view lists); the others none', { timeout: 90_000 }, async () => {
	const rep = await report();
	const rows = async () => (await session.request<FleetClustersResult>(FleetClustersRequest.method, {})).folders[0].environments.flatMap((e) => e.clusters);
	// The rows are built from the report in use when asked: the report above, or a newer one.
	const prodRow = (await rows()).find((c) => c.name === 'prod-us-east-1')!;
	const prod = rep.clusters.find((c) => c.name === 'prod-us-east-1')!;
	const count = (s: string) => prod.objects.filter((o) => o.state === s).length;
	assert.deepEqual(prodRow.drift, { state: 'drifted', inSync: count('in-sync'), drifted: count('drifted'), missing: count('missing'), extraneous: count('extraneous'), unmanaged: count('unmanaged'), unknown: count('unknown'), skipped: count('skipped') });
	assert.ok(prodRow.drift!.drifted >= 1 && prodRow.drift!.missing >= 1 && prodRow.drift!.extraneous >= 1);
	assert.equal((await rows()).find((c) => c.name === 'staging-eu-west-1')!.drift?.state, 'in-sync');
	assert.equal((await rows()).find((c) => c.name === 'dev-eu-west-1')!.drift, undefined, 'no context: not compared');
});

test('a watch event that changes nothing the views show sends no driftChanged; a new drifted value sends one', { timeout: 90_000 }, async () => {
	const rep = await report();
	const drifted = rep.clusters.find((c) => c.name === 'prod-us-east-1')!.objects.find((o) => o.state === 'drifted' && o.kind === 'Deployment')!;
	const computed = async () => (await session.request<DriftResult>(DriftRequest.method, {})).folders[0].computed;
	const before = await computed();
	let notified = 0;
	let onNotified = () => {};
	session.conn.onNotification(DriftChangedNotification.method, () => {
		notified++;
		onNotified();
	});
	const prod = sims[1];
	// The status a controller writes: not a field Git declares.
	prod.editAs('apps/v1', 'Deployment', drifted.name, drifted.namespace ?? undefined, 'kube-controller-manager', (o) => {
		o.status = { ...((o.status as object) ?? {}), observedGeneration: 99 };
	});
	const deadline = Date.now() + 30_000;
	while ((await computed()) === before) {
		assert.ok(Date.now() < deadline, 'the drift was computed again after the watch event');
		await new Promise((r) => setTimeout(r, 20));
	}
	assert.equal(notified, 0, 'nothing the views show changed: no reload');
	const changed = new Promise<void>((resolve) => (onNotified = resolve));
	prod.editAs('apps/v1', 'Deployment', drifted.name, drifted.namespace ?? undefined, 'kubectl-set', (o) => {
		const containers = (o.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers;
		containers[0].image = 'ghcr.io/stefanprodan/podinfo:6.5.5';
	});
	// driftChanged after the image changed (the test's timeout bounds the wait).
	await changed;
	const after = (await session.request<DriftResult>(DriftRequest.method, {})).folders[0].report;
	const fields = after.clusters.find((c) => c.name === 'prod-us-east-1')!.objects.find((o) => o.name === drifted.name && o.kind === 'Deployment')!.fields;
	assert.ok(fields.some((f) => f.path.endsWith('.image') && /6\.5\.5/.test(JSON.stringify(f))), JSON.stringify(fields));
});

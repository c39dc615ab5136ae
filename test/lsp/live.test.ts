import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { startKubeSim, type KubeSim } from '../../tools/kube-sim/sim';
import { mergeKubeconfigs } from '../../tools/kube-sim/kubeconfig';
import { WorkspaceTrustedNotification, type ClusterInfo, type ClustersResult } from '../../shared/protocol';
import { ensureServerBuilt, positionOf, Session, uriOf } from './harness';

/**
 * Live cluster state in the language server, over stdio against simulated API servers (kube-sim:
 * real HTTPS with its own CA, the real client-node code path): a fleet of three clusters, prod-a
 * (Kubernetes 1.27, reached through the Fleet file's kubeContext), stage-b (reached through the
 * `fleetscope.clusters` setting) and dev-c (no context anywhere).
 */

let root: string;
let dir: string;
let prod: KubeSim;
let stage: KubeSim;
let session: Session | undefined;
const PROD_CTX = 'prod-a-admin';
const STAGE_CTX = 'stage-b-ctx';
const file = (rel: string) => join(root, rel);
const write = (rel: string, text: string) => {
	mkdirSync(dirname(file(rel)), { recursive: true });
	writeFileSync(file(rel), text);
};

const FLEET = `apiVersion: platform.gitops.io/v1alpha1
kind: Fleet
metadata:
  name: shop
spec:
  environments:
    - name: staging
    - name: production
      promotion:
        from: staging
  clusters:
    - name: stage-b
      environment: staging
      path: clusters/stage-b
    - name: prod-a
      environment: production
      kubeContext: ${PROD_CTX}
      path: clusters/prod-a
    - name: dev-c
      environment: staging
      path: clusters/dev-c
`;
const WEB = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.0.0
      volumes:
        - name: db
          secret:
            secretName: db-credentials
`;
const SHOP = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } };
const SECRET = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db-credentials', namespace: 'shop' }, data: { password: 'c2ltdWxhdGVk' } };
const MISSING = 'Secret "db-credentials" in namespace shop (volume "db") does not exist in cluster prod-a (live), and this repository does not create it: the pods stay in ContainerCreating until it exists. Create it in that cluster or in the repository, or fix the name.';
const AT = positionOf(WEB, 'db-credentials');

const prodUri = () => uriOf(file('clusters/prod-a/web.yaml'));
const stageUri = () => uriOf(file('clusters/stage-b/web.yaml'));
const liveOf = (p: PublishDiagnosticsParams | undefined) => (p?.diagnostics ?? []).filter((d) => String(d.code).startsWith('live-'));
const hasLive = (p: PublishDiagnosticsParams) => liveOf(p).length > 0;
const noLive = (p: PublishDiagnosticsParams) => liveOf(p).length === 0;
const byName = (r: ClustersResult, name: string) => r.clusters.find((c) => c.cluster === name) as ClusterInfo;
let liveEnabled = true;
let sessions = 0;
/** Stopped after the file: sessions and simulators the tests start. */
const stops: (() => Promise<void>)[] = [];

/** A session on the test repository with its own state cache; the workspace is trusted unless `trusted` is false. */
async function start(kubeconfig: string, trusted = true): Promise<Session> {
	const s = await Session.start({
		folders: [root],
		env: { ...process.env, KUBECONFIG: kubeconfig, FLEETSCOPE_CACHE_DIR: join(dir, `cache-${++sessions}`) },
		...(trusted ? { initializationOptions: { workspaceTrusted: true } } : {}),
		settings: () => ({ clusters: { 'stage-b': { context: STAGE_CTX } }, 'live.enabled': liveEnabled, 'drift.enabled': false }),
	});
	stops.push(() => s.stop());
	return s;
}

before(async () => {
	ensureServerBuilt();
	dir = mkdtempSync(join(tmpdir(), 'fleetscope-lsp-live-'));
	root = join(dir, 'repo');
	write('fleet.yaml', FLEET);
	write('clusters/prod-a/web.yaml', WEB);
	write('clusters/stage-b/web.yaml', WEB);
	write('clusters/dev-c/config.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: shop\ndata:\n  mode: dev\n');
	[prod, stage] = await Promise.all([
		startKubeSim({ name: 'prod-a', version: '1.27.16', objects: [SHOP] }),
		startKubeSim({ name: 'stage-b', version: '1.30.4', objects: [SHOP, SECRET] }),
	]);
	writeFileSync(join(dir, 'kubeconfig'), mergeKubeconfigs([prod.kubeconfigText({ context: PROD_CTX }), stage.kubeconfigText({ context: STAGE_CTX })], parse));
	session = await start(join(dir, 'kubeconfig'));
});
after(async () => {
	await Promise.all(stops.map((stop) => stop()));
	await Promise.all([prod?.stop(), stage?.stop()]);
	// An exec plugin started by a server that has exited may still be writing its marker.
	rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
});

test('a file reaching a simulated cluster gets a live diagnostic at the exact node, naming the cluster and the age of the state', { timeout: 30_000 }, async () => {
	const p = await session!.diagnostics(prodUri(), hasLive);
	assert.deepEqual(
		liveOf(p).map((d) => [d.range.start.line, d.range.start.character, d.range.end.character, d.severity, d.code, d.message]),
		[[AT.line, AT.character, AT.character + 'db-credentials'.length, 1, 'live-missing-reference', MISSING]],
	);
	// The static diagnostics were published first (by the workspace scan), without waiting for the cluster.
	assert.ok(session!.published.get(prodUri())!.length >= 2);
	assert.deepEqual(liveOf(session!.published.get(prodUri())![0]), []);
	// (Drift diagnostics come from the cluster too, on their own schedule: not part of the static ones.)
	const isStatic = (d: { code?: string | number }) => !String(d.code).startsWith('live-') && d.code !== 'drift';
	assert.deepEqual(session!.published.get(prodUri())![0].diagnostics.filter(isStatic), p.diagnostics.filter(isStatic));
});

test('one status per cluster: the context and where it comes from, the Kubernetes version; a cluster without a context is said once', { timeout: 30_000 }, async () => {
	const r = await session!.clustersWhen((x) => byName(x, 'prod-a')?.status === 'connected' && byName(x, 'stage-b')?.status === 'connected');
	assert.equal(r.live, 'on');
	const { since, lastSuccess, fetchedAt, ...p } = byName(r, 'prod-a');
	assert.ok(since && lastSuccess && fetchedAt);
	assert.deepEqual(p, {
		folderUri: uriOf(root),
		cluster: 'prod-a',
		environment: 'production',
		production: true,
		context: PROD_CTX,
		contextSource: 'fleet',
		status: 'connected',
		message: 'connected (Kubernetes v1.27.16), watching',
		kubernetesVersion: 'v1.27.16',
		stateOrigin: 'live',
		auth: 'token',
		files: 1,
	});
	assert.equal(byName(r, 'stage-b').contextSource, 'setting');
	assert.equal(byName(r, 'stage-b').context, STAGE_CTX);
	assert.deepEqual([byName(r, 'dev-c').status, byName(r, 'dev-c').message], ['no-context', 'no kubeconfig context: set fleetscope.clusters.dev-c.context or kubeContext in the Fleet file, or name a context "dev-c"']);
	assert.equal(session!.logs.filter((l) => l.startsWith('[live] dev-c')).length, 1);
	// stage-b has the Secret: its copy of the file has no live diagnostic once its state is in.
	await session!.publications(stageUri(), 2);
	assert.deepEqual(liveOf(session!.lastDiagnostics(stageUri())), []);
});

test('typing in a document makes no request to any cluster; its live diagnostic follows the edits', { timeout: 30_000 }, async () => {
	const uri = prodUri();
	await session!.open(uri, WEB);
	assert.equal(liveOf(await session!.diagnosticsOfVersion(uri, 1)).length, 1);
	const requests = prod.requests.length + stage.requests.length;
	const watches = prod.openWatches + stage.openWatches;
	for (let v = 2; v <= 6; v++) {
		await session!.change(uri, v, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: `# edit ${v}\n` }]);
		const d = liveOf(await session!.diagnosticsOfVersion(uri, v));
		assert.deepEqual(d.map((x) => [x.range.start.line, x.range.start.character, x.message]), [[AT.line + v - 1, AT.character, MISSING]]);
	}
	assert.equal(prod.requests.length + stage.requests.length, requests, 'no request while typing');
	assert.equal(prod.openWatches + stage.openWatches, watches);
	const closed = session!.nextDiagnostics(uri);
	await session!.close(uri);
	assert.equal(liveOf(await closed).length, 1, 'closed, the file shows what is on disk, live diagnostic included');
});

test('a change in the cluster clears and brings back the live diagnostic through the watch, without any file edit', { timeout: 30_000 }, async () => {
	const uri = prodUri();
	const cleared = session!.nextDiagnostics(uri, noLive);
	prod.apply(SECRET);
	await cleared;
	const back = session!.nextDiagnostics(uri, hasLive);
	prod.delete('v1', 'Secret', 'db-credentials', 'shop');
	assert.deepEqual(liveOf(await back).map((d) => d.message), [MISSING]);
});

test('a cluster event that changes nothing the checks see (an annotation, a status) validates nothing again', { timeout: 30_000 }, async () => {
	const uri = prodUri();
	const before = session!.published.get(uri)!.length;
	// Seen by the server (announced by clustersChanged), but only the annotations differ: no publication follows.
	const changes = session!.clustersChanges;
	prod.apply({ ...SHOP, metadata: { ...SHOP.metadata, annotations: { 'argocd.argoproj.io/tracking-id': 'shop:/Namespace:shop' } } });
	await session!.clustersChangedAtLeast(changes + 1);
	// Then a change that matters: its publication is the only one (a spurious one would come first).
	const cleared = session!.nextDiagnostics(uri, noLive);
	prod.apply(SECRET);
	await cleared;
	assert.equal(session!.published.get(uri)!.length, before + 1);
	const back = session!.nextDiagnostics(uri, hasLive);
	prod.delete('v1', 'Secret', 'db-credentials', 'shop');
	await back;
});

test('a cluster that goes away: its last state is used, and every message says how old it is; back, it is live again', { timeout: 30_000 }, async () => {
	const uri = prodUri();
	const cached = session!.nextDiagnostics(uri, (p) => liveOf(p).some((d) => d.message.includes('(cached, ')));
	await prod.stop();
	assert.deepEqual(liveOf(await cached).map((d) => d.message), [MISSING.replace('(live)', '(cached, less than 1 min old)')]);
	const r = await session!.clustersWhen((x) => byName(x, 'prod-a').status === 'cached');
	assert.match(byName(r, 'prod-a').message, /unreachable \((ECONNREFUSED|ECONNRESET)\); using the last state seen \(cached, less than 1 min old\); retrying in \d+ s$/);
	assert.equal(byName(r, 'prod-a').stateOrigin, 'cache');
	const live = session!.nextDiagnostics(uri, (p) => liveOf(p).some((d) => d.message.includes('(live)')));
	await prod.restart();
	await live;
});

test('fleetscope.live.enabled off stops every connection and clears the live diagnostics; on again, they return', { timeout: 30_000 }, async () => {
	const uri = prodUri();
	const cleared = session!.nextDiagnostics(uri, noLive);
	liveEnabled = false;
	await session!.notify('workspace/didChangeConfiguration', { settings: {} });
	await cleared;
	const r = await session!.clustersWhen((x) => x.live === 'disabled');
	assert.deepEqual(r.clusters.map((c) => c.status), ['disabled', 'disabled', 'disabled']);
	const back = session!.nextDiagnostics(uri, hasLive);
	liveEnabled = true;
	await session!.notify('workspace/didChangeConfiguration', { settings: {} });
	await back;
});

test('untrusted workspace: no request reaches any cluster and no exec credential plugin runs; trusting it connects', { timeout: 30_000 }, async () => {
	const sim = await startKubeSim({ name: 'prod-a', version: '1.27.16', objects: [SHOP] });
	stops.push(() => sim.stop());
	const marker = join(dir, 'exec-ran');
	// Like real plugins (aws eks get-token), it says how long the token lasts: client-node runs it again once it expired.
	const script = `require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran'); process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: ${JSON.stringify(sim.token)}, expirationTimestamp: '2999-01-01T00:00:00Z' } }))`;
	const kubeconfig = sim.kubeconfig(join(dir, 'exec.kubeconfig'), { context: PROD_CTX, exec: { command: process.execPath, args: ['-e', script] } });
	const s = await start(kubeconfig, false);
	// The scan has run and the clusters are known: this is where a trusted workspace would connect.
	const r = await s.clustersWhen((x) => x.clusters.length === 3);
	assert.equal(r.live, 'untrusted');
	assert.deepEqual(r.clusters.map((c) => c.status), ['untrusted', 'untrusted', 'untrusted']);
	await s.publications(prodUri(), 1);
	assert.equal(sim.requests.length, 0, 'no request reached the cluster');
	assert.equal(existsSync(marker), false, 'the exec plugin never ran');
	assert.deepEqual(liveOf(s.lastDiagnostics(prodUri())), []);
	assert.equal(s.logs.filter((l) => /not trusted/.test(l)).length, 1);
	// Trusted now: the plugin runs, the cluster is contacted, the live diagnostic appears.
	const live = s.diagnostics(prodUri(), hasLive);
	await s.notify(WorkspaceTrustedNotification.method, {});
	await live;
	assert.ok(existsSync(marker), 'the exec plugin ran once trusted');
	assert.ok(sim.requests.length > 0 && sim.requests.every((q) => q.method === 'GET'));
});

test('an unreachable cluster: one status and one log line, no diagnostic spam while it retries, static diagnostics as without it; a fixed kubeconfig is picked up', { timeout: 30_000 }, async () => {
	const port = await closedPort();
	const kubeconfig = join(dir, 'unreachable.kubeconfig');
	writeFileSync(kubeconfig, prod.kubeconfigText({ context: PROD_CTX, server: `https://127.0.0.1:${port}` }));
	const s = await start(kubeconfig);
	const r = await s.clustersWhen((x) => byName(x, 'prod-a')?.status === 'unreachable');
	assert.match(byName(r, 'prod-a').message, new RegExp(`^https://127\\.0\\.0\\.1:${port} is unreachable \\(ECONNREFUSED\\); retrying in \\d+ s$`));
	const publications = s.published.get(prodUri())!.length;
	// Two more attempts fail (each announced by a clustersChanged), and nothing else happens.
	await s.clustersChangedAtLeast(s.clustersChanges + 2);
	assert.equal(s.published.get(prodUri())!.length, publications, 'no new diagnostics while retrying');
	assert.deepEqual(s.logs.filter((l) => l.startsWith('[live] prod-a')).map((l) => l.replace(/: .*/, '')), ['[live] prod-a', '[live] prod-a']);
	assert.match(s.logs.filter((l) => l.startsWith('[live] prod-a'))[1], /^\[live\] prod-a: unreachable \(unreachable\): /);
	const all = s.published.get(prodUri())!;
	assert.ok(all.every((p) => liveOf(p).length === 0));
	assert.ok(all.every((p) => JSON.stringify(p.diagnostics) === JSON.stringify(all[0].diagnostics)));
	assert.ok(all[0].diagnostics.length > 0, 'the static diagnostics are there');
	// The kubeconfig fixed (as `aws eks update-kubeconfig` would): noticed without a restart, the context reconnects.
	const live = s.diagnostics(prodUri(), hasLive);
	writeFileSync(kubeconfig, prod.kubeconfigText({ context: PROD_CTX }));
	assert.deepEqual(liveOf(await live).map((d) => d.message), [MISSING]);
	assert.equal(byName(await s.clusters(), 'prod-a').status, 'connected');
});

/** A port nothing listens on. */
function closedPort(): Promise<number> {
	return new Promise((resolve) => {
		const srv = createServer();
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address() as { port: number };
			srv.close(() => resolve(port));
		});
	});
}

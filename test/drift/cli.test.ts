import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { startKubeSim, type KubeSim } from '../../tools/kube-sim/sim';
import { cli } from '../../server/src/cli/main';
import { tempDir } from '../live/helpers';
import { PROD, STAGING, startDemoSims } from '../live/demo-clusters';

/**
 * `fleetscope drift` over real HTTPS against the demo clusters (kube-sim: what Flux applied from
 * examples/fleet, production with planted drift): the JSON shape, the exit codes, what is read
 * (never a Secret's data, never a write unless the dry-run setting is on), and faults.
 */

const dir = tempDir('fleetscope-drift-');
const kubeconfig = join(dir, 'kubeconfig');
const env = { ...process.env, KUBECONFIG: kubeconfig, FLEETSCOPE_CACHE_DIR: join(dir, 'cache') };
const REPO = 'examples/fleet';
let staging: KubeSim;
let prod: KubeSim;

before(async () => {
	[staging, prod] = await startDemoSims(kubeconfig, { recordResponses: true });
});
after(async () => {
	await Promise.all([staging.stop(), prod.stop()]);
});

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
	let stdout = '';
	let stderr = '';
	const code = await cli(args, { cwd: process.cwd(), env, stdoutIsTty: false, stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) }, () => new Date());
	return { code, stdout, stderr };
}

const SHA = 'sha256:a12c296a64fb106f6b3292b23b5f7bf15e3aa38eb055b60998a4d0583ea71c0d';

test('the planted drift of production, in the exact JSON shape, exit 1', async () => {
	const r = await run(['drift', REPO, '--context', PROD, '--format', 'json']);
	assert.equal(r.code, 1, r.stderr);
	const report = JSON.parse(r.stdout);
	assert.deepEqual(Object.keys(report), ['clusters']);
	const [c] = report.clusters;
	assert.deepEqual(Object.keys(c), ['name', 'context', 'state', 'objects']);
	assert.equal(c.name, 'prod-us-east-1');
	assert.equal(c.context, PROD);
	assert.equal(c.state, 'drifted');
	for (const o of c.objects) assert.deepEqual(Object.keys(o), ['apiVersion', 'kind', 'namespace', 'name', 'state', 'source', 'fields', 'reason']);
	assert.deepEqual(
		c.objects.map((o: { state: string; kind: string; name: string }) => `${o.state} ${o.kind}/${o.name}`),
		['drifted Deployment/podinfo', 'missing PodDisruptionBudget/podinfo', 'unknown ExternalSecret/orders-db', 'unknown ClusterSecretStore/aws-secrets-manager', 'extraneous ConfigMap/podinfo-legacy'],
	);
	const dep = c.objects[0];
	assert.deepEqual(dep.source, { file: 'apps/base/podinfo/deployment.yaml', line: 1 });
	const [image, command] = dep.fields;
	assert.deepEqual(Object.keys(image), ['path', 'desired', 'live', 'manager', 'time', 'source']);
	assert.deepEqual({ ...image, time: undefined }, { path: 'spec.template.spec.containers[name=podinfo].image', desired: `ghcr.io/stefanprodan/podinfo:6.5.3@${SHA}`, live: 'ghcr.io/stefanprodan/podinfo:6.5.4', manager: 'kubectl-set', time: undefined, source: { file: 'apps/production/kustomization.yaml', line: 8 } });
	assert.ok(Date.now() - Date.parse(image.time) > 2 * 3600_000 && Date.now() - Date.parse(image.time) < 3 * 3600_000, image.time);
	assert.deepEqual({ ...command, time: undefined }, { path: 'spec.template.spec.containers[name=podinfo].command[2]', desired: '--level=info', live: '--level=debug', manager: 'kubectl-edit', time: undefined, source: { file: 'apps/base/podinfo/deployment.yaml', line: 40 } });
	// The HPA scaled the replicas: not drift. The PDB deleted by hand: missing on its first line.
	assert.ok(!dep.fields.some((f: { path: string }) => f.path === 'spec.replicas'));
	assert.deepEqual(c.objects[1].source, { file: 'apps/base/podinfo/pdb.yaml', line: 1 });
	assert.equal(c.objects[4].source, null);
});

test('text: the sentence per field names the cluster, the manager, the age and Git\'s value; staging alone is in sync (exit 0); --all lists in-sync objects', async () => {
	const r = await run(['drift', REPO, '--context', PROD]);
	assert.equal(r.code, 1);
	assert.match(r.stdout, /spec\.template\.spec\.containers\[name=podinfo\]\.command\[2\] is --level=debug in prod-us-east-1, set by kubectl-edit 45 min ago; Git says --level=info {2}apps\/base\/podinfo\/deployment\.yaml:40/);
	const s = await run(['drift', REPO, '--context', STAGING, '--format', 'json']);
	assert.equal(s.code, 0, s.stdout);
	assert.deepEqual(JSON.parse(s.stdout).clusters[0].objects, []);
	const all = await run(['drift', REPO, '--context', STAGING, '--format', 'json', '--all']);
	const objects = JSON.parse(all.stdout).clusters[0].objects;
	assert.ok(objects.length > 50 && objects.every((o: { state: string }) => o.state === 'in-sync'));
	const secret = objects.find((o: { kind: string }) => o.kind === 'Secret');
	if (secret) assert.match(secret.reason, /Secret data is never read/);
});

test('Secret data is never requested: Secrets are read as a Table of metadata, and no response carries their data', async () => {
	prod.requests.splice(0);
	prod.sent.splice(0);
	await run(['drift', REPO, '--context', PROD, '--format', 'json']);
	const secretRequests = prod.requests.filter((q) => /\/secrets\b/.test(q.url));
	assert.ok(secretRequests.length > 0, 'Secrets were read');
	for (const q of secretRequests) assert.match(q.accept, /as=Table|as=PartialObjectMetadata/, q.url);
	const data = ['c2ltdWxhdGVkLWRlcGxveS1rZXk=', 'c2ltdWxhdGVkLWFjbWUta2V5', 'c2ltdWxhdGVkLWNlcnQ='];
	for (const body of prod.sent) for (const d of data) assert.ok(!body.includes(d), 'a Secret value left the server');
	assert.deepEqual([...new Set(prod.requests.map((q) => q.method))], ['GET']);
});

test('no write request unless --server-side-dry-run is given (a settings file cannot ask for it); with it, PATCH ?dryRun=All as fleetscope, never for a Secret, and the same answer', async () => {
	prod.requests.splice(0);
	const off = await run(['drift', REPO, '--context', PROD, '--format', 'json']);
	assert.deepEqual([...new Set(prod.requests.map((q) => q.method))], ['GET']);
	const config = join(dir, 'dry-run.yaml');
	writeFileSync(config, 'drift:\n  serverSideDryRun: true\n');
	prod.requests.splice(0);
	await run(['drift', REPO, '--context', PROD, '--format', 'json', '--config', config]);
	assert.deepEqual([...new Set(prod.requests.map((q) => q.method))], ['GET'], 'the settings file asked, and was ignored');
	prod.requests.splice(0);
	const on = await run(['drift', REPO, '--context', PROD, '--format', 'json', '--server-side-dry-run']);
	const writes = prod.requests.filter((q) => q.method !== 'GET');
	assert.ok(writes.length > 10, `dry-runs sent: ${writes.length}`);
	for (const w of writes) {
		assert.equal(w.method, 'PATCH');
		assert.match(w.url, /\?dryRun=All&fieldManager=fleetscope&force=true$/);
		assert.doesNotMatch(w.url, /\/secrets\//);
	}
	const summary = (t: string) => JSON.parse(t).clusters[0].objects.map((o: { state: string; name: string; fields: { path: string }[] }) => `${o.state} ${o.name} ${o.fields.map((f) => f.path).join(',')}`);
	assert.deepEqual(summary(on.stdout), summary(off.stdout));
});

test('faults: a kind forbidden (403) and a list that breaks off give unknown, never missing; an unreachable cluster exits 2', async () => {
	prod.faults.forbid('poddisruptionbudgets.policy');
	prod.faults.breakLists('services');
	try {
		const r = await run(['drift', REPO, '--context', PROD, '--format', 'json']);
		const objects = JSON.parse(r.stdout).clusters[0].objects as { state: string; kind: string; reason: string }[];
		const pdb = objects.filter((o) => o.kind === 'PodDisruptionBudget');
		assert.ok(pdb.length > 0 && pdb.every((o) => o.state === 'unknown' && /Not allowed to read PodDisruptionBudget/.test(o.reason)), JSON.stringify(pdb));
		const services = objects.filter((o) => o.kind === 'Service');
		assert.ok(services.length > 0 && services.every((o) => o.state === 'unknown' && /Reading Service failed/.test(o.reason)), JSON.stringify(services));
		assert.ok(!objects.some((o) => o.state === 'missing'));
	} finally {
		prod.faults.allowAll();
		prod.faults.breakLists(undefined);
	}
	const other = startKubeSim({ name: 'gone' });
	const sim = await other;
	const gone = join(dir, 'gone-kubeconfig');
	sim.kubeconfig(gone, { context: 'gone' });
	await sim.stop();
	const r = await run(['drift', REPO, '--context', 'gone', '--kubeconfig', gone, '--format', 'json']);
	assert.equal(r.code, 2);
	assert.match(r.stderr, /no live objects at all for 1 requested cluster/);
	assert.equal(JSON.parse(r.stdout).clusters[0].state, 'unknown');
});

test('usage errors exit 2', async () => {
	assert.equal((await run(['drift', REPO])).code, 2);
	assert.equal((await run(['drift', REPO, '--context', PROD, '--format', 'html'])).code, 2);
	assert.equal((await run(['drift', REPO, 'other', '--context', PROD])).code, 2);
	assert.equal((await run(['drift', 'no/such/dir', '--context', PROD])).code, 2);
	assert.equal((await run(['check', REPO, '--all'])).code, 2);
});

test('snapshots serve drift: `fleetscope snapshot --full` gives the same answer offline; a `kubectl get -o yaml` dump too', async () => {
	const snap = join(dir, 'prod-snapshot');
	const s = await run(['snapshot', '--context', PROD, '--output', snap, '--full', REPO]);
	assert.equal(s.code, 0, s.stderr);
	assert.doesNotMatch(readFileSync(join(snap, 'fleetscope-objects.json'), 'utf8'), /c2ltdWxhdGVkLWRlcGxveS1rZXk=/);
	const live = await run(['drift', REPO, '--context', PROD, '--format', 'json']);
	const offline = await run(['drift', REPO, '--snapshot', snap, '--format', 'json']);
	assert.equal(offline.code, 1, offline.stderr);
	const strip = (t: string) => JSON.parse(t).clusters.map((c: { context: string }) => ({ ...c, context: null }));
	assert.deepEqual(strip(offline.stdout), strip(live.stdout));
	// A dump of Deployments only: the planted image and command drift, Secret data dropped on read; other kinds not captured are unknown.
	const dump = join(dir, 'prod-us-east-1');
	mkdirSync(dump, { recursive: true });
	const deployments = [prod.get('apps/v1', 'Deployment', 'podinfo', 'podinfo')];
	writeFileSync(join(dump, 'deployments.yaml'), stringify({ apiVersion: 'v1', kind: 'List', items: deployments }));
	const d = await run(['drift', REPO, '--snapshot', dump, '--format', 'json']);
	const objects = JSON.parse(d.stdout).clusters[0].objects as { state: string; kind: string; fields: { manager: string; time: string }[] }[];
	const drifted = objects.find((o) => o.kind === 'Deployment' && o.state === 'drifted');
	assert.equal(drifted?.fields.length, 2);
	// The dump's managedFields times (YAML timestamps) still name who and when.
	assert.deepEqual(drifted?.fields.map((f) => [f.manager, typeof f.time]), [['kubectl-set', 'string'], ['kubectl-edit', 'string']]);
	assert.ok(objects.filter((o) => o.kind === 'ConfigMap').every((o) => o.state === 'unknown'));
});

test('sarif: one result per drifted field, missing and extraneous object, on the source line', async () => {
	const r = await run(['drift', REPO, '--context', PROD, '--format', 'sarif']);
	assert.equal(r.code, 1);
	const log = JSON.parse(r.stdout);
	assert.equal(log.version, '2.1.0');
	const results = log.runs[0].results as { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[];
	assert.deepEqual(results.map((x) => x.ruleId), ['drift-drifted', 'drift-drifted', 'drift-missing', 'drift-extraneous']);
	assert.deepEqual(results[0].locations[0].physicalLocation.artifactLocation.uri, 'apps/production/kustomization.yaml');
	assert.equal(results[0].locations[0].physicalLocation.region.startLine, 8);
});

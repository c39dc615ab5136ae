import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import {
	CompareEnvironmentsRequest,
	ComplianceFindingsRequest,
	ConnectClusterRequest,
	FileReachRequest,
	FindingsChangedNotification,
	FleetClusterRequest,
	FleetClustersRequest,
	FleetComplianceRequest,
	FleetFileDraftRequest,
	FleetPromotionRequest,
	RenderClusterRequest,
	type CompareEnvironmentsResult,
	type ComplianceFindingRow,
	type FileReachResult,
	type FleetClusterDetail,
	type FleetClustersResult,
	type FleetComplianceResult,
	type FleetPromotionResult,
	type RenderClusterResult,
} from '../../shared/protocol';
import { cli } from '../../server/src/cli/main';
import { fixtureOptions, loadFixture } from '../../tools/kube-sim/fixture';
import { mergeKubeconfigs } from '../../tools/kube-sim/kubeconfig';
import { startKubeSim, type KubeSim } from '../../tools/kube-sim/sim';
import { ensureServerBuilt, Session, uriOf } from '../lsp/harness';
import { Notifications } from './lsp-helpers';

/**
 * The explorer's requests over the real language server, on the demo's setup: examples/fleet with
 * its two simulated clusters (kube-sim over HTTPS). Each request answers what the CLI says of the
 * same repository and clusters: findings per cluster as `fleetscope check --context`, the Compliance
 * view's numbers as `fleetscope report --format json --context`.
 */

const ROOT = resolve('examples/fleet');
const FOLDER = uriOf(ROOT);
const STAGING = 'arn:aws:eks:eu-west-1:111122223333:cluster/staging-eu-west-1';
const PROD = 'arn:aws:eks:us-east-1:444455556666:cluster/prod-us-east-1';
let dir: string;
let sims: KubeSim[] = [];
let session: Session;
let notes: Notifications;
let env: NodeJS.ProcessEnv;

before(async () => {
	ensureServerBuilt();
	dir = mkdtempSync(join(tmpdir(), 'fleetscope-explorer-lsp-'));
	sims = await Promise.all(['staging', 'production'].map((f) => startKubeSim(fixtureOptions(loadFixture(`tools/kube-sim/fixtures/${f}.yaml`)))));
	writeFileSync(join(dir, 'kubeconfig'), mergeKubeconfigs([sims[0].kubeconfigText({ context: STAGING }), sims[1].kubeconfigText({ context: PROD })], parse));
	env = { ...process.env, KUBECONFIG: join(dir, 'kubeconfig'), FLEETSCOPE_CACHE_DIR: join(dir, 'cache') };
	session = await Session.start({ folders: [ROOT], env, initializationOptions: { workspaceTrusted: true } });
	notes = new Notifications(session, [FindingsChangedNotification.method]);
	await session.clustersWhen((r) => ['staging-eu-west-1', 'prod-us-east-1'].every((n) => r.clusters.some((c) => c.cluster === n && c.status === 'connected')));
});
after(async () => {
	await session?.stop();
	await Promise.all(sims.map((s) => s.stop()));
	rmSync(dir, { recursive: true, force: true });
});

async function runCli(args: string[]): Promise<string> {
	let out = '';
	await cli(args, { cwd: process.cwd(), env, stdoutIsTty: false, stdout: (s) => (out += s), stderr: () => {} });
	return out;
}

/** Asks `ask` until `ok` holds for its answer; between tries, waits for the next findings notification (the editor validates again after a cluster connects). */
async function settled<T>(ask: () => Promise<T>, ok: (t: T) => boolean): Promise<T> {
	for (;;) {
		const next = notes.next(FindingsChangedNotification.method);
		const t = await ask();
		if (ok(t)) return t;
		await next;
	}
}

const clusters = () => session.request<FleetClustersResult>(FleetClustersRequest.method, {});

test('Clusters: environments in promotion order, both simulated clusters with versions, status, sync state against HEAD and their sources', { timeout: 120_000 }, async () => {
	// Findings per cluster: what `fleetscope check --context` finds in the files that reach it (once the editor validated them against the clusters).
	const check = JSON.parse(await runCli(['check', ROOT, '--format', 'json', '--context', STAGING, '--context', PROD])) as { findings: { file: string; severity: string }[] };
	const model = JSON.parse(await runCli(['fleet', ROOT, '--format', 'json'])) as { files: Record<string, string[]>; clusters: { name: string; claim: string | null }[] };
	const expected = new Map(
		model.clusters.map((c) => {
			const files = new Set([...Object.entries(model.files).filter(([, cs]) => cs.includes(c.name)).map(([f]) => f), ...(c.claim ? [c.claim] : [])]);
			const n = { error: 0, warning: 0, info: 0 };
			for (const f of check.findings) if (files.has(f.file) && f.severity !== 'hint') n[f.severity as 'error']++;
			return [c.name, { findings: n, files: files.size }];
		}),
	);
	const same = (a: Map<string, unknown>, b: Map<string, unknown>) => JSON.stringify([...a].sort(([x], [y]) => x.localeCompare(y))) === JSON.stringify([...b].sort(([x], [y]) => x.localeCompare(y)));
	const findingsOf = (x: FleetClustersResult) => new Map(x.folders[0].environments.flatMap((e) => e.clusters).map((c) => [c.name, { findings: c.findings, files: c.files }]));
	const r = await settled(clusters, (x) => x.folders[0].environments.flatMap((e) => e.clusters).every((c) => c.syncState !== 'unknown' || c.status !== 'connected') && same(findingsOf(x), expected));
	assert.deepEqual(findingsOf(r), expected);
	assert.equal(r.live, 'on');
	const folder = r.folders[0];
	assert.equal(folder.fleetFile, 'fleet.yaml');
	assert.deepEqual(folder.environments.map((e) => [e.name, e.clusters.map((c) => c.name)]), [
		['dev', ['dev-eu-west-1', 'sandbox-europe-west1']],
		['staging', ['staging-eu-west-1']],
		['production', ['dr-eu-central-1', 'prod-eu-west-1', 'prod-us-east-1']],
		['performance', ['perf-eu-west-1']],
	]);
	const rows = new Map(folder.environments.flatMap((e) => e.clusters).map((c) => [c.name, c]));
	const staging = rows.get('staging-eu-west-1')!;
	const prod = rows.get('prod-us-east-1')!;
	assert.deepEqual([staging.status, staging.liveVersion, staging.claimVersion, staging.versionDiffers, staging.stateAge, staging.syncState], ['connected', 'v1.35.2-eks-3025e55', '1.35', false, 'live', 'failed']);
	assert.deepEqual([prod.status, prod.liveVersion, prod.claimVersion, prod.versionDiffers, prod.syncState], ['connected', 'v1.27.16-eks-2f008fe', '1.35', true, 'behind']);
	assert.equal(rows.get('dev-eu-west-1')!.status, 'no-context');
	assert.deepEqual(prod.claim, { file: 'claims/prod-us-east-1.yaml', line: 10 });
	assert.deepEqual(staging.syncCounts, { total: 10, failed: 1, progressing: 0, behind: folder.head ? 1 : 0 });
	assert.deepEqual(staging.failing.map((s) => s.name), ['apps']);
	assert.deepEqual(prod.syncCounts, { total: 8, failed: 0, progressing: 0, behind: folder.head ? 4 : 0 });
	// A cluster in full, as the view asks when it is expanded.
	const detail = (cluster: string) => session.request<FleetClusterDetail>(FleetClusterRequest.method, { folderUri: FOLDER, cluster });
	const stagingDetail = await detail('staging-eu-west-1');
	const prodDetail = await detail('prod-us-east-1');
	const apps = stagingDetail.sync.find((s) => s.name === 'apps')!;
	assert.deepEqual([apps.kind, apps.ready, apps.reason, apps.atHead], ['Kustomization', false, 'HealthCheckFailed', folder.head ? false : null]);
	assert.deepEqual(staging.failing[0], apps);
	assert.ok(stagingDetail.sync.filter((s) => s.name !== 'apps' && s.kind === 'Kustomization').every((s) => s.atHead === (folder.head ? true : null)));
	assert.ok(prodDetail.sync.every((s) => s.ready === true && s.atHead === (s.kind === 'HelmRelease' || !folder.head ? null : false)));
	assert.deepEqual([staging.fluxReport?.version, staging.fluxReport?.components.length, staging.fluxReport?.sync?.ready], ['v2.6.4', 4, true]);
	// The repository's sources of the cluster, each with the line that declares it and what the cluster reports of it.
	const source = stagingDetail.sources.find((s) => s.kind === 'flux-kustomization' && s.name === 'apps')!;
	assert.deepEqual([source.path, source.declaredAt], ['apps/staging', { file: 'clusters/staging-eu-west-1/apps.yaml', line: 15 }]);
	assert.deepEqual(stagingDetail.sync[source.live!], apps);
	const fleetPath = stagingDetail.sources.find((s) => s.kind === 'fleet')!;
	assert.equal(stagingDetail.sync[fleetPath.live!].name, 'flux-system', 'the Fleet path is what flux-system applies');
	await assert.rejects(detail('nope'), /no cluster "nope"/);
	assert.deepEqual(folder.summary.clusters, 7);
	assert.deepEqual(folder.summary.connected, 2);

});

test('Promotion: apps with each environment\'s versions and lines, behind markers and gates (the CLI\'s rows)', { timeout: 60_000 }, async () => {
	const r = await session.request<FleetPromotionResult>(FleetPromotionRequest.method, { folderUri: FOLDER });
	assert.deepEqual(r.folders[0].environments, ['dev', 'staging', 'production']);
	const pinned = JSON.parse(await runCli(['promotion', ROOT, '--format', 'json'])) as { apps: { name: string; environments: unknown[] }[] };
	assert.deepEqual(
		r.folders[0].apps.map((a) => ({ name: a.name, environments: a.environments.map((e) => ({ name: e.name, versions: e.versions, behind: e.behind, gates: e.gates })) })),
		pinned.apps,
	);
});

test('Compliance: per section and control, the numbers of `fleetscope report`; a control\'s findings are the report\'s', { timeout: 120_000 }, async () => {
	const report = JSON.parse(await runCli(['report', ROOT, '--format', 'json', '--context', STAGING, '--context', PROD])) as {
		sections: { id: string; controls: { control: string; passed: number; failed: number; exempted: number; evaluated: number }[] }[];
		findings: { file: string; line: number; ruleId: string; controls: string[]; status: string }[];
	};
	const expected = report.sections.flatMap((s) => s.controls.map((c) => `${s.id} ${c.control} ${c.evaluated} ${c.passed} ${c.failed} ${c.exempted}`)).sort();
	const shown = (x: FleetComplianceResult) => x.folders[0].frameworks.flatMap((f) => f.controls.flatMap((c) => c.sections.map((s) => `${s.id} ${c.control} ${s.evaluated} ${s.passed} ${s.failed} ${s.exempted}`))).sort();
	const view = await settled(() => session.request<FleetComplianceResult>(FleetComplianceRequest.method, { folderUri: FOLDER }), (x) => x.folders[0].complete && JSON.stringify(shown(x)) === JSON.stringify(expected));
	assert.deepEqual(shown(view), expected);
	const failing = view.folders[0].frameworks.flatMap((f) => f.controls).find((c) => c.sections.some((s) => s.failed > 0))!;
	const { findings } = await session.request<{ findings: ComplianceFindingRow[] }>(ComplianceFindingsRequest.method, { folderUri: FOLDER, control: failing.control });
	assert.deepEqual(
		findings.map((f) => `${f.file}:${f.line} ${f.ruleId} ${f.status}`).sort(),
		report.findings.filter((f) => f.controls.includes(failing.control)).map((f) => `${f.file}:${f.line} ${f.ruleId} ${f.status}`).sort(),
	);
	assert.equal(findings.length, failing.findings);
});

test('Render Cluster: what staging receives, each object headed by its origin', { timeout: 60_000 }, async () => {
	const r = await session.request<RenderClusterResult>(RenderClusterRequest.method, { folderUri: FOLDER, cluster: 'staging-eu-west-1' });
	assert.match(r.text, /^# What staging-eu-west-1 receives: \d+ objects rendered from 6 synced paths/);
	assert.match(r.text, /# Source: apps\/base\/orders-api\/deployment\.yaml \(via apps\/staging\)\napiVersion: apps\/v1\nkind: Deployment\nmetadata:\n {2}name: orders-api/);
	const cliText = await runCli(['render', ROOT, '--cluster', 'staging-eu-west-1']);
	assert.ok(r.text.endsWith(cliText), 'the same stream as fleetscope render');
	await assert.rejects(session.request(RenderClusterRequest.method, { folderUri: FOLDER, cluster: 'nope' }), /no cluster "nope"/);
});

test('Compare with previous environment: orders-api on prod-us-east-1, now and once promoted from staging', { timeout: 60_000 }, async () => {
	const r = await session.request<CompareEnvironmentsResult>(CompareEnvironmentsRequest.method, { folderUri: FOLDER, app: 'orders-api', environment: 'production', cluster: 'prod-us-east-1' });
	assert.deepEqual([r.from, r.to, r.cluster, r.changes], ['staging', 'production', 'prod-us-east-1', ['apps/production/kustomization.yaml']]);
	assert.match(r.before, /image: ghcr\.io\/acme\/orders-api:2\.14\.0/);
	assert.match(r.after, /image: ghcr\.io\/acme\/orders-api:2\.14\.1/);
	// Exactly what the promotion changes: the image of orders-api (tag and digest), nothing else.
	const before = r.before.split('\n');
	const after = r.after.split('\n');
	assert.equal(after.length, before.length);
	const changed = before.flatMap((line, i) => (line === after[i] ? [] : [`${line.trim()} -> ${after[i].trim()}`]));
	assert.equal(changed.length, 1, changed.join('\n'));
	assert.match(changed[0], /^image: ghcr\.io\/acme\/orders-api:2\.14\.0@sha256:\w+ -> image: ghcr\.io\/acme\/orders-api:2\.14\.1@sha256:\w+$/);
	const same = await session.request<CompareEnvironmentsResult>(CompareEnvironmentsRequest.method, { folderUri: FOLDER, app: 'podinfo', environment: 'production' });
	assert.equal(same.before, same.after);
	assert.match(same.notes[0], /production already runs what staging runs/);
});

test('Reveal File in Fleet and the first-line CodeLens: the clusters a file reaches', { timeout: 60_000 }, async () => {
	const model = JSON.parse(await runCli(['fleet', ROOT, '--format', 'json'])) as { files: Record<string, string[]>; clusters: { name: string }[] };
	const file = 'apps/base/podinfo/deployment.yaml';
	const order = model.clusters.map((c) => c.name);
	const expected = [...model.files[file]].sort((a, b) => order.indexOf(a) - order.indexOf(b));
	const r = await session.request<FileReachResult>(FileReachRequest.method, { uri: uriOf(join(ROOT, file)) });
	assert.deepEqual([r.file, r.clusters.map((c) => c.name)], [file, expected]);
	const lenses = await session.request<{ range: { start: { line: number } }; command: { title: string; command: string; arguments: unknown[] } }[]>('textDocument/codeLens', { textDocument: { uri: uriOf(join(ROOT, file)) } });
	// Drift may add its own lenses (lsp/drift.ts); the reach is one lens, on the first line.
	const reach = lenses.filter((l) => l.command.command === 'fleetscope.revealInFleet');
	assert.equal(reach.length, 1);
	assert.equal(reach[0].range.start.line, 0);
	assert.equal(reach[0].command.title, `reaches ${expected.length} clusters: ${expected.slice(0, 4).join(', ')}${expected.length > 4 ? ', …' : ''}`);
	assert.deepEqual(reach[0].command.arguments, [uriOf(join(ROOT, file))]);
	assert.deepEqual(await session.request('textDocument/codeLens', { textDocument: { uri: uriOf(join(ROOT, 'README.md')) } }), []);
});

test('Disconnect and Connect Cluster: prod-us-east-1 stops for the session, then connects again', { timeout: 60_000 }, async () => {
	const off = await session.request<{ status: string }>(ConnectClusterRequest.method, { folderUri: FOLDER, cluster: 'prod-us-east-1', connected: false });
	assert.equal(off.status, 'stopped');
	await session.clustersWhen((r) => r.clusters.some((c) => c.cluster === 'prod-us-east-1' && c.status === 'stopped'));
	const row = (await clusters()).folders[0].environments.flatMap((e) => e.clusters).find((c) => c.name === 'prod-us-east-1')!;
	assert.deepEqual([row.status, row.syncState], ['stopped', 'unknown']);
	await session.request(ConnectClusterRequest.method, { folderUri: FOLDER, cluster: 'prod-us-east-1', connected: true });
	await session.clustersWhen((r) => r.clusters.some((c) => c.cluster === 'prod-us-east-1' && c.status === 'connected'));
	await assert.rejects(session.request(ConnectClusterRequest.method, { folderUri: FOLDER, cluster: 'nope', connected: false }), /no cluster "nope"/);
});

test('Create Fleet file: a draft from the model, valid YAML of kind Fleet, naming the Fleet file that exists', { timeout: 60_000 }, async () => {
	const r = await session.request<{ text: string; file: string; existing?: string }>(FleetFileDraftRequest.method, { folderUri: FOLDER });
	assert.equal(r.existing, 'fleet.yaml');
	const doc = parse(r.text) as { kind: string; spec: { environments: { name: string }[]; clusters: { name: string }[] } };
	assert.equal(doc.kind, 'Fleet');
	assert.deepEqual(doc.spec.environments.map((e) => e.name), ['dev', 'staging', 'production']);
	assert.equal(doc.spec.clusters.length, 7);
});

test('the clusters were only read; Secrets as metadata only; the GitOps kinds were read in full (their status is the one exception)', { timeout: 30_000 }, async () => {
	for (const sim of sims) {
		assert.ok(sim.requests.length > 0);
		assert.deepEqual(sim.requests.filter((r) => r.method !== 'GET'), [], `${sim.name}: only GET`);
		const secrets = sim.requests.filter((r) => /\/secrets(\?|$)/.test(r.url.split('?')[0] + '?'));
		assert.ok(secrets.length > 0, `${sim.name}: Secrets were listed`);
		// Metadata only: PartialObjectMetadata, or a Table whose objects are metadata (how drift lists them).
		const metadataOnly = (r: { url: string; accept: string }) => /as=PartialObjectMetadata/.test(r.accept) || (/as=Table/.test(r.accept) && /includeObject=Metadata/.test(r.url));
		assert.deepEqual(secrets.filter((r) => !metadataOnly(r)), [], `${sim.name}: Secrets as metadata only`);
		const full = (plural: string) => sim.requests.some((r) => r.url.startsWith(`/apis/`) && r.url.split('?')[0].endsWith(`/${plural}`) && !/as=PartialObjectMetadata/.test(r.accept));
		assert.ok(full('kustomizations') && full('helmreleases'), `${sim.name}: Flux objects read with their status`);
	}
	assert.ok(sims[0].requests.some((r) => r.url.split('?')[0] === '/apis/fluxcd.controlplane.io/v1/fluxreports' && r.accept === 'application/json'), 'the FluxReport of staging');
});

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { cli } from '../../server/src/cli/main';
import { fixtureOptions, loadFixture } from '../../tools/kube-sim/fixture';
import { mergeKubeconfigs } from '../../tools/kube-sim/kubeconfig';
import { startKubeSim, type KubeSim } from '../../tools/kube-sim/sim';
import { tempDir } from '../live/helpers';

/**
 * `fleetscope clusters` and `fleetscope promotion`, the explorer's CLI twins: both JSON shapes
 * pinned on the example fleet, and `clusters` against the two demo clusters (kube-sim over HTTPS),
 * whose Flux objects report a failed Kustomization (staging) and revisions one commit behind HEAD
 * (prod-us-east-1). Findings per cluster must be what `fleetscope check` finds in the files that
 * reach the cluster.
 */

const ROOT = resolve('examples/fleet');
const STAGING = 'arn:aws:eks:eu-west-1:111122223333:cluster/staging-eu-west-1';
const PROD = 'arn:aws:eks:us-east-1:444455556666:cluster/prod-us-east-1';
const dir = tempDir('fleetscope-explorer-cli-');
const env = { ...process.env, KUBECONFIG: join(dir, 'kubeconfig'), FLEETSCOPE_CACHE_DIR: join(dir, 'cache') };
let sims: KubeSim[] = [];

before(async () => {
	sims = await Promise.all(['staging', 'production'].map((f) => startKubeSim(fixtureOptions(loadFixture(`tools/kube-sim/fixtures/${f}.yaml`)))));
	writeFileSync(join(dir, 'kubeconfig'), mergeKubeconfigs([sims[0].kubeconfigText({ context: STAGING }), sims[1].kubeconfigText({ context: PROD })], parse));
});
after(async () => {
	await Promise.all(sims.map((s) => s.stop()));
});

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
	let stdout = '';
	let stderr = '';
	const code = await cli(args, { cwd: process.cwd(), env, stdoutIsTty: false, stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
	return { code, stdout, stderr };
}

/** What real git says HEAD and the commit before are (kube-sim's fixtures report them; stand-ins without history). */
function commits(): { head: string | null; previous: string } {
	try {
		const head = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
		let previous = '1111111111111111111111111111111111111111';
		try {
			previous = execFileSync('git', ['rev-parse', '--verify', '--quiet', 'HEAD~1'], { encoding: 'utf8' }).trim();
		} catch {
			// a shallow clone: the fixture's stand-in
		}
		return { head, previous };
	} catch {
		return { head: null, previous: '1111111111111111111111111111111111111111' };
	}
}

/** Findings per cluster as `fleetscope check` and `fleetscope fleet` say (independently of the view). */
async function expectedFindings(extra: string[]): Promise<Map<string, { error: number; warning: number; info: number }>> {
	const check = JSON.parse((await run(['check', ROOT, '--format', 'json', ...extra])).stdout) as { findings: { file: string; severity: string }[] };
	const fleet = JSON.parse((await run(['fleet', ROOT, '--format', 'json'])).stdout) as { files: Record<string, string[]>; clusters: { name: string; claim: string | null }[] };
	const out = new Map<string, { error: number; warning: number; info: number }>();
	for (const c of fleet.clusters) {
		const files = new Set(Object.entries(fleet.files).filter(([, cs]) => cs.includes(c.name)).map(([f]) => f));
		if (c.claim) files.add(c.claim);
		const n = { error: 0, warning: 0, info: 0 };
		for (const f of check.findings) if (files.has(f.file) && f.severity !== 'hint') n[f.severity as 'error']++;
		out.set(c.name, n);
	}
	return out;
}

test('fleetscope promotion --format json on the example fleet: the pinned shape (apps, environments in promotion order, behind, gates)', async () => {
	const r = await run(['promotion', ROOT, '--format', 'json']);
	assert.equal(r.code, 0, r.stderr);
	assert.deepEqual(JSON.parse(r.stdout), JSON.parse(readFileSync('test/fixtures/explorer/promotion-example.json', 'utf8')));
	const orders = (JSON.parse(r.stdout) as { apps: { name: string; environments: { name: string; behind: unknown }[] }[] }).apps.find((a) => a.name === 'orders-api')!;
	assert.deepEqual(
		orders.environments.map((e) => [e.name, e.behind]),
		[
			['dev', null],
			['staging', { of: 'dev', versions: [{ artifact: 'ghcr.io/acme/orders-api', kind: 'image', version: '2.15.0-rc.1', file: 'apps/dev/kustomization.yaml', line: 12 }] }],
			['production', { of: 'staging', versions: [{ artifact: 'ghcr.io/acme/orders-api', kind: 'image', version: '2.14.1', file: 'apps/staging/kustomization.yaml', line: 12 }] }],
		],
	);
	const text = await run(['promotion', ROOT]);
	assert.match(text.stdout, /production {3}ghcr\.io\/acme\/orders-api 2\.14\.0 {2}apps\/production\/kustomization\.yaml:12\n {15}behind: staging runs ghcr\.io\/acme\/orders-api 2\.14\.1\n/);
});

test('fleetscope clusters --format json on the example fleet without clusters: every cluster, not contacted, with its claim version and findings', async () => {
	const r = await run(['clusters', ROOT, '--format', 'json']);
	assert.equal(r.code, 0, r.stderr);
	const out = JSON.parse(r.stdout) as { clusters: Record<string, unknown>[] };
	const expected = await expectedFindings([]);
	assert.deepEqual(
		out.clusters.map((c) => Object.keys(c)),
		out.clusters.map(() => ['name', 'environment', 'region', 'provider', 'claimVersion', 'liveVersion', 'status', 'stateAge', 'sync', 'findings']),
	);
	assert.deepEqual(
		out.clusters.map((c) => [c.name, c.environment, c.region, c.provider, c.claimVersion, c.liveVersion, c.status, c.stateAge, c.sync]),
		[
			['dev-eu-west-1', 'dev', 'eu-west-1', 'aws', '1.36', null, 'no-context', null, []],
			['sandbox-europe-west1', 'dev', 'europe-west1', 'gcp', '1.31', null, 'no-context', null, []],
			['staging-eu-west-1', 'staging', 'eu-west-1', 'aws', '1.35', null, 'no-context', null, []],
			['dr-eu-central-1', 'production', 'eu-central-1', 'aws', '1.34', null, 'no-context', null, []],
			['prod-eu-west-1', 'production', 'eu-west-1', 'aws', null, null, 'no-context', null, []],
			['prod-us-east-1', 'production', 'us-east-1', 'aws', '1.35', null, 'no-context', null, []],
			['perf-eu-west-1', 'performance', 'eu-west-1', 'aws', null, null, 'no-context', null, []],
		],
	);
	for (const c of out.clusters) assert.deepEqual(c.findings, expected.get(c.name as string), `findings of ${c.name}`);
});

test('fleetscope clusters --context against kube-sim: live versions, the failed Kustomization, revisions against HEAD; findings as check --context finds them', async () => {
	const r = await run(['clusters', ROOT, '--format', 'json', '--context', STAGING, '--context', PROD]);
	assert.equal(r.code, 0, r.stderr);
	const { head, previous } = commits();
	const headOf = (rev: string) => (head ? rev : '2222222222222222222222222222222222222222');
	const clusters = (JSON.parse(r.stdout) as { clusters: { name: string; [k: string]: unknown }[] }).clusters;
	const staging = clusters.find((c) => c.name === 'staging-eu-west-1')!;
	const prod = clusters.find((c) => c.name === 'prod-us-east-1')!;
	assert.deepEqual([staging.liveVersion, staging.status, staging.stateAge], ['v1.35.2-eks-3025e55', 'connected', 'live']);
	assert.deepEqual([prod.claimVersion, prod.liveVersion, prod.status], ['1.35', 'v1.27.16-eks-2f008fe', 'connected']);
	const kustomization = (name: string, ready: boolean, revision: string, extra: Record<string, unknown> = {}) => ({
		kind: 'Kustomization',
		namespace: 'flux-system',
		name,
		ready,
		reason: ready ? 'ReconciliationSucceeded' : 'HealthCheckFailed',
		message: `Applied revision: main@sha1:${revision}`,
		revision: `main@sha1:${revision}`,
		headRevision: head,
		...extra,
	});
	const HEAD = headOf(head ?? '');
	assert.deepEqual(staging.sync, [
		kustomization('apps', false, previous, { message: "health check failed after 5m0s: timeout waiting for: [Deployment/orders/orders-api status: 'InProgress']" }),
		kustomization('flux-system', true, HEAD),
		kustomization('infra-configs', true, HEAD),
		kustomization('infra-controllers', true, HEAD),
		kustomization('legacy-batch', true, HEAD),
		kustomization('statements', true, HEAD),
		...[
			['cert-manager', '1.15.3', 'UpgradeSucceeded', 'upgrade', 'v3'],
			['external-secrets', '0.18.2', 'InstallSucceeded', 'install', 'v1'],
			['ingress-nginx', '4.11.3', 'UpgradeSucceeded', 'upgrade', 'v4'],
			['velero', '8.1.0', 'InstallSucceeded', 'install', 'v1'],
		].map(([name, chart, reason, verb, v]) => ({ kind: 'HelmRelease', namespace: name, name, ready: true, reason, message: `Helm ${verb} succeeded for release ${name}/${name}.${v} with chart ${name}@${chart}`, revision: chart, headRevision: null })),
	]);
	assert.deepEqual(
		(prod.sync as { kind: string; name: string; revision: string; headRevision: string | null; ready: boolean }[]).map((s) => [s.kind, s.name, s.ready, s.revision, s.headRevision]),
		[
			...['apps', 'flux-system', 'infra-configs', 'infra-controllers'].map((n) => ['Kustomization', n, true, `main@sha1:${previous}`, head]),
			...[['cert-manager', '1.15.3'], ['external-secrets', '0.18.2'], ['ingress-nginx', '4.11.3'], ['velero', '8.1.0']].map(([n, chart]) => ['HelmRelease', n, true, chart, null]),
		],
	);
	const expected = await expectedFindings(['--context', STAGING, '--context', PROD]);
	for (const c of clusters) assert.deepEqual(c.findings, expected.get(c.name), `findings of ${c.name}`);
	const text = await run(['clusters', ROOT, '--context', STAGING, '--context', PROD]);
	assert.match(text.stdout, /Kustomization flux-system\/apps: HealthCheckFailed: health check failed after 5m0s/);
	assert.match(text.stdout, /live v1\.27\.16-eks-2f008fe \(differs from the claim\)/);
	assert.match(text.stdout, /2\/7 clusters connected/);
});

test('fleetscope clusters: exit 2 for a context with no state at all, and for usage mistakes', async () => {
	const missing = await run(['clusters', ROOT, '--context', 'no-such-context', '--format', 'json']);
	assert.equal(missing.code, 2);
	assert.match(missing.stderr, /no live state at all for 1 requested cluster/);
	for (const args of [['clusters', ROOT, ROOT], ['clusters', ROOT, '--fail-on', 'error'], ['clusters', '--format', 'sarif'], ['promotion', ROOT, '--context', STAGING], ['clusters', 'no/such/dir']]) {
		const r = await run(args);
		assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}`);
		assert.match(r.stderr, /Run fleetscope --help for usage/);
	}
});

import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startKubeSim, type KubeSim } from '../../tools/kube-sim/sim';
import { cli } from '../../server/src/cli/main';
import { readSnapshot, SNAPSHOT_FILE } from '../../server/src/host/live/snapshot';
import { tempDir } from './helpers';
import { PROD, STAGING, startDemoSims } from './demo-clusters';

/**
 * `fleetscope check --context/--snapshot` and `fleetscope snapshot` over real HTTPS against the
 * two demo clusters (tools/kube-sim/fixtures) and the example fleet: the CLI reads a generated
 * kubeconfig through client-node, exactly as with a real cluster.
 */

const dir = tempDir();
const kubeconfig = join(dir, 'kubeconfig');
const env = { ...process.env, FLEETSCOPE_CACHE_DIR: join(dir, 'cache'), KUBECONFIG: join(dir, 'none') };
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
	const code = await cli(args, { cwd: process.cwd(), env, stdoutIsTty: false, stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
	return { code, stdout, stderr };
}

interface J {
	findings: { file: string; line: number; column: number; endColumn: number; severity: string; ruleId: string; message: string }[];
	live?: { cluster: string; status: string }[];
}
const liveOf = (j: J) => j.findings.filter((f) => f.ruleId.startsWith('live-')).map((f) => `${f.file}:${f.line}:${f.column}-${f.endColumn} ${f.severity} ${f.ruleId}`);

test('production 1.27: each planted difference is found at its exact node, named after the Fleet cluster', async () => {
	const r = await run(['check', 'examples/fleet', '--format', 'json', '--kubeconfig', kubeconfig, '--context', PROD]);
	const j = JSON.parse(r.stdout) as J;
	assert.deepEqual(liveOf(j), [
		'apps/base/orders-api/deployment.yaml:101:25-34 warning live-missing-reference',
		'apps/base/orders-api/externalsecret.yaml:2:13-35 error live-api-not-served',
		'claims/prod-us-east-1.yaml:10:14-20 warning live-version-drift',
		'infrastructure/configs/cluster-issuers.yaml:14:13-29 error live-crd-schema',
		'infrastructure/configs/cluster-secret-store.yaml:2:13-35 error live-api-not-served',
	]);
	for (const f of j.findings.filter((x) => x.ruleId.startsWith('live-'))) assert.match(f.message, /cluster prod-us-east-1 \(live\)/);
	assert.deepEqual(j.live, [{ cluster: 'prod-us-east-1', source: PROD, status: 'connected', message: 'connected (Kubernetes v1.27.16-eks-2f008fe)', fetchedAt: (j.live as any)[0].fetchedAt }]);
	assert.equal(r.code, 1);
	// The static findings are unchanged by --context.
	const plain = JSON.parse((await run(['check', 'examples/fleet', '--format', 'json'])).stdout) as J;
	assert.deepEqual(j.findings.filter((f) => !f.ruleId.startsWith('live-')), plain.findings);
});

test('staging 1.35 matches the repository: no live finding', async () => {
	const r = await run(['check', 'examples/fleet', '--format', 'json', '--kubeconfig', kubeconfig, '--context', STAGING]);
	assert.deepEqual(liveOf(JSON.parse(r.stdout)), []);
	assert.equal(r.stderr, '');
	// The CLI asked for Secrets as metadata only: their data never left the simulated cluster.
	assert.ok(!staging.sent.join('').includes('eyJ1c2VyIjoib3JkZXJzIiwicGFzc3dvcmQiOiJzaW11bGF0ZWQtc3RhZ2luZyJ9'));
});

test('snapshot: a Fleetscope export round-trips, and --snapshot checks against it offline', async () => {
	const out = join(dir, 'prod-snapshot');
	const r = await run(['snapshot', '--context', PROD, '--output', out, '--kubeconfig', kubeconfig]);
	assert.equal(r.code, 0, r.stderr);
	assert.match(r.stderr, /^Snapshot of arn:aws:eks:us-east-1:444455556666:cluster\/prod-us-east-1 \(Kubernetes v1\.27\.16-eks-2f008fe, \d+ API versions, 13 CRDs, metadata of \d+ objects\) written to .*fleetscope-snapshot\.json\n$/);
	const text = readFileSync(join(out, SNAPSHOT_FILE), 'utf8');
	assert.ok(!text.includes('c2ltdWxhdGVkLWtleQ=='), 'no Secret data in the export');
	assert.ok(!text.includes(prod.token));
	const { state } = readSnapshot(out);
	assert.equal(state.origin, 'snapshot');
	assert.ok(state.objects['|Secret'].items.some((s) => s.name === 'podinfo-tls'));
	const check = await run(['check', 'examples/fleet', '--format', 'json', '--snapshot', out]);
	assert.equal(liveOf(JSON.parse(check.stdout) as J).length, 5);
	assert.match((JSON.parse(check.stdout) as J).findings.find((f) => f.ruleId === 'live-version-drift')!.message, /cluster prod-us-east-1 \(snapshot, less than 1 min old\)/);
});

test('kubectl dumps as a snapshot: version, CRDs and object lists; Secret data dropped on load', async () => {
	const dumps = join(dir, 'kubectl-dump');
	mkdirSync(dumps);
	writeFileSync(join(dumps, 'version.yaml'), 'clientVersion:\n  gitVersion: v1.32.4\nkustomizeVersion: v5.5.0\nserverVersion:\n  gitVersion: v1.24.17\n  major: "1"\n  minor: "24"\n');
	writeFileSync(join(dumps, 'namespaces.yaml'), 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Namespace\n  metadata:\n    name: orders\n');
	writeFileSync(join(dumps, 'secrets.yaml'), 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Secret\n  metadata:\n    name: other\n    namespace: orders\n  data:\n    password: ZHVtcGVkLXNlY3JldA==\n');
	writeFileSync(join(dumps, 'crds.yaml'), 'apiVersion: v1\nkind: List\nitems: []\n');
	// An empty list still says something: there is no ServiceAccount (`serviceaccounts.yaml` names the kind).
	writeFileSync(join(dumps, 'serviceaccounts.yaml'), 'apiVersion: v1\nkind: List\nitems: []\n');
	writeFileSync(join(dumps, 'broken.yaml'), 'a: [\n');
	const loaded = readSnapshot(dumps);
	assert.equal(loaded.state.cluster, 'kubectl-dump');
	assert.deepEqual(loaded.state.objects['|Secret'].items, [{ name: 'other', namespace: 'orders' }]);
	assert.ok(!JSON.stringify(loaded.state).includes('ZHVtcGVkLXNlY3JldA=='));
	assert.deepEqual(loaded.warnings, ['broken.yaml: not valid YAML (line 2), skipped']);
	// External Secrets is not installed there, so the Secret it would create is not expected yet either.
	const r = await run(['check', 'examples/fleet/apps/base/orders-api', '--format', 'json', '--snapshot', dumps]);
	// (The ServiceAccount and the namespace are created by these files themselves: not reported.)
	assert.deepEqual(liveOf(JSON.parse(r.stdout) as J), ['externalsecret.yaml:2:13-35 error live-api-not-served']);
	assert.match(r.stderr, /snapshot .*kubectl-dump: broken\.yaml: not valid YAML/);
});

test('an unreachable cluster: the cached state with a warning, or exit 2 when there is none', async () => {
	const gone = await startKubeSim({ name: 'gone', version: '1.29.1', objects: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'orders' } }] });
	const kc = gone.kubeconfig(join(dir, 'gone.kubeconfig'));
	// First a run that sees it, which caches its state.
	assert.equal((await run(['check', 'examples/fleet/apps/base/orders-api', '--kubeconfig', kc, '--context', 'gone'])).code, 1);
	await gone.stop();
	const cached = await run(['check', 'examples/fleet/apps/base/orders-api', '--format', 'json', '--kubeconfig', kc, '--context', 'gone']);
	assert.equal(cached.code, 1);
	assert.match(cached.stderr, /^fleetscope: warning: live state of gone \(gone\): cached: https:\/\/127\.0\.0\.1:\d+ is unreachable \(ECONNREFUSED\); using the last state seen \(cached, less than 1 min old\)\n$/);
	assert.ok((JSON.parse(cached.stdout) as J).findings.some((f) => f.ruleId === 'live-api-not-served' && /cluster gone \(cached, less than 1 min old\)/.test(f.message)));
	const never = await run(['check', 'examples/fleet/apps/base/orders-api', '--kubeconfig', kc, '--context', 'no-such-context']);
	assert.equal(never.code, 2);
	assert.match(never.stderr, /no live state at all for 1 requested cluster\(s\), so their live diagnostics are missing:\n {2}no-such-context: the kubeconfig has no context "no-such-context"\n/);
	const usage = await run(['snapshot', '--output', join(dir, 'x')]);
	assert.equal(usage.code, 2, usage.stderr);
	assert.match(usage.stderr, /fleetscope snapshot needs exactly one --context NAME/, usage.stderr);
});

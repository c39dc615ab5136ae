import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli } from '../../server/src/cli/main';
import { startKubeSim, type KubeSim } from '../../tools/kube-sim/sim';
import { tempDir } from './helpers';

/**
 * `fleetscope check --context` against a cluster that runs an older Kubernetes than the files are
 * checked at (here the setting, 1.30): the fields its version lacks are reported for that cluster,
 * over real HTTPS, and not without it.
 */

const dir = tempDir();
const env = { ...process.env, FLEETSCOPE_CACHE_DIR: join(dir, 'cache'), KUBECONFIG: join(dir, 'none') };
const repo = join(dir, 'repo');
let sim: KubeSim;
let kubeconfig: string;

before(async () => {
	mkdirSync(join(repo, 'apps'), { recursive: true });
	writeFileSync(
		join(repo, 'apps', 'api.yaml'),
		'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n  namespace: default\nspec:\n  selector:\n    matchLabels: {app: api}\n  template:\n    metadata:\n      labels: {app: api}\n    spec:\n      initContainers:\n        - name: proxy\n          image: envoyproxy/envoy:v1.30.1\n          restartPolicy: Always\n      containers:\n        - name: api\n          image: ghcr.io/acme/api:1.4.2\n',
	);
	sim = await startKubeSim({ name: 'legacy-eu', version: 'v1.27.16-eks-2f008fe' });
	kubeconfig = sim.kubeconfig(join(dir, 'kubeconfig'), { context: 'legacy-eu' });
});
after(() => sim?.stop());

async function versionFindings(args: string[]): Promise<string[]> {
	let stdout = '';
	await cli(['check', repo, '--format', 'json', '--fail-on', 'never', ...args], { cwd: dir, env, stdoutIsTty: false, stdout: (s) => (stdout += s), stderr: () => undefined });
	const json = JSON.parse(stdout) as { findings: { file: string; line: number; column: number; ruleId: string; severity: string; message: string }[] };
	return json.findings.filter((f) => f.ruleId === 'schema-version').map((f) => `${f.file}:${f.line}:${f.column} ${f.severity} ${f.message.replace(/\. An older API server.*/, '')}`);
}

test('a live cluster older than the version the files are checked at: its missing fields, named after it', async () => {
	assert.deepEqual(await versionFindings(['--kubeconfig', kubeconfig, '--context', 'legacy-eu']), [
		'apps/api.yaml:16:11 error spec.template.spec.initContainers[0].restartPolicy: sidecar containers need Kubernetes 1.28 or later; cluster legacy-eu (live) runs 1.27.16, older than 1.30 (fleetscope.kubernetesVersion), which the files are checked at otherwise',
	]);
	// Without the cluster: 1.30 has sidecars.
	assert.deepEqual(await versionFindings([]), []);
	// Checked at 1.27 anyway: the static finding, once, not the live one again.
	assert.deepEqual((await versionFindings(['--kubeconfig', kubeconfig, '--context', 'legacy-eu', '--kubernetes-version', '1.27'])).map((f) => f.replace(/; .*/, '')), ['apps/api.yaml:16:11 error spec.template.spec.initContainers[0].restartPolicy: sidecar containers need Kubernetes 1.28 or later']);
});

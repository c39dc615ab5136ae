import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureCliBuilt, runCli, tempRepo } from './run';

/**
 * The CLI's bundle keeps the facts of a repository's files between runs (server/src/host/facts-cache.ts):
 * the first check writes them, for the user alone; the next finds the same with them, and after an edit.
 */

let repo: ReturnType<typeof tempRepo>;
before(() => {
	ensureCliBuilt();
	repo = tempRepo({
		'kustomization.yaml': 'resources:\n  - ns.yaml\n  - deploy.yaml\n',
		'ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    pod-security.kubernetes.io/enforce: restricted\n',
		'deploy.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n',
	});
});
after(() => repo?.dispose());

test('a check writes the facts cache and the next check, reading it, reports the same; an edit still counts', async () => {
	const cacheDir = mkdtempSync(join(tmpdir(), 'fleetscope-cli-cache-'));
	try {
	const check = () => runCli(['check', '.', '--format', 'json'], { cwd: repo.root, env: { FLEETSCOPE_CACHE_DIR: cacheDir } });
	const findings = (stdout: string) => (JSON.parse(stdout) as { findings: { file: string; line: number; severity: string; ruleId: string; message: string }[] }).findings;
	const first = await check();
	const dir = join(cacheDir, 'facts');
	const [build] = readdirSync(dir);
	assert.match(build, /^cli-program-\d+-\d+$/);
	const [file] = readdirSync(join(dir, build));
	assert.match(file, /^[0-9a-f]{64}\.bin$/);
	assert.equal(statSync(join(dir, build)).mode & 0o777, 0o700);
	assert.equal(statSync(join(dir, build, file)).mode & 0o777, 0o600);
	const second = await check();
	assert.equal(second.code, first.code);
	assert.deepEqual(findings(second.stdout), findings(first.stdout));
	// The Namespace's enforce label is a fact the Deployment's findings read: relaxing it shows at once
	// (the restricted profile's rejections go).
	const restricted = (stdout: string) => findings(stdout).filter((f) => f.file === 'deploy.yaml' && f.severity === 'error' && f.ruleId.startsWith('pss-'));
	assert.ok(restricted(first.stdout).length > 0, first.stdout);
	writeFileSync(join(repo.root, 'ns.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    pod-security.kubernetes.io/enforce: privileged\n');
	const third = await check();
	assert.deepEqual(restricted(third.stdout), []);
	} finally {
		rmSync(cacheDir, { recursive: true, force: true });
	}
});

import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureCliBuilt, runCli, tempRepo } from './run';

/** `fleetscope fleet`: the graph of the example fleet as JSON and as text, and its usage errors. */
before(() => ensureCliBuilt());

interface FleetJson {
	version: number;
	environments: { name: string; order: number; production: boolean; source: string }[];
	clusters: { name: string; environment: string | null; region: string | null; provider: string | null; kubeContext: string | null; paths: string[]; source: string }[];
	apps: { name: string; versions: { environment: string; artifact: string; version: string; file: string; line: number; clusters: string[] }[]; behind: { environment: string; newerIn: string }[] }[];
	files: Record<string, string[]>;
	problems: unknown[];
}

test('fleet --format json: environments in promotion order, clusters with kubeContext and synced paths, versions with file and line, file reach', async () => {
	const r = await runCli(['fleet', 'examples/fleet', '--format', 'json']);
	assert.equal(r.code, 0, r.stderr);
	const j = JSON.parse(r.stdout) as FleetJson;
	assert.equal(j.version, 1);
	assert.deepEqual(j.environments.map((e) => [e.name, e.order, e.production, e.source]), [
		['dev', 0, false, 'declared'],
		['staging', 1, false, 'declared'],
		['production', 2, true, 'declared'],
	]);
	const prod = j.clusters.find((c) => c.name === 'prod-us-east-1')!;
	assert.deepEqual(
		{ ...prod, paths: prod.paths.filter((p) => !p.endsWith('.yaml')) },
		{
			...prod,
			environment: 'production',
			region: 'us-east-1',
			provider: 'aws',
			kubeContext: 'arn:aws:eks:us-east-1:444455556666:cluster/prod-us-east-1',
			source: 'declared',
			paths: ['clusters/prod-us-east-1', 'apps/production', 'infrastructure/controllers', 'infrastructure/configs'],
		},
	);
	const orders = j.apps.find((a) => a.name === 'orders-api')!;
	const line = readFileSync('examples/fleet/apps/staging/kustomization.yaml', 'utf8').split('\n').findIndex((l) => l.includes('2.14.1')) + 1;
	assert.deepEqual(orders.versions[1], { environment: 'staging', clusters: ['staging-eu-west-1'], artifact: 'ghcr.io/acme/orders-api', kind: 'image', version: '2.14.1', file: 'apps/staging/kustomization.yaml', line });
	assert.deepEqual(orders.behind.map((b) => `${b.environment}<${b.newerIn}`), ['staging<dev', 'production<dev', 'production<staging']);
	assert.deepEqual(j.files['apps/production/podinfo-ingress.yaml'], ['prod-eu-west-1', 'prod-us-east-1']);
});

test('fleet (text): readable graph with the promotion order, each cluster, and versions with "behind"', async () => {
	const r = await runCli(['fleet'], { cwd: join(process.cwd(), 'examples/fleet') });
	assert.equal(r.code, 0, r.stderr);
	assert.match(r.stdout, /^Environments, in promotion order: dev → staging → production \[production\]\n/);
	assert.match(r.stdout, /\n {2}prod-us-east-1 {2}production, us-east-1, aws, Kubernetes 1\.35\n {6}context {2}arn:aws:eks:us-east-1:444455556666:cluster\/prod-us-east-1\n/);
	assert.match(r.stdout, /\n {6}staging {6}ghcr\.io\/acme\/orders-api 2\.14\.1 {2}apps\/staging\/kustomization\.yaml:12 {2}\[staging-eu-west-1\] {2}behind dev \(2\.15\.0-rc\.1\)\n/);
});

test('fleet: a broken reference is listed with its place; usage errors exit 2', async () => {
	const repo = tempRepo({
		'clusters/dev/sync.yaml': 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n  namespace: flux-system\nspec:\n  interval: 5m\n  path: ./apps/dev\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n',
	});
	try {
		const r = await runCli(['fleet', repo.root]);
		assert.equal(r.code, 0);
		assert.match(r.stdout, /\n {2}clusters\/dev\/sync\.yaml:8:9 error fleet-reference This Kustomization syncs "\.\/apps\/dev", which does not exist in this repository/);
		assert.equal((await runCli(['fleet', join(repo.root, 'clusters/dev/sync.yaml')])).code, 2);
		assert.equal((await runCli(['fleet', 'a', 'b'])).code, 2);
		const flag = await runCli(['fleet', '--fail-on', 'error']);
		assert.equal(flag.code, 2);
		assert.match(flag.stderr, /--fail-on is an option of check, not of fleet/);
	} finally {
		repo.dispose();
	}
});

test('render --cluster: the YAML a cluster receives, overlays applied and Flux variables substituted, each object headed by its source', async () => {
	const r = await runCli(['render', 'examples/fleet', '--cluster', 'prod-eu-west-1']);
	assert.equal(r.code, 0, r.stderr);
	const docs = r.stdout.split(/^---\n/m);
	const orders = docs.find((d) => /^kind: Deployment\n/m.test(d) && /^ {2}name: orders-api$/m.test(d))!;
	assert.match(orders, /^# Source: apps\/base\/orders-api\/deployment\.yaml \(via apps\/production\)\n/);
	// The production overlay's images entry and its namespace.
	assert.match(orders, /image: ghcr\.io\/acme\/orders-api:2\.14\.0@sha256:[0-9a-f]{64}\n/);
	// postBuild.substitute of the cluster's infra-controllers Kustomization: this cluster's bucket and backup region.
	const velero = docs.find((d) => /^kind: HelmRelease$/m.test(d) && /^ {2}name: velero$/m.test(d))!;
	assert.match(velero, /bucket: acme-velero-prod-eu-west-1\n {10}config:\n {12}region: eu-central-1\n/);
	assert.doesNotMatch(r.stdout, /\$\{backup_region\}/);
	const staging = await runCli(['render', 'examples/fleet', '--cluster', 'staging-eu-west-1']);
	assert.match(staging.stdout, /image: ghcr\.io\/acme\/orders-api:2\.14\.1@sha256:[0-9a-f]{64}\n/);
	const unknown = await runCli(['render', 'examples/fleet', '--cluster', 'nope']);
	assert.equal(unknown.code, 2);
	assert.match(unknown.stderr, /no cluster "nope" in this repository \(known: dev-eu-west-1, sandbox-europe-west1, staging-eu-west-1, dr-eu-central-1, prod-eu-west-1, prod-us-east-1, perf-eu-west-1\)/);
	assert.equal((await runCli(['render', 'examples/fleet'])).code, 2);
});

test('check judges what each cluster receives; --no-render judges each file as written', async () => {
	const sync = (path: string) => `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n  namespace: flux-system\nspec:\n  interval: 5m\n  path: ${path}\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n`;
	const repo = tempRepo({
		'clusters/staging/apps.yaml': sync('./apps/staging'),
		'clusters/production/apps.yaml': sync('./apps/production'),
		'apps/base/kustomization.yaml': 'resources:\n  - deployment.yaml\n',
		'apps/base/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: ghcr.io/acme/web:1.0.0\n',
		'apps/staging/kustomization.yaml': 'namespace: web\nresources:\n  - ../base\n',
		// Production pins the image by digest: only staging runs it by tag.
		'apps/production/kustomization.yaml': `namespace: web\nresources:\n  - ../base\nimages:\n  - name: ghcr.io/acme/web\n    digest: sha256:${'a'.repeat(64)}\n`,
	});
	try {
		const provenance = async (...flags: string[]) => {
			const r = await runCli(['check', repo.root, '--format', 'json', '--fail-on', 'never', ...flags]);
			assert.equal(r.code, 0, r.stderr);
			return (JSON.parse(r.stdout).findings as { file: string; line: number; ruleId: string; message: string }[]).filter((f) => f.ruleId === 'cis-image-provenance');
		};
		const rendered = await provenance();
		assert.deepEqual(rendered.map((f) => `${f.file}:${f.line}`), ['apps/base/deployment.yaml:10']);
		assert.match(rendered[0].message, /This holds via apps\/staging \(staging: staging\), not in the other clusters this file reaches\.$/);
		// As written, the base cannot tell which overlay deploys it: production's digest pin counts for it, and staging's tag is missed.
		assert.deepEqual(await provenance('--no-render'), []);
	} finally {
		repo.dispose();
	}
});

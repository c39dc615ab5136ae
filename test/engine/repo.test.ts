import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { RepoSnapshot, patchPaths, sameFleet, type RepoFileSystem } from '../../server/src/engine/context/repo-snapshot';
import { EMPTY_FLEET, type FleetModel } from '../../server/src/engine/fleet/types';
import { isIncluded } from '../../server/src/engine/core/paths';
import { defaultSettings } from '../../shared/settings';
import { Engine } from '../../server/src/engine/analysis/engine';
import { NO_SCHEMAS } from './helpers';

function memoryFs(files: Record<string, string>): RepoFileSystem {
	return { listFiles: async () => Object.keys(files), readFile: async (p) => files[p] };
}

const overlay = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../base
patches:
  - path: replicas-patch.yaml
    target: {kind: Deployment}
  - patch: |-
      - op: replace
        path: /spec/replicas
        value: 3
patchesStrategicMerge:
  - ./memory.yaml
patchesJson6902:
  - path: ../../shared/json-patch.yaml
    target: {kind: Service, name: web, version: v1}
`;

test('patch files are found from patches, patchesStrategicMerge and patchesJson6902, relative to the kustomization', () => {
	assert.deepEqual(patchPaths('apps/production/kustomization.yaml', overlay).sort(), [
		'apps/production/memory.yaml',
		'apps/production/replicas-patch.yaml',
		'shared/json-patch.yaml',
	]);
	assert.deepEqual(patchPaths('k/kustomization.yaml', 'not: [valid'), []);
});

test('the index answers which paths exist and which files are patches, and follows changes', async () => {
	let repo = await RepoSnapshot.build(
		memoryFs({ 'apps/production/kustomization.yaml': overlay, 'apps/production/replicas-patch.yaml': '', 'apps/base/deploy.yaml': '' }),
	);
	assert.equal(repo.exists('apps/base'), true);
	assert.equal(repo.exists('./apps/base/'), true);
	assert.equal(repo.exists('apps/staging'), false);
	assert.equal(repo.isPatchFile('apps/production/replicas-patch.yaml'), true);
	assert.equal(repo.isPatchFile('apps/base/deploy.yaml'), false);
	const before = repo;
	repo = repo.withFiles([{ path: 'apps/production/kustomization.yaml', text: 'resources: [../base]\n' }]);
	assert.notEqual(repo, before);
	assert.equal(repo.isPatchFile('apps/production/replicas-patch.yaml'), false);
	assert.equal(before.isPatchFile('apps/production/replicas-patch.yaml'), true, 'a snapshot never changes');
	repo = repo.withFiles([{ path: 'apps/base/deploy.yaml', deleted: true }]);
	assert.equal(repo.exists('apps/base'), false);
});

test('include and exclude globs decide which files are validated', async () => {
	const s = defaultSettings();
	assert.equal(isIncluded('apps/base/deploy.yaml', s), true);
	assert.equal(isIncluded('.github/workflows/ci.yaml', s), false);
	// A chart's templates are walked: those that parse without template syntax are judged (core/skip.ts).
	assert.equal(isIncluded('charts/web/templates/deploy.yaml', s), true);
	assert.equal(isIncluded('README.md', s), false);
	const repo = await RepoSnapshot.build(memoryFs({ 'a.yaml': '', 'b.yml': '', 'node_modules/x/c.yaml': '', 'd.json': '' }));
	assert.deepEqual(repo.validatedFiles(s), ['a.yaml', 'b.yml']);
	assert.deepEqual(repo.validatedFiles({ ...s, exclude: [...s.exclude, 'b.yml'] }), ['a.yaml']);
});

test('severity overrides change or silence a rule', () => {
	const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n';
	const warn = new Engine(NO_SCHEMAS, { ...defaultSettings(), severity: { 'yaml-duplicate-key': 'warning' } });
	assert.deepEqual(warn.analyze({ path: 'f.yaml', text }).findings.map((f) => f.severity), ['warning']);
	const off = new Engine(NO_SCHEMAS, { ...defaultSettings(), severity: { 'yaml-duplicate-key': 'off' } });
	assert.deepEqual(off.analyze({ path: 'f.yaml', text }).findings, []);
});

test('the index knows the labels of the Namespaces the repo declares, and its version moves when they change', async () => {
	const ns = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: payments\n  labels:\n    pod-security.kubernetes.io/enforce: restricted\n';
	const files: Record<string, string> = { 'namespaces/payments.yaml': ns, 'apps/web.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n' };
	let repo = await RepoSnapshot.build(memoryFs(files));
	assert.deepEqual(repo.namespaceLabels('payments'), { 'pod-security.kubernetes.io/enforce': 'restricted' });
	assert.equal(repo.namespaceLabels('web'), undefined);
	const v = repo.version;
	repo = repo.withFiles([{ path: 'apps/web.yaml', text: files['apps/web.yaml'] + '# comment\n' }]);
	assert.equal(repo.version, v, 'an edit that changes no repo fact keeps cached results valid');
	repo = repo.withFiles([{ path: 'namespaces/payments.yaml', text: ns.replace('restricted', 'baseline') }]);
	assert.equal(repo.namespaceLabels('payments')?.['pod-security.kubernetes.io/enforce'], 'baseline');
	assert.ok(repo.version > v);
	repo = repo.withFiles([{ path: 'namespaces/payments.yaml', deleted: true }]);
	assert.equal(repo.namespaceLabels('payments'), undefined);
});

test('a duplicate key in a kustomization does not hide its patch files', () => {
	const k = 'resources: [../base]\npatches:\n  - path: a.yaml\nresources: [../base2]\n';
	assert.deepEqual(patchPaths('o/kustomization.yaml', k), ['o/a.yaml']);
});

test('every text read while building the snapshot is handed to the host once, so a scan reads nothing twice', async () => {
	const files: Record<string, string> = { 'a.yaml': 'a: 1\n', 'b.yaml': 'b: 1\n', 'c.json': '{}' };
	const kept = new Map<string, string>();
	await RepoSnapshot.build(memoryFs(files), (p, text) => kept.set(p, text));
	assert.deepEqual([...kept].sort(), [['a.yaml', 'a: 1\n'], ['b.yaml', 'b: 1\n']]);
});

test('a syntax error elsewhere in a kustomization does not hide its patch files', () => {
	const k = 'resources: [deploy.yaml]\npatches:\n  - path: patch.yaml\nextra: { unclosed: true\n';
	assert.deepEqual(patchPaths('o/kustomization.yaml', k), ['o/patch.yaml']);
});

/** A fleet model of one environment whose location has an anchor and a range that must not be computed. */
function fleetOf(environment: string, anchor = `fleet.yaml#0/environments/0`, order = 0): FleetModel {
	const location = {
		file: 'fleet.yaml',
		anchor,
		get range(): never {
			throw new Error('a location was compared by its range (the slow parse of its document)');
		},
	};
	return { ...EMPTY_FLEET, environments: [{ name: environment, order, promotesFrom: [], production: false, source: 'declared', location }] };
}

test('a fleet model equal to the current one keeps the snapshot; any change to it makes a new version', async () => {
	let repo = await RepoSnapshot.build(memoryFs({ 'fleet.yaml': 'a: 1\n' }));
	repo = repo.withFleet(fleetOf('dev'));
	const v = repo.version;
	assert.equal(repo.withFleet(fleetOf('dev')), repo, 'an equal model (a rediscovery that found the same fleet) keeps every cached result valid');
	assert.ok(repo.withFleet(fleetOf('staging')).version > v, 'another environment name');
	assert.ok(repo.withFleet(fleetOf('dev', 'fleet.yaml#0/environments/1')).version > v, 'the same environment declared elsewhere');
	assert.ok(repo.withFleet(fleetOf('dev', undefined, 1)).version > v, 'another promotion order');
	assert.ok(repo.withFleet({ ...fleetOf('dev'), files: { 'apps/web.yaml': ['dev-eu'] } } as unknown as FleetModel).version > v, 'a file reaching a cluster');
});

test('two models are the same exactly when their JSON (locations as anchors) is', () => {
	const base = fleetOf('dev');
	const env = base.environments[0];
	const json = (m: FleetModel) => JSON.stringify(m, (_k, x: unknown) => (x && typeof x === 'object' && typeof (x as { anchor?: unknown }).anchor === 'string' ? (x as { anchor: string }).anchor : x));
	const variants: FleetModel[] = [
		base,
		{ ...base, environments: [{ ...env, promotion: undefined }] },
		{ ...base, environments: [{ ...env, promotesFrom: ['ci'] }] },
		{ ...base, environments: [{ ...env, production: true }] },
		{ ...base, environments: [{ order: 0, name: 'dev', promotesFrom: [], production: false, source: 'declared', location: env.location }] },
		{ ...base, environments: [] },
		{ ...base, problems: [undefined as never] },
		{ ...base, problems: [null as never] },
	];
	for (const a of variants) for (const b of variants) assert.equal(sameFleet(a, b), json(a) === json(b), `${json(a)} against ${json(b)}`);
});

test('a snapshot does not keep the snapshots it was made from: a fleet model it replaced can be collected', async () => {
	setFlagsFromString('--expose-gc');
	const gc = runInNewContext('gc') as () => void;
	const start = async (): Promise<{ repo: RepoSnapshot; replaced: WeakRef<FleetModel> }> => {
		const first = fleetOf('dev');
		let repo = (await RepoSnapshot.build(memoryFs({ 'ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n' }))).withFleet(first);
		repo = repo.withFleet(fleetOf('prod'));
		repo = repo.withFiles([{ path: 'ns.yaml', text: 'apiVersion: v1\nkind: Namespace\nmetadata: {name: b}\n' }]);
		return { repo, replaced: new WeakRef(first) };
	};
	const { repo, replaced } = await start();
	// A WeakRef keeps its target to the end of the job that made it.
	await new Promise((resolve) => setImmediate(resolve));
	gc();
	assert.equal(replaced.deref(), undefined, 'the first model is still held (by an earlier snapshot)');
	assert.equal(repo.fleet?.environments[0].name, 'prod');
	assert.ok(repo.hasFile('ns.yaml'));
});

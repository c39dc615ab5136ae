import { test } from 'node:test';
import assert from 'node:assert/strict';
import { at, brokenReferences, discover, yaml } from './helpers';

/** A Flux monorepo without a Fleet file: clusters/<env>/<region> bootstrapped by flux-system, apps/<env> overlays of apps/base/web. */
const fluxRepo = (): Record<string, string> => ({
	'clusters/staging/eu-west-1/flux-system/gotk-sync.yaml': yaml`
		apiVersion: source.toolkit.fluxcd.io/v1
		kind: GitRepository
		metadata:
		  name: flux-system
		  namespace: flux-system
		spec:
		  interval: 1m
		  url: ssh://git@github.com/acme/fleet
		  ref:
		    branch: main
		---
		apiVersion: kustomize.toolkit.fluxcd.io/v1
		kind: Kustomization
		metadata:
		  name: flux-system
		  namespace: flux-system
		spec:
		  interval: 10m
		  path: ./clusters/staging/eu-west-1
		  prune: true
		  sourceRef:
		    kind: GitRepository
		    name: flux-system
	`,
	'clusters/staging/eu-west-1/apps.yaml': yaml`
		apiVersion: kustomize.toolkit.fluxcd.io/v1
		kind: Kustomization
		metadata:
		  name: apps
		  namespace: flux-system
		spec:
		  interval: 10m
		  path: ./apps/staging
		  prune: true
		  targetNamespace: web
		  sourceRef:
		    kind: GitRepository
		    name: flux-system
		  postBuild:
		    substitute:
		      region: eu-west-1
	`,
	'clusters/production/us-east-1/flux-system/gotk-sync.yaml': yaml`
		apiVersion: kustomize.toolkit.fluxcd.io/v1
		kind: Kustomization
		metadata:
		  name: flux-system
		  namespace: flux-system
		spec:
		  interval: 10m
		  path: ./clusters/production/us-east-1
		  prune: true
		  sourceRef:
		    kind: GitRepository
		    name: flux-system
	`,
	'clusters/production/us-east-1/apps.yaml': yaml`
		apiVersion: kustomize.toolkit.fluxcd.io/v1
		kind: Kustomization
		metadata:
		  name: apps
		  namespace: flux-system
		spec:
		  interval: 10m
		  path: ./apps/production
		  prune: true
		  dependsOn:
		    - name: infra
		  sourceRef:
		    kind: GitRepository
		    name: flux-system
		---
		apiVersion: kustomize.toolkit.fluxcd.io/v1
		kind: Kustomization
		metadata:
		  name: infra
		  namespace: flux-system
		spec:
		  interval: 10m
		  path: ./infrastructure
		  prune: true
		  sourceRef:
		    kind: GitRepository
		    name: flux-system
	`,
	'infrastructure/redis.yaml': yaml`
		apiVersion: source.toolkit.fluxcd.io/v1
		kind: HelmRepository
		metadata:
		  name: bitnami
		  namespace: data
		spec:
		  interval: 1h
		  url: https://charts.bitnami.com/bitnami
		---
		apiVersion: helm.toolkit.fluxcd.io/v2
		kind: HelmRelease
		metadata:
		  name: redis
		  namespace: data
		spec:
		  interval: 1h
		  chart:
		    spec:
		      chart: redis
		      version: 19.6.1
		      sourceRef:
		        kind: HelmRepository
		        name: bitnami
	`,
	'apps/base/web/kustomization.yaml': 'resources:\n  - deployment.yaml\n',
	'apps/base/web/deployment.yaml': yaml`
		apiVersion: apps/v1
		kind: Deployment
		metadata:
		  name: web
		spec:
		  template:
		    spec:
		      containers:
		        - name: web
		          image: ghcr.io/acme/web:1.0.0
	`,
	'apps/staging/kustomization.yaml': yaml`
		resources:
		  - ../base/web
		images:
		  - name: ghcr.io/acme/web
		    newTag: 1.3.0
	`,
	'apps/production/kustomization.yaml': yaml`
		resources:
		  - ../base/web
		images:
		  - name: ghcr.io/acme/web
		    newTag: 1.2.0
	`,
	'apps/unused/configmap.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: unused\n',
});

test('Flux layout: one inferred cluster per cluster directory, named after its path below clusters/, environment and region from the path', () => {
	const m = discover(fluxRepo());
	assert.deepEqual(
		m.clusters.map((c) => [c.name, c.environment, c.region, c.provider, c.source, c.inferred]),
		[
			['staging-eu-west-1', 'staging', 'eu-west-1', 'aws', 'inferred', ['environment', 'region', 'provider']],
			['production-us-east-1', 'production', 'us-east-1', 'aws', 'inferred', ['environment', 'region', 'provider']],
		],
	);
	assert.deepEqual(m.environments.map((e) => [e.name, e.order, e.promotesFrom, e.production, e.source]), [
		['staging', 0, [], false, 'inferred'],
		['production', 1, ['staging'], true, 'inferred'],
	]);
});

test('Flux layout: each cluster syncs its directory and every path its Kustomizations name, with targetNamespace, postBuild and dependsOn', () => {
	const m = discover(fluxRepo());
	const staging = m.clusters.find((c) => c.name === 'staging-eu-west-1')!;
	assert.deepEqual(
		staging.syncs.map((s) => [s.kind, s.name, s.path]),
		[
			['flux-kustomization', 'flux-system', 'clusters/staging/eu-west-1'],
			['flux-kustomization', 'apps', 'apps/staging'],
		],
	);
	const apps = staging.syncs[1];
	assert.equal(apps.targetNamespace, 'web');
	assert.deepEqual(apps.substitute, { region: 'eu-west-1' });
	assert.equal(at(apps.location), 'clusters/staging/eu-west-1/apps.yaml:8');
	const prod = m.clusters.find((c) => c.name === 'production-us-east-1')!;
	assert.deepEqual(prod.syncs.map((s) => s.path), ['clusters/production/us-east-1', 'apps/production', 'infrastructure', 'infrastructure/redis.yaml']);
	assert.deepEqual(prod.syncs.find((s) => s.name === 'apps')!.dependsOn, ['infra']);
});

test('Flux layout: files map to the clusters they reach; a file no cluster syncs reaches none', () => {
	const m = discover(fluxRepo());
	assert.deepEqual(m.files['apps/base/web/deployment.yaml'], ['production-us-east-1', 'staging-eu-west-1']);
	assert.deepEqual(m.files['apps/staging/kustomization.yaml'], ['staging-eu-west-1']);
	assert.deepEqual(m.files['infrastructure/redis.yaml'], ['production-us-east-1']);
	assert.equal(m.files['apps/unused/configmap.yaml'], undefined);
});

test('Flux layout: versions per environment from kustomize images, with the line that sets them, and "behind" in promotion order', () => {
	const m = discover(fluxRepo());
	const web = m.apps.find((a) => a.name === 'web')!;
	assert.equal(web.source, 'inferred');
	assert.deepEqual(web.paths, { staging: ['apps/staging'], production: ['apps/production'] });
	assert.deepEqual(
		web.versions.map((v) => [v.environment, v.artifact, v.version, at(v.location), v.clusters]),
		[
			['staging', 'ghcr.io/acme/web', '1.3.0', 'apps/staging/kustomization.yaml:5', ['staging-eu-west-1']],
			['production', 'ghcr.io/acme/web', '1.2.0', 'apps/production/kustomization.yaml:5', ['production-us-east-1']],
		],
	);
	assert.deepEqual(web.behind, [{ environment: 'production', artifact: 'ghcr.io/acme/web', version: '1.2.0', newerIn: 'staging', newer: '1.3.0' }]);
	const redis = m.apps.find((a) => a.name === 'redis')!;
	assert.deepEqual(redis.versions.map((v) => [v.environment, v.kind, v.artifact, v.version, at(v.location)]), [['production', 'chart', 'redis', '19.6.1', 'infrastructure/redis.yaml:20']]);
});

test('Flux layout: an image without an overlay tag runs the base tag, located in the base', () => {
	const files = fluxRepo();
	files['apps/staging/kustomization.yaml'] = 'resources:\n  - ../base/web\n';
	const web = discover(files).apps.find((a) => a.name === 'web')!;
	assert.deepEqual(web.versions.filter((v) => v.environment === 'staging').map((v) => [v.version, at(v.location)]), [['1.0.0', 'apps/base/web/deployment.yaml:10']]);
	// 1.0.0 in staging, 1.2.0 in production: production is ahead, nothing is behind.
	assert.deepEqual(web.behind, []);
});

test('Flux layout: a missing path, an undeclared source, an unknown dependency and a dependsOn cycle are problems on the exact field', () => {
	const files = fluxRepo();
	files['clusters/staging/eu-west-1/apps.yaml'] = yaml`
		apiVersion: kustomize.toolkit.fluxcd.io/v1
		kind: Kustomization
		metadata:
		  name: apps
		  namespace: flux-system
		spec:
		  interval: 10m
		  path: ./apps/stagin
		  prune: true
		  dependsOn:
		    - name: infra
		  sourceRef:
		    kind: GitRepository
		    name: flux-system
		---
		apiVersion: kustomize.toolkit.fluxcd.io/v1
		kind: Kustomization
		metadata:
		  name: infra
		  namespace: flux-system
		spec:
		  interval: 10m
		  path: ./clusters/staging/eu-west-1
		  prune: true
		  dependsOn:
		    - name: apps
		    - name: databases
		  sourceRef:
		    kind: GitRepository
		    name: flux-sytem
	`;
	const m = discover(files);
	assert.deepEqual(
		brokenReferences(m).map((p) => [p.severity, at(p.location), p.path.join('.'), p.message]),
		[
			['error', 'clusters/staging/eu-west-1/apps.yaml:8', 'spec.path', 'This Kustomization syncs "./apps/stagin", which does not exist in this repository, so Flux fails to build it ("no such file or directory"). Fix the path or add the directory.'],
			['warning', 'clusters/staging/eu-west-1/apps.yaml:30', 'spec.sourceRef.name', 'This Kustomization reads the GitRepository "flux-sytem" in namespace flux-system, which this repository does not declare. Flux reports "source not found" until it exists; check the name and namespace.'],
			['warning', 'clusters/staging/eu-west-1/apps.yaml:27', 'spec.dependsOn.1.name', 'This Kustomization depends on "databases", which no Kustomization synced to the same cluster is called, so Flux waits for it forever ("dependency not found"). Check the name and namespace.'],
			['error', 'clusters/staging/eu-west-1/apps.yaml:11', 'spec.dependsOn.0.name', 'The dependsOn chain has a cycle: apps → infra → apps. Flux never reconciles any of them; remove one of the dependencies.'],
		],
	);
});

test('Flux layout: a dependsOn on the cluster\'s root Kustomization is not reported when a broken kustomization hides its file; a misspelled one still is', () => {
	const files = fluxRepo();
	files['clusters/staging/eu-west-1/kustomization.yaml'] = yaml`
		apiVersion: kustomize.config.k8s.io/v1beta1
		kind: Kustomization
		resources:
		  - flux-system
		  - apps.yaml
	`;
	// Misspelled \`resources\`: kustomize fails this build (reported by the schema), so gotk-sync.yaml is not reached.
	files['clusters/staging/eu-west-1/flux-system/kustomization.yaml'] = yaml`
		apiVersion: kustomize.config.k8s.io/v1beta1
		kind: Kustomization
		resource:
		  - gotk-sync.yaml
	`;
	files['clusters/staging/eu-west-1/apps.yaml'] = yaml`
		apiVersion: kustomize.toolkit.fluxcd.io/v1
		kind: Kustomization
		metadata:
		  name: apps
		  namespace: flux-system
		spec:
		  interval: 10m
		  path: ./apps/staging
		  prune: true
		  dependsOn:
		    - name: flux-system
		    - name: flux-sytem
		  sourceRef:
		    kind: GitRepository
		    name: flux-system
	`;
	const m = discover(files);
	assert.deepEqual(
		m.problems.filter((p) => p.location.file === 'clusters/staging/eu-west-1/apps.yaml').map((p) => [at(p.location), p.path.join('.'), p.message]),
		[['clusters/staging/eu-west-1/apps.yaml:12', 'spec.dependsOn.1.name', 'This Kustomization depends on "flux-sytem", which no Kustomization synced to the same cluster is called, so Flux waits for it forever ("dependency not found"). Check the name and namespace.']],
	);
});

test('Flux layout: a Kustomization reading another Git repository is not followed and not reported', () => {
	const files = fluxRepo();
	files['clusters/staging/eu-west-1/tenant.yaml'] = yaml`
		apiVersion: source.toolkit.fluxcd.io/v1
		kind: GitRepository
		metadata:
		  name: tenant-a
		  namespace: flux-system
		spec:
		  interval: 1m
		  url: https://github.com/acme/tenant-a
		---
		apiVersion: kustomize.toolkit.fluxcd.io/v1
		kind: Kustomization
		metadata:
		  name: tenant-a
		  namespace: flux-system
		spec:
		  interval: 10m
		  path: ./deploy
		  prune: true
		  sourceRef:
		    kind: GitRepository
		    name: tenant-a
	`;
	const m = discover(files);
	assert.deepEqual(brokenReferences(m), []);
	assert.ok(!m.clusters.find((c) => c.name === 'staging-eu-west-1')!.syncs.some((s) => s.name === 'tenant-a'));
});

test('a location serialises as file, anchor and range: what the views receive', () => {
	const m = discover(fluxRepo());
	const cluster = m.clusters.find((c) => c.location !== undefined)!;
	const sent = JSON.parse(JSON.stringify(cluster.location)) as { file: string; anchor: string; range: { start: { line: number } } };
	assert.deepEqual(Object.keys(sent), ['file', 'anchor', 'range']);
	assert.equal(`${sent.file}:${sent.range.start.line + 1}`, at(cluster.location));
	assert.match(sent.anchor, /^clusters\/.+#\d+\//);
});

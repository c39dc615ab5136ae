import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { discoverFleet } from '../../server/src/engine/fleet/discover';
import { DocumentStore } from '../../server/src/engine/fleet/reader';
import { RepoSnapshot } from '../../server/src/engine/context/repo-snapshot';
import { nodeFileSystem } from '../../server/src/host/node-fs';
import { NodeRepoReader } from '../../server/src/host/repo-reader';
import { at, brokenReferences, discover, yaml } from './helpers';

const deployment = (name: string, image: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  template:\n    spec:\n      containers:\n        - name: ${name}\n          image: ${image}\n`;

test('plain kustomize: overlays apps/<env>/ become environments in promotion order, each an inferred target', () => {
	const m = discover({
		'apps/base/api/kustomization.yaml': 'resources:\n  - deployment.yaml\n',
		'apps/base/api/deployment.yaml': deployment('api', 'registry.acme.io/api:3.1.0'),
		'apps/prod/kustomization.yaml': 'resources:\n  - ../base/api\nimages:\n  - name: registry.acme.io/api\n    newTag: 3.0.2\n',
		'apps/dev/kustomization.yaml': 'resources:\n  - ../base/api\nimages:\n  - name: registry.acme.io/api\n    newTag: 3.2.0-beta.1\n',
		'apps/staging/kustomization.yaml': 'resources:\n  - ../base/api\n',
	});
	assert.deepEqual(m.environments.map((e) => [e.name, e.promotesFrom, e.production, e.source]), [
		['dev', [], false, 'inferred'],
		['staging', ['dev'], false, 'inferred'],
		['prod', ['staging'], true, 'inferred'],
	]);
	assert.deepEqual(m.clusters.map((c) => [c.name, c.environment, c.source, c.syncs.map((s) => `${s.kind}:${s.path}`)]), [
		['dev', 'dev', 'inferred', ['kustomize-overlay:apps/dev']],
		['staging', 'staging', 'inferred', ['kustomize-overlay:apps/staging']],
		['prod', 'prod', 'inferred', ['kustomize-overlay:apps/prod']],
	]);
	assert.deepEqual(m.files['apps/base/api/deployment.yaml'], ['dev', 'prod', 'staging']);
	const api = m.apps.find((a) => a.name === 'api')!;
	assert.deepEqual(api.versions.map((v) => [v.environment, v.version, at(v.location)]), [
		['dev', '3.2.0-beta.1', 'apps/dev/kustomization.yaml:5'],
		['staging', '3.1.0', 'apps/base/api/deployment.yaml:10'],
		['prod', '3.0.2', 'apps/prod/kustomization.yaml:5'],
	]);
	assert.deepEqual(api.behind.map((b) => `${b.environment} behind ${b.newerIn}`), ['staging behind dev', 'prod behind dev', 'prod behind staging']);
});

test('images pinned by digest: the version is the tag beside the digest, as kustomize runs name:tag@digest; a digest alone is the version; an outer newTag drops an inner digest', () => {
	const digest = `sha256:${'ab'.repeat(32)}`;
	const m = discover({
		'apps/base/api/kustomization.yaml': 'resources:\n  - deployment.yaml\n',
		'apps/base/api/deployment.yaml': deployment('api', `registry.acme.io/api:3.1.0@${digest}`),
		'apps/dev/kustomization.yaml': 'resources:\n  - ../base/api\nimages:\n  - name: registry.acme.io/api\n    newTag: 3.2.0\n',
		'apps/staging/kustomization.yaml': `resources:\n  - ../base/api\nimages:\n  - name: registry.acme.io/api\n    newTag: 3.1.1\n    digest: ${digest}\n`,
		'apps/prod/kustomization.yaml': `resources:\n  - ../base/api\nimages:\n  - name: registry.acme.io/api\n    digest: ${digest}\n`,
	});
	const api = m.apps.find((a) => a.name === 'api')!;
	assert.deepEqual(api.versions.map((v) => [v.environment, v.version, at(v.location)]), [
		['dev', '3.2.0', 'apps/dev/kustomization.yaml:5'],
		['staging', '3.1.1', 'apps/staging/kustomization.yaml:5'],
		['prod', digest, 'apps/prod/kustomization.yaml:5'],
	]);
	// Tags compare; a digest says nothing about order.
	assert.deepEqual(api.behind.map((b) => `${b.environment} behind ${b.newerIn}`), ['staging behind dev']);
});

test('Fleet file: declared environments in promotion order (not declaration order), clusters with their paths, claims fill in what the Fleet leaves out', () => {
	const m = discover({
		'fleet.yaml': yaml`
			apiVersion: platform.gitops.io/v1alpha1
			kind: Fleet
			metadata:
			  name: acme
			spec:
			  environments:
			    - name: live
			      promotion:
			        from: preview
			    - name: preview
			  clusters:
			    - name: edge-1
			      environment: live
			      kubeContext: edge-1-admin
			      claim: claims/edge-1.yaml
			      path: clusters/edge-1
			      labels:
			        tier: production
			    - name: preview-1
			      environment: preview
			      path: clusters/preview-1
			  apps:
			    - name: shop
			      owner: team-shop
			      criticality: critical
			      rto: 1h
			      environments:
			        preview: apps/preview
			        live: apps/live
		`,
		'claims/edge-1.yaml': yaml`
			apiVersion: platform.gitops.io/v1alpha1
			kind: ClusterClaim
			metadata:
			  name: edge-1
			spec:
			  cloudProvider: gcp
			  region: europe-west4
			  environment: live
			  kubernetes:
			    version: "1.29"
		`,
		'clusters/edge-1/apps.yaml': yaml`
			apiVersion: kustomize.toolkit.fluxcd.io/v1
			kind: Kustomization
			metadata:
			  name: apps
			  namespace: flux-system
			spec:
			  interval: 5m
			  path: ./apps/live
			  prune: true
			  sourceRef:
			    kind: GitRepository
			    name: flux-system
		`,
		'clusters/preview-1/apps.yaml': yaml`
			apiVersion: kustomize.toolkit.fluxcd.io/v1
			kind: Kustomization
			metadata:
			  name: apps
			  namespace: flux-system
			spec:
			  interval: 5m
			  path: ./apps/preview
			  prune: true
			  sourceRef:
			    kind: GitRepository
			    name: flux-system
		`,
		'apps/shop/kustomization.yaml': 'resources:\n  - deployment.yaml\n',
		'apps/shop/deployment.yaml': deployment('shop', 'ghcr.io/acme/shop:1.0.0'),
		'apps/preview/kustomization.yaml': 'resources:\n  - ../shop\nimages:\n  - name: ghcr.io/acme/shop\n    newTag: "1.1.0"\n',
		'apps/live/kustomization.yaml': 'resources:\n  - ../shop\nimages:\n  - name: ghcr.io/acme/shop\n    newTag: "1.1.0"\n',
	});
	assert.deepEqual(m.environments.map((e) => [e.name, e.order, e.promotesFrom, e.production, e.source]), [
		['preview', 0, [], false, 'declared'],
		['live', 1, ['preview'], true, 'declared'],
	]);
	assert.deepEqual(m.clusters.map((c) => [c.name, c.environment, c.region, c.provider, c.kubernetesVersion, c.kubeContext, c.source, c.inferred]), [
		['preview-1', 'preview', undefined, undefined, undefined, undefined, 'declared', []],
		['edge-1', 'live', 'europe-west4', 'gcp', '1.29', 'edge-1-admin', 'declared', []],
	]);
	assert.deepEqual(m.clusters[1].syncs.map((s) => s.path), ['clusters/edge-1', 'apps/live']);
	// A claim provisions its cluster; it is not synced to it.
	assert.equal(m.files['claims/edge-1.yaml'], undefined);
	assert.deepEqual(m.files['apps/shop/deployment.yaml'], ['edge-1', 'preview-1']);
	const shop = m.apps.find((a) => a.name === 'shop')!;
	assert.deepEqual([shop.source, shop.facts, shop.paths], ['declared', { owner: 'team-shop', criticality: 'critical', rto: '1h' }, { preview: ['apps/preview'], live: ['apps/live'] }]);
	assert.deepEqual(shop.versions.map((v) => [v.environment, v.version, v.clusters]), [
		['preview', '1.1.0', ['preview-1']],
		['live', '1.1.0', ['edge-1']],
	]);
	assert.deepEqual(shop.behind, []);
});

test('a repository without any fleet object has an empty model, and malformed fleet objects do not break discovery', () => {
	assert.deepEqual(discover({ 'README.md': '# hi', 'x.yaml': 'a: 1\n' }), { environments: [], clusters: [], apps: [], files: {}, problems: [] });
	const m = discover({
		'fleet.yaml': 'apiVersion: platform.gitops.io/v1alpha1\nkind: Fleet\nmetadata:\n  name: x\nspec:\n  environments: 3\n  clusters:\n    - 7\n    - name: [a]\n    - name: ok\n      path: {}\n  apps: nope\n',
		'clusters/a/k.yaml': 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: k\nspec:\n  path: [1]\n  sourceRef: 5\n  dependsOn: {x: 1}\n',
		'bad.yaml': 'kind: Kustomization\n\t: :\n',
	});
	assert.deepEqual(m.clusters.map((c) => c.name), ['a', 'ok']);
});

test('the example fleet: environments, clusters and the version each environment runs, as fleetscope fleet prints them', async () => {
	const root = path.join(__dirname, '../../examples/fleet');
	const repo = await RepoSnapshot.build(nodeFileSystem(root));
	const m = discoverFleet(new DocumentStore(new NodeRepoReader(root, repo.files())));
	assert.deepEqual(m.environments.map((e) => `${e.name}${e.production ? '*' : ''}`), ['dev', 'staging', 'production*']);
	assert.deepEqual(
		m.clusters.map((c) => [c.name, c.environment, c.region, c.kubernetesVersion]),
		[
			// dev runs the next minor first; the GKE sandbox (planted mistakes i*) was left on 1.31.
			['dev-eu-west-1', 'dev', 'eu-west-1', '1.36'],
			['sandbox-europe-west1', 'dev', 'europe-west1', '1.31'],
			['staging-eu-west-1', 'staging', 'eu-west-1', '1.35'],
			// Production's disaster-recovery cluster, two minors behind (planted mistake j1).
			['dr-eu-central-1', 'production', 'eu-central-1', '1.34'],
			// Its claim's planted mistake (b1): `version: 1.30` unquoted is the number 1.3, not a version.
			['prod-eu-west-1', 'production', 'eu-west-1', undefined],
			['prod-us-east-1', 'production', 'us-east-1', '1.35'],
			// The planted mistake (c): an environment the Fleet does not declare sorts last.
			['perf-eu-west-1', 'performance', 'eu-west-1', undefined],
		],
	);
	const syncs = (cluster: string) => m.clusters.find((c) => c.name === cluster)!.syncs.filter((s) => s.kind !== 'flux-helmrelease').map((s) => s.path);
	// statements serves EU customers only: prod-eu-west-1 alone syncs it.
	assert.deepEqual(syncs('prod-eu-west-1'), ['clusters/prod-eu-west-1', 'apps/production', 'infrastructure/controllers', 'infrastructure/configs', 'apps/statements/production']);
	assert.deepEqual(syncs('prod-us-east-1'), ['clusters/prod-us-east-1', 'apps/production', 'infrastructure/controllers', 'infrastructure/configs']);
	// The DR cluster is a pilot light: the platform only.
	assert.deepEqual(syncs('dr-eu-central-1'), ['clusters/dr-eu-central-1', 'infrastructure/controllers', 'infrastructure/configs']);
	const versions = (app: string) => m.apps.find((a) => a.name === app)!.versions.map((v) => `${v.environment} ${v.artifact}:${v.version} ${at(v.location)}`);
	assert.deepEqual(versions('podinfo'), [
		'dev ghcr.io/stefanprodan/podinfo:6.5.0 apps/dev/kustomization.yaml:9',
		'staging ghcr.io/stefanprodan/podinfo:6.5.3 apps/staging/kustomization.yaml:9',
		'production ghcr.io/stefanprodan/podinfo:6.5.3 apps/production/kustomization.yaml:9',
	]);
	assert.deepEqual(versions('orders-api'), [
		'dev ghcr.io/acme/orders-api:2.15.0-rc.1 apps/dev/kustomization.yaml:12',
		'staging ghcr.io/acme/orders-api:2.14.1 apps/staging/kustomization.yaml:12',
		'production ghcr.io/acme/orders-api:2.14.0 apps/production/kustomization.yaml:12',
	]);
	assert.deepEqual(versions('cert-manager')[2], 'production cert-manager:1.15.x infrastructure/controllers/cert-manager.yaml:21');
	assert.deepEqual(m.files['apps/base/podinfo/deployment.yaml'], ['dev-eu-west-1', 'perf-eu-west-1', 'prod-eu-west-1', 'prod-us-east-1', 'staging-eu-west-1']);
	assert.deepEqual(m.files['apps/production/podinfo-ingress.yaml'], ['prod-eu-west-1', 'prod-us-east-1']);
	assert.equal(m.files['fleet.yaml'], undefined);
	assert.deepEqual(m.problems, []);
});

test('Flux 2.7 ExternalArtifact layout (fluxcd/flux2-kustomize-helm-example): artifact paths map back to the repository; versions from HelmRelease patches and OCIRepository refs', async () => {
	const root = path.join(__dirname, '../fixtures/real-world/flux2-kustomize-helm-example');
	const repo = await RepoSnapshot.build(nodeFileSystem(root));
	const m = discoverFleet(new DocumentStore(new NodeRepoReader(root, repo.files())));
	assert.deepEqual(
		m.clusters.map((c) => [c.name, c.environment, c.syncs.filter((s) => s.kind === 'flux-kustomization').map((s) => `${s.name}:${s.path}`)]),
		[
			['staging', 'staging', ['flux-system:clusters/staging', 'apps:apps/staging', 'infra-controllers:infrastructure/controllers', 'infra-configs:infrastructure/configs']],
			['production', 'production', ['flux-system:clusters/production', 'apps:apps/production', 'infra-controllers:infrastructure/controllers', 'infra-configs:infrastructure/configs']],
		],
	);
	const versions = (app: string) => m.apps.find((a) => a.name === app)!.versions.map((v) => `${v.environment} ${v.version} ${at(v.location)}`);
	// The base release says >=1.0.0 for every environment; the staging patch widens it to pre-releases.
	assert.deepEqual(versions('podinfo'), ['staging >=1.0.0-alpha apps/staging/podinfo-values.yaml:9', 'production >=1.0.0 apps/production/podinfo-values.yaml:9']);
	assert.deepEqual(versions('cert-manager'), ['staging 1.x infrastructure/controllers/cert-manager.yaml:21', 'production 1.x infrastructure/controllers/cert-manager.yaml:21']);
	// No broken reference; the repository has no Fleet file, and discovery says so once.
	assert.deepEqual(brokenReferences(m), []);
	assert.deepEqual(m.problems.map((p) => `${p.ruleId} ${p.location.file}`), ['dora-fleet-file clusters/production/apps.yaml']);
});

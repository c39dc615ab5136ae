import { test } from 'node:test';
import assert from 'node:assert/strict';
import { at, brokenReferences, discover, yaml } from './helpers';

const clusterSecret = (name: string, server: string, env: string, region: string) => yaml`
	apiVersion: v1
	kind: Secret
	metadata:
	  name: cluster-${name}
	  namespace: argocd
	  labels:
	    argocd.argoproj.io/secret-type: cluster
	    environment: ${env}
	    region: ${region}
	type: Opaque
	stringData:
	  name: ${name}
	  server: ${server}
	  config: '{"bearerToken":"do-not-read"}'
`;

/** An Argo CD hub: cluster Secrets, an ApplicationSet per pattern, and a plain Application. */
const argoRepo = (): Record<string, string> => ({
	'argocd/clusters.yaml': [
		clusterSecret('stg-eu', 'https://stg-eu.example.com', 'staging', 'eu-west-1'),
		clusterSecret('prd-eu', 'https://prd-eu.example.com', 'production', 'eu-west-1'),
		clusterSecret('prd-us', 'https://prd-us.example.com', 'production', 'us-east-1'),
	].join('---\n'),
	'argocd/payments.yaml': yaml`
		apiVersion: argoproj.io/v1alpha1
		kind: ApplicationSet
		metadata:
		  name: payments
		  namespace: argocd
		spec:
		  generators:
		    - clusters:
		        selector:
		          matchLabels:
		            environment: production
		  template:
		    metadata:
		      name: 'payments-{{name}}'
		    spec:
		      project: default
		      source:
		        repoURL: https://github.com/acme/fleet
		        targetRevision: main
		        path: 'deploy/payments/{{metadata.labels.environment}}'
		      destination:
		        server: '{{server}}'
		        namespace: payments
	`,
	'argocd/tools.yaml': yaml`
		apiVersion: argoproj.io/v1alpha1
		kind: ApplicationSet
		metadata:
		  name: tools
		  namespace: argocd
		spec:
		  goTemplate: true
		  generators:
		    - matrix:
		        generators:
		          - git:
		              repoURL: https://github.com/acme/fleet
		              revision: main
		              directories:
		                - path: tools/*
		                - path: tools/legacy
		                  exclude: true
		          - list:
		              elements:
		                - cluster: stg-eu
		  template:
		    metadata:
		      name: '{{.path.basename}}-{{.cluster}}'
		    spec:
		      project: default
		      source:
		        repoURL: https://github.com/acme/fleet
		        targetRevision: main
		        path: '{{.path.path}}'
		      destination:
		        name: '{{.cluster}}'
		        namespace: tools
	`,
	'argocd/web.yaml': yaml`
		apiVersion: argoproj.io/v1alpha1
		kind: Application
		metadata:
		  name: web
		  namespace: argocd
		spec:
		  project: default
		  source:
		    repoURL: https://github.com/acme/fleet
		    targetRevision: v2.4.0
		    path: deploy/web
		  destination:
		    name: stg-eu
		    namespace: web
		---
		apiVersion: argoproj.io/v1alpha1
		kind: Application
		metadata:
		  name: broken
		  namespace: argocd
		spec:
		  project: default
		  source:
		    repoURL: https://github.com/acme/fleet
		    targetRevision: main
		    path: deploy/missing
		  destination:
		    name: stg-eu
		    namespace: web
	`,
	'deploy/payments/production/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: payments\n',
	'deploy/payments/staging/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: payments\n',
	'deploy/web/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n',
	'deploy/web/nested/extra.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n',
	'tools/grafana/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: grafana\n',
	'tools/loki/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: loki\n',
	'tools/legacy/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: legacy\n',
});

test('Argo CD: clusters come from cluster Secrets (name, server, labels), never their credentials', () => {
	const m = discover(argoRepo());
	assert.deepEqual(
		m.clusters.map((c) => [c.name, c.environment, c.region, c.source]).sort(),
		[
			['prd-eu', 'production', 'eu-west-1', 'declared'],
			['prd-us', 'production', 'us-east-1', 'declared'],
			['stg-eu', 'staging', 'eu-west-1', 'declared'],
		],
	);
	assert.ok(!JSON.stringify(m).includes('do-not-read'));
});

test('Argo CD: an ApplicationSet cluster generator fans the path out to every cluster its selector matches', () => {
	const m = discover(argoRepo());
	const payments = (name: string) => m.clusters.find((c) => c.name === name)!.syncs.filter((s) => s.name.startsWith('payments'));
	assert.deepEqual(payments('prd-eu').map((s) => [s.kind, s.name, s.path, s.targetNamespace]), [['argo-applicationset', 'payments-prd-eu', 'deploy/payments/production', 'payments']]);
	assert.deepEqual(payments('prd-us').map((s) => s.path), ['deploy/payments/production']);
	assert.deepEqual(payments('stg-eu'), []);
	assert.deepEqual(m.files['deploy/payments/production/deployment.yaml'], ['prd-eu', 'prd-us']);
	assert.equal(m.files['deploy/payments/staging/deployment.yaml'], undefined);
});

test('Argo CD: a matrix of a git directories generator (with an exclusion) and a list generator, in goTemplate syntax', () => {
	const m = discover(argoRepo());
	const stg = m.clusters.find((c) => c.name === 'stg-eu')!;
	assert.deepEqual(stg.syncs.filter((s) => s.targetNamespace === 'tools').map((s) => [s.name, s.path]), [
		['grafana-stg-eu', 'tools/grafana'],
		['loki-stg-eu', 'tools/loki'],
	]);
	assert.equal(m.files['tools/legacy/deployment.yaml'], undefined);
});

test('Argo CD: an Application syncs the manifests directly in its path (not subdirectories, as Argo CD without recurse)', () => {
	const m = discover(argoRepo());
	assert.deepEqual(m.files['deploy/web/deployment.yaml'], ['stg-eu']);
	assert.equal(m.files['deploy/web/nested/extra.yaml'], undefined);
	const web = m.apps.find((a) => a.name === 'web')!;
	assert.deepEqual(web.versions.map((v) => [v.environment, v.kind, v.version, at(v.location)]), [['staging', 'git', 'v2.4.0', 'argocd/web.yaml:10']]);
});

test('Argo CD: an Application whose path is missing from this repository is a problem on its path', () => {
	const m = discover(argoRepo());
	assert.deepEqual(
		brokenReferences(m).map((p) => [p.severity, at(p.location), p.path.join('.'), p.message]),
		[['error', 'argocd/web.yaml:26', 'spec.source.path', 'This Application syncs "deploy/missing" from this repository, where it does not exist, so Argo CD reports "app path does not exist". Fix the path or add the directory.']],
	);
});

test('Argo CD: environments from the cluster labels, in the conventional promotion order; without labels, from the names', () => {
	assert.deepEqual(discover(argoRepo()).environments.map((e) => [e.name, e.production]), [
		['staging', false],
		['production', true],
	]);
	const files = argoRepo();
	files['argocd/clusters.yaml'] = files['argocd/clusters.yaml'].replace(/^    (environment|region): .*\n/gm, '');
	const m = discover(files);
	assert.deepEqual(m.environments.map((e) => [e.name, e.production]), [
		['stg', false],
		['prd', true],
	]);
	assert.deepEqual(m.clusters.find((c) => c.name === 'prd-eu')!.inferred, ['environment']);
});

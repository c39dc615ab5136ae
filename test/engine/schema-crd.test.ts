import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { check, registry, yaml } from './schema-helpers';

const HELM_RELEASE = yaml(
	'apiVersion: helm.toolkit.fluxcd.io/v2', // 0
	'kind: HelmRelease', // 1
	'metadata:', // 2
	'  name: podinfo', // 3
	'  namespace: podinfo', // 4
	'spec:', // 5
	'  interval: 50m', // 6
	'  releaseName: podinfo', // 7
	'  chart:', // 8
	'    spec:', // 9
	'      chart: podinfo', // 10
	'      version: "6.5.*"', // 11
	'      sourceRef:', // 12
	'        kind: HelmRepository', // 13
	'        name: podinfo', // 14
	'  install:', // 15
	'    remediation: {retries: 3}', // 16
	'  values:', // 17
	'    replicaCount: 2', // 18
	'    ingress: {enabled: true, hosts: [{host: podinfo.example.com}]}', // 19
	'status:', // 20
	'  observedGeneration: 3', // 21
	'  whateverTheControllerWrote: {}', // 22
);

const FLUX_KUSTOMIZATION = yaml(
	'apiVersion: kustomize.toolkit.fluxcd.io/v1',
	'kind: Kustomization',
	'metadata: {name: apps, namespace: flux-system}',
	'spec:',
	'  interval: 10m0s',
	'  dependsOn: [{name: infra-configs}]',
	'  sourceRef: {kind: GitRepository, name: flux-system}',
	'  path: ./apps/production',
	'  prune: true',
	'  wait: true',
	'  timeout: 5m',
	'  postBuild:',
	'    substitute: {cluster_region: eu-west-1}',
	'  patches:',
	'    - target: {kind: Deployment}',
	'      patch: |',
	'        - op: add',
	'          path: /metadata/labels/team',
	'          value: shop',
);

const ARGO_APPLICATION = yaml(
	'apiVersion: argoproj.io/v1alpha1',
	'kind: Application',
	'metadata:',
	'  name: guestbook',
	'  namespace: argocd',
	'  finalizers: [resources-finalizer.argocd.argoproj.io]',
	'spec:',
	'  project: default',
	'  source:',
	'    repoURL: https://github.com/argoproj/argocd-example-apps.git',
	'    targetRevision: HEAD',
	'    path: guestbook',
	'    helm:',
	'      valueFiles: [values-prod.yaml]',
	'      parameters: [{name: replicas, value: "2"}]',
	'  destination:',
	'    server: https://kubernetes.default.svc',
	'    namespace: guestbook',
	'  syncPolicy:',
	'    automated: {prune: true, selfHeal: true}',
	'    syncOptions: [CreateNamespace=true]',
	'    retry: {limit: 5, backoff: {duration: 5s, factor: 2, maxDuration: 3m}}',
);

const CLUSTER_POLICY = yaml(
	'apiVersion: kyverno.io/v1',
	'kind: ClusterPolicy',
	'metadata:',
	'  name: require-labels',
	'  annotations:',
	'    policies.kyverno.io/title: Require Labels',
	'spec:',
	'  validationFailureAction: Audit',
	'  background: true',
	'  rules:',
	'    - name: check-for-labels',
	'      match:',
	'        any:',
	'          - resources:',
	'              kinds: [Pod]',
	'      context:',
	'        - name: allowed',
	'          configMap: {name: allowed-teams, namespace: kyverno}',
	'      validate:',
	'        message: "The label `app.kubernetes.io/name` is required."',
	'        pattern:',
	'          metadata:',
	'            labels:',
	'              app.kubernetes.io/name: "?*"',
);

describe('custom resources: no false positives', () => {
	it('accepts a realistic HelmRelease (free-form values, whatever status)', () => {
		assert.deepEqual(check(HELM_RELEASE), []);
	});

	it('accepts a Flux Kustomization', () => {
		assert.deepEqual(check(FLUX_KUSTOMIZATION), []);
	});

	it('accepts an Argo CD Application', () => {
		assert.deepEqual(check(ARGO_APPLICATION), []);
	});

	it('accepts a Kyverno ClusterPolicy', () => {
		assert.deepEqual(check(CLUSTER_POLICY), []);
	});

	it('accepts a kustomization.yaml without apiVersion and kind', () => {
		const text = yaml(
			'resources:',
			'  - ../../base',
			'  - ingress.yaml',
			'namespace: shop',
			'images:',
			'  - {name: nginx, newTag: "1.25"}',
			'patches:',
			'  - path: replicas.yaml',
			'    target: {kind: Deployment, name: web}',
			'  - patch: |-',
			'      - op: replace',
			'        path: /spec/replicas',
			'        value: 3',
			'labels:',
			'  - pairs: {team: shop}',
			'    includeSelectors: true',
		);
		assert.deepEqual(check(text, { path: 'overlays/prod/kustomization.yaml' }), []);
	});
});

describe('custom resources: errors on the exact node', () => {
	it('reports an unknown field on its key with a did-you-mean, named like the built-in path', () => {
		const text = HELM_RELEASE.replace('  releaseName: podinfo', '  releaseNme: podinfo');
		assert.deepEqual(check(text), ['7:2-7:12 schema-unknown-field spec.releaseNme is not a field of HelmRelease.spec. Did you mean releaseName?']);
	});

	it('reports an unknown field deep inside a list, folding the missing field it misspells into one finding', () => {
		const text = FLUX_KUSTOMIZATION.replace('dependsOn: [{name: infra-configs}]', 'dependsOn: [{nmae: infra-configs}]');
		assert.deepEqual(check(text), [
			'5:15-5:19 schema-unknown-field spec.dependsOn[0].nmae is not a field of Kustomization.spec.dependsOn[0]. Did you mean name? It is required.',
		]);
		// A typo that names no missing field stays two findings: both are real problems.
		const other = FLUX_KUSTOMIZATION.replace('dependsOn: [{name: infra-configs}]', 'dependsOn: [{namespace: x, nmae2: y}]');
		assert.deepEqual(
			check(other).map((l) => l.split(' ').slice(0, 2).join(' ')),
			['5:29-5:34 schema-unknown-field', '5:15-5:24 schema-required'],
		);
	});

	it('checks the metadata of custom resources as ObjectMeta', () => {
		const text = HELM_RELEASE.replace('  namespace: podinfo', '  namespcae: podinfo');
		assert.deepEqual(check(text), ['4:2-4:11 schema-unknown-field metadata.namespcae is not a field of ObjectMeta. Did you mean namespace?']);
	});

	it('reports a pattern mismatch on the value', () => {
		const text = HELM_RELEASE.replace('interval: 50m', 'interval: 50min');
		assert.deepEqual(check(text), ['6:12-6:17 schema-value spec.interval must match the pattern ^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$, got the string "50min"']);
	});

	it('reports a missing required field on the parent key', () => {
		const text = HELM_RELEASE.replace('  interval: 50m\n', '');
		assert.deepEqual(check(text), ['5:0-5:4 schema-required spec is missing the required field interval.']);
	});

	it('reports an enum violation with the allowed values', () => {
		const text = CLUSTER_POLICY.replace('validationFailureAction: Audit', 'validationFailureAction: Warn');
		assert.deepEqual(check(text), [
			'7:27-7:31 schema-enum spec.validationFailureAction must be one of audit, enforce, Audit, Enforce, got the string "Warn"',
		]);
	});

	it('collapses oneOf alternatives into one message', () => {
		const text = CLUSTER_POLICY.replace('          configMap: {name: allowed-teams, namespace: kyverno}\n', '');
		assert.deepEqual(check(text), [
			'16:10-16:14 schema-required spec.rules[0].context[0] needs exactly one of the fields configMap, apiCall, imageRegistry, variable or globalReference.',
		]);
	});

	it('reports a wrong type with the YAML 1.1 explanation', () => {
		const text = ARGO_APPLICATION.replace('targetRevision: HEAD', 'targetRevision: 1.10');
		assert.deepEqual(check(text), ['10:20-10:24 yaml11-trap spec.source.targetRevision must be a string: 1.10 is read as the number 1.1. Quote it: "1.10"']);
	});

	it('validates kustomization.yaml by its file name: unknown fields, and patches collapsed to the closest form', () => {
		const text = yaml('resources: [../base]', 'namePrefx: prod-', 'patches:', '  - path: replicas.yaml', '    targett: {kind: Deployment}');
		assert.deepEqual(check(text, { path: 'overlays/prod/kustomization.yaml' }), [
			'1:0-1:9 schema-unknown-field namePrefx is not a field of Kustomization. Did you mean namePrefix?',
			'4:4-4:11 schema-unknown-field patches[0].targett is not a field of Kustomization.patches[0]. Did you mean target?',
		]);
		// The same text in any other file is not a Kustomization.
		assert.deepEqual(check(text, { path: 'overlays/prod/values.yaml' }), []);
	});
});

describe('custom resources: registry', () => {
	it('lists vendored kinds and describes their fields', () => {
		const kinds = registry.kinds();
		for (const k of ['helm.toolkit.fluxcd.io/v2|HelmRelease', 'argoproj.io/v1alpha1|Application', 'kyverno.io/v1|ClusterPolicy', 'apps/v1|Deployment']) {
			assert.ok(kinds.some((x) => `${x.apiVersion}|${x.kind}` === k), k);
		}
		const hr = registry.lookup('helm.toolkit.fluxcd.io/v2', 'HelmRelease')!;
		assert.equal(hr.source, 'crd:helm.toolkit.fluxcd.io');
		assert.match(hr.describe(['spec', 'interval'])?.description ?? '', /^Interval at which to reconcile the Helm release/);
		assert.ok(hr.describe(['spec'])?.properties?.some((p) => p.name === 'chart'));
		assert.equal(hr.describe(['metadata', 'labels'])?.type, 'map[string]string');
	});
});

describe('schemas found through the index (e.g. our own kinds in schemas/own/)', () => {
	it('validates a kind listed in index.json, from an injected schema source', async () => {
		const { createSchemaRegistry } = await import('../../server/src/engine/schema/registry');
		const files: Record<string, string> = {
			'index.json': JSON.stringify({ 'platform.gitops.io/v1alpha1|Widget': { file: 'own/platform.gitops.io/widget_v1alpha1.json', source: 'fleetscope' } }),
			'own/platform.gitops.io/widget_v1alpha1.json': JSON.stringify({
				type: 'object',
				properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, spec: { type: 'object', properties: { size: { type: 'integer' } } } },
			}),
		};
		const reads: string[] = [];
		const reg = createSchemaRegistry({ source: { read: (p) => (reads.push(p), files[p]) }, k8sValidators: { validator: () => undefined } });
		const schema = reg.lookup('platform.gitops.io/v1alpha1', 'Widget');
		assert.equal(schema?.source, 'fleetscope');
		assert.deepEqual(reads.includes('own/platform.gitops.io/widget_v1alpha1.json'), false, 'the schema file is read only when first validated');
		const value = { apiVersion: 'platform.gitops.io/v1alpha1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: '2', colour: 'red' } };
		assert.deepEqual(
			schema!.validate(value, { partial: false }).map((p) => `${p.ruleId} ${p.target} ${p.path.join('.')} ${p.message}`),
			['schema-unknown-field key spec.colour spec.colour is not a field of Widget.spec.', 'schema-type value spec.size spec.size must be an integer, got the string "2"'],
		);
		assert.equal(reg.lookup('platform.gitops.io/v1alpha1', 'Gadget'), undefined);
	});
});

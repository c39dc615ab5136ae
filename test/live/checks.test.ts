import { test } from 'node:test';
import assert from 'node:assert/strict';
import { liveProblems } from '../../server/src/engine/rules/live';
import { STATE_FORMAT_VERSION, type ClusterState, type CrdState, type KindObjects } from '../../server/src/engine/live/state';
import { ObjectSet } from '../../server/src/engine/core/objects';
import { resourceHeader, type Resource } from '../../server/src/engine/core/resource';
import type { TargetCluster } from '../../server/src/engine/fleet/types';
import { createNodeRegistry } from '../../server/src/host/registry';
import { ruleMeta } from '../../server/src/engine/rules/catalog';
import { readFileSync } from 'node:fs';
import { RepoObjects } from '../../server/src/engine/context/repo-objects';
import { liveObjectsOfText } from '../../server/src/engine/live/repo-objects';

/** The live checks on hand-built cluster states: each both ways, with exact paths and messages. */

const registry = createNodeRegistry();
const NOW = new Date('2026-11-20T12:00:00Z');
const target: TargetCluster = { name: 'prod-1', environment: 'production', production: true };

function resource(value: Record<string, unknown>, documentIndex = 0): Resource {
	return { ...resourceHeader(value)!, documentIndex, span: { start: 0, end: 0 }, value };
}

function kind(group: string, k: string, namespaced: boolean, items: { name: string; namespace?: string }[], extra: Partial<KindObjects> = {}): Record<string, KindObjects> {
	return { [`${group}|${k}`]: { group, kind: k, namespaced, coverage: 'complete', items, ...extra } };
}

function state(over: Partial<ClusterState> = {}): ClusterState {
	return {
		formatVersion: STATE_FORMAT_VERSION,
		cluster: 'prod-1',
		origin: 'live',
		fetchedAt: NOW.toISOString(),
		version: { major: '1', minor: '27', gitVersion: 'v1.27.16' },
		served: {
			v1: ['Namespace', 'Secret', 'ConfigMap', 'ServiceAccount', 'PersistentVolumeClaim'].map((k) => ({ kind: k, plural: `${k.toLowerCase()}s`, namespaced: k !== 'Namespace', verbs: ['get', 'list', 'watch'] })),
			'apps/v1': [{ kind: 'Deployment', plural: 'deployments', namespaced: true, verbs: ['list'] }],
			'batch/v1': [{ kind: 'CronJob', plural: 'cronjobs', namespaced: true, verbs: ['list'] }],
			'networking.k8s.io/v1': [{ kind: 'Ingress', plural: 'ingresses', namespaced: true, verbs: ['list'] }, { kind: 'IngressClass', plural: 'ingressclasses', namespaced: false, verbs: ['list'] }],
			'external-secrets.io/v1beta1': [{ kind: 'ExternalSecret', plural: 'externalsecrets', namespaced: true, verbs: ['list'] }],
			'storage.k8s.io/v1': [{ kind: 'StorageClass', plural: 'storageclasses', namespaced: false, verbs: ['list'] }],
			'scheduling.k8s.io/v1': [{ kind: 'PriorityClass', plural: 'priorityclasses', namespaced: false, verbs: ['list'] }],
		},
		crds: [],
		objects: {
			...kind('', 'Namespace', false, [{ name: 'default' }, { name: 'orders' }]),
			...kind('', 'Secret', true, [{ name: 'present', namespace: 'orders' }]),
			...kind('', 'ConfigMap', true, [{ name: 'cfg', namespace: 'orders' }]),
			...kind('', 'ServiceAccount', true, [{ name: 'default', namespace: 'orders' }, { name: 'api', namespace: 'orders' }]),
			...kind('', 'PersistentVolumeClaim', true, []),
			...kind('storage.k8s.io', 'StorageClass', false, [{ name: 'gp3' }]),
			...kind('networking.k8s.io', 'IngressClass', false, [{ name: 'nginx' }]),
			...kind('scheduling.k8s.io', 'PriorityClass', false, [{ name: 'system-cluster-critical' }]),
			...kind('external-secrets.io', 'ExternalSecret', true, []),
		},
		...over,
	};
}

const none = new ObjectSet([], false);
const repo = (...values: Record<string, unknown>[]) => ObjectSet.fromValues(values.map((value, i) => ({ file: `f${i}.yaml`, documentIndex: 0, value })), false);
const run = (r: Record<string, unknown>, s = state(), objects = none) => liveProblems(resource(r), target, s, objects, { now: NOW, schemas: registry });
const brief = (ps: ReturnType<typeof run>) => ps.map((p) => ({ ruleId: p.ruleId, path: p.path, severity: p.severity }));

test('every live rule is registered with metadata for SARIF and the docs', () => {
	for (const id of ['live-api-not-served', 'live-crd-schema', 'live-missing-reference', 'live-version-drift']) assert.ok(ruleMeta(id)?.rationale, id);
});

test('live-api-not-served: a built-in API the cluster version removed names the release and the replacement', () => {
	const ps = run({ apiVersion: 'batch/v1beta1', kind: 'CronJob', metadata: { name: 'x', namespace: 'orders' }, spec: {} });
	assert.deepEqual(brief(ps), [{ ruleId: 'live-api-not-served', path: ['apiVersion'], severity: undefined }]);
	assert.equal(ps[0].message, 'batch/v1beta1 CronJob is not served by cluster prod-1 (live): Kubernetes removed it in 1.25 and that cluster runs 1.27.16. Use apiVersion batch/v1.');
	assert.deepEqual(ps[0].data, { replacement: 'batch/v1', path: ['apiVersion'] });
	// The same kind at a served version: nothing.
	assert.deepEqual(run({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'x', namespace: 'orders' } }), []);
});

test('live-api-not-served: a CRD version the installed CRD does not serve, and a missing API group', () => {
	const crd: CrdState = { name: 'externalsecrets.external-secrets.io', group: 'external-secrets.io', kind: 'ExternalSecret', plural: 'externalsecrets', namespaced: true, versions: [{ name: 'v1beta1', served: true, storage: true }] };
	const ps = run({ apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'db', namespace: 'orders' } }, state({ crds: [crd] }));
	assert.equal(ps.length, 1);
	assert.equal(ps[0].message, 'external-secrets.io/v1 ExternalSecret is not served by cluster prod-1 (live), which serves ExternalSecret only as external-secrets.io/v1beta1. The externalsecrets.external-secrets.io CRD installed there does not serve v1: upgrade (or downgrade) it in that cluster before this file is synced, or write the object for a version it serves.');
	const kyverno = run({ apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', metadata: { name: 'p' } });
	assert.match(kyverno[0].message, /^kyverno\.io\/v1 ClusterPolicy is not served by cluster prod-1 \(live\): no API group kyverno\.io is installed there/);
	// The repository installs the CRD itself: created on sync, not reported.
	const ownCrd = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'clusterpolicies.kyverno.io' }, spec: { group: 'kyverno.io', names: { kind: 'ClusterPolicy', plural: 'clusterpolicies' }, scope: 'Cluster', versions: [{ name: 'v1', served: true, storage: true }] } };
	assert.deepEqual(run({ apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', metadata: { name: 'p' } }, state(), repo(ownCrd)), []);
	// Planning kinds and kustomize files never go to a cluster.
	assert.deepEqual(run({ apiVersion: 'platform.gitops.io/v1alpha1', kind: 'ClusterClaim', metadata: { name: 'prod-2' }, spec: {} }), []);
	// Discovery of the group failed: nothing can be said.
	assert.deepEqual(run({ apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', metadata: { name: 'p' } }, state({ discoveryFailed: ['kyverno.io'] })), []);
});

test('live-crd-schema: a field the installed (older) CRD lacks is reported; the bundled schema, installed as is, reports nothing', () => {
	const bundled = JSON.parse(readFileSync('schemas/crds/cert-manager.io/clusterissuer_v1.json', 'utf8'));
	const older = structuredClone(bundled);
	delete older.properties.spec.properties.acme.properties.solvers.items.properties.http01.properties.ingress.properties.ingressClassName;
	const crd = (schema: Record<string, unknown>): CrdState => ({ name: 'clusterissuers.cert-manager.io', group: 'cert-manager.io', kind: 'ClusterIssuer', plural: 'clusterissuers', namespaced: false, versions: [{ name: 'v1', served: true, storage: true, schema }] });
	const served = { ...state().served, 'cert-manager.io/v1': [{ kind: 'ClusterIssuer', plural: 'clusterissuers', namespaced: false, verbs: ['list'] }] };
	const issuer = { apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: 'le' }, spec: { acme: { server: 'https://acme.example/dir', privateKeySecretRef: { name: 'k' }, solvers: [{ http01: { ingress: { ingressClassName: 'nginx' } } }] } } };
	const ps = run(issuer, state({ served, crds: [crd(older)] }));
	assert.deepEqual(brief(ps), [{ ruleId: 'live-crd-schema', path: ['spec', 'acme', 'solvers', 0, 'http01', 'ingress', 'ingressClassName'], severity: undefined }]);
	assert.equal(
		ps[0].message,
		'Per the clusterissuers.cert-manager.io CRD installed in cluster prod-1 (live), which differs from the schema Fleetscope bundles: spec.acme.solvers[0].http01.ingress.ingressClassName is not a field of ClusterIssuer.spec.acme.solvers[0].http01.ingress. The API server there drops or rejects this field: upgrade the CRD in that cluster before relying on it.',
	);
	// The API server re-orders keys: the same schema in another key order is the same schema.
	const reverseKeys = (v: unknown): unknown => (Array.isArray(v) ? v.map(reverseKeys) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reverseKeys(x)])) : v);
	const reordered = reverseKeys(bundled) as Record<string, unknown>;
	assert.notDeepEqual(Object.keys(reordered), Object.keys(bundled));
	assert.deepEqual(run(issuer, state({ served, crds: [crd(reordered)] })), []);
	// Invalid for both schemas: the static finding's business, not repeated live.
	const typo = structuredClone(issuer) as any;
	typo.spec.acme.solvers[0].http01.ingress.ingressClassNam = 'x';
	delete typo.spec.acme.solvers[0].http01.ingress.ingressClassName;
	assert.deepEqual(run(typo, state({ served, crds: [crd(older)] })), []);
});

test('live-missing-reference: a mounted Secret missing in the cluster and not created by the repo', () => {
	const deploy = {
		apiVersion: 'apps/v1',
		kind: 'Deployment',
		metadata: { name: 'api', namespace: 'orders' },
		spec: { template: { spec: { serviceAccountName: 'api', containers: [{ name: 'api', envFrom: [{ configMapRef: { name: 'cfg' } }], env: [{ name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'token', key: 't', optional: true } } }] }], volumes: [{ name: 'db', secret: { secretName: 'db' } }, { name: 'ok', secret: { secretName: 'present' } }] } } },
	};
	const ps = run(deploy);
	assert.deepEqual(brief(ps), [{ ruleId: 'live-missing-reference', path: ['spec', 'template', 'spec', 'volumes', 0, 'secret', 'secretName'], severity: undefined }]);
	assert.equal(ps[0].message, 'Secret "db" in namespace orders (volume "db") does not exist in cluster prod-1 (live), and this repository does not create it: the pods stay in ContainerCreating until it exists. Create it in that cluster or in the repository, or fix the name.');
	// Created by the repository (any namespace while the raw files leave it open): not reported.
	assert.deepEqual(run(deploy, state(), repo({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' } })), []);
	assert.deepEqual(run(deploy, state(), repo({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'orders' } })), []);
	// Declared in another namespace: still missing where the Deployment runs.
	assert.equal(run(deploy, state(), repo({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'other' } })).length, 1);
});

test('live-missing-reference: a Secret an ExternalSecret creates is reported only once that ExternalSecret runs in the cluster', () => {
	const deploy = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'orders' }, spec: { template: { spec: { containers: [{ name: 'api' }], volumes: [{ name: 'db', secret: { secretName: 'db' } }] } } } };
	const es = { apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'db-es', namespace: 'orders' }, spec: { target: { name: 'db' } } };
	// Not synced yet: its Secret's absence is expected.
	assert.deepEqual(run(deploy, state(), repo(es)), []);
	const running = state({ objects: { ...state().objects, ...kind('external-secrets.io', 'ExternalSecret', true, [{ name: 'db-es', namespace: 'orders' }]) } });
	const ps = run(deploy, running, repo(es));
	assert.deepEqual(brief(ps), [{ ruleId: 'live-missing-reference', path: ['spec', 'template', 'spec', 'volumes', 0, 'secret', 'secretName'], severity: 'warning' }]);
	assert.equal(ps[0].message, 'Secret "db" in namespace orders (volume "db") does not exist in cluster prod-1 (live), although ExternalSecret "db-es" in namespace orders of this repository, which creates it, is there: the pods stay in ContainerCreating until it exists. Check the status of that ExternalSecret (kubectl describe externalsecret).');
});

test('live-missing-reference: namespace, ServiceAccount, classes; nothing where the state cannot tell', () => {
	const inMissingNs = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'payments' } };
	const ps = run(inMissingNs);
	assert.deepEqual(brief(ps), [{ ruleId: 'live-missing-reference', path: ['metadata', 'namespace'], severity: undefined }]);
	assert.equal(ps[0].message, 'Namespace "payments" (this object\'s namespace) does not exist in cluster prod-1 (live), and this repository does not create it: applying the ConfigMap fails (namespaces "payments" not found). Create it in that cluster or in the repository, or fix the name.');
	assert.deepEqual(run(inMissingNs, state(), repo({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'payments' } })), []);
	// A HelmRelease that creates its namespace only counts once it is in the cluster; before, nothing is said.
	assert.deepEqual(run(inMissingNs, state(), repo({ apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name: 'pay', namespace: 'flux-system' }, spec: { targetNamespace: 'payments', install: { createNamespace: true } } })), []);
	const pod = (spec: Record<string, unknown>) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'a', namespace: 'orders' }, spec: { template: { spec: { containers: [{ name: 'a' }], ...spec } } } });
	assert.deepEqual(brief(run(pod({ serviceAccountName: 'nobody', priorityClassName: 'high', imagePullSecrets: [{ name: 'regcred' }] }))), [
		{ ruleId: 'live-missing-reference', path: ['spec', 'template', 'spec', 'serviceAccountName'], severity: undefined },
		{ ruleId: 'live-missing-reference', path: ['spec', 'template', 'spec', 'priorityClassName'], severity: undefined },
		{ ruleId: 'live-missing-reference', path: ['spec', 'template', 'spec', 'imagePullSecrets', 0, 'name'], severity: 'warning' },
	]);
	assert.deepEqual(run(pod({ serviceAccountName: 'default', priorityClassName: 'system-cluster-critical' })), []);
	const ingress = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'i', namespace: 'orders' }, spec: { ingressClassName: 'traefik' } };
	assert.deepEqual(brief(run(ingress)), [{ ruleId: 'live-missing-reference', path: ['spec', 'ingressClassName'], severity: undefined }]);
	assert.deepEqual(run({ ...ingress, spec: { ingressClassName: 'nginx' } }), []);
	const pvc = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'p', namespace: 'orders' }, spec: { storageClassName: 'fast' } };
	assert.deepEqual(brief(run(pvc)), [{ ruleId: 'live-missing-reference', path: ['spec', 'storageClassName'], severity: undefined }]);
	assert.deepEqual(run({ ...pvc, spec: { storageClassName: '' } }), []);
	// Secrets forbidden to list: no conclusion about them.
	const forbidden = state({ objects: { ...state().objects, ...kind('', 'Secret', true, [], { coverage: 'forbidden' }) } });
	assert.deepEqual(run(pod({ volumes: [{ name: 'v', secret: { secretName: 'db' } }] }), forbidden), []);
	// Listed only in some namespaces: a conclusion only inside those.
	const partial = state({ objects: { ...state().objects, ...kind('', 'Secret', true, [], { coverage: 'partial', namespaces: ['orders'] }) } });
	assert.equal(run(pod({ volumes: [{ name: 'v', secret: { secretName: 'db' } }] }), partial).length, 1);
	const elsewhere = { ...pod({ volumes: [{ name: 'v', secret: { secretName: 'db' } }] }), metadata: { name: 'a', namespace: 'default' } };
	assert.deepEqual(run(elsewhere, partial), []);
	// No namespace in a raw file: kustomize or Flux decides it later, so namespaced references are not looked up.
	const noNs = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'a' }, spec: { template: { spec: { containers: [{ name: 'a' }], volumes: [{ name: 'v', secret: { secretName: 'db' } }] } } } };
	assert.deepEqual(run(noNs), []);
	// ...but a rendered set (complete) puts it in `default`.
	assert.equal(liveProblems(resource(noNs), target, state(), new ObjectSet([], true), { now: NOW }).length, 1);
});

test('live-version-drift: the claim of the cluster asks for another minor version', () => {
	const claim = (version: unknown, name = 'prod-1') => ({ apiVersion: 'platform.gitops.io/v1alpha1', kind: 'ClusterClaim', metadata: { name }, spec: { kubernetes: { version } } });
	const ps = run(claim('1.30'));
	assert.deepEqual(brief(ps), [{ ruleId: 'live-version-drift', path: ['spec', 'kubernetes', 'version'], severity: undefined }]);
	assert.equal(ps[0].message, 'Upgrade pending: this claim asks for Kubernetes 1.30, but cluster prod-1 (live) runs 1.27.16. Until the upgrade is done, what needs 1.30 (new API versions, fields) is not available there.');
	const older = run(claim('1.26'));
	assert.match(older[0].message, /already runs 1\.27\.16: a cluster cannot be downgraded, so the claim is out of date\. Set spec\.kubernetes\.version to "1\.27"\.$/);
	assert.deepEqual(run(claim('1.27')), []);
	// Another cluster's claim, or the unquoted number (the YAML 1.1 trap, reported statically).
	assert.deepEqual(run(claim('1.30', 'staging-1')), []);
	assert.deepEqual(run(claim(1.3)), []);
});

test('messages say how old a cached or snapshot state is', () => {
	const old = state({ origin: 'cache', fetchedAt: new Date(NOW.getTime() - 3 * 3600_000).toISOString() });
	const ps = run({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'payments' } }, old);
	assert.match(ps[0].message, /does not exist in cluster prod-1 \(cached, 3 h old\)/);
	const snap = state({ origin: 'snapshot', fetchedAt: new Date(NOW.getTime() - 4 * 24 * 3600_000).toISOString() });
	assert.match(run({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'payments' } }, snap)[0].message, /\(snapshot, 4 days old\)/);
});

test('live-missing-reference: a ConfigMap or Secret a kustomization generates is created by the repository (the cluster holds it under its hashed name)', () => {
	const deploy = {
		apiVersion: 'apps/v1',
		kind: 'Deployment',
		metadata: { name: 'web', namespace: 'orders' },
		spec: { template: { spec: { containers: [{ name: 'web', envFrom: [{ configMapRef: { name: 'web-config' } }, { secretRef: { name: 'web-env' } }] }] } } },
	};
	// What kustomize made of them in the cluster: the generator names with a content hash.
	const cluster = state({ objects: { ...state().objects, ...kind('', 'ConfigMap', true, [{ name: 'web-config-7g2hdk5m8f', namespace: 'orders' }]), ...kind('', 'Secret', true, [{ name: 'web-env-b4tk2m9c6d', namespace: 'orders' }]) } });
	const missing = run(deploy, cluster);
	assert.deepEqual(missing.map((p) => p.path.join('.')), ['spec.template.spec.containers.0.envFrom.0.configMapRef.name', 'spec.template.spec.containers.0.envFrom.1.secretRef.name']);
	const kustomization = 'namespace: orders\nresources:\n  - deployment.yaml\nconfigMapGenerator:\n  - name: web-config\n    literals: [LOG_LEVEL=info]\nsecretGenerator:\n  - name: web-env\n    envs: [web.env]\n';
	const generated = new RepoObjects(() => false, liveObjectsOfText);
	generated.read('apps/web/kustomization.yaml', kustomization);
	assert.deepEqual(generated.all().map((o) => `${o.kind} ${o.namespace}/${o.name}`), ['ConfigMap orders/web-config', 'Secret orders/web-env']);
	assert.ok(!JSON.stringify(generated.all()).includes('LOG_LEVEL'), 'no generator data is kept');
	assert.deepEqual(run(deploy, cluster, generated as unknown as ObjectSet), []);
	// A prefix of the kustomization is part of the name references use.
	const prefixed = new RepoObjects(() => false, liveObjectsOfText);
	prefixed.read('apps/web/kustomization.yaml', `namePrefix: shop-\n${kustomization}`);
	assert.deepEqual(prefixed.all().map((o) => o.name), ['shop-web-config', 'shop-web-env']);
	assert.equal(run(deploy, cluster, prefixed as unknown as ObjectSet).length, 2);
});

test('schema-version at the version a live cluster runs: the fields an upgrade that is pending or stuck does not bring yet', () => {
	// An init container that restarts (a sidecar, 1.28) and pod-level resources (1.32).
	const deployment = {
		apiVersion: 'apps/v1',
		kind: 'Deployment',
		metadata: { name: 'api', namespace: 'orders' },
		spec: { selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } }, spec: { resources: { limits: { cpu: '1' } }, initContainers: [{ name: 'proxy', image: 'envoy:1.30', restartPolicy: 'Always' }], containers: [{ name: 'api', image: 'api:1.0' }] } } },
	};
	const at = (declared: string | undefined, runs: string, setting?: string) =>
		liveProblems(resource(deployment), { ...target, kubernetesVersion: `1.${runs}`, ...(declared ? { declaredKubernetesVersion: declared } : {}) }, state({ version: { major: '1', minor: runs, gitVersion: `v1.${runs}.3` } }), none, { now: NOW, schemas: registry, settingVersion: setting })
			.filter((p) => p.ruleId === 'schema-version')
			.map((p) => `${p.path.join('.')}: ${p.message}`);
	// Declared 1.30, runs 1.27: the sidecar (1.28) is new here; pod-level resources (1.32) the static check reports already.
	assert.deepEqual(at('1.30', '27'), [
		'spec.template.spec.initContainers.0.restartPolicy: spec.template.spec.initContainers[0].restartPolicy: sidecar containers need Kubernetes 1.28 or later; cluster prod-1 (live) runs 1.27.3, although its ClusterClaim or Fleet file declares 1.30 (an upgrade pending or stuck). An older API server does not know the field: it rejects the object (server-side apply, strict field validation) or drops the field. Remove it for that cluster or upgrade the cluster.',
	]);
	// Runs what it declares, or newer: the static check said it all.
	assert.deepEqual(at('1.27', '27'), []);
	assert.deepEqual(at('1.30', '31'), []);
	assert.deepEqual(at('1.27', '30'), []);
	// Nothing declared: the static check used the setting.
	assert.deepEqual(at(undefined, '27', '1.30').map((m) => m.replace(/\. An older API server.*/, '')), ['spec.template.spec.initContainers.0.restartPolicy: spec.template.spec.initContainers[0].restartPolicy: sidecar containers need Kubernetes 1.28 or later; cluster prod-1 (live) runs 1.27.3, older than 1.30 (fleetscope.kubernetesVersion), which the files are checked at otherwise']);
	assert.deepEqual(at(undefined, '27', '1.27'), []);
	// Neither declared nor set: every field the running version lacks.
	assert.deepEqual(at(undefined, '27').map((m) => m.split(':')[0]), ['spec.template.spec.resources', 'spec.template.spec.initContainers.0.restartPolicy']);
	// Without the version tables (a host that gives none) the check is off.
	assert.deepEqual(liveProblems(resource(deployment), { ...target, declaredKubernetesVersion: '1.30' }, state(), none, { now: NOW, schemas: { compile: registry.compile.bind(registry), bundled: registry.bundled.bind(registry), bundledJson: registry.bundledJson.bind(registry) } }).filter((p) => p.ruleId === 'schema-version'), []);
});

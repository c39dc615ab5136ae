import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverUpdate } from '../../tools/kube-sim/writes';
import { driftRepo, edit, find, states } from './helpers';
import { DRIFT_REPO } from './repo';

/**
 * The drift engine on a rendered Flux fleet against live objects as the API server holds them
 * (kube-sim's defaults, canonical quantities and managedFields): every state, attribution to the
 * manager that changed a field, and the source line of each drifted value through a patch, an
 * `images` entry and a base.
 */

const PROD = 'prod-eu-west-1';
const T = '2026-05-01T11:00:00Z';

test('what kustomize-controller applied is in sync: server defaults, canonical quantities, protocols, IPs and labels are never drift', () => {
	const r = driftRepo(DRIFT_REPO);
	const live = r.deployed(PROD);
	const dep = live.find((o) => o.kind === 'Deployment')!;
	// The server did rewrite what Git wrote: the comparison normalises it.
	assert.equal(dep.spec.template.spec.containers[0].resources.requests.cpu, '500m');
	assert.equal(dep.spec.template.spec.containers[0].resources.requests.memory, '1Gi');
	assert.equal(dep.spec.template.spec.containers[0].imagePullPolicy, 'IfNotPresent');
	assert.equal(live.find((o) => o.kind === 'Service')!.spec.ports[0].protocol, 'TCP');
	const c = r.drift(PROD, live);
	// The cluster's own Flux Kustomization is part of what it receives; kustomize orders the rest by kind.
	assert.deepEqual(states(c), ['in-sync Kustomization/flux-system/apps', 'in-sync ConfigMap/web/web-config', 'in-sync Secret/web/web-token', 'in-sync Service/web/web', 'in-sync Deployment/web/web']);
	assert.equal(c.state, 'in-sync');
	assert.match(find(c, 'Secret', 'web-token').reason!, /Secret data is never read/);
});

test('kubectl scale: spec.replicas drifted, set by kubectl-scale, on the line of the patch that sets it', () => {
	const r = driftRepo(DRIFT_REPO);
	const live = edit(r.deployed(PROD), 'Deployment', 'web', (o) => serverUpdate(o, (x) => (x.spec.replicas = 5), { manager: 'kubectl-scale', time: T }));
	const c = r.drift(PROD, live);
	const web = find(c, 'Deployment', 'web');
	assert.equal(web.state, 'drifted');
	assert.deepEqual(web.fields, [{ path: 'spec.replicas', desired: 3, live: 5, manager: 'kubectl-scale', time: T, source: { file: 'apps/production/replicas-patch.yaml', line: 6 } }]);
	assert.deepEqual(web.source, { file: 'apps/base/web/deployment.yaml', line: 1 });
	assert.equal(c.state, 'drifted');
});

test('kubectl set image: the container image drifted, keyed by container name, on the `images` entry of the overlay', () => {
	const r = driftRepo(DRIFT_REPO);
	const live = edit(r.deployed(PROD), 'Deployment', 'web', (o) => serverUpdate(o, (x) => (x.spec.template.spec.containers[0].image = 'ghcr.io/acme/web:1.1.9'), { manager: 'kubectl-set', time: T }));
	const f = find(r.drift(PROD, live), 'Deployment', 'web').fields;
	assert.equal(f.length, 1);
	assert.equal(f[0].path, 'spec.template.spec.containers[name=web].image');
	assert.equal(f[0].desired, 'ghcr.io/acme/web:1.2.0');
	assert.equal(f[0].live, 'ghcr.io/acme/web:1.1.9');
	assert.equal(f[0].manager, 'kubectl-set');
	assert.equal(f[0].source?.file, 'apps/production/kustomization.yaml');
	assert.ok(f[0].source!.line >= 8 && f[0].source!.line <= 9, `the images entry, got line ${f[0].source?.line}`);
});

test('kubectl edit of a base value: the env entry by name, on the base line; a reordered env list is no drift', () => {
	const r = driftRepo(DRIFT_REPO);
	const live = edit(r.deployed(PROD), 'Deployment', 'web', (o) =>
		serverUpdate(
			o,
			(x) => {
				const env = x.spec.template.spec.containers[0].env;
				env.reverse();
				env.find((e: { name: string }) => e.name === 'LOG_LEVEL').value = 'debug';
			},
			{ manager: 'kubectl-edit', time: T },
		),
	);
	const f = find(r.drift(PROD, live), 'Deployment', 'web').fields;
	assert.deepEqual(
		f.map((x) => [x.path, x.desired, x.live, x.manager, x.source]),
		[['spec.template.spec.containers[name=web].env[name=LOG_LEVEL].value', 'info', 'debug', 'kubectl-edit', { file: 'apps/base/web/deployment.yaml', line: 23 }]],
	);
});

test('quantities: 0.5 CPU is 500m and 1024Mi is 1Gi, but 750m is a real change; an int and the same float are equal, another number is not', () => {
	const r = driftRepo(DRIFT_REPO);
	const changed = edit(r.deployed(PROD), 'Deployment', 'web', (o) => serverUpdate(o, (x) => (x.spec.template.spec.containers[0].resources.requests.cpu = '750m'), { manager: 'kubectl-edit', time: T }));
	const f = find(r.drift(PROD, changed), 'Deployment', 'web').fields;
	assert.deepEqual(
		f.map((x) => [x.path, x.desired, x.live]),
		[['spec.template.spec.containers[name=web].resources.requests.cpu', 0.5, '750m']],
	);
	// Written as 1.5Gi in the cluster, 1536Mi in Git: the same amount.
	const files = { ...DRIFT_REPO, 'apps/base/web/deployment.yaml': DRIFT_REPO['apps/base/web/deployment.yaml'].replace('limits: {memory: 1Gi}', 'limits: {memory: 1536Mi}') };
	const r2 = driftRepo(files);
	const same = edit(r2.deployed(PROD), 'Deployment', 'web', (o) => ((o.spec.template.spec.containers[0].resources.limits.memory = '1.5Gi'), o));
	assert.equal(find(r2.drift(PROD, same), 'Deployment', 'web').state, 'in-sync');
	const floats = edit(r.deployed(PROD), 'Deployment', 'web', (o) => ((o.spec.template.spec.containers[0].ports[0].containerPort = 8080.0), o));
	assert.equal(find(r.drift(PROD, floats), 'Deployment', 'web').state, 'in-sync');
	const other = edit(r.deployed(PROD), 'Deployment', 'web', (o) => ((o.spec.template.spec.containers[0].ports[0].containerPort = 8081), o));
	// The port item is keyed by containerPort: a different port is a missing item.
	assert.deepEqual(find(r.drift(PROD, other), 'Deployment', 'web').fields.map((x) => x.path), ['spec.template.spec.containers[name=web].ports[containerPort=8080,protocol=TCP]']);
});

test('empty and absent: `args: []` and `annotations: {}` in Git match a cluster without them; a declared value the cluster lacks is drift', () => {
	const r = driftRepo(DRIFT_REPO);
	const live = r.deployed(PROD).map((o) => {
		if (o.kind === 'Deployment') delete o.spec.template.spec.containers[0].args;
		if (o.kind === 'Service') delete o.metadata.annotations;
		return o;
	});
	assert.equal(r.drift(PROD, live).state, 'in-sync');
	const noEnv = edit(live, 'Deployment', 'web', (o) => serverUpdate(o, (x) => delete x.spec.template.spec.containers[0].env, { manager: 'kubectl-edit', time: T }));
	const f = find(r.drift(PROD, noEnv), 'Deployment', 'web').fields;
	assert.deepEqual(
		f.map((x) => [x.path, x.live, x.manager]),
		[['spec.template.spec.containers[name=web].env', null, null]],
	);
});

test('controllers: labels and annotations they add, a sidecar injected into the pod, status and server metadata are never drift; a label Git sets that changed is', () => {
	const r = driftRepo(DRIFT_REPO);
	const added = edit(r.deployed(PROD), 'Deployment', 'web', (o) => {
		o.metadata.annotations = { 'deployment.kubernetes.io/revision': '7', 'kubectl.kubernetes.io/last-applied-configuration': '{"secret":"x"}' };
		o.metadata.labels['team'] = 'web';
		o.spec.template.spec.containers.push({ name: 'istio-proxy', image: 'istio/proxyv2:1.22' });
		o.status = { replicas: 3, readyReplicas: 1 };
		o.metadata.generation = 42;
		return o;
	});
	assert.equal(find(r.drift(PROD, added), 'Deployment', 'web').state, 'in-sync');
	const relabelled = edit(r.deployed(PROD), 'Deployment', 'web', (o) => serverUpdate(o, (x) => (x.metadata.labels['app.kubernetes.io/name'] = 'web-old'), { manager: 'kubectl-label', time: T }));
	assert.deepEqual(
		find(r.drift(PROD, relabelled), 'Deployment', 'web').fields.map((x) => [x.path, x.live, x.manager]),
		[['metadata.labels["app.kubernetes.io/name"]', 'web-old', 'kubectl-label']],
	);
});

test('missing: in Git, absent from a completely listed kind; unknown, never missing, when the kind could not be read', () => {
	const r = driftRepo(DRIFT_REPO);
	const live = r.deployed(PROD).filter((o) => o.kind !== 'ConfigMap');
	const missing = find(r.drift(PROD, live), 'ConfigMap', 'web-config');
	assert.equal(missing.state, 'missing');
	assert.deepEqual(missing.source, { file: 'apps/base/web/config.yaml', line: 1 });
	for (const [coverage, pattern] of [
		['forbidden', /Not allowed to read ConfigMap/],
		['failed', /Reading ConfigMap failed: connection reset.*Nothing is concluded/],
		['not-served', /does not serve ConfigMap/],
	] as const) {
		const o = find(r.drift(PROD, live, { kinds: { '|ConfigMap': { coverage, reason: coverage === 'failed' ? 'connection reset' : undefined, items: [] } } }), 'ConfigMap', 'web-config');
		assert.equal(o.state, 'unknown', coverage);
		assert.match(o.reason!, pattern);
	}
	// Listed only in other namespaces: unknown here, missing where it was listed.
	assert.equal(find(r.drift(PROD, live, { kinds: { '|ConfigMap': { coverage: 'partial', namespaces: ['other'], items: [] } } }), 'ConfigMap', 'web-config').state, 'unknown');
	assert.equal(find(r.drift(PROD, live, { kinds: { '|ConfigMap': { coverage: 'partial', namespaces: ['web'], items: [] } } }), 'ConfigMap', 'web-config').state, 'missing');
	// No state at all: everything unknown, and the cluster too.
	const none = r.drift(PROD, undefined);
	assert.equal(none.state, 'unknown');
	assert.ok(none.objects.every((o) => o.state === 'unknown' && o.reason === 'unreachable'));
});

test('Secrets: labels and type compared, data never (Git writes stringData, the cluster holds no data the engine sees)', () => {
	const r = driftRepo(DRIFT_REPO);
	const live = edit(r.deployed(PROD), 'Secret', 'web-token', (o) => ((o.data.token = 'b3RoZXI='), o));
	const s = find(r.drift(PROD, live), 'Secret', 'web-token');
	assert.equal(s.state, 'in-sync');
	assert.match(s.reason!, /only its labels, annotations and type are compared/);
	const retyped = edit(r.deployed(PROD), 'Secret', 'web-token', (o) => ((o.metadata.labels.team = 'ops'), o));
	assert.deepEqual(find(r.drift(PROD, retyped), 'Secret', 'web-token').fields.map((f) => [f.path, f.desired, f.live]), [['metadata.labels.team', 'web', 'ops']]);
	const files = { ...DRIFT_REPO, 'apps/production/secret.yaml': DRIFT_REPO['apps/production/secret.yaml'].replace('stringData:', 'type: kubernetes.io/tls\nstringData:') };
	const r2 = driftRepo(files);
	const opaque = edit(r2.deployed(PROD), 'Secret', 'web-token', (o) => ((o.type = 'Opaque'), o));
	assert.deepEqual(find(r2.drift(PROD, opaque), 'Secret', 'web-token').fields.map((f) => [f.path, f.desired, f.live]), [['type', 'kubernetes.io/tls', 'Opaque']]);
});

test('an HPA owns the replicas of its target: the autoscaler changing them is not drift', () => {
	const files = {
		...DRIFT_REPO,
		'apps/base/web/kustomization.yaml': DRIFT_REPO['apps/base/web/kustomization.yaml'] + '  - hpa.yaml\n',
		'apps/base/web/hpa.yaml': 'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  minReplicas: 2\n  maxReplicas: 10\n',
	};
	const r = driftRepo(files);
	const live = edit(r.deployed(PROD), 'Deployment', 'web', (o) => serverUpdate(o, (x) => (x.spec.replicas = 7), { manager: 'kube-controller-manager', time: T }));
	assert.equal(find(r.drift(PROD, live), 'Deployment', 'web').state, 'in-sync');
});

test('extraneous: Flux ownership labels of this cluster\'s Kustomization and no longer in Git; never for controller-owned copies or another repository\'s objects', () => {
	const r = driftRepo(DRIFT_REPO);
	const flux = { 'kustomize.toolkit.fluxcd.io/name': 'apps', 'kustomize.toolkit.fluxcd.io/namespace': 'flux-system' };
	const extra = [
		{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'old-config', namespace: 'web', labels: flux } },
		{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'copied', namespace: 'web', labels: flux, ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: 'u1', controller: true }] } },
		{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'theirs', namespace: 'web', labels: { ...flux, 'kustomize.toolkit.fluxcd.io/name': 'other' } } },
		{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'by-hand', namespace: 'web' } },
		{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-root-ca.crt', namespace: 'web' } },
	];
	const c = r.drift(PROD, [...r.deployed(PROD), ...extra]);
	assert.deepEqual(states(c).filter((s) => !s.startsWith('in-sync')), ['extraneous ConfigMap/web/old-config']);
	assert.match(find(c, 'ConfigMap', 'old-config').reason!, /Flux Kustomization flux-system\/apps.*deleted at the next reconciliation \(prune is on\)/);
	assert.equal(c.state, 'drifted');
	// Unmanaged is opt-in: the hand-made one, not the namespace's own CA bundle.
	const u = r.drift(PROD, [...r.deployed(PROD), ...extra], { unmanaged: true });
	assert.deepEqual(states(u).filter((s) => !s.startsWith('in-sync')), ['unmanaged ConfigMap/web/by-hand', 'extraneous ConfigMap/web/old-config']);
});

test('extraneous through the Kustomization inventory: listed there and gone from Git; labelled but not inventoried is not', () => {
	const r = driftRepo(DRIFT_REPO);
	const flux = { 'kustomize.toolkit.fluxcd.io/name': 'apps', 'kustomize.toolkit.fluxcd.io/namespace': 'flux-system' };
	const ks = { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'apps', namespace: 'flux-system' }, status: { inventory: { entries: [{ id: 'web_inventoried_apps_Deployment', v: 'v1' }] } } };
	const objs = [
		...r.deployed(PROD),
		ks,
		{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'inventoried', namespace: 'web' } },
		{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'labelled-only', namespace: 'web', labels: flux } },
	];
	const c = r.drift(PROD, objs, { kinds: { 'kustomize.toolkit.fluxcd.io|Kustomization': { namespaced: true, items: [r.projection.project(ks)!] } } });
	assert.deepEqual(states(c).filter((s) => s.startsWith('extraneous')), ['extraneous Deployment/web/inventoried']);
	assert.match(find(c, 'Deployment', 'inventoried').reason!, /inventory of the Flux Kustomization flux-system\/apps/);
});

test('Argo CD tracking: an object tracked by this cluster\'s Application and gone from Git is extraneous; its instance label is not drift', () => {
	const r = driftRepo(DRIFT_REPO);
	const owners = [{ kind: 'argo-application' as const, name: 'shop', namespace: 'argocd', path: 'apps/production', prune: false, rules: [] }];
	const objs = [
		...r.deployed(PROD).map((o) => ((o.metadata.labels = { ...(o.metadata.labels ?? {}), 'app.kubernetes.io/instance': 'shop' }), o)),
		{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'legacy', namespace: 'web', annotations: { 'argocd.argoproj.io/tracking-id': 'shop:/Service:web/legacy' } } },
	];
	const c = r.drift(PROD, objs, { owners });
	assert.deepEqual(states(c).filter((s) => !s.startsWith('in-sync')), ['extraneous Service/web/legacy']);
	assert.match(find(c, 'Service', 'legacy').reason!, /Argo CD Application argocd\/shop.*requiring pruning/);
});

test('skipped: Flux ssa: Ignore in Git, reconcile: disabled on the live object, objects a HelmRelease installed, remote bases', () => {
	const files = {
		...DRIFT_REPO,
		'apps/base/web/config.yaml': DRIFT_REPO['apps/base/web/config.yaml'].replace('  name: web-config', '  name: web-config\n  annotations:\n    kustomize.toolkit.fluxcd.io/ssa: Ignore'),
		'apps/production/kustomization.yaml': DRIFT_REPO['apps/production/kustomization.yaml'].replace('  - secret.yaml', '  - secret.yaml\n  - https://github.com/acme/shared//base?ref=v1'),
	};
	const r = driftRepo(files);
	const live = edit(r.deployed(PROD), 'Service', 'web', (o) => {
		o.metadata.annotations = { 'kustomize.toolkit.fluxcd.io/reconcile': 'disabled' };
		o.spec.ports[0].targetPort = 9999;
		return o;
	});
	const owners = [{ kind: 'flux-kustomization' as const, name: 'apps', namespace: 'flux-system', path: 'apps/production', prune: true, rules: [] }, { kind: 'flux-helmrelease' as const, name: 'redis', namespace: 'web', path: 'apps/production/redis.yaml', rules: [] }];
	const helm = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'redis', namespace: 'web', labels: { 'helm.toolkit.fluxcd.io/name': 'redis', 'helm.toolkit.fluxcd.io/namespace': 'web' } } };
	const c = r.drift(PROD, [...live, helm], { owners });
	assert.match(find(c, 'ConfigMap', 'web-config').reason!, /Git sets kustomize\.toolkit\.fluxcd\.io\/ssa: Ignore/);
	assert.equal(find(c, 'ConfigMap', 'web-config').state, 'skipped');
	assert.equal(find(c, 'Service', 'web').state, 'skipped');
	assert.match(find(c, 'Service', 'web').reason!, /the live object sets kustomize\.toolkit\.fluxcd\.io\/reconcile: disabled/);
	assert.equal(find(c, 'Deployment', 'redis').state, 'skipped');
	assert.match(find(c, 'Deployment', 'redis').reason!, /HelmRelease web\/redis/);
	const remote = c.objects.find((o) => o.apiVersion === 'kustomize.config.k8s.io/v1beta1');
	assert.equal(remote?.state, 'skipped');
	assert.deepEqual(remote?.source, { file: 'apps/production/kustomization.yaml', line: 5 });
});

test('ssa: IfNotPresent in Git: only existence is compared', () => {
	const files = { ...DRIFT_REPO, 'apps/base/web/config.yaml': DRIFT_REPO['apps/base/web/config.yaml'].replace('  name: web-config', '  name: web-config\n  annotations:\n    kustomize.toolkit.fluxcd.io/ssa: IfNotPresent') };
	const r = driftRepo(files);
	const live = edit(r.deployed(PROD), 'ConfigMap', 'web-config', (o) => ((o.data.greeting = 'changed'), o));
	assert.equal(find(r.drift(PROD, live), 'ConfigMap', 'web-config').state, 'in-sync');
	assert.equal(find(r.drift(PROD, live.filter((o) => o.kind !== 'ConfigMap')), 'ConfigMap', 'web-config').state, 'missing');
});

test('namespace defaulting: an object Git writes without a namespace is looked up in the sync\'s target namespace, else default', () => {
	const files = { ...DRIFT_REPO, 'apps/production/kustomization.yaml': DRIFT_REPO['apps/production/kustomization.yaml'].replace('namespace: web\n', '') };
	const r = driftRepo(files);
	const c = r.drift(PROD, r.deployed(PROD));
	assert.deepEqual(states(c).filter((x) => /Deployment|Service/.test(x)), ['in-sync Service/default/web', 'in-sync Deployment/default/web']);
	const moved = r.deployed(PROD).map((o) => ((o.metadata.namespace = 'elsewhere'), o));
	assert.equal(find(r.drift(PROD, moved), 'Deployment', 'web').state, 'missing');
});

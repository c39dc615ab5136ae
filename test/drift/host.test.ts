import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { startKubeSim, type KubeSim } from '../../tools/kube-sim/sim';
import { FullObjectsSource } from '../../server/src/host/live/full-objects';
import { dryRunObjects } from '../../server/src/host/live/dry-run';
import { tempDir, until } from '../live/helpers';
import { driftRepo } from './helpers';
import { DRIFT_REPO } from './repo';

/**
 * The host's reader of full objects over HTTPS against kube-sim: what it keeps in memory (only
 * the declared fields and their managedFields), Secrets through a Table, namespace-by-namespace
 * lists where a cluster-wide one is forbidden, watches, and the dry-run gate.
 */

const PROD = 'prod-eu-west-1';
const dir = tempDir('fleetscope-drift-host-');
let sim: KubeSim;
const r = driftRepo(DRIFT_REPO);

before(async () => {
	sim = await startKubeSim({ name: PROD, objects: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'web' } }] });
	for (const o of r.deployed(PROD)) sim.apply(o);
	sim.kubeconfig(join(dir, 'kubeconfig'), { context: PROD });
});
after(async () => {
	await sim.stop();
});

function source(namespaces?: string[], file = 'kubeconfig'): FullObjectsSource {
	const kc = new KubeConfig();
	kc.loadFromFile(join(dir, file));
	return new FullObjectsSource({ context: PROD, kubeconfig: kc, allowExec: false, projection: r.projection, namespaces });
}

test('keeps only what Git declares, with the managedFields of those fields; Secrets from a Table with their type and no data', async () => {
	const s = source();
	try {
		const live = await s.fetch();
		const dep = live.kinds['apps|Deployment'].items[0];
		const spec = dep.spec as Record<string, any>;
		// Server defaults Git does not declare are not kept.
		assert.equal(spec.revisionHistoryLimit, undefined);
		assert.equal(spec.strategy, undefined);
		assert.equal(spec.template.spec.containers[0].imagePullPolicy, undefined);
		assert.equal(spec.template.spec.containers[0].image, 'ghcr.io/acme/web:1.2.0');
		assert.deepEqual(dep.metadata.managedFields?.map((m) => m.manager), ['kustomize-controller']);
		assert.ok(!JSON.stringify(dep.metadata.managedFields).includes('revisionHistoryLimit'));
		const secret = live.kinds['|Secret'];
		assert.equal(secret.metadataOnly, true);
		assert.equal(secret.items[0].type, 'Opaque');
		assert.equal(secret.items[0].data, undefined);
		assert.ok(sim.requests.filter((q) => q.url.includes('/secrets')).every((q) => /as=Table/.test(q.accept)));
	} finally {
		s.stop();
	}
});

test('a kind forbidden cluster-wide is listed in the repository\'s namespaces: partial coverage', async () => {
	const token = sim.addUser('web-team', [{ resources: ['deployments.apps', 'services', 'secrets', 'kustomizations.kustomize.toolkit.fluxcd.io'] }, { resources: ['configmaps'], namespaces: ['web'] }]);
	sim.kubeconfig(join(dir, 'web-team'), { context: PROD, token });
	const s = source(['web'], 'web-team');
	const live = await s.fetch();
	s.stop();
	assert.equal(live.kinds['|ConfigMap'].coverage, 'partial');
	assert.deepEqual(live.kinds['|ConfigMap'].namespaces, ['web']);
	assert.deepEqual(live.kinds['|ConfigMap'].items.map((o) => o.metadata.name), ['web-config']);
	// Without the namespace list: forbidden, and drift says unknown for its objects.
	const none = source([], 'web-team');
	const f = await none.fetch();
	none.stop();
	assert.equal(f.kinds['|ConfigMap'].coverage, 'forbidden');
});

test('a watch brings an edit by another manager in', async () => {
	const s = source();
	try {
		await s.fetch();
		let changes = 0;
		s.watch(() => changes++);
		await until(() => sim.openWatches > 0, 5000, 'the watches');
		sim.editAs('apps/v1', 'Deployment', 'web', 'web', 'kubectl-scale', (o) => (o.spec.replicas = 9));
		await until(() => ((s.snapshot().kinds['apps|Deployment'].items[0].spec as { replicas: number }).replicas === 9), 5000, 'the scaled replicas');
		assert.ok(changes > 0);
		assert.ok(s.snapshot().kinds['apps|Deployment'].items[0].metadata.managedFields?.some((m) => m.manager === 'kubectl-scale'));
	} finally {
		s.stop();
	}
});

test('the dry-run sends nothing unless enabled; enabled, one PATCH ?dryRun=All per existing object, none for Secrets', async () => {
	const s = source();
	try {
		const live = await s.fetch();
		const render = r.renders.find((x) => x.cluster === PROD)!;
		sim.requests.splice(0);
		assert.equal((await dryRunObjects(s, render, live, r.projection, false)).size, 0);
		assert.equal(sim.requests.length, 0);
		const results = await dryRunObjects(s, render, live, r.projection, true);
		const patches = sim.requests.filter((q) => q.method === 'PATCH');
		assert.equal(patches.length, results.size);
		assert.ok(patches.length >= 3);
		assert.ok(patches.every((q) => q.url.endsWith('?dryRun=All&fieldManager=fleetscope&force=true') && !q.url.includes('/secrets/')));
		// Nothing changed on the server.
		assert.ok(!sim.get('apps/v1', 'Deployment', 'web', 'web')!.metadata.managedFields.some((m: { manager: string }) => m.manager === 'fleetscope'));
	} finally {
		s.stop();
	}
});

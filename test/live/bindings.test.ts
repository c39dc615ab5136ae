import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contextFor, kubeconfigCandidates, kubeconfigPaths } from '../../server/src/workspace/live-bindings';
import { clustersReached, filesReaching, targetOf } from '../../server/src/workspace/live-view';
import type { FleetCluster, FleetModel } from '../../server/src/engine/fleet/types';
import type { ClusterState } from '../../server/src/engine/live/state';
import { defaultSettings, normaliseSettings } from '../../shared/settings';

/** How the editor maps the fleet's clusters to kubeconfig contexts, and what the live checks see of each. */

const cluster = (name: string, extra: Partial<FleetCluster> = {}): FleetCluster => ({ name, labels: {}, syncs: [], source: 'declared', inferred: [], ...extra });

test('the user\'s fleetscope.clusters setting wins over the Fleet file\'s kubeContext, which wins over a context named like the cluster', () => {
	const settings = { ...defaultSettings(), clusters: { 'prod-1': { context: 'mine' } } };
	const contexts = new Set(['prod-1', 'staging-1', 'arn:staging']);
	assert.deepEqual(contextFor(cluster('prod-1', { kubeContext: 'arn:prod' }), settings, contexts), { context: 'mine', source: 'setting' });
	assert.deepEqual(contextFor(cluster('staging-1', { kubeContext: 'arn:staging' }), settings, contexts), { context: 'arn:staging', source: 'fleet' });
	assert.deepEqual(contextFor(cluster('staging-1'), settings, contexts), { context: 'staging-1', source: 'name' });
	assert.equal(contextFor(cluster('dev-1'), settings, contexts), undefined);
});

test('kubeconfig paths: ~ is the home directory, relative paths are relative to the folder; empty means KUBECONFIG, else ~/.kube/config', () => {
	assert.deepEqual(kubeconfigPaths(['~/.kube/prod', '/etc/kube/ci', 'ops/kubeconfig'], '/repo', '/home/u'), ['/home/u/.kube/prod', '/etc/kube/ci', '/repo/ops/kubeconfig']);
	assert.deepEqual(kubeconfigCandidates([], { KUBECONFIG: '/a:/b' }, '/home/u'), ['/a', '/b']);
	assert.deepEqual(kubeconfigCandidates([], {}, '/home/u'), ['/home/u/.kube/config']);
	assert.deepEqual(kubeconfigCandidates(['/x'], { KUBECONFIG: '/a' }, '/home/u'), ['/x']);
});

test('a target carries the version the cluster runs (EKS minors like 27+ included) and the fleet\'s facts', () => {
	const fleet: FleetModel = { environments: [{ name: 'production', order: 0, promotesFrom: [], production: true, source: 'declared' }], clusters: [], apps: [], files: {}, problems: [] };
	const state = { version: { major: '1', minor: '27+', gitVersion: 'v1.27.16-eks-2f008fe' } } as ClusterState;
	assert.deepEqual(targetOf(cluster('prod-1', { environment: 'production', region: 'us-east-1', provider: 'aws', kubernetesVersion: '1.35' }), state, fleet), {
		name: 'prod-1',
		environment: 'production',
		region: 'us-east-1',
		provider: 'aws',
		kubernetesVersion: '1.27',
		// What the fleet declares stays beside it: the files were judged statically at that version.
		declaredKubernetesVersion: '1.35',
		production: true,
	});
});

test('files reaching a cluster include its claim; a claim reaches the cluster it declares', () => {
	const fleet: FleetModel = { environments: [], clusters: [cluster('prod-1', { claim: 'claims/prod-1.yaml' }), cluster('dev-1')], apps: [], files: { 'apps/web.yaml': ['prod-1', 'dev-1'], 'apps/dev.yaml': ['dev-1'] }, problems: [] };
	assert.deepEqual([...filesReaching(fleet, 'prod-1')].sort(), ['apps/web.yaml', 'claims/prod-1.yaml']);
	assert.deepEqual([...clustersReached(fleet, 'claims/prod-1.yaml')], ['prod-1']);
	assert.deepEqual([...clustersReached(fleet, 'apps/web.yaml')].sort(), ['dev-1', 'prod-1']);
	assert.deepEqual([...clustersReached(fleet, 'fleet.yaml')], []);
});

test('the live settings as the client and settings files spell them; wrong types fall back to the defaults', () => {
	assert.deepEqual([defaultSettings()['live.enabled'], defaultSettings()['live.kubeconfig'], defaultSettings().clusters], [true, [], {}]);
	const flat = normaliseSettings({ 'live.enabled': false, 'live.kubeconfig': [' ~/.kube/a ', ''], clusters: { 'prod-1': { context: ' ctx ' }, bad: { context: 3 }, worse: 'ctx' } });
	assert.deepEqual([flat['live.enabled'], flat['live.kubeconfig'], flat.clusters], [false, ['~/.kube/a'], { 'prod-1': { context: 'ctx' } }]);
	const nested = normaliseSettings({ live: { enabled: false, kubeconfig: ['/k'] } });
	assert.deepEqual([nested['live.enabled'], nested['live.kubeconfig']], [false, ['/k']]);
	assert.equal(normaliseSettings({ 'live.enabled': 'no' })['live.enabled'], true);
});

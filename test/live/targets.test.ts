import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clusterNameFor, type LiveTarget } from '../../server/src/cli/live';
import { liveClustersOf as liveTargetsFor } from '../../server/src/workspace/live-view';
import type { FleetModel } from '../../server/src/engine/fleet/types';
import type { ClusterState } from '../../server/src/engine/live/state';

/** Which clusters' live state a file is checked against: the ones the fleet model says it reaches. */
const fleet: FleetModel = {
	environments: [],
	clusters: [
		{ name: 'staging-1', environment: 'staging', kubeContext: 'ctx-staging', claim: 'claims/staging-1.yaml', labels: {}, syncs: [], source: 'declared', inferred: [] },
		{ name: 'prod-1', environment: 'production', kubeContext: 'arn:prod', labels: {}, syncs: [], source: 'declared', inferred: [] },
	],
	apps: [],
	files: { 'apps/base/web.yaml': ['prod-1', 'staging-1'], 'apps/staging/patch.yaml': ['staging-1'] },
	problems: [],
};
const target = (name: string): LiveTarget => ({ target: { name, production: false }, state: {} as ClusterState, source: name });
const names = (ts: readonly LiveTarget[]) => ts.map((t) => t.target.name);

test('a file is checked against the clusters it reaches, a claim against the cluster it declares', () => {
	const all = [target('staging-1'), target('prod-1')];
	assert.deepEqual(names(liveTargetsFor('apps/base/web.yaml', all, fleet)), ['staging-1', 'prod-1']);
	assert.deepEqual(names(liveTargetsFor('apps/staging/patch.yaml', all, fleet)), ['staging-1']);
	assert.deepEqual(names(liveTargetsFor('claims/staging-1.yaml', all, fleet)), ['staging-1']);
	assert.deepEqual(names(liveTargetsFor('fleet.yaml', all, fleet)), []);
});

test('a cluster the fleet model does not know is checked against every file', () => {
	const all = [target('staging-1'), target('lab')];
	assert.deepEqual(names(liveTargetsFor('apps/unused.yaml', all, fleet)), ['lab']);
	assert.deepEqual(names(liveTargetsFor('apps/staging/patch.yaml', all, fleet)), ['staging-1', 'lab']);
});

test('a kubeconfig context maps to the cluster whose kubeContext it is, else to a cluster of its name, else to itself', () => {
	assert.equal(clusterNameFor('arn:prod', fleet), 'prod-1');
	assert.equal(clusterNameFor('staging-1', fleet), 'staging-1');
	assert.equal(clusterNameFor('kind-lab', fleet), 'kind-lab');
});

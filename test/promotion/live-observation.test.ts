import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { observeCluster } from '../../server/src/engine/promotion';
import type { GitOpsObjectState } from '../../server/src/engine/live/gitops';
import { STATE_FORMAT_VERSION, type ClusterState } from '../../server/src/engine/live/state';

/** The live gate's evidence from what a source cluster's GitOps controllers report (both sides of each). */

const state = (gitops: GitOpsObjectState[] | undefined): ClusterState => ({
	formatVersion: STATE_FORMAT_VERSION,
	cluster: 'staging-1',
	origin: 'live',
	fetchedAt: '2026-12-07T00:00:00Z',
	version: { major: '1', minor: '31', gitVersion: 'v1.31.2' },
	served: {},
	crds: [],
	objects: {},
	...(gitops ? { gitops } : {}),
});
const ks = (name: string, ready: boolean | null, extra: Partial<GitOpsObjectState> = {}): GitOpsObjectState => ({ kind: 'Kustomization', group: 'kustomize.toolkit.fluxcd.io', namespace: 'flux-system', name, ready, ...extra });
const app = (name: string, syncStatus: string, health: string): GitOpsObjectState => ({ kind: 'Application', group: 'argoproj.io', namespace: 'argocd', name, ready: syncStatus === 'Synced' && health === 'Healthy', syncStatus, health });

describe('observeCluster (the live gate)', () => {
	it('every Flux object Ready and every Application Synced and Healthy: synced and healthy', () => {
		assert.deepEqual(observeCluster('staging-1', state([ks('apps', true), app('checkout', 'Synced', 'Healthy')])), { cluster: 'staging-1', synced: true, healthy: true });
	});

	it('a Kustomization whose reconciliation failed: neither, naming it and the reason', () => {
		const o = observeCluster('staging-1', state([ks('infra', true), ks('apps', false, { reason: 'HealthCheckFailed' })]));
		assert.deepEqual([o.synced, o.healthy], [false, false]);
		assert.equal(o.detail, 'Kustomization flux-system/apps HealthCheckFailed');
	});

	it('a Kustomization still reconciling (Ready unknown): not synced, but not failing', () => {
		const o = observeCluster('staging-1', state([ks('apps', null)]));
		assert.deepEqual([o.synced, o.healthy], [false, true]);
	});

	it('an Application OutOfSync but Healthy: not synced, healthy; Degraded: not healthy', () => {
		assert.deepEqual(observeCluster('c', state([app('checkout', 'OutOfSync', 'Healthy')])), { cluster: 'c', synced: false, healthy: true, detail: 'Application argocd/checkout OutOfSync/Healthy' });
		assert.equal(observeCluster('c', state([app('checkout', 'Synced', 'Degraded')])).healthy, false);
	});

	it('suspended objects and the FluxReport are left out', () => {
		const report: GitOpsObjectState = { kind: 'FluxReport', group: 'fluxcd.controlplane.io', namespace: 'flux-system', name: 'flux', ready: false };
		assert.deepEqual(observeCluster('c', state([ks('apps', true), ks('paused', false, { suspended: true }), report])), { cluster: 'c', synced: true, healthy: true });
	});

	it('a cluster that reports no GitOps object proves nothing: neither', () => {
		assert.deepEqual(observeCluster('c', state(undefined)), { cluster: 'c', synced: false, healthy: false, detail: 'it reports no Flux or Argo CD object' });
	});
});

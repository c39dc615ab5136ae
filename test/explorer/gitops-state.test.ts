import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commitOfRevision, gitopsStateOf, sanitizeGitOps } from '../../server/src/engine/live/gitops';
import { sanitizeState } from '../../server/src/engine/live/sanitize';

/**
 * The status of Flux, Flux Operator and Argo CD objects, the one exception to metadata-only live
 * state: each kind read as its controller writes it, and nothing else kept.
 */

const HEAD = 'a'.repeat(40);

test('a Flux Kustomization: the Ready condition, its reason and message, the applied revision and path', () => {
	const ok = gitopsStateOf({
		apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
		kind: 'Kustomization',
		metadata: { name: 'apps', namespace: 'flux-system', annotations: { secret: 'x' }, managedFields: [{}] },
		spec: { path: './apps/staging', sourceRef: { kind: 'GitRepository', name: 'flux-system' } },
		status: { conditions: [{ type: 'Reconciling', status: 'False' }, { type: 'Ready', status: 'True', reason: 'ReconciliationSucceeded', message: `Applied revision: main@sha1:${HEAD}`, lastTransitionTime: '2026-12-01T09:12:44Z' }], lastAppliedRevision: `main@sha1:${HEAD}`, inventory: { entries: [{ id: 'x' }] } },
	});
	assert.deepEqual(ok, { kind: 'Kustomization', group: 'kustomize.toolkit.fluxcd.io', namespace: 'flux-system', name: 'apps', ready: true, reason: 'ReconciliationSucceeded', message: `Applied revision: main@sha1:${HEAD}`, since: '2026-12-01T09:12:44Z', revision: `main@sha1:${HEAD}`, path: './apps/staging' });
	const failed = gitopsStateOf({ apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'apps', namespace: 'flux-system' }, spec: { suspend: true }, status: { conditions: [{ type: 'Ready', status: 'False', reason: 'BuildFailed', message: 'kustomize build failed' }] } });
	assert.equal(failed?.ready, false);
	assert.equal(failed?.reason, 'BuildFailed');
	assert.equal(failed?.suspended, true);
	// No status yet: the controller has not reconciled it, so nothing is known (not a failure).
	assert.equal(gitopsStateOf({ apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'new' } })?.ready, null);
});

test('a HelmRelease: v2 reports the chart version of its newest history entry, v2beta1 its lastAppliedRevision', () => {
	const v2 = gitopsStateOf({ apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name: 'velero', namespace: 'velero' }, status: { conditions: [{ type: 'Ready', status: 'True', reason: 'UpgradeSucceeded' }], history: [{ chartVersion: '8.1.0', status: 'deployed', values: { password: 'p' } }, { chartVersion: '8.0.0' }] } });
	assert.equal(v2?.revision, '8.1.0');
	assert.equal(JSON.stringify(v2).includes('password'), false, 'history values are not kept');
	const beta = gitopsStateOf({ apiVersion: 'helm.toolkit.fluxcd.io/v2beta1', kind: 'HelmRelease', metadata: { name: 'x' }, status: { lastAppliedRevision: '1.2.3' } });
	assert.equal(beta?.revision, '1.2.3');
});

test('an Argo CD Application: synced and healthy is ready; out of sync or degraded is not, with the failed operation\'s message', () => {
	const app = (status: Record<string, unknown>, spec: Record<string, unknown> = { source: { path: 'apps/prod', repoURL: 'https://github.com/acme/fleet' } }) =>
		gitopsStateOf({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'web', namespace: 'argocd' }, spec, status });
	const healthy = app({ sync: { status: 'Synced', revision: HEAD }, health: { status: 'Healthy' }, resources: [{ kind: 'Secret', name: 's' }] });
	assert.deepEqual(healthy, { kind: 'Application', group: 'argoproj.io', namespace: 'argocd', name: 'web', ready: true, reason: 'Healthy', revision: HEAD, path: 'apps/prod', syncStatus: 'Synced', health: 'Healthy' });
	const broken = app({ sync: { status: 'OutOfSync', revision: HEAD }, health: { status: 'Degraded', message: 'Deployment web exceeded its progress deadline' }, operationState: { phase: 'Failed', message: 'one or more objects failed to apply', finishedAt: '2026-12-02T10:00:00Z' } });
	assert.equal(broken?.ready, false);
	assert.equal(broken?.message, 'one or more objects failed to apply');
	assert.equal(broken?.since, '2026-12-02T10:00:00Z');
	// Multi-source Applications: the first source's path.
	assert.equal(app({ sync: { status: 'Synced' }, health: { status: 'Healthy' } }, { sources: [{ path: 'a' }, { path: 'b' }] })?.path, 'a');
	assert.equal(app({})?.ready, null);
});

test('the Flux Operator\'s FluxReport: distribution, components and the cluster sync', () => {
	const r = gitopsStateOf({
		apiVersion: 'fluxcd.controlplane.io/v1',
		kind: 'FluxReport',
		metadata: { name: 'flux', namespace: 'flux-system' },
		spec: {
			distribution: { version: 'v2.6.4', status: 'Installed', entitlement: 'Issued by controlplane' },
			components: [{ name: 'source-controller', ready: false, status: 'Deployment is not ready', image: 'ghcr.io/fluxcd/source-controller:v1.6.2' }, { nope: true }],
			sync: { id: 'kustomization/flux-system', path: 'clusters/prod', ready: false, status: 'Source artifact not found' },
			reconcilers: [{ kind: 'Kustomization', stats: { running: 5 } }],
		},
		status: { conditions: [{ type: 'Ready', status: 'True' }] },
	});
	assert.deepEqual(r?.report, { version: 'v2.6.4', distribution: 'Installed', components: [{ name: 'source-controller', ready: false, status: 'Deployment is not ready', image: 'ghcr.io/fluxcd/source-controller:v1.6.2' }], sync: { id: 'kustomization/flux-system', path: 'clusters/prod', ready: false, status: 'Source artifact not found' } });
	assert.equal(r?.ready, true);
});

test('hostile or foreign input: other kinds, no name, huge messages and credentials in URLs', () => {
	assert.equal(gitopsStateOf({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { token: 'c2VjcmV0' } }), undefined);
	assert.equal(gitopsStateOf({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', metadata: { name: 'k' } }), undefined, 'a kustomize kustomization is not a Flux one');
	assert.equal(gitopsStateOf({ apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: {} }), undefined);
	for (const junk of [null, 42, 'x', [], { kind: 'Kustomization' }]) assert.equal(gitopsStateOf(junk), undefined);
	const long = gitopsStateOf({ apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'k' }, status: { conditions: [{ type: 'Ready', status: 'False', message: `failed to checkout https://ci:ghp_SECRETTOKEN@github.com/acme/fleet ${'x'.repeat(5000)}` }] } });
	assert.ok(long!.message!.length <= 601, 'cut short');
	assert.ok(long!.message!.includes('https://***@github.com/acme/fleet'));
	assert.equal(long!.message!.includes('ghp_SECRETTOKEN'), false);
});

test('a cached state keeps exactly the GitOps fields (sanitizeState); anything else riding along is dropped', () => {
	const raw = {
		formatVersion: 1,
		cluster: 'c',
		version: { major: '1', minor: '30', gitVersion: 'v1.30.1' },
		gitops: [{ kind: 'Kustomization', group: 'kustomize.toolkit.fluxcd.io', name: 'apps', ready: false, reason: 'BuildFailed', token: 'abc', spec: { x: 1 } }, { kind: 'Secret', group: '', name: 's' }, 'junk'],
	};
	const state = sanitizeState(raw, 'cache');
	assert.deepEqual(state?.gitops, [{ kind: 'Kustomization', group: 'kustomize.toolkit.fluxcd.io', name: 'apps', ready: false, reason: 'BuildFailed' }]);
	assert.deepEqual(sanitizeGitOps('nope'), []);
	assert.equal(sanitizeState({ ...raw, gitops: [] }, 'cache')?.gitops, undefined);
});

test('the commit a revision names: Flux main@sha1:…, the older main/…, Argo CD\'s bare hash; none for chart versions', () => {
	assert.equal(commitOfRevision(`main@sha1:${HEAD}`), HEAD);
	assert.equal(commitOfRevision(`main/${HEAD}`), HEAD);
	assert.equal(commitOfRevision(HEAD), HEAD);
	assert.equal(commitOfRevision(`v1.2.3@sha256:${'b'.repeat(64)}`), 'b'.repeat(64));
	assert.equal(commitOfRevision('8.1.0'), undefined);
	assert.equal(commitOfRevision(undefined), undefined);
});

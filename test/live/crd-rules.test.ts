import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { liveProblems } from '../../server/src/engine/rules/live';
import { STATE_FORMAT_VERSION, type ClusterState, type CrdState } from '../../server/src/engine/live/state';
import { ObjectSet } from '../../server/src/engine/core/objects';
import { resourceHeader } from '../../server/src/engine/core/resource';
import { createNodeRegistry } from '../../server/src/host/registry';

/**
 * The validation rules of the CRD installed in a cluster: reported (rule id `policy`, engine
 * `crd`) only where they differ from the bundled schema's, which the static check reports.
 */

const registry = createNodeRegistry();
const NOW = new Date('2026-11-20T12:00:00Z');
const bundled = JSON.parse(readFileSync('schemas/crds/helm.toolkit.fluxcd.io/helmrelease_v2.json', 'utf8')) as Record<string, any>;

function state(schema: Record<string, unknown>): ClusterState {
	const crd: CrdState = { name: 'helmreleases.helm.toolkit.fluxcd.io', group: 'helm.toolkit.fluxcd.io', kind: 'HelmRelease', plural: 'helmreleases', namespaced: true, versions: [{ name: 'v2', served: true, storage: true, schema }] };
	return { formatVersion: STATE_FORMAT_VERSION, cluster: 'prod-1', origin: 'live', fetchedAt: NOW.toISOString(), version: { major: '1', minor: '30', gitVersion: 'v1.30.1' }, served: { 'helm.toolkit.fluxcd.io/v2': [{ kind: 'HelmRelease', plural: 'helmreleases', namespaced: true, verbs: ['list'] }] }, crds: [crd], objects: {} };
}

const hr = (spec: Record<string, unknown>) => ({ apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name: 'podinfo', namespace: 'apps' }, spec: { interval: '10m', chart: { spec: { chart: 'podinfo', sourceRef: { kind: 'HelmRepository', name: 'podinfo' } } }, ...spec } });
const run = (value: Record<string, unknown>, schema: Record<string, unknown>) =>
	liveProblems({ ...resourceHeader(value)!, documentIndex: 0, span: { start: 0, end: 0 }, value }, { name: 'prod-1', environment: 'production', production: true }, state(schema), new ObjectSet([], false), { now: NOW, schemas: registry }).filter((p) => p.ruleId === 'policy');

test('a rule only the installed CRD has is reported, naming the cluster; the bundled rules are left to the static check', () => {
	const installed = structuredClone(bundled);
	installed.properties.spec['x-kubernetes-validations'] = [...bundled.properties.spec['x-kubernetes-validations'], { rule: "self.interval != '10m'", message: 'the platform forbids a 10m interval' }];
	const ps = run(hr({}), installed);
	assert.equal(ps.length, 1);
	assert.deepEqual(ps[0].path, ['spec']);
	assert.match(ps[0].message, /^the platform forbids a 10m interval\. The helmreleases\.helm\.toolkit\.fluxcd\.io CRD installed in cluster prod-1 \(live[^)]*\) has this validation rule/);
	assert.deepEqual(ps[0].data?.policy, { engine: 'crd', policy: 'helmreleases.helm.toolkit.fluxcd.io', rule: "self.interval != '10m'" });
	assert.deepEqual(run(hr({ interval: '5m' }), installed), []);
	// The bundled schema installed as is: its rules are the static check's, not repeated here.
	assert.deepEqual(run(hr({ chart: undefined }), bundled), []);
});

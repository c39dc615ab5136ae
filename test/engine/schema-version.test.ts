import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Engine } from '../../server/src/engine/analysis/engine';
import type { RepoContext } from '../../server/src/engine/context/check-context';
import { fieldVersionCheck } from '../../server/src/engine/rules/checks/field-version';
import { defaultSettings } from '../../shared/settings';
import { fleetModel } from '../compliance/fleet-helpers';
import { registry, show, yaml } from './schema-helpers';

const SIDECAR = yaml(
	'apiVersion: apps/v1', // 0
	'kind: Deployment', // 1
	'metadata: {name: web}', // 2
	'spec:', // 3
	'  selector: {matchLabels: {app: web}}', // 4
	'  template:', // 5
	'    metadata: {labels: {app: web}}', // 6
	'    spec:', // 7
	'      initContainers:', // 8
	'        - name: proxy', // 9
	'          image: envoy', // 10
	'          restartPolicy: Always', // 11
	'      containers: [{name: app, image: nginx}]', // 12
);

function run(text: string, clusters: { name: string; kubernetesVersion?: string }[], kubernetesVersion = '1.30'): string[] {
	const engine = new Engine(registry, { ...defaultSettings(), kubernetesVersion }, [fieldVersionCheck(registry.fieldVersions)]);
	const fleet = fleetModel({ clusters: clusters.map((c) => ({ ...c, environment: 'dev' })), files: clusters.length > 0 ? { 'app.yaml': clusters.map((c) => c.name) } : {} });
	const repo: RepoContext = { isPatchFile: () => false, exists: () => true, fleet };
	return engine.analyze({ path: 'app.yaml', text }, repo).findings.map(show);
}

describe('schema-version: built-in fields judged at each target cluster version', () => {
	it('a sidecar container on a 1.27 cluster is an error naming the cluster and the version that introduced it', () => {
		assert.deepEqual(run(SIDECAR, [{ name: 'legacy-eu', kubernetesVersion: '1.27' }, { name: 'current-eu', kubernetesVersion: 'v1.31.4' }]), [
			'11:10-11:23 schema-version spec.template.spec.initContainers[0].restartPolicy: sidecar containers need Kubernetes 1.28 or later; legacy-eu runs 1.27. An older API server does not know the field: it rejects the object (server-side apply, strict field validation) or drops the field. Remove it for that cluster or upgrade the cluster.',
		]);
	});

	it('every cluster that is too old is named; clusters at or past the version are not', () => {
		const text = yaml('apiVersion: v1', 'kind: Service', 'metadata: {name: web}', 'spec:', '  ports: [{port: 80}]', '  trafficDistribution: PreferClose');
		assert.deepEqual(run(text, [{ name: 'a', kubernetesVersion: '1.28' }, { name: 'b', kubernetesVersion: '1.29' }, { name: 'c', kubernetesVersion: '1.30' }]), [
			'5:2-5:21 schema-version spec.trafficDistribution needs Kubernetes 1.30 or later (the field was added in 1.30); a (1.28) and b (1.29) run older versions. An older API server does not know the field: it rejects the object (server-side apply, strict field validation) or drops the field. Remove it for that cluster or upgrade the cluster.',
		]);
	});

	it('a cluster at the version that introduced the field, or newer than the window, is fine', () => {
		assert.deepEqual(run(SIDECAR, [{ name: 'eu', kubernetesVersion: '1.28' }]), []);
		assert.deepEqual(run(SIDECAR, [{ name: 'eu', kubernetesVersion: '1.36' }]), []);
	});

	it('a cluster older than the window is judged too (the field is missing there as well)', () => {
		assert.equal(run(SIDECAR, [{ name: 'ancient', kubernetesVersion: '1.25' }]).length, 1);
	});

	it('a file no cluster is known to receive is judged at fleetscope.kubernetesVersion', () => {
		const out = run(SIDECAR, [], '1.27');
		assert.equal(out.length, 1);
		assert.match(out[0], /; this repository targets 1\.27 \(fleetscope\.kubernetesVersion 1\.27\)\./);
		assert.deepEqual(run(SIDECAR, [], '1.30'), []);
	});

	it('a cluster without a known version is judged at the setting', () => {
		assert.match(run(SIDECAR, [{ name: 'unknown' }], '1.27')[0], /; unknown runs 1\.27\./);
	});

	it('fields every version of the window has are never reported', () => {
		const text = yaml('apiVersion: v1', 'kind: Pod', 'metadata: {name: p}', 'spec:', '  schedulingGates: [{name: wait}]', '  containers: [{name: app, image: nginx, resizePolicy: [{resourceName: cpu, restartPolicy: NotRequired}]}]');
		assert.deepEqual(run(text, [{ name: 'legacy', kubernetesVersion: '1.27' }]), []);
	});
});

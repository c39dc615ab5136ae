import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kubernetesMinor } from '../../server/src/engine/schema/api-versions';
import { check, schemaEngine, yaml } from './schema-helpers';

const removed = (text: string, kubernetesVersion: string) => check(text, { engine: schemaEngine({ kubernetesVersion }) }).filter((f) => f.includes(' api-removed '));

describe('api-removed', () => {
	const cronJob = yaml('apiVersion: batch/v1beta1', 'kind: CronJob', 'metadata: {name: nightly}', 'spec: {}');

	it('reports an apiVersion removed by the target version on the apiVersion value, with the replacement', () => {
		assert.deepEqual(removed(cronJob, '1.25'), [
			'0:12-0:25 api-removed batch/v1beta1 CronJob was removed in Kubernetes 1.25 (this repository targets 1.25): use apiVersion batch/v1.',
		]);
		const deployment = yaml('apiVersion: extensions/v1beta1', 'kind: Deployment', 'metadata: {name: old}');
		assert.deepEqual(removed(deployment, '1.30'), [
			'0:12-0:30 api-removed extensions/v1beta1 Deployment was removed in Kubernetes 1.16 (this repository targets 1.30): use apiVersion apps/v1.',
		]);
	});

	it('stays quiet while the target version still serves it', () => {
		assert.deepEqual(removed(cronJob, '1.24'), []);
		const hpa = yaml('apiVersion: autoscaling/v2beta2', 'kind: HorizontalPodAutoscaler', 'metadata: {name: web}');
		assert.deepEqual(removed(hpa, '1.25'), []);
		assert.equal(removed(hpa, '1.26').length, 1);
	});

	it('never flags current apiVersions', () => {
		const current = yaml('apiVersion: batch/v1', 'kind: CronJob', 'metadata: {name: nightly}', '---', 'apiVersion: policy/v1', 'kind: PodDisruptionBudget', 'metadata: {name: p}');
		assert.deepEqual(removed(current, '1.33'), []);
	});

	it('says when there is no replacement', () => {
		const psp = yaml('apiVersion: policy/v1beta1', 'kind: PodSecurityPolicy', 'metadata: {name: restricted}');
		assert.deepEqual(removed(psp, '1.25'), [
			'0:12-0:26 api-removed policy/v1beta1 PodSecurityPolicy was removed in Kubernetes 1.25 (this repository targets 1.25). PodSecurityPolicy has no replacement API: enforce Pod Security Standards with Pod Security Admission (namespace labels) or a policy engine such as Kyverno.',
		]);
	});

	it('suggests a replacement the target version already serves', () => {
		const fs = yaml('apiVersion: flowcontrol.apiserver.k8s.io/v1beta1', 'kind: FlowSchema', 'metadata: {name: f}');
		assert.match(removed(fs, '1.26')[0], /use apiVersion flowcontrol\.apiserver\.k8s\.io\/v1beta3\.$/);
		assert.match(removed(fs, '1.30')[0], /use apiVersion flowcontrol\.apiserver\.k8s\.io\/v1\.$/);
	});

	it('reads Kubernetes versions as 1.x', () => {
		assert.deepEqual(['1.30', 'v1.29', '1.31.2', '2.0', 'latest'].map(kubernetesMinor), [30, 29, 31, undefined, undefined]);
	});
});

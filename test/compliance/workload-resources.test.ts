import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../../server/src/engine/analysis/engine';
import { EMPTY_REPO, type RepoContext } from '../../server/src/engine/context/check-context';
import { complianceChecks } from '../../server/src/engine/rules/compliance';
import { ruleMeta } from '../../server/src/engine/rules/catalog';
import { ObjectSet } from '../../server/src/engine/core/objects';
import { defaultSettings } from '../../shared/settings';
import { NO_SCHEMAS } from '../engine/helpers';
import { at, covered, pod } from './helpers';

function run(text: string, repo: RepoContext = EMPTY_REPO): { where: string[]; messages: string[]; missing: (string[] | undefined)[] } {
	const engine = new Engine(NO_SCHEMAS, defaultSettings(), [...complianceChecks]);
	const fs = engine.analyze({ path: 'app.yaml', text }, repo).findings.filter((f) => f.ruleId === 'workload-resources');
	return { where: fs.map((f) => `${at(f)} | ${covered(text, f)}`), messages: fs.map((f) => f.message), missing: fs.map((f) => f.data?.missing) };
}

const limitRange = (namespace: string | undefined, limits: unknown) => ({
	apiVersion: 'v1',
	kind: 'LimitRange',
	metadata: { name: 'defaults', ...(namespace ? { namespace } : {}) },
	spec: { limits },
});

function repoWith(...objects: unknown[]): RepoContext {
	return { ...EMPTY_REPO, objects: ObjectSet.fromValues(objects.map((value, i) => ({ file: `lr-${i}.yaml`, documentIndex: 0, value })), false) };
}

describe('workload-resources', () => {
	it('reports each container without cpu/memory requests or a memory limit: on the name without resources, else on resources', () => {
		const t = pod(`
containers:
  - name: web
    image: web
  - name: api
    image: api
    resources:
      requests:
        cpu: 250m
        memory: 256Mi
  - name: worker
    image: worker
    resources:
      requests:
        cpu: 250m
        memory: 256Mi
      limits:
        memory: 512Mi
`);
		const r = run(t);
		assert.deepEqual(r.where, ['6:12-6:15 warning workload-resources | web', '10:6-10:15 warning workload-resources | resources']);
		assert.deepEqual(r.messages, [
			'Container "web" sets no cpu request, memory request or memory limit: the scheduler cannot place it by what it needs and it is evicted first under pressure, and it can take all of the node\'s memory and get its neighbours OOM-killed. Set resources.requests.cpu, resources.requests.memory and resources.limits.memory (a CPU limit is not needed). (DORA Art. 9(2))',
			'Container "api" sets no memory limit: it can take all of the node\'s memory and get its neighbours OOM-killed. Set resources.limits.memory (a CPU limit is not needed). (DORA Art. 9(2))',
		]);
		assert.deepEqual(r.missing, [['requests.cpu', 'requests.memory', 'limits.memory'], ['limits.memory']]);
	});

	it('a limit stands in for the request (Kubernetes defaults requests to limits); a CPU limit is never required', () => {
		assert.deepEqual(run(pod('containers:\n  - name: a\n    image: a\n    resources:\n      limits: {cpu: "1", memory: 1Gi}\n')).where, []);
		const r = run(pod('containers:\n  - name: a\n    image: a\n    resources:\n      limits:\n        cpu: "1"\n'));
		assert.deepEqual(r.missing, [['requests.memory', 'limits.memory']]);
	});

	it('checks native sidecars but not plain init containers or ephemeral containers', () => {
		const t = pod(`
initContainers:
  - name: migrate
    image: tool
  - name: proxy
    image: envoy
    restartPolicy: Always
containers:
  - name: web
    image: web
    resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {memory: 64Mi}}
ephemeralContainers:
  - name: debug
    image: busybox
`);
		assert.deepEqual(run(t).where, ['8:12-8:17 warning workload-resources | proxy']);
		assert.match(run(t).messages[0], /^Init container "proxy" sets no/);
	});

	it('pod-level resources (Kubernetes 1.32+) cover every container', () => {
		const t = pod('resources:\n  requests: {cpu: "1", memory: 1Gi}\n  limits: {memory: 1Gi}\ncontainers:\n  - name: a\n    image: a\n  - name: b\n    image: b\n');
		assert.deepEqual(run(t).where, []);
	});

	it('a LimitRange of the namespace with Container defaults fills in what it defines', () => {
		const t = pod('containers:\n  - name: a\n    image: a\n', { namespace: 'shop' });
		const full = limitRange('shop', [{ type: 'Container', default: { memory: '512Mi' }, defaultRequest: { cpu: '100m', memory: '256Mi' } }]);
		assert.deepEqual(run(t, repoWith(full)).where, []);
		// Another namespace's LimitRange does not apply; a Pod-type limit sets no container defaults.
		assert.equal(run(t, repoWith(limitRange('other', full.spec.limits))).where.length, 1);
		assert.equal(run(t, repoWith(limitRange('shop', [{ type: 'Pod', max: { memory: '1Gi' } }]))).where.length, 1);
		// A default cpu limit gives the request too; the memory limit is still missing.
		assert.deepEqual(run(t, repoWith(limitRange('shop', [{ type: 'Container', default: { cpu: '1' }, defaultRequest: { memory: '64Mi' } }]))).missing, [['limits.memory']]);
		// Without a namespace in the file (kustomize or Flux sets it), any LimitRange of the repository may apply.
		assert.deepEqual(run(pod('containers:\n  - name: a\n    image: a\n'), repoWith(full)).where, []);
	});

	it('does not crash or report on bad shapes', () => {
		const cases = [
			'containers:\n  - name: a\n    image: a\n    resources: "small"\n',
			'containers:\n  - "a"\n',
			'containers: a\n',
			'containers:\n  - name: a\n    image: a\n    resources:\n      requests: [cpu]\n      limits: {memory: 1Gi, cpu: 1}\n',
		];
		assert.deepEqual(run(pod(cases[1])).where, []);
		assert.deepEqual(run(pod(cases[2])).where, []);
		// A resources value of the wrong type is a schema problem; the rule still says what is missing, on the container name.
		assert.deepEqual(run(pod(cases[0])).where, ['6:12-6:13 warning workload-resources | a']);
		assert.deepEqual(run(pod(cases[3])).where, []);
		const lr = repoWith({ apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'x' }, spec: { limits: 'many' } }, { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'y' }, spec: 'none' });
		assert.equal(run(pod('containers:\n  - name: a\n    image: a\n'), lr).where.length, 1);
	});

	it('evidences DORA Art. 9(2), says why CPU limits are not required, and belongs to the dora framework', () => {
		const meta = ruleMeta('workload-resources')!;
		assert.deepEqual(meta.controls, ['DORA-Art9(2)']);
		assert.match(meta.rationale, /CPU limits are deliberately not required/);
		const engine = new Engine(NO_SCHEMAS, { ...defaultSettings(), 'compliance.profiles': ['cis', 'pss'] }, [...complianceChecks]);
		const fs = engine.analyze({ path: 'a.yaml', text: pod('containers:\n  - name: a\n    image: a\n') }, EMPTY_REPO).findings;
		assert.ok(!fs.some((f) => f.ruleId === 'workload-resources'));
	});
});

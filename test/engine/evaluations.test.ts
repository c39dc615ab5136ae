import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../../server/src/engine/analysis/engine';
import { EMPTY_REPO, type RepoContext } from '../../server/src/engine/context/check-context';
import { complianceChecks, InMemoryNamespaces } from '../../server/src/engine/rules/compliance';
import { defaultSettings } from '../../shared/settings';
import { NO_SCHEMAS } from './helpers';

/**
 * The engine records which checks evaluated which resource (what a compliance report needs to tell
 * "passed" from "not evaluated"), cached with the findings of each YAML document segment.
 */

const DEPLOYMENT = (name: string, namespace: string, extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  template:
    spec:
      serviceAccountName: ${name}
      containers:
        - name: app
          image: app:1.0${extra}
`;
const CONFIGMAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: web\ndata:\n  a: "1"\n';

function repoWith(namespaces: Record<string, Record<string, string>> = {}, patches: string[] = []): RepoContext {
	return Object.assign(new InMemoryNamespaces(namespaces), { isPatchFile: (p: string) => patches.includes(p), exists: EMPTY_REPO.exists });
}

const engine = () => new Engine(NO_SCHEMAS, defaultSettings(), [...complianceChecks]);

test('each resource lists the checks that evaluated it, by document index', () => {
	const text = `${DEPLOYMENT('web', 'web')}---\n${CONFIGMAP}`;
	const a = engine().analyze({ path: 'app.yaml', text }, repoWith());
	assert.deepEqual(
		a.evaluations?.map((e) => e.documentIndex),
		[0, 1],
	);
	const deployment = a.evaluations![0].checks;
	assert.ok(deployment.includes('pss-privileged'), 'a baseline PSS check evaluates the Deployment');
	assert.ok(deployment.includes('pss-runAsNonRoot'), 'at baseline, restricted checks are evaluated too (their findings are warnings)');
	assert.ok(deployment.includes('cis-default-namespace'));
	assert.ok(deployment.includes('cis-pod-default-service-account'), 'the pod names its ServiceAccount');
	assert.ok(!deployment.includes('cis-rbac-wildcards'), 'an RBAC rule does not apply to a Deployment');
	assert.deepEqual(a.evaluations![1].checks, ['cis-default-namespace']);
});

test('a restricted PSS check in a namespace that enforces privileged applies but evaluates nothing', () => {
	const a = engine().analyze({ path: 'app.yaml', text: DEPLOYMENT('web', 'tools') }, repoWith({ tools: { 'pod-security.kubernetes.io/enforce': 'privileged' } }));
	const checks = a.evaluations![0].checks;
	assert.ok(checks.includes('pss-privileged'), 'baseline is still evaluated (its findings are info there)');
	assert.ok(!checks.includes('pss-runAsNonRoot'));
	assert.ok(!checks.includes('pss-seccompProfile_restricted'));
});

test('a check newer than the Kubernetes version, and objects whose namespace is decided elsewhere, are not evaluated', () => {
	const text = DEPLOYMENT('web', 'web').replace('  namespace: web\n', '');
	const a = new Engine(NO_SCHEMAS, { ...defaultSettings(), kubernetesVersion: '1.21' }, [...complianceChecks]).analyze({ path: 'app.yaml', text }, repoWith());
	const checks = a.evaluations![0].checks;
	assert.ok(!checks.includes('pss-capabilities_restricted'), 'capabilities_restricted exists from 1.22');
	assert.ok(checks.includes('pss-runAsNonRoot'));
	assert.ok(!checks.includes('cis-default-namespace'), 'no metadata.namespace: kustomize, Flux or Argo CD set it');
});

test('a pod that names no ServiceAccount is not evaluated for CIS 5.1.5/5.1.6, and a kustomize patch evaluates no compliance rule', () => {
	const noAccount = DEPLOYMENT('web', 'web').replace('      serviceAccountName: web\n', '');
	const a = engine().analyze({ path: 'app.yaml', text: noAccount }, repoWith());
	assert.ok(!a.evaluations![0].checks.includes('cis-pod-default-service-account'));
	const patch = engine().analyze({ path: 'overlay/patch.yaml', text: DEPLOYMENT('web', 'web') }, repoWith({}, ['overlay/patch.yaml']));
	assert.deepEqual(patch.evaluations, []);
});

test('evaluations are cached with the segment and re-indexed when documents are added before it', () => {
	const e = engine();
	const repo = repoWith();
	const first = e.analyze({ path: 'app.yaml', text: DEPLOYMENT('web', 'web') }, repo);
	const second = e.analyze({ path: 'app.yaml', text: `${CONFIGMAP}---\n${DEPLOYMENT('web', 'web')}` }, repo, first);
	assert.deepEqual(
		second.evaluations?.map((x) => [x.documentIndex, x.checks.length > 1]),
		[
			[0, false],
			[1, true],
		],
	);
	assert.deepEqual(second.evaluations![1].checks, first.evaluations![0].checks);
});

test('a file that is not parsed has no evaluations', () => {
	const a = engine().analyze({ path: 'chart/templates/x.yaml', text: 'kind: {{ .Values.kind }}\n' }, repoWith());
	assert.ok(a.skipped);
	assert.equal(a.evaluations, undefined);
});

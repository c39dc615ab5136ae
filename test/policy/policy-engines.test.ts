import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PolicyEvaluator } from '../../server/src/engine/rules/policy/policy-set';
import type { PolicyWorld, RuleResult } from '../../server/src/engine/rules/policy/types';

/**
 * The evaluators end to end on one object each: foreach (nested, element scope), context
 * entries, validate.cel, podSecurity, ValidatingPolicy autogen, VAP params, namespaceSelector
 * and match conditions.
 */

type Json = Record<string, unknown>;
const evaluator = new PolicyEvaluator();
const objects: Json[] = [
	{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'registries', namespace: 'kyverno' }, data: { allowed: '["ghcr.io/acme"]' } },
	{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'limits', namespace: 'default', labels: { kind: 'limits' } }, data: { max: '3' } },
];
const world = (labels: Record<string, Record<string, string>> = {}): PolicyWorld => ({
	namespaceLabels: (n) => labels[n],
	// As the repository's raw index: a kind it holds none of is unknown (undefined), not absent.
	lookup: (_apiVersion, kind, ns, name) => (objects.some((o) => o.kind === kind) ? objects.filter((o) => o.kind === kind && (ns === undefined || (o.metadata as Json).namespace === ns) && (name === undefined || (o.metadata as Json).name === name)) : undefined),
	operation: 'CREATE',
});
const run = (policies: Json[], resource: Json, w = world()): RuleResult[] => evaluator.set(policies.map((value) => ({ value }))).evaluate(resource, w);
const one = (policies: Json[], resource: Json, w?: PolicyWorld) => {
	const r = run(policies, resource, w);
	assert.equal(r.length, 1, JSON.stringify(r));
	return r[0];
};

const pod = (containers: Json[], extra: Json = {}): Json => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers, ...extra } });
const cp = (rule: Json): Json => ({ apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', metadata: { name: 'cp', annotations: { 'pod-policies.kyverno.io/autogen-controllers': 'none' } }, spec: { validationFailureAction: 'Enforce', rules: [{ name: 'r', match: { any: [{ resources: { kinds: ['Pod'] } }] }, ...rule }] } });

test('foreach over containers: the failing element is pointed at; no element applying is a skip; nested foreach', () => {
	const policy = cp({ validate: { message: 'drop ALL', foreach: [{ list: 'request.object.spec.containers', deny: { conditions: { all: [{ key: 'ALL', operator: 'AnyNotIn', value: '{{ element.securityContext.capabilities.drop || `[]` }}' }] } } }] } });
	const bad = one([policy], pod([{ name: 'a', securityContext: { capabilities: { drop: ['ALL'] } } }, { name: 'b' }]));
	assert.equal(bad.status, 'fail');
	assert.deepEqual(bad.path?.slice(0, 3), ['spec', 'containers', 1]);
	assert.equal(one([policy], pod([{ name: 'a', securityContext: { capabilities: { drop: ['ALL'] } } }])).status, 'pass');
	assert.equal(one([policy], pod([])).status, 'skip');
	const nested = cp({ validate: { foreach: [{ list: 'request.object.spec.containers', foreach: [{ list: 'element.ports', pattern: { containerPort: '<1024 | >2000' } }] }] } });
	assert.equal(one([nested], pod([{ name: 'a', ports: [{ containerPort: 8080 }] }])).status, 'pass');
	assert.equal(one([nested], pod([{ name: 'a', ports: [{ containerPort: 1500 }] }])).status, 'fail');
});

test('context entries: a variable, a ConfigMap from the repository; an API call Git cannot answer is not evaluated', () => {
	const withConfigMap = cp({
		context: [{ name: 'reg', configMap: { name: 'registries', namespace: 'kyverno' } }, { name: 'images', variable: { jmesPath: 'request.object.spec.containers[].image' } }],
		validate: { deny: { conditions: { any: [{ key: "{{ images[?!starts_with(@, 'ghcr.io/acme')] | length(@) }}", operator: 'GreaterThan', value: 0 }] } } },
	});
	assert.equal(one([withConfigMap], pod([{ name: 'a', image: 'ghcr.io/acme/x:1' }])).status, 'pass');
	assert.equal(one([withConfigMap], pod([{ name: 'a', image: 'docker.io/x:1' }])).status, 'fail');
	const apiCall = cp({ context: [{ name: 'pods', apiCall: { urlPath: '/api/v1/namespaces/default/pods', jmesPath: 'items | length(@)' } }], validate: { deny: { conditions: { any: [{ key: '{{ pods }}', operator: 'GreaterThan', value: 10 }] } } } });
	const r = one([apiCall], pod([{ name: 'a' }]));
	assert.equal(r.status, 'not-evaluated');
	assert.match(r.message, /context entry pods/);
});

test('validate.cel with celPreconditions and variables; podSecurity with exclusions', () => {
	const cel = cp({ celPreconditions: [{ name: 'named', expression: "object.metadata.name != 'skip-me'" }], validate: { cel: { variables: [{ name: 'all', expression: 'object.spec.containers' }], expressions: [{ expression: 'variables.all.all(c, !c.image.endsWith(":latest"))', message: 'no latest' }] } } });
	assert.equal(one([cel], pod([{ name: 'a', image: 'x:latest' }])).status, 'fail');
	assert.equal(one([cel], pod([{ name: 'a', image: 'x:1' }])).status, 'pass');
	assert.equal(one([cel], { ...pod([{ name: 'a', image: 'x:latest' }]), metadata: { name: 'skip-me' } }).status, 'skip');
	const pss = cp({ validate: { podSecurity: { level: 'baseline', version: 'latest' } } });
	const priv = one([pss], pod([{ name: 'a', image: 'x:1', securityContext: { privileged: true } }]));
	assert.equal(priv.status, 'fail');
	assert.match(priv.message, /Privileged Containers/);
	assert.deepEqual(priv.path, ['spec', 'containers', 0, 'securityContext', 'privileged']);
	const exempt = cp({ validate: { podSecurity: { level: 'baseline', version: 'latest', exclude: [{ controlName: 'Privileged Containers', images: ['x:*'] }] } } });
	assert.equal(one([exempt], pod([{ name: 'a', image: 'x:1', securityContext: { privileged: true } }])).status, 'pass');
});

const vpol: Json = {
	apiVersion: 'policies.kyverno.io/v1alpha1',
	kind: 'ValidatingPolicy',
	metadata: { name: 'no-host-network' },
	spec: { validationActions: ['Deny'], matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] }] }, validations: [{ expression: 'object.spec.?hostNetwork.orValue(false) == false', message: 'no hostNetwork' }] },
};

test('a ValidatingPolicy judges Pods and, through its autogen variants, Deployments and CronJobs', () => {
	const deploy = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { template: { spec: { hostNetwork: true, containers: [] } } } };
	const cron = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c' }, spec: { jobTemplate: { spec: { template: { spec: { hostNetwork: true, containers: [] } } } } } };
	const d = one([vpol], deploy);
	assert.equal(d.status, 'fail');
	assert.equal(d.rule, 'autogen-defaults-no-host-network');
	assert.equal(d.severity, 'error');
	assert.deepEqual(d.path, ['spec', 'template', 'spec', 'hostNetwork']);
	assert.equal(one([vpol], cron).rule, 'autogen-cronjobs-no-host-network');
	assert.equal(one([vpol], pod([], { hostNetwork: false })).status, 'pass');
});

const vap = (extra: Json): Json => ({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicy', metadata: { name: 'vap' }, spec: { matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['*'], resources: ['pods'] }] }, validations: [{ expression: 'size(object.spec.containers) <= int(params.data.max)', messageExpression: "'at most ' + params.data.max + ' containers'" }], paramKind: { apiVersion: 'v1', kind: 'ConfigMap' }, ...extra } });
const binding = (spec: Json): Json => ({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding', metadata: { name: 'b' }, spec: { policyName: 'vap', validationActions: ['Warn'], ...spec } });

test('a ValidatingAdmissionPolicy with params from the repository, through its binding', () => {
	const four = pod([{ name: 'a' }, { name: 'b' }, { name: 'c' }, { name: 'd' }]);
	const byName = one([vap({}), binding({ paramRef: { name: 'limits', namespace: 'default' } })], four);
	assert.equal(byName.status, 'fail');
	assert.equal(byName.message, 'at most 3 containers');
	assert.equal(byName.severity, 'warning');
	assert.equal(one([vap({}), binding({ paramRef: { selector: { matchLabels: { kind: 'limits' } }, namespace: 'default' } })], pod([{ name: 'a' }])).status, 'pass');
	const missing = one([vap({}), binding({ paramRef: { name: 'nope', namespace: 'default' } })], four);
	assert.equal(missing.status, 'not-evaluated');
	assert.match(missing.message, /no ConfigMap nope param object/);
	assert.equal(one([vap({}), binding({ paramRef: { name: 'nope', namespace: 'default', parameterNotFoundAction: 'Allow' } })], four).status, 'pass');
});

test('namespaceSelector against the namespace labels the repository declares, and match conditions', () => {
	const scoped = vap({ paramKind: undefined, validations: [{ expression: 'false', message: 'never' }], matchConstraints: { namespaceSelector: { matchLabels: { env: 'prod' } }, resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['*'], resources: ['pods'] }] } });
	const inProd = { ...pod([]), metadata: { name: 'p', namespace: 'shop' } };
	assert.equal(one([scoped, binding({})], inProd, world({ shop: { env: 'prod' } })).status, 'fail');
	assert.deepEqual(run([scoped, binding({})], inProd, world({ shop: { env: 'dev' } })), []);
	assert.equal(one([scoped, binding({})], inProd, world()).status, 'not-evaluated', 'labels unknown: never guessed');
	const conditioned = vap({ paramKind: undefined, matchConditions: [{ name: 'not-system', expression: "object.metadata.namespace != 'kube-system'" }], validations: [{ expression: 'false' }] });
	assert.equal(one([conditioned, binding({})], { ...pod([]), metadata: { name: 'p', namespace: 'kube-system' } }).status, 'skip');
	const failed = one([conditioned, binding({})], pod([]));
	assert.equal(failed.status, 'fail');
	assert.equal(failed.message, 'failed expression: false');
});

test('failurePolicy: Ignore turns an evaluation error into a skip; Fail (the default) into an error', () => {
	const broken = (fp?: string) => vap({ paramKind: undefined, ...(fp ? { failurePolicy: fp } : {}), validations: [{ expression: 'object.spec.nothing.here == 1' }] });
	assert.equal(one([broken(), binding({})], pod([])).status, 'error');
	assert.equal(one([broken('Ignore'), binding({})], pod([])).status, 'skip');
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { check, PATCH_REPO, registry, yaml } from './schema-helpers';

const DEPLOYMENT = yaml(
	'apiVersion: apps/v1', // 0
	'kind: Deployment', // 1
	'metadata:', // 2
	'  name: web', // 3
	'  namespace: shop', // 4
	'  labels: {app: web}', // 5
	'  annotations:', // 6
	'    app.kubernetes.io/part-of: shop', // 7
	'spec:', // 8
	'  replicas: 3', // 9
	'  selector:', // 10
	'    matchLabels: {app: web}', // 11
	'  strategy:', // 12
	'    rollingUpdate: {maxSurge: 25%, maxUnavailable: 1}', // 13
	'  template:', // 14
	'    metadata:', // 15
	'      labels: {app: web}', // 16
	'    spec:', // 17
	'      containers:', // 18
	'        - name: web', // 19
	'          image: nginx:1.25', // 20
	'          imagePullPolicy: IfNotPresent', // 21
	'          ports:', // 22
	'            - {containerPort: 8080, name: http, protocol: TCP}', // 23
	'          env:', // 24
	'            - {name: MODE, value: "1.30"}', // 25
	'          resources:', // 26
	'            requests: {cpu: 250m, memory: 64Mi}', // 27
	'            limits: {cpu: 1, memory: 1Gi}', // 28
	'          readinessProbe:', // 29
	'            httpGet: {path: /healthz, port: http}', // 30
);

describe('built-in kinds: no false positives', () => {
	it('accepts a realistic Deployment (IntOrString, Quantity, maps with any key)', () => {
		assert.deepEqual(check(DEPLOYMENT), []);
	});

	it('accepts a Service, a ConfigMap with quoted values and kubectl dry-run output (null timestamps, empty status)', () => {
		const text = yaml(
			'apiVersion: v1',
			'kind: Service',
			'metadata: {name: web, creationTimestamp: null}',
			'spec:',
			'  type: ClusterIP',
			'  selector: {app: web}',
			'  ports: [{name: http, port: 80, targetPort: http}]',
			'status:',
			'  loadBalancer: {}',
			'  anythingAControllerWrites: true',
			'---',
			'apiVersion: v1',
			'kind: ConfigMap',
			'metadata: {name: cfg}',
			'data:',
			'  version: "1.30"',
			'  enabled: "yes"',
			'  since: 2024-01-31',
		);
		assert.deepEqual(check(text), []);
	});

	it('never flags a kind it has no schema for', () => {
		const text = yaml('apiVersion: example.com/v1', 'kind: Widget', 'metadata: {name: w}', 'spec:', '  whatever: [1, 2]', '  replicas: "three"');
		assert.deepEqual(check(text), []);
		assert.equal(registry.lookup('example.com/v1', 'Widget'), undefined);
	});
});

describe('built-in kinds: errors on the exact node', () => {
	it('reports an unknown field on its key, with a did-you-mean', () => {
		const text = DEPLOYMENT.replace('imagePullPolicy: IfNotPresent', 'imagePullPolicyy: IfNotPresent');
		assert.deepEqual(check(text), [
			'21:10-21:26 schema-unknown-field spec.template.spec.containers[0].imagePullPolicyy is not a field of Container. Did you mean imagePullPolicy?',
		]);
	});

	it('reports an unknown field in metadata as not a field of ObjectMeta', () => {
		const text = DEPLOYMENT.replace('  labels: {app: web}\n  annotations', '  lables: {app: web}\n  annotations');
		assert.deepEqual(check(text), ['5:2-5:8 schema-unknown-field metadata.lables is not a field of ObjectMeta. Did you mean labels?']);
	});

	it('reports a wrong type on the value, in plain words', () => {
		const text = DEPLOYMENT.replace('replicas: 3', 'replicas: "3"');
		assert.deepEqual(check(text), ['9:12-9:15 schema-type spec.replicas must be an integer, got the string "3"']);
	});

	it('reports a missing required field on the key of the parent mapping', () => {
		const text = DEPLOYMENT.replace('  selector:\n    matchLabels: {app: web}\n', '');
		assert.deepEqual(check(text), ['8:0-8:4 schema-required spec is missing the required field selector.']);
	});

	it('reports a missing required field of a list item on the item\'s first key', () => {
		const text = DEPLOYMENT.replace('        - name: web\n          image: nginx:1.25', '        - image: nginx:1.25');
		assert.deepEqual(check(text), ['19:10-19:15 schema-required spec.template.spec.containers[0] is missing the required field name.']);
	});

	it('reports a value outside an enum with the allowed values and a did-you-mean', () => {
		const text = DEPLOYMENT.replace('imagePullPolicy: IfNotPresent', 'imagePullPolicy: always');
		assert.deepEqual(check(text), [
			'21:27-21:33 schema-enum spec.template.spec.containers[0].imagePullPolicy must be one of Always, IfNotPresent, Never, got the string "always". Did you mean Always?',
		]);
	});

	it('reports an invalid quantity as one clear message, not oneOf noise', () => {
		const text = DEPLOYMENT.replace('memory: 1Gi', 'memory: 1GB');
		assert.deepEqual(check(text), [
			'28:37-28:40 schema-value spec.template.spec.containers[0].resources.limits.memory must be a Kubernetes quantity such as 512Mi, 2Gi, 500m or 1.5, got the string "1GB"',
		]);
	});

	it('reports an IntOrString of the wrong type as one message', () => {
		const text = DEPLOYMENT.replace('port: http}', 'port: {name: http}}');
		assert.deepEqual(check(text), [
			'30:44-30:56 schema-type spec.template.spec.containers[0].readinessProbe.httpGet.port must be a string or an integer, got a mapping',
		]);
	});

	it('validates each item of a v1 List as its own kind', () => {
		const text = yaml('apiVersion: v1', 'kind: List', 'items:', '  - apiVersion: v1', '    kind: Service', '    metadata: {name: s}', '    spec: {typo: 1}');
		assert.deepEqual(check(text), ['6:11-6:15 schema-unknown-field spec.typo is not a field of ServiceSpec. Did you mean type?']);
	});
});

describe('the YAML 1.1 trap', () => {
	it('explains a number whose text differs from what Kubernetes reads', () => {
		const text = yaml('apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: c}', 'data:', '  version: 1.30', '  mode: 0755');
		assert.deepEqual(check(text), [
			'4:11-4:15 yaml11-trap data.version must be a string: 1.30 is read as the number 1.3. Quote it: "1.30"',
			'5:8-5:12 yaml11-trap data.mode must be a string: 0755 is read as the number 493. Quote it: "0755"',
		]);
	});

	it('explains yes/no/on/off read as booleans', () => {
		const text = yaml('apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: c', '  labels: {enabled: on}', 'data:', '  debug: no');
		assert.deepEqual(check(text), [
			'6:9-6:11 yaml11-trap data.debug must be a string: no is read as the boolean false. Quote it: "no"',
			'4:20-4:22 yaml11-trap metadata.labels.enabled must be a string: on is read as the boolean true. Quote it: "on"',
		]);
	});

	it('gives a plain type error (with the quoting hint) where the text is what was meant', () => {
		const text = yaml('apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: c}', 'data:', '  port: 8080', '  flag: true');
		assert.deepEqual(check(text), [
			'4:8-4:12 schema-type data.port must be a string, got the number 8080. Quote it: "8080"',
			'5:8-5:12 schema-type data.flag must be a string, got the boolean true. Quote it: "true"',
		]);
	});
});

describe('partial (kustomize patch) files', () => {
	it('skip missing required fields but still report unknown fields and types', () => {
		const text = yaml(
			'apiVersion: apps/v1',
			'kind: Deployment',
			'metadata: {name: web}',
			'spec:',
			'  replicas: 2',
			'  template:',
			'    spec:',
			'      containers:',
			'        - name: web',
			'          $patch: delete',
			'          imagePullPolicyy: Always',
		);
		assert.deepEqual(check(text, { repo: PATCH_REPO }), [
			'10:10-10:26 schema-unknown-field spec.template.spec.containers[0].imagePullPolicyy is not a field of Container. Did you mean imagePullPolicy?',
		]);
		assert.deepEqual(check(text.replace('          $patch: delete\n', '')).filter((f) => f.includes('schema-required')), [
			'3:0-3:4 schema-required spec is missing the required field selector.',
		]);
	});
});

describe('describe (hover and completion)', () => {
	const schema = registry.lookup('apps/v1', 'Deployment')!;

	it('describes a field with its description and type', () => {
		const info = schema.describe(['spec', 'template', 'spec', 'containers', 0, 'image']);
		assert.equal(info?.type, 'string');
		assert.match(info?.description ?? '', /^Container image name\./);
	});

	it('lists the enum values of a field and the keys of an object', () => {
		assert.deepEqual(schema.describe(['spec', 'template', 'spec', 'containers', 0, 'imagePullPolicy'])?.enum, ['Always', 'IfNotPresent', 'Never']);
		const container = schema.describe(['spec', 'template', 'spec', 'containers', 0]);
		assert.equal(container?.type, 'Container');
		const name = container?.properties?.find((p) => p.name === 'name');
		assert.deepEqual([name?.required, name?.type], [true, 'string']);
		assert.equal(schema.describe(['spec', 'template', 'spec', 'containers'])?.type, '[]Container');
		assert.equal(schema.describe(['metadata', 'labels'])?.type, 'map[string]string');
	});

	it('returns nothing for a path the schema does not know', () => {
		assert.equal(schema.describe(['spec', 'nope']), undefined);
	});
});

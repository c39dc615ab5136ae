import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { check, PATCH_REPO, yaml } from './schema-helpers';

/** A Deployment whose pod spec is the given lines (indented under `spec:` of the template). */
const deployment = (...podSpec: string[]) =>
	yaml('apiVersion: apps/v1', 'kind: Deployment', 'metadata: {name: web}', 'spec:', '  selector: {matchLabels: {app: web}}', '  template:', '    metadata: {labels: {app: web}}', '    spec:', ...podSpec.map((l) => `      ${l}`));

describe('list topology of the built-in kinds', () => {
	it('two containers named app: containers are keyed by name, the API server rejects the pod', () => {
		const text = deployment('containers:', '  - name: app', '    image: nginx', '  - name: app', '    image: busybox');
		assert.deepEqual(check(text), [
			'11:16-11:19 schema-duplicate spec.template.spec.containers[1] has the same name "app" as spec.template.spec.containers[0]: containers is a list keyed by name, so the API server rejects the duplicate. Remove or rename one of them.',
		]);
	});

	it('an init container and a container of the same name (one set of names for the pod)', () => {
		const text = deployment('initContainers: [{name: app, image: busybox}]', 'containers: [{name: app, image: nginx}]');
		assert.deepEqual(check(text), [
			'8:30-8:33 schema-duplicate spec.template.spec.initContainers[0].name "app" is also the name of spec.template.spec.containers[0]: container names must be unique across containers, initContainers and ephemeralContainers, so the API server rejects the pod. Rename one of them.',
		]);
	});

	it('two Service ports 80/TCP (one with the protocol defaulted) are rejected; port 53 over TCP and UDP is not', () => {
		const text = yaml(
			'apiVersion: v1',
			'kind: Service',
			'metadata: {name: dns}',
			'spec:',
			'  ports:',
			'    - {name: http, port: 80}',
			'    - {name: http-alt, port: 80, protocol: TCP}',
			'    - {name: dns-tcp, port: 53, protocol: TCP}',
			'    - {name: dns-udp, port: 53, protocol: UDP}',
		);
		assert.deepEqual(check(text), [
			'6:29-6:31 schema-duplicate spec.ports[1] has the same port 80 and protocol "TCP" as spec.ports[0]: ports is a list keyed by port and protocol, so the API server rejects the duplicate. Remove or rename one of them.',
		]);
	});

	it('duplicate container ports and env names: server-side apply rejects them', () => {
		const text = deployment('containers:', '  - name: app', '    image: nginx', '    ports: [{containerPort: 53, protocol: UDP}, {containerPort: 53}, {containerPort: 53, protocol: TCP}]', '    env: [{name: MODE, value: a}, {name: MODE, value: b}]');
		const out = check(text).sort();
		assert.equal(out.length, 2);
		assert.match(out[0], /^11:91-11:93 schema-duplicate spec\.template\.spec\.containers\[0\]\.ports\[2\] has the same containerPort 53 and protocol "TCP" as spec\.template\.spec\.containers\[0\]\.ports\[1\]: ports is a list keyed by containerPort and protocol, so server-side apply \(Flux, Argo CD with ServerSideApply, kubectl apply --server-side\) rejects the object, and client-side apply keeps only one of them\./);
		assert.match(out[1], /^12:47-12:51 schema-duplicate spec\.template\.spec\.containers\[0\]\.env\[1\] has the same name "MODE"/);
	});

	it('volumes and volume mounts: duplicates are rejected, distinct ones are not', () => {
		const ok = deployment('containers: [{name: app, image: nginx, volumeMounts: [{name: a, mountPath: /a}, {name: a, mountPath: /b}]}]', 'volumes: [{name: a, emptyDir: {}}, {name: b, emptyDir: {}}]');
		assert.deepEqual(check(ok), []);
		const bad = deployment('containers: [{name: app, image: nginx, volumeMounts: [{name: a, mountPath: /a}, {name: b, mountPath: /a}]}]', 'volumes: [{name: a, emptyDir: {}}, {name: a, configMap: {name: c}}]');
		assert.deepEqual(
			check(bad).map((l) => l.split(' has the same ')[1]?.split(':')[0]),
			['mountPath "/a" as spec.template.spec.containers[0].volumeMounts[0]', 'name "a" as spec.template.spec.volumes[0]'],
		);
	});

	it('kustomize patches are merged into their base by key: a patch is not judged for duplicates', () => {
		const text = deployment('containers: [{name: app, image: nginx}, {name: app, image: nginx}]');
		assert.deepEqual(check(text, { repo: PATCH_REPO }).filter((l) => l.includes('schema-duplicate')), []);
	});

	it('names Flux substitutes are not compared', () => {
		const text = deployment('containers: [{name: "${app}", image: nginx}, {name: "${app}", image: nginx}]');
		assert.deepEqual(check(text), []);
	});
});

describe('Gateway API (the catalog) and the topology of custom resources', () => {
	it('a complete HTTPRoute is not an error', () => {
		const text = yaml(
			'apiVersion: gateway.networking.k8s.io/v1',
			'kind: HTTPRoute',
			'metadata: {name: web, namespace: apps}',
			'spec:',
			'  parentRefs: [{name: gateway, namespace: infra, sectionName: https}]',
			'  hostnames: [web.example.com]',
			'  rules:',
			'    - matches: [{path: {type: PathPrefix, value: /}}]',
			'      filters:',
			'        - type: RequestHeaderModifier',
			'          requestHeaderModifier: {add: [{name: X-Env, value: prod}]}',
			'      backendRefs:',
			'        - {name: web, port: 80, weight: 90}',
			'        - {name: web-canary, port: 80, weight: 10}',
		);
		assert.deepEqual(check(text), []);
	});

	it('an HTTPRoute with backendRef: for backendRefs:', () => {
		const text = yaml('apiVersion: gateway.networking.k8s.io/v1', 'kind: HTTPRoute', 'metadata: {name: web}', 'spec:', '  parentRefs: [{name: gateway}]', '  rules:', '    - backendRef:', '        - {name: web, port: 80}');
		assert.deepEqual(check(text), ['6:6-6:16 schema-unknown-field spec.rules[0].backendRef is not a field of HTTPRoute.spec.rules[0]. Did you mean backendRefs?']);
	});

	it('a Gateway without listeners, and a Gateway with two listeners named http', () => {
		const text = yaml(
			'apiVersion: gateway.networking.k8s.io/v1',
			'kind: Gateway',
			'metadata: {name: web}',
			'spec:',
			'  gatewayClassName: envoy',
			'---',
			'apiVersion: gateway.networking.k8s.io/v1',
			'kind: Gateway',
			'metadata: {name: web2}',
			'spec:',
			'  gatewayClassName: envoy',
			'  listeners:',
			'    - {name: http, protocol: HTTP, port: 80}',
			'    - {name: http, protocol: HTTPS, port: 443}',
		);
		assert.deepEqual(check(text), [
			'3:0-3:4 schema-required spec is missing the required field listeners.',
			'13:13-13:17 schema-duplicate spec.listeners[1] has the same name "http" as spec.listeners[0]: listeners is a list keyed by name, so the API server rejects the duplicate. Remove or rename one of them.',
		]);
	});
});

describe('the catalog: newer Kyverno kinds, Istio, Cilium, KEDA', () => {
	it('a Kyverno ValidatingPolicy (policies.kyverno.io/v1) validates, and its typos are found', () => {
		const policy = (field: string) =>
			yaml(
				'apiVersion: policies.kyverno.io/v1',
				'kind: ValidatingPolicy',
				'metadata: {name: require-labels}',
				'spec:',
				'  validationActions: [Deny]',
				'  matchConstraints:',
				'    resourceRules: [{apiGroups: [""], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [pods]}]',
				`  ${field}:`,
				'    - expression: "has(object.metadata.labels)"',
				'      message: "labels are required"',
			);
		assert.deepEqual(check(policy('validations')), []);
		assert.deepEqual(check(policy('validation')), ['7:2-7:12 schema-unknown-field spec.validation is not a field of ValidatingPolicy.spec. Did you mean validations?']);
	});

	it('an Istio VirtualService and a Cilium network policy validate; an unknown field is found', () => {
		const text = yaml(
			'apiVersion: networking.istio.io/v1',
			'kind: VirtualService',
			'metadata: {name: web}',
			'spec:',
			'  hosts: [web]',
			'  http: [{route: [{destination: {host: web, port: {number: 80}}, weight: 100}]}]',
			'---',
			'apiVersion: cilium.io/v2',
			'kind: CiliumNetworkPolicy',
			'metadata: {name: web}',
			'spec:',
			'  endpointSelector: {matchLabels: {app: web}}',
			'  ingress: [{fromEndpoints: [{matchLabels: {app: api}}]}]',
			'---',
			'apiVersion: networking.istio.io/v1',
			'kind: DestinationRule',
			'metadata: {name: web}',
			'spec:',
			'  host: web',
			'  trafficPolcy: {}',
		);
		assert.deepEqual(check(text), ['19:2-19:14 schema-unknown-field spec.trafficPolcy is not a field of DestinationRule.spec. Did you mean trafficPolicy?']);
	});

	it('a KEDA ScaledObject validates', () => {
		const text = yaml('apiVersion: keda.sh/v1alpha1', 'kind: ScaledObject', 'metadata: {name: web}', 'spec:', '  scaleTargetRef: {name: web}', '  triggers: [{type: cpu, metricType: Utilization, metadata: {value: "60"}}]');
		assert.deepEqual(check(text), []);
	});
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { registry } from './schema-helpers';

/** A custom resource's schema using the x-kubernetes-* extensions the apiextensions server enforces. */
const SCHEMA = {
	type: 'object',
	properties: {
		apiVersion: { type: 'string' },
		kind: { type: 'string' },
		metadata: { type: 'object' },
		spec: {
			type: 'object',
			properties: {
				maxSurge: { 'x-kubernetes-int-or-string': true },
				tags: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
				ports: {
					type: 'array',
					'x-kubernetes-list-type': 'map',
					'x-kubernetes-list-map-keys': ['port', 'protocol'],
					items: { type: 'object', properties: { port: { type: 'integer' }, protocol: { type: 'string', default: 'TCP' } }, required: ['port'] },
				},
				template: { type: 'object', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true },
			},
		},
	},
};

const schema = registry.compile('crd:example.com', 'Widget', SCHEMA);
const validate = (spec: Record<string, unknown>, partial = false) =>
	schema.validate({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec }, { partial }).map((p) => `${p.ruleId} ${JSON.stringify(p.path)} ${p.message}`);

describe('custom resources: the x-kubernetes-* extensions', () => {
	it('x-kubernetes-int-or-string: an integer or a string, nothing else', () => {
		assert.deepEqual(validate({ maxSurge: 1 }), []);
		assert.deepEqual(validate({ maxSurge: '25%' }), []);
		assert.deepEqual(validate({ maxSurge: [1] }), ['schema-type ["spec","maxSurge"] spec.maxSurge must be an integer or a string, got a list']);
	});

	it('x-kubernetes-list-type set: a duplicate item is rejected; distinct items are not', () => {
		assert.deepEqual(validate({ tags: ['a', 'b'] }), []);
		assert.deepEqual(validate({ tags: ['a', 'b', 'a'] }), [
			'schema-duplicate ["spec","tags",2] "a" is listed twice in spec.tags: tags is a set, so the API server rejects the duplicate. Remove or rename one of them.',
		]);
	});

	it('x-kubernetes-list-type map: keys compared with their defaults (53/TCP twice), 53 over TCP and UDP accepted', () => {
		assert.deepEqual(validate({ ports: [{ port: 53 }, { port: 53, protocol: 'UDP' }] }), []);
		assert.deepEqual(validate({ ports: [{ port: 53 }, { port: 53, protocol: 'TCP' }] }), [
			'schema-duplicate ["spec","ports",1,"port"] spec.ports[1] has the same port 53 and protocol "TCP" as spec.ports[0]: ports is a list keyed by port and protocol, so the API server rejects the duplicate. Remove or rename one of them.',
		]);
		assert.deepEqual(validate({ ports: [{ port: 53 }, { port: 53 }] }, true), [], 'a patch is merged by key, not judged');
	});

	it('x-kubernetes-embedded-resource: apiVersion and kind required, metadata validated; preserve-unknown-fields honoured', () => {
		assert.deepEqual(validate({ template: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { app: 'x' } }, data: { anything: 'goes' } } }), []);
		assert.deepEqual(validate({ template: { metadata: { name: 'a/b', labels: { app: 'x-' } } } }), [
			'schema-required ["spec","template"] spec.template is an embedded Kubernetes object and is missing apiVersion and kind: the API server rejects an embedded object without apiVersion and kind.',
			'schema-metadata ["spec","template","metadata","name"] The embedded object\'s metadata.name "a/b" contains "/": names of embedded objects may not be "." or ".." or contain "/" or "%", or the API server rejects it.',
			'schema-metadata ["spec","template","metadata","labels","app"] The value of label "app" ends with "-": label values are at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit (or empty), because selectors index them, or the API server rejects the object.',
		]);
	});

	it('the custom resource\'s own name is a DNS subdomain', () => {
		const out = schema.validate({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'My Widget' }, spec: {} }, { partial: false });
		assert.deepEqual(out.map((p) => p.ruleId), ['schema-metadata']);
	});
});

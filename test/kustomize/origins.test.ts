import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { renderKustomization, type RenderedObject } from '../../server/src/engine/kustomize';
import { memFs } from './helpers';

/** Every rendered value says where it came from, so findings land on the line that produced it. */

const files = {
	'apps/base/kustomization.yaml': 'resources:\n- deployment.yaml\n- service.yaml\n',
	'apps/base/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx:1.0
        env:
        - name: MODE
          value: base
`,
	'apps/base/service.yaml': `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
  - port: 80
`,
	'apps/prod/kustomization.yaml': `resources:
- ../base
namespace: prod
namePrefix: prod-
commonLabels:
  team: web
images:
- name: nginx
  newTag: "1.25"
replicas:
- name: web
  count: 3
configMapGenerator:
- name: web-config
  literals:
  - LOG_LEVEL=warn
  files:
  - app.properties
patches:
- path: patches.yaml
- target:
    kind: Service
  patch: |-
    - op: add
      path: /spec/ports/0/name
      value: http
`,
	'apps/prod/app.properties': 'a=b\n',
	'apps/prod/patches.yaml': `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
      - name: web
        resources:
          limits:
            memory: 256Mi
        env:
        - name: EXTRA
          value: prod
`,
};

function objects(): Map<string, RenderedObject> {
	const r = renderKustomization('apps/prod', memFs({ ...files }));
	assert.deepEqual(r.notes, []);
	return new Map(r.objects.map((o) => [`${o.value.kind}/${(o.value.metadata as { name: string }).name}`, o]));
}

const container = ['spec', 'template', 'spec', 'containers', 0];

describe('kustomize origins', () => {
	const objs = objects();
	const dep = objs.get('Deployment/prod-web')!;
	const svc = objs.get('Service/prod-web')!;

	it('a value untouched by the overlay points at the base file, at the same path', () => {
		assert.deepEqual(dep.originOf([...container, 'name']), { file: 'apps/base/deployment.yaml', documentIndex: 0, path: [...container, 'name'] });
		assert.deepEqual(dep.source, { file: 'apps/base/deployment.yaml', documentIndex: 0, path: [] });
		assert.deepEqual(dep.originOf([]), dep.source);
	});

	it('a patched field points at the patch file, its document and its path there', () => {
		assert.deepEqual(dep.originOf([...container, 'resources', 'limits', 'memory']), {
			file: 'apps/prod/patches.yaml',
			documentIndex: 1,
			path: [...container, 'resources', 'limits', 'memory'],
		});
		assert.deepEqual(svc.originOf(['spec', 'type']), { file: 'apps/prod/patches.yaml', documentIndex: 0, path: ['spec', 'type'] });
		// The merged env list: the patch's element first (kustomize's order), the base's after it.
		assert.equal(dep.originOf([...container, 'env', 0, 'value']).file, 'apps/prod/patches.yaml');
		assert.deepEqual(dep.originOf([...container, 'env', 1, 'value']), { file: 'apps/base/deployment.yaml', documentIndex: 0, path: [...container, 'env', 0, 'value'] });
	});

	it('an inline JSON patch value points at the patch field of the kustomization', () => {
		assert.deepEqual(svc.originOf(['spec', 'ports', 0, 'name']), { file: 'apps/prod/kustomization.yaml', documentIndex: 0, path: ['patches', 1, 'patch'] });
		assert.deepEqual(svc.originOf(['spec', 'ports', 0, 'port']), { file: 'apps/base/service.yaml', documentIndex: 0, path: ['spec', 'ports', 0, 'port'] });
	});

	it('an image tag set by images points at the images entry', () => {
		assert.equal(dep.value.spec && (dep.value as any).spec.template.spec.containers[0].image, 'nginx:1.25');
		assert.deepEqual(dep.originOf([...container, 'image']), { file: 'apps/prod/kustomization.yaml', documentIndex: 0, path: ['images', 0] });
	});

	it('transformed names, namespaces, labels and replicas point at the kustomization fields that set them', () => {
		const k = (path: (string | number)[]) => ({ file: 'apps/prod/kustomization.yaml', documentIndex: 0, path });
		assert.deepEqual(dep.originOf(['metadata', 'name']), k(['namePrefix']));
		assert.deepEqual(dep.originOf(['metadata', 'namespace']), k(['namespace']));
		assert.deepEqual(dep.originOf(['metadata', 'labels', 'team']), k(['commonLabels', 'team']));
		assert.deepEqual(dep.originOf(['spec', 'selector', 'matchLabels', 'team']), k(['commonLabels', 'team']));
		assert.deepEqual(dep.originOf(['spec', 'selector', 'matchLabels', 'app']), { file: 'apps/base/deployment.yaml', documentIndex: 0, path: ['spec', 'selector', 'matchLabels', 'app'] });
		assert.deepEqual(dep.originOf(['spec', 'replicas']), k(['replicas', 0]));
	});

	it('a generated object comes from its generator entry; its data from the literal or the file', () => {
		const cm = [...objs.values()].find((o) => o.value.kind === 'ConfigMap')!;
		assert.match((cm.value.metadata as { name: string }).name, /^prod-web-config-[a-z0-9]{10}$/);
		assert.deepEqual(cm.source, { file: 'apps/prod/kustomization.yaml', documentIndex: 0, path: ['configMapGenerator', 0] });
		assert.deepEqual(cm.originOf(['data', 'LOG_LEVEL']), { file: 'apps/prod/kustomization.yaml', documentIndex: 0, path: ['configMapGenerator', 0, 'literals', 0] });
		assert.deepEqual(cm.originOf(['data', 'app.properties']), { file: 'apps/prod/app.properties', documentIndex: 0, path: [] });
	});

	it('a path below a leaf or past the end answers the deepest node that exists', () => {
		assert.deepEqual(dep.originOf([...container, 'image', 'nonsense', 3]), dep.originOf([...container, 'image']));
		assert.deepEqual(dep.originOf([...container, 'env', 99]), dep.originOf([...container, 'env']));
	});
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { liveObjectsOfText } from '../../server/src/engine/live/repo-objects';
import { RepoObjects } from '../../server/src/engine/context/repo-objects';

/** The repository objects the editor keeps for the live checks: the kinds they look up, trimmed to what they read. */

const FILE = `apiVersion: v1
kind: Secret
metadata:
  name: db
  namespace: shop
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: '{"data":{"password":"c2VjcmV0"}}'
data:
  password: c2VjcmV0
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: redis
  namespace: shop
spec:
  targetNamespace: cache
  install:
    createNamespace: true
  values:
    auth:
      password: hunter2
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: shop
  annotations:
    cert-manager.io/cluster-issuer: letsencrypt
    nginx.ingress.kubernetes.io/rewrite-target: /
spec:
  tls:
    - secretName: web-tls
  rules: []
`;

test('Secrets, ConfigMaps and the like are kept as name and namespace only: no data, no annotations', () => {
	const objects = liveObjectsOfText('apps/shop.yaml', FILE);
	assert.deepEqual(objects.map((o) => `${o.documentIndex} ${o.kind} ${o.namespace}/${o.name}`), ['0 Secret shop/db', '2 HelmRelease shop/redis', '3 Ingress shop/web']);
	assert.deepEqual(objects[0].value, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'shop' } });
	assert.ok(!JSON.stringify(objects).includes('c2VjcmV0') && !JSON.stringify(objects).includes('hunter2'));
});

test('generators keep the fields that say what they create', () => {
	const [, helm, ingress] = liveObjectsOfText('apps/shop.yaml', FILE);
	assert.deepEqual(helm.value.spec, { install: { createNamespace: true }, targetNamespace: 'cache' });
	assert.deepEqual(ingress.value, { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'shop', annotations: { 'cert-manager.io/cluster-issuer': 'letsencrypt' } }, spec: { tls: [{ secretName: 'web-tls' }] } });
});

test('a CRD keeps its group, names, scope and versions, not its schemas', () => {
	const crd = `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.acme.io\nspec:\n  group: acme.io\n  names:\n    kind: Widget\n    plural: widgets\n  scope: Namespaced\n  versions:\n    - name: v1\n      served: true\n      storage: true\n      schema:\n        openAPIV3Schema:\n          type: object\n`;
	assert.deepEqual(liveObjectsOfText('crds/widget.yaml', crd)[0].value.spec, { group: 'acme.io', names: { kind: 'Widget', plural: 'widgets' }, scope: 'Namespaced', versions: [{ name: 'v1', served: true, storage: true }] });
});

test('files without such kinds are not parsed at all; a RepoObjects with this extractor indexes them per file', () => {
	assert.deepEqual(liveObjectsOfText('web.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n'), []);
	const index = new RepoObjects(() => false, liveObjectsOfText);
	assert.equal(index.read('apps/shop.yaml', FILE), true);
	assert.equal(index.read('apps/shop.yaml', FILE), false, 'unchanged');
	assert.deepEqual(index.ofKind('Secret').map((o) => o.name), ['db']);
	assert.equal(index.remove('apps/shop.yaml'), true);
	assert.deepEqual(index.all(), []);
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { kustomizationReferences } from '../../server/src/engine/kustomize';
import { memFs } from './helpers';

describe('kustomizationReferences', () => {
	const text = `resources:
- deployment.yaml
- ../base
- https://github.com/acme/shared//base?ref=v1
- missing.yaml
bases:
- ../legacy
components:
- ../components/monitoring
patches:
- path: patch.yaml
- patch: |-
    inline: true
patchesStrategicMerge:
- smp.yaml
- |-
  apiVersion: v1
  kind: ConfigMap
patchesJson6902:
- path: ops.yaml
  target: {kind: Deployment}
configMapGenerator:
- name: c
  files: [app.properties, key=conf/nginx.conf]
  envs: [.env]
secretGenerator:
- name: s
  env: secret.env
crds: [crds/widget.yaml]
`;

	it('lists every path with its field and JSON path, resolved against the kustomization directory', () => {
		const refs = kustomizationReferences('apps/prod/kustomization.yaml', text);
		assert.deepEqual(
			refs.map((r) => [r.field, r.target, r.path.join('.'), r.remote ?? false]),
			[
				['resources', 'apps/prod/deployment.yaml', 'resources.0', false],
				['resources', 'apps/base', 'resources.1', false],
				['resources', 'https://github.com/acme/shared//base?ref=v1', 'resources.2', true],
				['resources', 'apps/prod/missing.yaml', 'resources.3', false],
				['bases', 'apps/legacy', 'bases.0', false],
				['components', 'apps/components/monitoring', 'components.0', false],
				['crds', 'apps/prod/crds/widget.yaml', 'crds.0', false],
				['patches', 'apps/prod/smp.yaml', 'patchesStrategicMerge.0', false],
				['patches', 'apps/prod/patch.yaml', 'patches.0.path', false],
				['patches', 'apps/prod/ops.yaml', 'patchesJson6902.0.path', false],
				['configMapGenerator', 'apps/prod/app.properties', 'configMapGenerator.0.files.0', false],
				['configMapGenerator', 'apps/prod/conf/nginx.conf', 'configMapGenerator.0.files.1', false],
				['configMapGenerator', 'apps/prod/.env', 'configMapGenerator.0.envs.0', false],
				['secretGenerator', 'apps/prod/secret.env', 'secretGenerator.0.env', false],
			],
		);
		assert.ok(refs.every((r) => r.exists === undefined), 'without a file system, existence is unknown');
	});

	it('with a file system, says which targets exist (files as files, bases as directories)', () => {
		const fs = memFs({ 'apps/prod/deployment.yaml': 'x', 'apps/base/kustomization.yaml': 'x', 'apps/prod/patch.yaml': 'x' });
		const refs = kustomizationReferences('apps/prod/kustomization.yaml', text, fs);
		const exists = Object.fromEntries(refs.filter((r) => !r.remote).map((r) => [r.target, r.exists]));
		assert.equal(exists['apps/prod/deployment.yaml'], true);
		assert.equal(exists['apps/base'], true);
		assert.equal(exists['apps/prod/patch.yaml'], true);
		assert.equal(exists['apps/prod/missing.yaml'], false);
		assert.equal(exists['apps/legacy'], false);
		assert.equal(refs.find((r) => r.remote)!.exists, undefined);
	});

	it('bad input gives no references, not an exception', () => {
		for (const t of ['', '- a\n- b\n', 'resources: 5\n', 'resources: [1, null, {a: b}]\n', ': : :\n', 'patches: [null, 3]\n']) {
			assert.deepEqual(kustomizationReferences('k/kustomization.yaml', t), [], t);
		}
		assert.deepEqual(kustomizationReferences('k/kustomization.yaml', 'resources: [../../../../etc]\n'), [], 'outside the repository');
	});
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../../server/src/engine/analysis/engine';
import { RepoSnapshot } from '../../server/src/engine/context/repo-snapshot';
import { discoverFleet } from '../../server/src/engine/fleet/discover';
import { DocumentStore } from '../../server/src/engine/fleet/reader';
import { nodeEngineDeps } from '../../server/src/host/engine-deps';
import { defaultSettings } from '../../shared/settings';
import { memoryRepo } from '../fleet/helpers';

/**
 * YAML 1.1 scalars through kustomize (oracle: test/fixtures/kustomize/yaml11-scalars, made by
 * kubectl kustomize): kubectl and the API server read `on`/`yes` as booleans, kustomize (kyaml,
 * YAML 1.2) as strings and writes them quoted. A file kustomize reads is judged on what it writes.
 */

const { registry, checks } = nodeEngineDeps();
const engine = new Engine(registry, defaultSettings(), checks);

const CM = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: flags\n  labels:\n    legacy: yes\ndata:\n  feature: on\n  version: 1.30\n';
const POD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n      stdin: yes\n      tty: true\n';

async function findings(files: Record<string, string>, path: string, withFleet = false): Promise<string[]> {
	const built = await RepoSnapshot.build({ listFiles: async () => Object.keys(files), readFile: async (p) => files[p] });
	const repo = withFleet ? built.withFleet(discoverFleet(new DocumentStore(memoryRepo(files)))) : built;
	return engine.analyze({ path, text: files[path] }, repo).findings.filter((f) => f.ruleId.startsWith('yaml11') || f.ruleId.startsWith('schema-')).map((f) => `${f.range.start.line + 1} ${f.ruleId} ${f.message}`).sort();
}

describe('YAML 1.1 scalars where kustomize reads the file', () => {
	it('applied as written (kubectl, Argo CD without kustomization): on and yes are booleans, so a string field is wrong', async () => {
		assert.deepEqual(await findings({ 'plain/cm.yaml': CM }, 'plain/cm.yaml'), [
			'6 yaml11-trap metadata.labels.legacy must be a string: yes is read as the boolean true. Quote it: "yes"',
			'8 yaml11-trap data.feature must be a string: on is read as the boolean true. Quote it: "on"',
			'9 yaml11-trap data.version must be a string: 1.30 is read as the number 1.3. Quote it: "1.30"',
		]);
		assert.deepEqual(await findings({ 'plain/pod.yaml': POD }, 'plain/pod.yaml'), []);
	});

	it('named by a kustomization: on and yes are the strings kustomize writes; numbers stay numbers; a boolean field gets a string', async () => {
		const files = { 'app/kustomization.yaml': 'resources:\n  - cm.yaml\n  - pod.yaml\n', 'app/cm.yaml': CM, 'app/pod.yaml': POD };
		assert.deepEqual(await findings(files, 'app/cm.yaml'), ['9 yaml11-trap data.version must be a string: 1.30 is read as the number 1.3. Quote it: "1.30"']);
		assert.deepEqual(await findings(files, 'app/pod.yaml'), [
			'9 yaml11-trap spec.containers[0].stdin must be a boolean: kustomize reads yes as the string "yes" (YAML 1.2) and writes it quoted, so the API server rejects what it builds. Write true.',
		]);
	});

	it('in a path a Flux Kustomization syncs (kustomize-controller builds it, kustomization file or not)', async () => {
		const flux = 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n  namespace: flux-system\nspec:\n  interval: 10m\n  path: ./apps\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n';
		const files = { 'clusters/prod/apps.yaml': flux, 'apps/cm.yaml': CM };
		assert.deepEqual(await findings(files, 'apps/cm.yaml', true), ['9 yaml11-trap data.version must be a string: 1.30 is read as the number 1.3. Quote it: "1.30"']);
	});
});

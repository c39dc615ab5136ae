import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../../server/src/engine/analysis/engine';
import { EMPTY_REPO, type RepoContext } from '../../server/src/engine/context/check-context';
import { RepoSnapshot } from '../../server/src/engine/context/repo-snapshot';
import { EMPTY_FLEET, type FleetModel } from '../../server/src/engine/fleet/types';
import { chainsawAssertionPaths, isNonObject, TOOL_CONFIG_GROUPS } from '../../server/src/engine/fleet/tool-configs';
import { complianceChecks } from '../../server/src/engine/rules/compliance';
import { nodeEngineDeps } from '../../server/src/host/engine-deps';
import { defaultSettings } from '../../shared/settings';
import { parse } from 'yaml';

/**
 * `apiVersion` and `kind` do not make a document a Kubernetes object: tool configurations and
 * documents of unknown groups that no cluster receives are never required to have metadata, and
 * test assertions are partial, like kustomize patches.
 */

const { registry, checks } = nodeEngineDeps();
const engine = new Engine(registry, defaultSettings(), checks);
const rules = (path: string, text: string, repo: RepoContext = EMPTY_REPO) => engine.analyze({ path, text }, repo).findings.map((f) => `${f.range.start.line + 1} ${f.severity} ${f.ruleId}`);

/** A fleet whose one cluster syncs `deploy/`. */
const FLEET: FleetModel = {
	...EMPTY_FLEET,
	clusters: [{ name: 'prod', environment: 'production', labels: {}, syncs: [{ kind: 'flux-kustomization', name: 'apps', path: 'deploy' }], source: 'inferred', inferred: [] }],
	files: { 'deploy/widget.yaml': ['prod'] },
};
const inFleet: RepoContext = { ...EMPTY_REPO, fleet: FLEET };

describe('tool configurations are not objects', () => {
	const configs: [string, string][] = [
		['.fluxschema.yml', 'apiVersion: schema.plugin.fluxcd.io/v1beta1\nkind: Config\nvalidate:\n  skipMissingSchemas: true\n'],
		['kind-config.yaml', 'apiVersion: kind.x-k8s.io/v1alpha4\nkind: Cluster\nnodes:\n  - role: control-plane\n'],
		['.kyverno-test/values.yaml', 'apiVersion: cli.kyverno.io/v1alpha1\nkind: Values\npolicies: []\n'],
		['.kyverno-test/user_info.yaml', 'apiVersion: cli.kyverno.io/v1alpha1\nkind: UserInfo\nclusterRoles: [admin]\n'],
		['.chainsaw-test/chainsaw-test.yaml', 'apiVersion: chainsaw.kyverno.io/v1alpha1\nkind: Test\nspec:\n  steps: []\n'],
		['skaffold.yaml', 'apiVersion: skaffold/v4beta11\nkind: Config\nbuild:\n  artifacts: []\n'],
		['cluster.yaml', 'apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nvpc: {}\n'],
		['kubeconfig.yaml', 'apiVersion: v1\nkind: Config\nclusters: []\n'],
		// Deployed or not: a tool's config is never applied.
		['deploy/kubeadm.yaml', 'apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\nnetworking: {}\n'],
	];
	for (const [path, text] of configs) {
		it(`${path}: no "metadata is missing" error`, () => {
			assert.deepEqual(rules(path, text, inFleet), []);
		});
	}

	it('the list names each group with the tool that reads it', () => {
		for (const [group, what] of Object.entries(TOOL_CONFIG_GROUPS)) assert.ok(what.length > 10 && /^[a-z0-9.-]+$/.test(group), group);
	});
});

describe('documents of unknown groups', () => {
	const widget = 'apiVersion: widgets.example.com/v1\nkind: Widget\nspec:\n  size: 3\n';

	it('outside every path the fleet deploys (or in a repository without a fleet): not an object', () => {
		assert.deepEqual(rules('tools/widget.yaml', widget, inFleet), []);
		assert.deepEqual(rules('widget.yaml', widget), []);
	});

	it('in a path a cluster syncs, or received by one: an object, which needs metadata', () => {
		assert.deepEqual(rules('deploy/widget.yaml', widget, inFleet), ['1 error schema-required']);
		assert.deepEqual(rules('deploy/other/widget.yaml', widget, inFleet), ['1 error schema-required']);
	});

	it('a kind Kubernetes serves, or a custom resource with a known schema, is an object wherever it lies', () => {
		assert.deepEqual(rules('tools/cm.yaml', 'apiVersion: v1\nkind: ConfigMap\ndata: {}\n'), ['1 error schema-required']);
		assert.deepEqual(rules('tools/hr.yaml', 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nspec:\n  interval: 5m\n  chart:\n    spec:\n      chart: podinfo\n      sourceRef: {kind: HelmRepository, name: podinfo}\n'), ['1 error schema-required']);
		assert.equal(isNonObject({ apiVersion: 'widgets.example.com/v1', kind: 'Widget', group: 'widgets.example.com' }, 'tools/w.yaml', EMPTY_FLEET, true), false);
		assert.equal(isNonObject({ apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshot', group: 'snapshot.storage.k8s.io' }, 'tools/s.yaml', EMPTY_FLEET, false), false);
	});
});

describe('test assertions are partial, like kustomize patches', () => {
	const test = `apiVersion: chainsaw.kyverno.io/v1alpha1
kind: Test
metadata:
  name: t
spec:
  steps:
    - try:
        - apply:
            file: ../policy.yaml
        - assert:
            file: policy-ready.yaml
        - error:
            file: pod-rejected.yaml
      catch:
        - assert:
            file: "*.yaml"
`;
	const ready = 'apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata:\n  name: p\nstatus:\n  conditions:\n    - type: Ready\n      status: "True"\n';
	const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: bad\nspec:\n  containers:\n    - name: c\n      image: nginx\n      securityContext:\n        privileged: true\n';

	it('reads the assert and error files of a chainsaw Test (not apply files, not globs)', () => {
		assert.deepEqual(chainsawAssertionPaths('p/.chainsaw-test/chainsaw-test.yaml', parse(test)), ['p/.chainsaw-test/policy-ready.yaml', 'p/.chainsaw-test/pod-rejected.yaml']);
		assert.deepEqual(chainsawAssertionPaths('t.yaml', { apiVersion: 'kuttl.dev/v1beta1', kind: 'Test', spec: { steps: [] } }), []);
	});

	it('an assertion document gets neither missing-field errors nor compliance findings; an applied one does', async () => {
		const files: Record<string, string> = {
			'p/.chainsaw-test/chainsaw-test.yaml': test,
			'p/.chainsaw-test/policy-ready.yaml': ready,
			'p/.chainsaw-test/pod-rejected.yaml': pod,
			'p/.chainsaw-test/pod-applied.yaml': pod,
			'kuttl/01-assert.yaml': pod,
		};
		const repo = await RepoSnapshot.build({ listFiles: async () => Object.keys(files), readFile: async (p) => files[p] });
		const c = new Engine(registry, defaultSettings(), [...checks, ...complianceChecks]);
		const at = (p: string) => c.analyze({ path: p, text: files[p] }, repo).findings.map((f) => f.ruleId);
		assert.deepEqual(at('p/.chainsaw-test/policy-ready.yaml'), []);
		assert.deepEqual(at('p/.chainsaw-test/pod-rejected.yaml'), []);
		assert.deepEqual(at('kuttl/01-assert.yaml'), []);
		assert.ok(at('p/.chainsaw-test/pod-applied.yaml').includes('pss-privileged'));
		// Without the Test, the same ClusterPolicy is an object that lacks its spec.
		const alone = await RepoSnapshot.build({ listFiles: async () => ['x/ready.yaml'], readFile: async () => ready });
		assert.deepEqual(c.analyze({ path: 'x/ready.yaml', text: ready }, alone).findings.map((f) => f.ruleId), ['schema-required']);
		// The Test changes: an assertion that is no longer named is an object again.
		const next = repo.withFiles([{ path: 'p/.chainsaw-test/chainsaw-test.yaml', text: test.replace('            file: policy-ready.yaml', '            file: other.yaml') }]);
		assert.equal(next.isPatchFile('p/.chainsaw-test/policy-ready.yaml'), false);
		assert.equal(next.isPatchFile('p/.chainsaw-test/pod-rejected.yaml'), true);
	});

	it('a document whose keys are JMESPath expressions is an assertion (partial); a Kyverno conditional anchor is not one', async () => {
		const assertion = 'apiVersion: policies.kyverno.io/v1alpha1\nkind: ValidatingPolicy\nmetadata:\n  name: p\nstatus:\n  conditionStatus:\n    (conditions[?type == \'Ready\']):\n    - status: "True"\n';
		const policy = 'apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata:\n  name: p\nspec:\n  rules:\n    - name: r\n      match: {any: [{resources: {kinds: [Pod]}}]}\n      validate:\n        pattern:\n          spec:\n            containers:\n              - (image): "*:latest"\n                imagePullPolicy: Always\n';
		const files: Record<string, string> = { 't/policy-ready.yaml': assertion, 'p/policy.yaml': policy };
		const repo = await RepoSnapshot.build({ listFiles: async () => Object.keys(files), readFile: async (p) => files[p] });
		assert.equal(repo.isPatchFile('t/policy-ready.yaml'), true);
		assert.equal(repo.isPatchFile('p/policy.yaml'), false);
		assert.deepEqual(engine.analyze({ path: 't/policy-ready.yaml', text: assertion }, repo).findings.map((f) => f.ruleId), []);
	});

	it('a bare file name under patches: is a patch file (kustomize itself refuses the entry)', async () => {
		const files: Record<string, string> = { 'o/kustomization.yaml': 'resources: [../base]\npatches:\n  - web-patch.yaml\n  - path: other.yaml\n' };
		const repo = await RepoSnapshot.build({ listFiles: async () => Object.keys(files), readFile: async (p) => files[p] });
		assert.equal(repo.isPatchFile('o/web-patch.yaml'), true);
		assert.equal(repo.isPatchFile('o/other.yaml'), true);
		assert.equal(repo.isPatchFile('o/kustomization.yaml'), false);
	});
});

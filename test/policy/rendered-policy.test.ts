import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../../server/src/engine/analysis/engine';
import { RepoSnapshot } from '../../server/src/engine/context/repo-snapshot';
import { discoverFleet } from '../../server/src/engine/fleet/discover';
import { DocumentStore } from '../../server/src/engine/fleet/reader';
import { TargetRenderer } from '../../server/src/engine/fleet/targets';
import { RenderedEvaluator } from '../../server/src/engine/rules/compliance/rendered';
import { createPolicyChecks } from '../../server/src/engine/rules/policy';
import { renderedRules } from '../../server/src/engine/rules/policy-rendered';
import { createNodeRegistry } from '../../server/src/host/registry';
import { defaultSettings } from '../../shared/settings';
import { memoryRepo, yaml } from '../fleet/helpers';

/**
 * Rendered mode: a policy deployed to some clusters judges what those clusters receive (the
 * rendered object, with the labels an overlay adds), and its findings land on the source line.
 */

const registry = createNodeRegistry();

async function rendered(files: Record<string, string>) {
	const store = new DocumentStore(memoryRepo(files));
	const model = discoverFleet(store);
	const unrendered = (await RepoSnapshot.build({ listFiles: async () => Object.keys(files), readFile: async (p: string) => files[p] })).withFleet(model);
	const settings = defaultSettings();
	const repo = unrendered.withRendered(new RenderedEvaluator(renderedRules()).evaluate(new TargetRenderer(store).renderAll(model), model, { repo: unrendered, settings, today: '2026-12-01' }));
	const engine = new Engine(registry, settings, createPolicyChecks(registry));
	return (path: string) => engine.analyze({ path, text: files[path] }, repo).findings.filter((f) => f.ruleId === 'policy');
}

const flux = (name: string, path: string) => yaml`
	apiVersion: kustomize.toolkit.fluxcd.io/v1
	kind: Kustomization
	metadata:
	  name: ${name}
	  namespace: flux-system
	spec:
	  interval: 10m
	  path: ${path}
	  prune: true
	  sourceRef:
	    kind: GitRepository
	    name: flux-system
`;

const POLICY = yaml`
	apiVersion: kyverno.io/v1
	kind: ClusterPolicy
	metadata:
	  name: require-team
	spec:
	  validationFailureAction: Enforce
	  rules:
	  - name: team
	    match:
	      any:
	      - resources:
	          kinds: [Deployment]
	    validate:
	      message: "Deployments need a team label."
	      pattern:
	        metadata:
	          labels:
	            team: "?*"
`;

const BASE = yaml`
	apiVersion: apps/v1
	kind: Deployment
	metadata:
	  name: web
	spec:
	  selector:
	    matchLabels: {app: web}
	  template:
	    metadata:
	      labels: {app: web}
	    spec:
	      containers:
	        - name: web
	          image: nginx:1.27
`;

const repo = (productionLabels: boolean): Record<string, string> => ({
	'clusters/staging/apps.yaml': flux('apps', './apps/staging'),
	'clusters/production/apps.yaml': flux('apps', './apps/production'),
	'clusters/production/policies.yaml': flux('policies', './policies'),
	'policies/kustomization.yaml': 'resources:\n  - require-team.yaml\n',
	'policies/require-team.yaml': POLICY,
	'apps/base/kustomization.yaml': 'resources:\n  - deployment.yaml\n',
	'apps/base/deployment.yaml': BASE,
	'apps/staging/kustomization.yaml': 'namespace: web\nresources:\n  - ../base\n',
	'apps/production/kustomization.yaml': `namespace: web\nresources:\n  - ../base\n${productionLabels ? 'commonLabels:\n  team: shop\n' : ''}`,
});

test('the policy judges the rendered object: a label the production overlay adds satisfies it (no false error on the base)', async () => {
	const analyze = await rendered(repo(true));
	assert.deepEqual(analyze('apps/base/deployment.yaml'), []);
});

test('where production still lacks the label, the finding is on the base and names where it holds', async () => {
	const analyze = await rendered(repo(false));
	const fs = analyze('apps/base/deployment.yaml');
	assert.equal(fs.length, 1, fs.map((f) => f.message).join('\n'));
	assert.equal(fs[0].severity, 'error');
	assert.match(fs[0].message, /^Deployments need a team label\./);
	assert.match(fs[0].message, /production/);
	assert.match(fs[0].message, /not in the other clusters this file reaches/);
	assert.deepEqual(fs[0].data?.policy, { engine: 'kyverno', policy: 'require-team', rule: 'team', file: 'policies/require-team.yaml' });
});

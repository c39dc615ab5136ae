import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoryRepo, yaml } from './helpers';
import { defaultSettings } from '../../shared/settings';
import { complianceRules } from '../../server/src/engine/rules/compliance';
import { discoverFleet } from '../../server/src/engine/fleet/discover';
import { DocumentStore } from '../../server/src/engine/fleet/reader';
import { TargetRenderer } from '../../server/src/engine/fleet/targets';
import { RepoSnapshot } from '../../server/src/engine/context/repo-snapshot';
import type { RenderedView } from '../../server/src/engine/context/check-context';
import { changedFiles, RenderedEvaluator } from '../../server/src/engine/rules/compliance/rendered';
import { brief, renderedRepo } from './rendered';

/** Compliance on what each cluster receives: rendered overlays, findings on the source line that produced the value. */

const flux = (path: string) => yaml`
	apiVersion: kustomize.toolkit.fluxcd.io/v1
	kind: Kustomization
	metadata:
	  name: apps
	  namespace: flux-system
	spec:
	  interval: 10m
	  path: ${path}
	  prune: true
	  sourceRef:
	    kind: GitRepository
	    name: flux-system
`;

const DIGEST = 'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';

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
	      automountServiceAccountToken: false
	      securityContext:
	        runAsNonRoot: true
	        seccompProfile: {type: RuntimeDefault}
	      containers:
	        - name: web
	          image: ghcr.io/acme/web:1.0.0@${DIGEST}
	          securityContext:
	            allowPrivilegeEscalation: false
	            capabilities: {drop: [ALL]}
`;

const repo = (): Record<string, string> => ({
	'clusters/staging-eu-west-1/apps.yaml': flux('./apps/staging'),
	'clusters/prod-eu-west-1/apps.yaml': flux('./apps/production'),
	'clusters/prod-us-east-1/apps.yaml': flux('./apps/production'),
	'apps/base/web/kustomization.yaml': 'resources:\n  - deployment.yaml\n',
	'apps/base/web/deployment.yaml': BASE,
	'apps/staging/kustomization.yaml': 'namespace: web\nresources:\n  - ../base/web\n',
	'apps/production/kustomization.yaml': 'namespace: web\nresources:\n  - ../base/web\npatches:\n  - path: resources-patch.yaml\n',
	'apps/production/resources-patch.yaml': yaml`
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
		            requests: {cpu: 100m, memory: 128Mi}
		            limits: {memory: 128Mi}
	`,
});

test('a base finding that every overlay fixes is gone; one only some overlays fix stays on the base line and names where it holds', async () => {
	const r = await renderedRepo(repo());
	const findings = r.analyze('apps/base/web/deployment.yaml').filter((f) => f.ruleId === 'workload-resources');
	assert.deepEqual(findings.map(brief), ['17:17 workload-resources warning']);
	assert.match(findings[0].message, / This holds via apps\/staging \(staging: staging-eu-west-1\), not in the other clusters this file reaches\.$/);
	// Production patches the resources in: no finding there, and none on the patch.
	assert.deepEqual(r.analyze('apps/production/resources-patch.yaml').filter((f) => f.ruleId === 'workload-resources'), []);
	// The same base without any overlay fixing it: one finding that holds everywhere; it keeps its severity and says (production).
	const all = repo();
	all['apps/production/kustomization.yaml'] = 'namespace: web\nresources:\n  - ../base/web\n';
	const everywhere = (await renderedRepo(all)).analyze('apps/base/web/deployment.yaml').filter((f) => f.ruleId === 'workload-resources');
	assert.deepEqual(everywhere.map(brief), ['17:17 workload-resources warning']);
	assert.match(everywhere[0].message, / \(production\)$/);
	assert.doesNotMatch(everywhere[0].message, /This holds|Raised/);
	// A Fleet file that enforces production raises it, naming the production clusters.
	const enforcing = { ...all, 'fleet.yaml': 'apiVersion: platform.gitops.io/v1alpha1\nkind: Fleet\nmetadata:\n  name: acme\nspec:\n  compliance:\n    enforce: [production]\n' };
	const raised = (await renderedRepo(enforcing)).analyze('apps/base/web/deployment.yaml').filter((f) => f.ruleId === 'workload-resources');
	assert.deepEqual(raised.map(brief), ['17:17 workload-resources error']);
	assert.match(raised[0].message, / Raised from warning to error because it reaches the production clusters prod-eu-west-1 and prod-us-east-1\.$/);
});

test('a value an overlay patch sets is reported on the patch line, for the clusters that receive it', async () => {
	const files = repo();
	files['apps/production/resources-patch.yaml'] = files['apps/production/resources-patch.yaml'].replace('          resources:', '          securityContext:\n            privileged: true\n          resources:');
	const r = await renderedRepo(files);
	const onPatch = r.analyze('apps/production/resources-patch.yaml').filter((f) => f.ruleId.startsWith('pss-'));
	// No namespace enforces a level: a control not met (a warning), not a rejection.
	assert.deepEqual(onPatch.map(brief), ['11:25 pss-privileged warning']);
	assert.match(onPatch[0].message, /^Container "web" runs privileged/);
	// Nothing about it on the base: the base does not set it.
	assert.deepEqual(r.analyze('apps/base/web/deployment.yaml').filter((f) => f.ruleId === 'pss-privileged'), []);
});

test('a file no cluster receives keeps its raw findings', async () => {
	const files = { ...repo(), 'apps/unused/deployment.yaml': BASE.replace('allowPrivilegeEscalation: false', 'allowPrivilegeEscalation: false\n            privileged: true') };
	const r = await renderedRepo(files);
	assert.equal(r.model.files['apps/unused/deployment.yaml'], undefined);
	assert.deepEqual(r.analyze('apps/unused/deployment.yaml').filter((f) => f.ruleId === 'pss-privileged').map(brief), ['21:25 pss-privileged warning']);
});

test('what the renderer does not render is one info on the kustomization field; the rest still renders and is checked', async () => {
	const files = repo();
	files['apps/staging/kustomization.yaml'] = 'namespace: web\nresources:\n  - ../base/web\nhelmCharts:\n  - name: redis\n    repo: https://charts.bitnami.com/bitnami\n    version: 19.6.1\n';
	const r = await renderedRepo(files);
	const notes = r.analyze('apps/staging/kustomization.yaml').filter((f) => f.ruleId === 'kustomize-unsupported');
	assert.deepEqual(notes.map(brief), ['4:1 kustomize-unsupported info']);
	assert.match(notes[0].message, /helmCharts/);
	assert.deepEqual(r.analyze('apps/base/web/deployment.yaml').filter((f) => f.ruleId === 'workload-resources').map(brief), ['17:17 workload-resources warning']);
});

test('the Namespace a cluster receives decides the Pod Security level: labels an overlay adds count', async () => {
	const files = repo();
	files['apps/production/namespace.yaml'] = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: web\n  labels:\n    pod-security.kubernetes.io/enforce: restricted\n';
	files['apps/production/kustomization.yaml'] = files['apps/production/kustomization.yaml'].replace('  - ../base/web\n', '  - ../base/web\n  - namespace.yaml\n');
	files['apps/base/web/deployment.yaml'] = BASE.replace('            capabilities: {drop: [ALL]}\n', '');
	const r = await renderedRepo(files);
	const caps = r.analyze('apps/base/web/deployment.yaml').filter((f) => f.ruleId === 'pss-capabilities_restricted');
	// Restricted in production (error), baseline elsewhere (information): one finding, at its most severe.
	assert.deepEqual(caps.map(brief), ['19:11 pss-capabilities_restricted error']);
});

test('evaluations: the rules that judged a rendered object count for the report on its source document', async () => {
	const r = await renderedRepo(repo());
	assert.ok(r.view.covers('apps/base/web/deployment.yaml', 0));
	assert.ok(r.view.evaluated('apps/base/web/deployment.yaml', 0).includes('pss-privileged'));
	assert.ok(!r.view.covers('apps/production/resources-patch.yaml', 0), 'a patch is no object of its own');
});

test('a path Argo CD builds with a config-management plugin is not rendered with kustomize: no build error, its files judged as written', async () => {
	const app = (plugin: string) => yaml`
		apiVersion: argoproj.io/v1alpha1
		kind: Application
		metadata:
		  name: web
		  namespace: argocd
		spec:
		  destination:
		    namespace: web
		    server: https://kubernetes.default.svc
		  project: default
		  source:
		    path: plugins/web
		    repoURL: https://github.com/acme/apps.git${plugin}
	`;
	const files = (plugin: string) => ({
		'argocd/web.yaml': app(plugin),
		'plugins/web/kustomization.yaml': 'resources:\n  - all.yaml\n  - deployment.yaml\n',
		'plugins/web/deployment.yaml': BASE,
	});
	const built = await renderedRepo(files('\n\t\t    plugin:\n\t\t      name: kustomized-helm'));
	assert.equal(built.model.clusters.find((c) => c.name === 'in-cluster')?.syncs[0].plugin, 'kustomized-helm');
	assert.deepEqual(built.renders.flatMap((r) => r.objects), []);
	assert.deepEqual(built.analyze('plugins/web/kustomization.yaml').map((f) => `${f.ruleId} ${f.severity}`), ['kustomize-unsupported info']);
	// The same path without the plugin is a kustomize build that fails on the missing file.
	const plain = await renderedRepo(files(''));
	assert.deepEqual(plain.analyze('plugins/web/kustomization.yaml').map((f) => `${f.ruleId} ${f.severity}`), ['fleet-reference error']);
});

test('a new evaluation republishes only the files whose rendered findings changed', async () => {
	const settings = { ...defaultSettings() };
	const today = '2026-12-01';
	const evaluator = new RenderedEvaluator(complianceRules);
	const judge = async (files: Record<string, string>, previous?: RenderedView) => {
		const store = new DocumentStore(memoryRepo(files));
		const model = discoverFleet(store);
		const repo = (await RepoSnapshot.build({ listFiles: async () => Object.keys(files), readFile: async (p) => files[p] })).withFleet(model);
		return evaluator.evaluate(new TargetRenderer(store).renderAll(model), model, { repo, settings, today }, previous);
	};
	const first = await judge(repo());
	const again = await judge(repo(), first);
	assert.deepEqual(changedFiles(first, again), [], 'nothing changed: nothing is published again');
	const files = repo();
	files['apps/production/resources-patch.yaml'] = files['apps/production/resources-patch.yaml'].replace('          resources:', '          securityContext:\n            privileged: true\n          resources:');
	const patched = await judge(files, again);
	const changed = changedFiles(again, patched);
	assert.ok(changed.includes('apps/production/resources-patch.yaml'), changed.join(', '));
	// The base's findings (its missing resources in staging, among others) are the same: it keeps its stamp.
	assert.ok(again.stamp('apps/base/web/deployment.yaml') !== '');
	assert.ok(!changed.includes('apps/base/web/deployment.yaml'), changed.join(', '));
	assert.equal(patched.stamp('apps/base/web/deployment.yaml'), again.stamp('apps/base/web/deployment.yaml'));
	assert.notEqual(patched.stamp('apps/production/resources-patch.yaml'), again.stamp('apps/production/resources-patch.yaml'));
});

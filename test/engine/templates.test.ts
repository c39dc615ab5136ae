import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../../server/src/engine/analysis/engine';
import { RepoSnapshot } from '../../server/src/engine/context/repo-snapshot';
import { nodeEngineDeps } from '../../server/src/host/engine-deps';
import { defaultSettings } from '../../shared/settings';
import { isIncluded } from '../../server/src/engine/core/paths';

/**
 * `{{` is not always Helm. A file is skipped as a template only where it is not valid YAML because
 * of template syntax, or where it sits in a Helm chart's templates/ (a Chart.yaml above it);
 * elsewhere template expressions inside strings are strings, and the file is validated.
 */

const { registry, checks } = nodeEngineDeps();
const engine = new Engine(registry, defaultSettings(), checks);

async function run(files: Record<string, string>, path: string): Promise<string[]> {
	const repo = await RepoSnapshot.build({ listFiles: async () => Object.keys(files), readFile: async (p) => files[p] });
	return engine.analyze({ path, text: files[path] }, repo).findings.map((f) => `${f.range.start.line + 1} ${f.ruleId}${f.ruleId === 'file-skipped' ? `: ${f.message.slice(0, 40)}` : ''}`);
}

const KYVERNO = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: add-ns-label
spec:
  validationFailureActon: Audit
  rules:
    - name: label
      match:
        any:
          - resources:
              kinds: [ConfigMap]
      validate:
        message: "ConfigMaps in {{ request.namespace }} need a team label"
        pattern:
          metadata:
            labels:
              team: "?*"
`;

const APPSET = `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: apps
  namespace: argocd
spec:
  generators:
    - git:
        repoURL: https://github.com/acme/apps.git
        revision: HEAD
        directories:
          - path: apps/*
  template:
    metadata:
      name: '{{path.basename}}'
    spec:
      project: default
      source:
        repoURL: https://github.com/acme/apps.git
        targetRevision: HEAD
        path: '{{path}}'
      destination:
        server: https://kubernetes.default.svc
        namespace: '{{path.basename}}'
`;

const CLUSTER_ROLE = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: operator
rules:
  - apiGroups: ["*"]
    resources: ["*"]
    verbs: ["*"]
`;

describe('template expressions inside strings are strings', () => {
	it('a Kyverno policy with variables is validated: a misspelled field is found', async () => {
		assert.deepEqual(await run({ 'policies/p.yaml': KYVERNO }, 'policies/p.yaml'), ['6 schema-unknown-field']);
		assert.deepEqual(await run({ 'policies/p.yaml': KYVERNO.replace('validationFailureActon', 'validationFailureAction') }, 'policies/p.yaml'), []);
	});

	it('an ApplicationSet with parameters is validated like any object', async () => {
		assert.deepEqual(await run({ 'argocd/apps.yaml': APPSET }, 'argocd/apps.yaml'), []);
		assert.deepEqual(await run({ 'argocd/apps.yaml': APPSET.replace('      project: default', '      projekt: default') }, 'argocd/apps.yaml'), ['17 schema-unknown-field']);
	});

	it('a Go template in a quoted string or a block scalar is a string', async () => {
		const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: alerts\ndata:\n  title: "{{ .Labels.alertname }}"\n  body: |\n    {{ range .Alerts }}{{ .Annotations.summary }}{{ end }}\n';
		assert.deepEqual(await run({ 'monitoring/cm.yaml': cm }, 'monitoring/cm.yaml'), []);
	});
});

describe('files that are templates are skipped with a note', () => {
	it('template syntax outside strings is not valid YAML: skipped, wherever the file lies', async () => {
		const bad = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n';
		assert.deepEqual(await run({ 'deploy/cm.yaml': bad }, 'deploy/cm.yaml'), ['1 file-skipped: Helm or Go template: its `{{ }}` express']);
		const control = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n{{- toYaml .Values.data | nindent 2 }}\n';
		assert.deepEqual(await run({ 'deploy/cm.yaml': control }, 'deploy/cm.yaml'), ['1 file-skipped: Helm or Go template: its `{{ }}` express']);
	});

	it('a Helm chart\'s templates/ (a Chart.yaml above) with template syntax: skipped even where it parses', async () => {
		const files = { 'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 1.0.0\n', 'charts/web/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "{{ .Release.Name }}"\ndata:\n  replicas: "{{ .Values.replicas }}"\n' };
		assert.deepEqual(await run(files, 'charts/web/templates/cm.yaml'), ['1 file-skipped: Helm template of the chart in charts/web']);
		// The same file in a templates/ directory of no chart is a plain manifest.
		assert.deepEqual(await run({ 'kustomize/templates/cm.yaml': files['charts/web/templates/cm.yaml'] }, 'kustomize/templates/cm.yaml'), []);
	});

	it('a plain manifest in a chart\'s templates/ is walked and judged: a ClusterRole with * verbs is reported', async () => {
		assert.equal(isIncluded('charts/web/templates/clusterrole.yaml', defaultSettings()), true);
		const files = { 'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 1.0.0\n', 'charts/web/templates/clusterrole.yaml': CLUSTER_ROLE };
		const found = await run(files, 'charts/web/templates/clusterrole.yaml');
		assert.ok(found.includes('6 cis-rbac-wildcards'), found.join('\n'));
	});
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RepoSnapshot } from '../../server/src/engine/context/repo-snapshot';
import { nodeFileSystem } from '../../server/src/host/node-fs';
import { NodeRepoReader } from '../../server/src/host/repo-reader';
import { discoverFleet } from '../../server/src/engine/fleet/discover';
import { DocumentStore } from '../../server/src/engine/fleet/reader';
import { brokenReferences, discover, memoryRepo, yaml } from './helpers';

/** Broken kustomization entries are fleet-reference problems on the exact list item. */

const CM = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n';
const range = (p: { location: { range: { start: { line: number; character: number }; end: { line: number; character: number } } } }) =>
	`${p.location.range.start.line}:${p.location.range.start.character}-${p.location.range.end.line}:${p.location.range.end.character}`;

test('missing resources, components, patches and generator files are errors on the entry that names them, saying what kustomize does', () => {
	const m = discover({
		'web/site/kustomization.yaml': yaml`
			resources:
			  - cm.yaml
			  - missing.yaml
			  - ../base
			  - ../gone
			  - ../plain
			components:
			  - ../components/none
			  - cm.yaml
			patches:
			  - path: patch-missing.yaml
			  - path: ../base
			  - patch: |-
			      kind: ConfigMap
			patchesStrategicMerge:
			  - "smp.yaml"
			configMapGenerator:
			  - name: c
			    files: [app.properties, key=conf/nginx.conf]
			    envs: [.env]
			crds: [crds/widget.yaml]
		`,
		'web/site/cm.yaml': CM,
		'web/site/app.properties': 'a=1\n',
		'web/base/kustomization.yaml': 'resources:\n  - cm.yaml\n',
		'web/base/cm.yaml': CM,
		'web/plain/cm.yaml': CM,
	});
	const lstat = (t: string) => `so kustomize build fails ("lstat ${t}: no such file or directory"). `;
	assert.deepEqual(
		m.problems.map((p) => [p.ruleId, p.severity, p.location.file, range(p), p.path.join('.'), p.message]),
		[
			['fleet-reference', 'error', 'web/site/kustomization.yaml', '2:4-2:16', 'resources.1', `This kustomization names "missing.yaml" (web/site/missing.yaml), which does not exist, ${lstat('web/site/missing.yaml')}Fix the path, or add the file or directory.`],
			['fleet-reference', 'error', 'web/site/kustomization.yaml', '4:4-4:11', 'resources.3', `This kustomization names "../gone" (web/gone), which does not exist, ${lstat('web/gone')}Fix the path, or add the file or directory.`],
			[
				'fleet-reference',
				'error',
				'web/site/kustomization.yaml',
				'5:4-5:12',
				'resources.4',
				`"../plain" is a directory without a kustomization file (web/plain), so kustomize build fails ("unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory"). Add a kustomization.yaml to web/plain that lists its manifests, or name the files themselves.`,
			],
			['fleet-reference', 'error', 'web/site/kustomization.yaml', '7:4-7:22', 'components.0', `This kustomization names "../components/none" (web/components/none), which does not exist, ${lstat('web/components/none')}Fix the path, or add the component (a directory with a kustomization.yaml of kind: Component).`],
			['fleet-reference', 'error', 'web/site/kustomization.yaml', '8:4-8:11', 'components.1', `"cm.yaml" is a file (web/site/cm.yaml), but a component must be a directory with a kustomization of kind: Component, so kustomize build fails ("web/site/cm.yaml": file is not directory). Name the component's directory.`],
			['fleet-reference', 'error', 'web/site/kustomization.yaml', '20:7-20:23', 'crds.0', `This kustomization names "crds/widget.yaml" (web/site/crds/widget.yaml), which does not exist, ${lstat('web/site/crds/widget.yaml')}Fix the path or add the file.`],
			['fleet-reference', 'error', 'web/site/kustomization.yaml', '15:4-15:14', 'patchesStrategicMerge.0', `This kustomization names "smp.yaml" (web/site/smp.yaml), which does not exist, ${lstat('web/site/smp.yaml')}Fix the path or add the file.`],
			['fleet-reference', 'error', 'web/site/kustomization.yaml', '10:10-10:28', 'patches.0.path', `This kustomization names "patch-missing.yaml" (web/site/patch-missing.yaml), which does not exist, ${lstat('web/site/patch-missing.yaml')}Fix the path or add the file.`],
			['fleet-reference', 'error', 'web/site/kustomization.yaml', '11:10-11:17', 'patches.1.path', `"../base" is a directory (web/base), but a patch must be a file, so kustomize build fails ("web/base" must resolve to a file). Name the file itself.`],
			['fleet-reference', 'error', 'web/site/kustomization.yaml', '18:28-18:47', 'configMapGenerator.0.files.1', `This kustomization names "key=conf/nginx.conf" (web/site/conf/nginx.conf), which does not exist, ${lstat('web/site/conf/nginx.conf')}Fix the path or add the file.`],
			['fleet-reference', 'error', 'web/site/kustomization.yaml', '19:11-19:15', 'configMapGenerator.0.envs.0', `This kustomization names ".env" (web/site/.env), which does not exist, ${lstat('web/site/.env')}Fix the path or add the file.`],
		],
	);
});

test('entries that build are not reported: existing files, directories with a kustomization (any of its three names), remote bases (any Git host), paths outside the repository, variables', () => {
	const m = discover({
		'web/site/kustomization.yaml': yaml`
			apiVersion: kustomize.config.k8s.io/v1beta1
			kind: Kustomization
			resources:
			  - ./cm.yaml
			  - ../base/
			  - ../legacy
			  - https://github.com/acme/shared//base?ref=v1.2.0
			  - github.com/acme/other/deploy?ref=main
			  - git@github.com:acme/infra.git//base
			  - dev.azure.com/acme/platform/_git/infra//base
			  - git.example.com/acme/infra/base
			  - ../../../other-repo/base
			  - \${cluster_name}.yaml
			  - "{{ .Values.env }}/extra.yaml"
			components:
			  - ../components/monitoring
			bases:
			  - cm.yaml
		`,
		'web/site/cm.yaml': CM,
		'web/base/kustomization.yml': 'resources: []\n',
		'web/legacy/Kustomization': 'resources: []\n',
		'web/components/monitoring/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n',
		// A Flux Kustomization saved as kustomization.yaml is not a kustomize config.
		'clusters/x/kustomization.yaml': 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: x\nspec:\n  path: ./apps/prod\n  resources: [nothing.yaml]\n',
		// Not a kustomization file: kustomize never reads it.
		'web/site/notes.yaml': 'resources:\n  - missing.yaml\n',
	});
	assert.deepEqual(m.problems, []);
});

test('a path the file list lacks but the reader finds (a symbolic link kustomize follows) is not missing', () => {
	const files: Record<string, string> = { 'web/site/kustomization.yaml': 'resources:\n  - ../shared\n  - linked.yaml\n  - nowhere.yaml\n' };
	const reader = { ...memoryRepo(files), probe: (p: string) => (p === 'web/shared' ? ('directory' as const) : p === 'web/shared/kustomization.yaml' || p === 'web/site/linked.yaml' ? ('file' as const) : undefined) };
	const m = discoverFleet(new DocumentStore(reader));
	assert.deepEqual(
		m.problems.map((p) => p.path.join('.')),
		['resources.2'],
	);
});

test('on disk: a symbolic link to a base is not missing (the listing does not follow links, kustomize does)', async () => {
	const root = mkdtempSync(join(tmpdir(), 'fleetscope-links-'));
	try {
		mkdirSync(join(root, 'shared/base'), { recursive: true });
		mkdirSync(join(root, 'apps/prod'), { recursive: true });
		writeFileSync(join(root, 'shared/base/kustomization.yaml'), 'resources: []\n');
		writeFileSync(join(root, 'apps/prod/kustomization.yaml'), 'resources:\n  - ../base\n  - ../gone\n');
		symlinkSync(join(root, 'shared/base'), join(root, 'apps/base'), 'dir');
		const repo = await RepoSnapshot.build(nodeFileSystem(root));
		assert.ok(!repo.files().some((f) => f.startsWith('apps/base/')), 'the listing skips the link');
		const m = discoverFleet(new DocumentStore(new NodeRepoReader(root, repo.files())));
		assert.deepEqual(m.problems.map((p) => p.path.join('.')), ['resources.1']);
	} finally {
		rmSync(root, { recursive: true, force: true });
	}
});

test('a broken entry of a kustomization that clusters receive names the clusters that keep their last revision', () => {
	const flux = (name: string, env: string) =>
		`apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: ${name}\n  namespace: flux-system\nspec:\n  path: ./web/${env}\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n`;
	const m = discover({
		'clusters/prod-eu/apps.yaml': flux('apps', 'site'),
		'clusters/prod-us/apps.yaml': flux('apps', 'site'),
		'web/site/kustomization.yaml': 'resources:\n  - ../base\n',
		'web/base/kustomization.yaml': 'resources:\n  - deployment.yaml\n',
	});
	assert.deepEqual(
		brokenReferences(m).map((p) => [p.location.file, range(p), p.message]),
		[
			[
				'web/base/kustomization.yaml',
				'1:4-1:19',
				'This kustomization names "deployment.yaml" (web/base/deployment.yaml), which does not exist, so kustomize build fails ("lstat web/base/deployment.yaml: no such file or directory"): Flux and Argo CD apply nothing that includes it, so prod-eu and prod-us keep the last revision that built. Fix the path, or add the file or directory.',
			],
		],
	);
});

test('a bare file name under patches: is an error on the entry (kubectl kustomize 5.5 refuses it); path: entries are fine', () => {
	const m = discover({
		'o/kustomization.yaml': 'resources:\n  - deploy.yaml\npatches:\n  - patch.yaml\n  - path: other.yaml\n',
		'o/deploy.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n',
		'o/patch.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n',
		'o/other.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n',
	});
	assert.deepEqual(
		m.problems.map((p) => [p.ruleId, p.severity, p.location.file, p.path.join('.'), p.message]),
		[['kustomize-build', 'error', 'o/kustomization.yaml', 'patches.0', 'kustomize reads each entry of patches: as an object, so this bare file name makes kustomize build fail ("cannot unmarshal string into Go struct field Kustomization.patches of type types.Patch"). Write "- path: patch.yaml", or list it under patchesStrategicMerge.']],
	);
});

test('a kustomization entry a config-management plugin creates at sync time is information where Argo CD builds the path with a plugin, an error elsewhere', () => {
	const app = (plugin: string) => yaml`
		apiVersion: argoproj.io/v1alpha1
		kind: Application
		metadata:
		  name: kustomized-helm
		  namespace: argocd
		spec:
		  destination:
		    namespace: web
		    server: {{ .Values.server }}
		  project: default
		  source:
		    path: plugins/kustomized-helm
		    repoURL: https://github.com/acme/apps.git${plugin}
	`;
	const files = (plugin: string) => ({
		'apps/templates/kustomized-helm.yaml': app(plugin),
		'plugins/kustomized-helm/kustomization.yaml': 'resources:\n  - all.yaml\n',
		'plugins/kustomized-helm/Chart.yaml': 'apiVersion: v2\nname: x\nversion: 0.1.0\n',
	});
	// The interpolation is not re-indented: two tab stops, as the template's own lines.
	const withPlugin = discover(files('\n\t\t    plugin:\n\t\t      name: kustomized-helm'));
	assert.deepEqual(
		withPlugin.problems.map((p) => [p.ruleId, p.severity, p.location.file, p.path.join('.')]),
		[
			['kustomize-unsupported', 'info', 'apps/templates/kustomized-helm.yaml', 'spec.source.plugin'],
			['kustomize-unsupported', 'info', 'plugins/kustomized-helm/kustomization.yaml', 'resources.0'],
		],
	);
	assert.match(withPlugin.problems[1].message, /^This kustomization names "all\.yaml" \(plugins\/kustomized-helm\/all\.yaml\), which is not in the repository, but the Argo CD Application "kustomized-helm" builds it with the config-management plugin "kustomized-helm" at sync time, which may create it first/);
	const without = discover(files(''));
	assert.deepEqual(without.problems.map((p) => [p.ruleId, p.severity, p.path.join('.')]), [['fleet-reference', 'error', 'resources.0']]);
});

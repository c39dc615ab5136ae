import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { discoverFleet } from '../../server/src/engine/fleet/discover';
import { DocumentStore } from '../../server/src/engine/fleet/reader';
import { definitions, documentLinks, references, type NavContext } from '../../server/src/engine/services/fleet-nav';
import { RepoSnapshot } from '../../server/src/engine/context/repo-snapshot';
import { LineIndex } from '../../server/src/engine/core/text';
import type { Position, Range } from '../../server/src/engine/core/types';
import { nodeFileSystem } from '../../server/src/host/node-fs';
import { NodeRepoReader } from '../../server/src/host/repo-reader';
import { memoryRepo, yaml } from './helpers';

/** Navigation in the fleet graph: document links, go to definition and references on small in-memory repositories. */

function nav(files: Record<string, string>): NavContext {
	const store = new DocumentStore(memoryRepo(files));
	return { store, model: discoverFleet(store) };
}

/** The position of the first `needle` in a file (plus `delta` characters). */
function at(files: Record<string, string>, file: string, needle: string, delta = 1): Position {
	const text = files[file];
	const i = text.indexOf(needle);
	assert.notEqual(i, -1, `${needle} in ${file}`);
	return new LineIndex(text).positionAt(i + delta);
}

/** The text a range covers. */
function textOf(files: Record<string, string>, file: string, r: Range): string {
	const lines = new LineIndex(files[file]);
	return files[file].slice(lines.offsetAt(r.start), lines.offsetAt(r.end));
}

const r = (r: Range) => `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;

const gitRepo = (url = 'ssh://git@github.com/acme/fleet') => yaml`
	apiVersion: source.toolkit.fluxcd.io/v1
	kind: GitRepository
	metadata:
	  name: flux-system
	  namespace: flux-system
	spec:
	  interval: 1m
	  url: ${url}
`;
const fluxKs = (name: string, path: string, extra = '') =>
	`apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: ${name}\n  namespace: flux-system\nspec:\n  interval: 10m\n  path: ${path}\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n${extra}`;
const CM = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: web\n`;

/** Two Flux clusters bootstrapped from this repository, each syncing its overlay of one base and shared infrastructure. */
const fluxRepo = (): Record<string, string> => ({
	'clusters/dev/flux-system/gotk-sync.yaml': `${gitRepo()}---\n${fluxKs('flux-system', './clusters/dev')}`,
	'clusters/dev/apps.yaml': fluxKs('apps', './apps/dev', '  dependsOn:\n    - name: infra\n'),
	'clusters/dev/infra.yaml': `${fluxKs('infra', './infrastructure')}---\n${yaml`
		apiVersion: kustomize.toolkit.fluxcd.io/v1
		kind: Kustomization
		metadata:
		  name: tenants
		  namespace: flux-system
		spec:
		  interval: 10m
		  path: ./apps/dev
		  prune: true
		  sourceRef:
		    kind: GitRepository
		    name: tenants
		---
		apiVersion: source.toolkit.fluxcd.io/v1
		kind: GitRepository
		metadata:
		  name: tenants
		  namespace: flux-system
		spec:
		  interval: 1m
		  url: https://github.com/acme/tenants
	`}`,
	'clusters/prod/flux-system/gotk-sync.yaml': `${gitRepo()}---\n${fluxKs('flux-system', './clusters/prod')}`,
	'clusters/prod/apps.yaml': fluxKs('apps', './apps/prod', '  dependsOn:\n    - name: infra\n'),
	'clusters/prod/infra.yaml': fluxKs('infra', './infrastructure'),
	'apps/base/web/kustomization.yaml': 'resources:\n  - deployment.yaml\n  - service.yaml\n',
	'apps/base/web/deployment.yaml': CM('web'),
	'apps/base/web/service.yaml': CM('web-svc'),
	'apps/dev/kustomization.yaml': yaml`
		apiVersion: kustomize.config.k8s.io/v1beta1
		kind: Kustomization
		resources:
		  - ../base/web
		  - https://github.com/acme/shared//base?ref=v1.2.0
		  - missing.yaml
		patches:
		  - path: patch.yaml
		    target:
		      kind: ConfigMap
		configMapGenerator:
		  - name: settings
		    files: [settings=config/settings.json]
	`,
	'apps/dev/patch.yaml': CM('web'),
	'apps/dev/config/settings.json': '{}\n',
	'apps/prod/kustomization.yaml': 'resources:\n  - "../base/web"\n',
	'infrastructure/helm.yaml': yaml`
		apiVersion: source.toolkit.fluxcd.io/v1
		kind: HelmRepository
		metadata:
		  name: podinfo
		  namespace: flux-system
		spec:
		  url: https://stefanprodan.github.io/podinfo
		---
		apiVersion: helm.toolkit.fluxcd.io/v2
		kind: HelmRelease
		metadata:
		  name: podinfo
		  namespace: flux-system
		spec:
		  interval: 10m
		  chart:
		    spec:
		      chart: podinfo
		      sourceRef:
		        kind: HelmRepository
		        name: podinfo
	`,
	'infrastructure/monitoring/kustomization.yaml': 'resources:\n  - grafana.yaml\n',
	'infrastructure/monitoring/grafana.yaml': CM('grafana'),
});

describe('document links', () => {
	test('kustomization entries link to the file or the base kustomization they name; none for remote bases or missing files', () => {
		const files = fluxRepo();
		const links = documentLinks(nav(files), 'apps/dev/kustomization.yaml');
		assert.deepEqual(
			links.map((l) => [r(l.range), textOf(files, 'apps/dev/kustomization.yaml', l.range), l.target, l.directory ?? false, l.tooltip]),
			[
				['3:4-3:15', '../base/web', 'apps/base/web/kustomization.yaml', false, 'Open apps/base/web/kustomization.yaml'],
				['7:10-7:20', 'patch.yaml', 'apps/dev/patch.yaml', false, 'Open apps/dev/patch.yaml'],
				['12:12-12:41', 'settings=config/settings.json', 'apps/dev/config/settings.json', false, 'Open apps/dev/config/settings.json'],
			],
		);
	});

	test('the range of a quoted path is the path, without its quotes', () => {
		const files = fluxRepo();
		const [link] = documentLinks(nav(files), 'apps/prod/kustomization.yaml');
		assert.equal(r(link.range), '1:5-1:16');
		assert.equal(textOf(files, 'apps/prod/kustomization.yaml', link.range), '../base/web');
	});

	test('Flux: spec.path to the kustomization of the directory, or to the directory without one; sourceRef to the source of the same cluster', () => {
		const files = fluxRepo();
		const ctx = nav(files);
		const show = (file: string) => documentLinks(ctx, file).map((l) => [textOf(files, file, l.range), l.target, l.position ? `${l.position.line}:${l.position.character}` : '', l.directory ?? false]);
		assert.deepEqual(show('clusters/dev/apps.yaml'), [
			['./apps/dev', 'apps/dev/kustomization.yaml', '', false],
			// Both clusters declare flux-system/flux-system: the one of this cluster, at its name.
			['flux-system', 'clusters/dev/flux-system/gotk-sync.yaml', '3:8', false],
		]);
		assert.deepEqual(show('clusters/dev/infra.yaml'), [
			['./infrastructure', 'infrastructure', '', true],
			['flux-system', 'clusters/dev/flux-system/gotk-sync.yaml', '3:8', false],
			// Another repository's path is not followed into this one, even where the same path exists here.
			['tenants', 'clusters/dev/infra.yaml', '29:8', false],
		]);
		const [dir] = documentLinks(ctx, 'clusters/prod/infra.yaml');
		assert.equal(dir.tooltip, 'Reveal infrastructure in the Explorer (no kustomization file: every manifest under it is synced)');
		assert.deepEqual(show('clusters/prod/apps.yaml')[1], ['flux-system', 'clusters/prod/flux-system/gotk-sync.yaml', '3:8', false]);
	});

	test('HelmRelease: the chart sourceRef links to the HelmRepository', () => {
		const files = fluxRepo();
		const links = documentLinks(nav(files), 'infrastructure/helm.yaml');
		assert.deepEqual(
			links.map((l) => [r(l.range), l.target, l.position, l.tooltip]),
			[['20:14-20:21', 'infrastructure/helm.yaml', { line: 3, character: 8 }, 'Open HelmRepository flux-system/podinfo (infrastructure/helm.yaml)']],
		);
	});

	test('a chart in this repository, Flux components, and HelmRelease dependsOn', () => {
		const files = {
			...fluxRepo(),
			'clusters/dev/extra.yaml': fluxKs('extra', './apps/dev', '  components:\n    - ../components/tracing\n    - ../components/gone\n'),
			'apps/components/tracing/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n',
			'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 1.0.0\n',
			'infrastructure/web.yaml': yaml`
				apiVersion: helm.toolkit.fluxcd.io/v2
				kind: HelmRelease
				metadata:
				  name: web
				  namespace: flux-system
				spec:
				  dependsOn:
				    - name: podinfo
				  chart:
				    spec:
				      chart: ./charts/web
				      sourceRef:
				        kind: GitRepository
				        name: flux-system
			`,
		};
		const ctx = nav(files);
		assert.deepEqual(documentLinks(ctx, 'clusters/dev/extra.yaml').map((l) => [textOf(files, 'clusters/dev/extra.yaml', l.range), l.target]), [
			['./apps/dev', 'apps/dev/kustomization.yaml'],
			['flux-system', 'clusters/dev/flux-system/gotk-sync.yaml'],
			// Relative to spec.path (apps/dev), as Flux reads them; the missing one has no link.
			['../components/tracing', 'apps/components/tracing/kustomization.yaml'],
		]);
		// Both clusters receive this file and each reads its own flux-system: no single link, a definition per cluster.
		assert.deepEqual(documentLinks(ctx, 'infrastructure/web.yaml').map((l) => [textOf(files, 'infrastructure/web.yaml', l.range), l.target]), [['./charts/web', 'charts/web/Chart.yaml']]);
		const sources = definitions(ctx, 'infrastructure/web.yaml', at(files, 'infrastructure/web.yaml', 'name: flux-system', 7));
		assert.deepEqual(sources.map((d) => d.file), ['clusters/dev/flux-system/gotk-sync.yaml', 'clusters/prod/flux-system/gotk-sync.yaml']);
		const dep = definitions(ctx, 'infrastructure/web.yaml', at(files, 'infrastructure/web.yaml', 'name: podinfo', 7));
		assert.deepEqual(dep.map((d) => `${d.file}:${d.selectionRange.start.line}`), ['infrastructure/helm.yaml:11']);
	});

	test('a file that names nothing, cannot be read as YAML or is huge has no links and throws nothing', () => {
		const files: Record<string, string> = { ...fluxRepo(), 'bad/kustomization.yaml': 'resources: [\n', 'bad/x.yaml': 'kind: Kustomization\n\t: :\n', 'bad/y.yaml': 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: y\nspec:\n  path: [1]\n  sourceRef: 5\n  dependsOn: {a: 1}\n' };
		// Over 1 MB (an editor hands over any text): not parsed per request.
		files['huge/kustomization.yaml'] = `resources:\n${'  - cm.yaml\n'.repeat(100_000)}`;
		files['huge/cm.yaml'] = CM('huge');
		const ctx = nav(files);
		for (const f of ['apps/base/web/deployment.yaml', 'bad/kustomization.yaml', 'bad/x.yaml', 'bad/y.yaml', 'does/not/exist.yaml', 'huge/kustomization.yaml']) assert.deepEqual(documentLinks(ctx, f), [], f);
	});
});

describe('go to definition', () => {
	test('a dependsOn name goes to the Kustomization of the same cluster, selecting its name', () => {
		const files = fluxRepo();
		const defs = definitions(nav(files), 'clusters/dev/apps.yaml', at(files, 'clusters/dev/apps.yaml', '- name: infra', 9));
		assert.deepEqual(defs, [{ originRange: { start: { line: 13, character: 12 }, end: { line: 13, character: 17 } }, file: 'clusters/dev/infra.yaml', range: { start: { line: 0, character: 0 }, end: { line: 12, character: 0 } }, selectionRange: { start: { line: 3, character: 8 }, end: { line: 3, character: 13 } } }]);
		assert.equal(textOf(files, 'clusters/dev/infra.yaml', defs[0].selectionRange), 'infra');
	});

	test('a path goes to the file; a directory without a kustomization to the manifests it syncs (a nested kustomization as one)', () => {
		const files = fluxRepo();
		const ctx = nav(files);
		assert.deepEqual(definitions(ctx, 'apps/dev/kustomization.yaml', at(files, 'apps/dev/kustomization.yaml', '../base/web', 0)).map((d) => [textOf(files, 'apps/dev/kustomization.yaml', d.originRange), d.file]), [['../base/web', 'apps/base/web/kustomization.yaml']]);
		assert.deepEqual(definitions(ctx, 'clusters/dev/infra.yaml', at(files, 'clusters/dev/infra.yaml', './infrastructure', 16)).map((d) => d.file), ['infrastructure/helm.yaml', 'infrastructure/monitoring/kustomization.yaml']);
	});

	test('nothing on a missing path, a remote base, an unknown name or a position that names nothing', () => {
		const files = fluxRepo();
		const ctx = nav(files);
		assert.deepEqual(definitions(ctx, 'apps/dev/kustomization.yaml', at(files, 'apps/dev/kustomization.yaml', 'missing.yaml')), []);
		assert.deepEqual(definitions(ctx, 'apps/dev/kustomization.yaml', at(files, 'apps/dev/kustomization.yaml', 'https://')), []);
		assert.deepEqual(definitions(ctx, 'apps/dev/kustomization.yaml', at(files, 'apps/dev/kustomization.yaml', 'resources')), []);
		assert.deepEqual(definitions(ctx, 'clusters/dev/apps.yaml', at(files, 'clusters/dev/apps.yaml', 'interval')), []);
	});
});

describe('find references', () => {
	test('from anywhere in a base: the overlay entries that include it, the Flux paths that sync those, up to the clusters', () => {
		const files = fluxRepo();
		const refs = references(nav(files), 'apps/base/web/kustomization.yaml', { line: 0, character: 2 }, false);
		assert.deepEqual(
			refs.map((x) => `${x.file}:${x.range.start.line}:${x.range.start.character} ${textOf(files, x.file, x.range)}`),
			[
				'apps/dev/kustomization.yaml:3:4 ../base/web',
				'apps/prod/kustomization.yaml:1:5 ../base/web',
				'clusters/dev/apps.yaml:7:8 ./apps/dev',
				'clusters/prod/apps.yaml:7:8 ./apps/prod',
				'clusters/dev/flux-system/gotk-sync.yaml:16:8 ./clusters/dev',
				'clusters/prod/flux-system/gotk-sync.yaml:16:8 ./clusters/prod',
			],
		);
	});

	test('from a resource file of the base: its entry first, then everything that includes the base', () => {
		const files = fluxRepo();
		const refs = references(nav(files), 'apps/base/web/deployment.yaml', { line: 1, character: 3 }, false);
		assert.deepEqual(refs.map((x) => textOf(files, x.file, x.range)).slice(0, 3), ['deployment.yaml', '../base/web', '../base/web']);
		assert.equal(refs.length, 7);
	});

	test('on a path: everything that names the same target', () => {
		const files = fluxRepo();
		const refs = references(nav(files), 'clusters/dev/infra.yaml', at(files, 'clusters/dev/infra.yaml', './infrastructure'), false);
		assert.deepEqual(refs.map((x) => `${x.file} ${textOf(files, x.file, x.range)}`).slice(0, 2), ['clusters/dev/infra.yaml ./infrastructure', 'clusters/prod/infra.yaml ./infrastructure']);
	});

	test('from a Flux source: every sourceRef that names it, in its cluster only; the declaration on request', () => {
		const files = fluxRepo();
		const ctx = nav(files);
		const pos = at(files, 'clusters/dev/flux-system/gotk-sync.yaml', 'url:');
		const refs = references(ctx, 'clusters/dev/flux-system/gotk-sync.yaml', pos, false);
		assert.deepEqual(refs.map((x) => `${x.file}:${x.range.start.line}`), ['clusters/dev/apps.yaml:11', 'clusters/dev/flux-system/gotk-sync.yaml:20', 'clusters/dev/infra.yaml:11']);
		const withDecl = references(ctx, 'clusters/dev/flux-system/gotk-sync.yaml', pos, true);
		assert.deepEqual(withDecl.map((x) => `${x.file}:${x.range.start.line}:${x.range.start.character}`)[0], 'clusters/dev/flux-system/gotk-sync.yaml:3:8');
		assert.equal(withDecl.length, 4);
		const helm = references(ctx, 'infrastructure/helm.yaml', at(files, 'infrastructure/helm.yaml', 'stefanprodan'), false);
		assert.deepEqual(helm.map((x) => `${x.file}:${x.range.start.line}:${x.range.start.character}`), ['infrastructure/helm.yaml:20:14']);
	});

	test('from a Kustomization: every dependsOn that names it (its cluster only); on a dependsOn entry, all entries naming the same Kustomization', () => {
		const files = fluxRepo();
		const ctx = nav(files);
		const refs = references(ctx, 'clusters/prod/infra.yaml', at(files, 'clusters/prod/infra.yaml', 'prune'), false);
		assert.deepEqual(refs.map((x) => `${x.file}:${x.range.start.line}:${x.range.start.character} ${textOf(files, x.file, x.range)}`), ['clusters/prod/apps.yaml:13:12 infra']);
		const onEntry = references(ctx, 'clusters/dev/apps.yaml', at(files, 'clusters/dev/apps.yaml', '- name: infra', 9), true);
		assert.deepEqual(onEntry.map((x) => `${x.file}:${x.range.start.line}`), ['clusters/dev/infra.yaml:3', 'clusters/dev/apps.yaml:13']);
	});

	test('a file nothing includes has no references', () => {
		const files = { ...fluxRepo(), 'loose/cm.yaml': CM('loose') };
		assert.deepEqual(references(nav(files), 'loose/cm.yaml', { line: 0, character: 0 }, true), []);
	});
});

/** A Fleet file with its claims, clusters synced by Flux. */
const fleetRepo = (): Record<string, string> => ({
	'fleet.yaml': yaml`
		apiVersion: platform.gitops.io/v1alpha1
		kind: Fleet
		metadata:
		  name: acme
		spec:
		  environments:
		    - name: dev
		    - name: production
		      promotion:
		        from: dev
		  clusters:
		    - name: dev-eu
		      environment: dev
		      claim: claims/dev-eu.yaml
		      path: clusters/dev-eu
		    - name: prod-eu
		      environment: production
		      claim: claims/missing.yaml
		      path: clusters/prod-eu
		  apps:
		    - name: web
		      environments:
		        dev: apps/dev
		        production: [apps/production, apps/gone]
	`,
	'claims/dev-eu.yaml': 'apiVersion: platform.gitops.io/v1alpha1\nkind: ClusterClaim\nmetadata:\n  name: dev-eu\nspec:\n  environment: dev\n',
	'clusters/dev-eu/apps.yaml': fluxKs('apps', './apps/dev'),
	'clusters/prod-eu/apps.yaml': fluxKs('apps', './apps/production'),
	'apps/dev/kustomization.yaml': 'resources:\n  - cm.yaml\n',
	'apps/dev/cm.yaml': CM('a'),
	'apps/production/kustomization.yaml': 'resources:\n  - cm.yaml\n',
	'apps/production/cm.yaml': CM('a'),
});

describe('the Fleet file', () => {
	test('cluster paths, claims and app overlays link where they exist', () => {
		const files = fleetRepo();
		assert.deepEqual(
			documentLinks(nav(files), 'fleet.yaml').map((l) => [textOf(files, 'fleet.yaml', l.range), l.target, l.directory ?? false]),
			[
				['claims/dev-eu.yaml', 'claims/dev-eu.yaml', false],
				['clusters/dev-eu', 'clusters/dev-eu', true],
				['clusters/prod-eu', 'clusters/prod-eu', true],
				['apps/dev', 'apps/dev/kustomization.yaml', false],
				['apps/production', 'apps/production/kustomization.yaml', false],
			],
		);
	});

	test('an environment name (cluster, app overlay key, promotion, ClusterClaim) goes to its declaration', () => {
		const files = fleetRepo();
		const ctx = nav(files);
		const decl = (file: string, pos: Position) => definitions(ctx, file, pos).map((d) => `${textOf(files, file, d.originRange)} -> ${d.file}:${r(d.selectionRange)} ${textOf(files, d.file, d.selectionRange)}`);
		assert.deepEqual(decl('fleet.yaml', at(files, 'fleet.yaml', 'environment: production', 14)), ['production -> fleet.yaml:7:12-7:22 production']);
		assert.deepEqual(decl('fleet.yaml', at(files, 'fleet.yaml', 'production: [', 2)), ['production -> fleet.yaml:7:12-7:22 production']);
		assert.deepEqual(decl('fleet.yaml', at(files, 'fleet.yaml', 'from: dev', 7)), ['dev -> fleet.yaml:6:12-6:15 dev']);
		assert.deepEqual(decl('claims/dev-eu.yaml', at(files, 'claims/dev-eu.yaml', 'environment: dev', 14)), ['dev -> fleet.yaml:6:12-6:15 dev']);
		assert.deepEqual(definitions(ctx, 'fleet.yaml', at(files, 'fleet.yaml', 'apps/gone')), []);
	});

	test('references of an environment: every cluster, overlay, promotion and claim that names it', () => {
		const files = fleetRepo();
		const refs = references(nav(files), 'fleet.yaml', at(files, 'fleet.yaml', '- name: dev', 9), true);
		assert.deepEqual(refs.map((x) => `${x.file}:${x.range.start.line}:${x.range.start.character}`), ['fleet.yaml:6:12', 'claims/dev-eu.yaml:5:15', 'fleet.yaml:9:14', 'fleet.yaml:12:19', 'fleet.yaml:22:8']);
	});

	test('references of an overlay include the Fleet app overlay and, through the Flux path, the Fleet cluster path', () => {
		const files = fleetRepo();
		const refs = references(nav(files), 'apps/dev/cm.yaml', { line: 0, character: 0 }, false);
		assert.deepEqual(refs.map((x) => `${x.file} ${textOf(files, x.file, x.range)}`), ['apps/dev/kustomization.yaml cm.yaml', 'clusters/dev-eu/apps.yaml ./apps/dev', 'fleet.yaml apps/dev', 'fleet.yaml clusters/dev-eu']);
	});
});

/** Argo CD: an Application and an ApplicationSet that fans one path template out to the clusters. */
const argoRepo = (): Record<string, string> => ({
	'argocd/apps.yaml': yaml`
		apiVersion: argoproj.io/v1alpha1
		kind: Application
		metadata:
		  name: web
		  namespace: argocd
		spec:
		  destination:
		    name: prod-eu
		    namespace: web
		  sources:
		    - repoURL: https://github.com/acme/fleet
		      path: apps/prod
		    - repoURL: https://charts.example.com
		      chart: redis
		      targetRevision: 18.0.0
		    - repoURL: https://github.com/acme/fleet
		      path: apps/nowhere
		---
		apiVersion: argoproj.io/v1alpha1
		kind: ApplicationSet
		metadata:
		  name: web-envs
		  namespace: argocd
		spec:
		  generators:
		    - list:
		        elements:
		          - cluster: dev-eu
		            env: dev
		          - cluster: prod-eu
		            env: prod
		  template:
		    metadata:
		      name: 'web-{{env}}'
		    spec:
		      destination:
		        name: '{{cluster}}'
		        namespace: web
		      source:
		        repoURL: https://github.com/acme/fleet
		        path: 'apps/{{env}}'
	`,
	'apps/dev/kustomization.yaml': 'resources:\n  - cm.yaml\n',
	'apps/dev/cm.yaml': CM('a'),
	'apps/prod/kustomization.yaml': 'resources:\n  - cm.yaml\n',
	'apps/prod/cm.yaml': CM('a'),
});

describe('Argo CD', () => {
	test('an Application path links where it exists in this repository; a chart source and a missing path do not', () => {
		const files = argoRepo();
		assert.deepEqual(
			documentLinks(nav(files), 'argocd/apps.yaml').map((l) => [r(l.range), textOf(files, 'argocd/apps.yaml', l.range), l.target]),
			[['11:12-11:21', 'apps/prod', 'apps/prod/kustomization.yaml']],
		);
	});

	test('an ApplicationSet path template goes to every path its generators produce', () => {
		const files = argoRepo();
		const defs = definitions(nav(files), 'argocd/apps.yaml', at(files, 'argocd/apps.yaml', "'apps/{{env}}'", 3));
		assert.deepEqual(defs.map((d) => [textOf(files, 'argocd/apps.yaml', d.originRange), d.file]), [
			['apps/{{env}}', 'apps/dev/kustomization.yaml'],
			['apps/{{env}}', 'apps/prod/kustomization.yaml'],
		]);
	});

	test('references of an overlay include the Application and the ApplicationSet that sync it', () => {
		const files = argoRepo();
		const refs = references(nav(files), 'apps/prod/kustomization.yaml', { line: 0, character: 0 }, false);
		assert.deepEqual(refs.map((x) => `${x.file}:${x.range.start.line} ${textOf(files, x.file, x.range)}`), ['argocd/apps.yaml:11 apps/prod', 'argocd/apps.yaml:40 apps/{{env}}']);
	});
});

describe('the example fleet (examples/fleet)', () => {
	const root = path.join(__dirname, '../../examples/fleet');
	const load = async () => {
		const repo = await RepoSnapshot.build(nodeFileSystem(root));
		const store = new DocumentStore(new NodeRepoReader(root, repo.files()));
		return { store, model: discoverFleet(store) };
	};
	const text = (file: string, range: Range) => textOf({ [file]: readFileSync(path.join(root, file), 'utf8') }, file, range);

	test('references of the podinfo base: the three overlay entries, the Fleet overlays and the clusters Flux paths, up to each cluster root', async () => {
		const refs = references(await load(), 'apps/base/podinfo/kustomization.yaml', { line: 2, character: 3 }, false);
		const shown = refs.map((x) => `${x.file}:${x.range.start.line + 1} ${text(x.file, x.range)}`);
		assert.deepEqual(shown.slice(0, 3), ['apps/dev/kustomization.yaml:4 ../base/podinfo', 'apps/production/kustomization.yaml:4 ../base/podinfo', 'apps/staging/kustomization.yaml:4 ../base/podinfo']);
		assert.deepEqual(shown.slice(3).sort(), [
			'clusters/dev-eu-west-1/apps.yaml:15 ./apps/dev',
			'clusters/dev-eu-west-1/flux-system/gotk-sync.yaml:21 ./clusters/dev-eu-west-1',
			'clusters/prod-eu-west-1/apps.yaml:15 ./apps/production',
			'clusters/prod-eu-west-1/flux-system/gotk-sync.yaml:21 ./clusters/prod-eu-west-1',
			'clusters/prod-us-east-1/apps.yaml:15 ./apps/production',
			'clusters/prod-us-east-1/flux-system/gotk-sync.yaml:21 ./clusters/prod-us-east-1',
			'clusters/staging-eu-west-1/apps.yaml:15 ./apps/staging',
			'clusters/staging-eu-west-1/flux-system/gotk-sync.yaml:21 ./clusters/staging-eu-west-1',
			// The Fleet's cluster paths (perf-eu-west-1 shares dev's directory) and both apps' overlays.
			'fleet.yaml:26 clusters/dev-eu-west-1',
			'fleet.yaml:35 clusters/staging-eu-west-1',
			'fleet.yaml:44 clusters/prod-us-east-1',
			'fleet.yaml:53 clusters/prod-eu-west-1',
			'fleet.yaml:63 clusters/dev-eu-west-1',
			'fleet.yaml:98 apps/dev',
			'fleet.yaml:99 apps/staging',
			'fleet.yaml:100 apps/production',
			'fleet.yaml:113 apps/dev',
			'fleet.yaml:114 apps/staging',
			'fleet.yaml:115 apps/production',
		].sort());
	});

	test('every cluster declares infra-configs: dependsOn goes to the one of its own cluster', async () => {
		const file = 'clusters/prod-us-east-1/apps.yaml';
		const source = readFileSync(path.join(root, file), 'utf8');
		const defs = definitions(await load(), file, at({ [file]: source }, file, 'infra-configs', 2));
		assert.deepEqual(defs.map((d) => `${d.file}:${d.selectionRange.start.line + 1} ${text(d.file, d.selectionRange)}`), ['clusters/prod-us-east-1/infrastructure.yaml:28 infra-configs']);
	});
});

describe('Flux 2.7 ExternalArtifact layout (test/fixtures/real-world/flux2-kustomize-helm-example)', () => {
	const root = path.join(__dirname, '../fixtures/real-world/flux2-kustomize-helm-example');
	const load = async () => {
		const repo = await RepoSnapshot.build(nodeFileSystem(root));
		const store = new DocumentStore(new NodeRepoReader(root, repo.files()));
		return { store, model: discoverFleet(store) };
	};

	test('the artifact path leads to the repository path it is copied from; the sourceRef to the artifact of the same cluster', async () => {
		const links = documentLinks(await load(), 'clusters/production/apps.yaml');
		assert.deepEqual(
			links.map((l) => [l.range.start.line + 1, l.target, l.position && l.position.line + 1]),
			[
				[15, 'clusters/production/artifacts.yaml', 18],
				[16, 'apps/production/kustomization.yaml', undefined],
			],
		);
	});

	test('references of an ArtifactGenerator: the sourceRefs of its cluster; of one artifact: those naming that artifact', async () => {
		const ctx = await load();
		const all = references(ctx, 'clusters/production/artifacts.yaml', { line: 6, character: 2 }, false);
		assert.deepEqual(all.map((x) => `${x.file}:${x.range.start.line + 1}`), ['clusters/production/apps.yaml:15', 'clusters/production/infrastructure.yaml:13', 'clusters/production/infrastructure.yaml:31']);
		const one = references(ctx, 'clusters/production/apps.yaml', { line: 14, character: 11 }, true);
		assert.deepEqual(one.map((x) => `${x.file}:${x.range.start.line + 1}`), ['clusters/production/artifacts.yaml:18', 'clusters/production/apps.yaml:15']);
	});
});

import type { NodePath } from '../core/parse';
import { joinPath } from '../core/paths';
import { isPlainObject } from '../core/resource';
import { artifactPath, isFluxKustomization, isHelmRelease } from '../fleet/flux';
import { valueAt } from '../fleet/kustomize-refs';
import { repoPath, type DocRef } from '../fleet/reader';
import type { Site, SiteKind, SiteResolver, Target } from './fleet-graph-types';

/** The sites each kind of fleet object declares: Flux Kustomizations and HelmReleases, Argo CD Applications and ApplicationSets, the Fleet, ClusterClaims. */

export const SOURCE_GROUP = 'source.toolkit.fluxcd.io';
export const FLUX_SOURCE_KINDS = ['GitRepository', 'OCIRepository', 'Bucket', 'HelmRepository', 'HelmChart'];

const groupOf = (d: DocRef) => d.apiVersion.split('/')[0];
const obj = (v: unknown): Record<string, unknown> => (isPlainObject(v) ? v : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export const isFleet = (d: DocRef) => d.apiVersion === 'platform.gitops.io/v1alpha1' && d.kind === 'Fleet';
const isArgo = (d: DocRef) => groupOf(d) === 'argoproj.io';

/** The sites one document declares, appended to `out`. */
export function documentSites(g: SiteResolver, d: DocRef, out: Site[]): void {
	if (isFluxKustomization(d)) fluxKustomization(g, d, out);
	else if (isHelmRelease(d)) helmRelease(g, d, out);
	else if (isArgo(d) && (d.kind === 'Application' || d.kind === 'ApplicationSet')) argo(g, d, out);
	else if (isFleet(d)) fleet(g, d, out);
	else if (d.kind === 'ClusterClaim' && d.apiVersion === 'platform.gitops.io/v1alpha1') claim(g, d, out);
}

function push(out: Site[], kind: SiteKind, doc: DocRef, path: NodePath, targets: Target[], recursive = false, key = false): void {
	const v = key ? path[path.length - 1] : valueAt(doc.value, path);
	if (typeof v !== 'string' || v.trim() === '') return;
	out.push({ kind, doc, path, written: v, targets, recursive, ...(key ? { key } : {}) });
}

function fluxKustomization(g: SiteResolver, d: DocRef, out: Site[]): void {
	const spec = obj(d.value.spec);
	const ref = obj(spec.sourceRef);
	const kind = str(ref.kind) ?? 'GitRepository';
	const name = str(ref.name);
	const ns = str(ref.namespace) ?? d.namespace ?? '';
	let path: string | undefined;
	if (typeof spec.path === 'string') {
		path = repoPath(spec.path);
		if (kind === 'ExternalArtifact') path = name === undefined ? undefined : artifactPath(g.store, name, ns, path, g.selfSourceKeys());
		else if (!g.readsThisRepo(d, kind, name, ns)) path = undefined;
		push(out, 'flux-path', d, ['spec', 'path'], g.pathTargets(path), true);
	}
	if (name !== undefined) {
		const sources: Target[] = kind === 'ExternalArtifact' ? g.artifactGenerators(d, name, ns) : FLUX_SOURCE_KINDS.includes(kind) ? g.named(d, [kind], SOURCE_GROUP, name, ns).map((doc) => ({ type: 'object', doc })) : [];
		push(out, 'flux-source', d, ['spec', 'sourceRef', 'name'], sources);
	}
	if (Array.isArray(spec.components) && path !== undefined) {
		spec.components.forEach((c, i) => typeof c === 'string' && push(out, 'flux-component', d, ['spec', 'components', i], g.pathTargets(joinPath(path!, c))));
	}
	dependsOn(g, d, out, 'flux-dependency', spec.dependsOn, (x) => isFluxKustomization(x));
}

function helmRelease(g: SiteResolver, d: DocRef, out: Site[]): void {
	const spec = obj(d.value.spec);
	const chartSpec = obj(obj(spec.chart).spec);
	const ref = obj(chartSpec.sourceRef);
	const kind = str(ref.kind);
	const name = str(ref.name);
	const ns = str(ref.namespace) ?? d.namespace ?? '';
	if (kind && name) push(out, 'helm-source', d, ['spec', 'chart', 'spec', 'sourceRef', 'name'], g.named(d, [kind], SOURCE_GROUP, name, ns).map((doc) => ({ type: 'object', doc })));
	// A chart in a Git source: its directory in this repository, at its Chart.yaml.
	if (kind === 'GitRepository' && name && typeof chartSpec.chart === 'string' && g.readsThisRepo(d, kind, name, ns)) {
		const dir = repoPath(chartSpec.chart);
		const chart = joinPath(dir, 'Chart.yaml');
		push(out, 'helm-chart', d, ['spec', 'chart', 'spec', 'chart'], g.store.isFile(chart) ? [{ type: 'path', named: dir, file: chart, directory: false }] : g.pathTargets(dir));
	}
	const chartRef = obj(spec.chartRef);
	const refKind = str(chartRef.kind);
	const refName = str(chartRef.name);
	if (refKind && refName) push(out, 'helm-source', d, ['spec', 'chartRef', 'name'], g.named(d, [refKind], SOURCE_GROUP, refName, str(chartRef.namespace) ?? d.namespace ?? '').map((doc) => ({ type: 'object', doc })));
	dependsOn(g, d, out, 'helm-dependency', spec.dependsOn, (x) => isHelmRelease(x));
}

function dependsOn(g: SiteResolver, d: DocRef, out: Site[], kind: SiteKind, list: unknown, same: (x: DocRef) => boolean): void {
	if (!Array.isArray(list)) return;
	list.forEach((dep, i) => {
		const name = str(obj(dep).name);
		if (!name) return;
		const ns = str(obj(dep).namespace) ?? d.namespace ?? '';
		const targets = g.named(d, [d.kind], groupOf(d), name, ns).filter(same);
		push(out, kind, d, ['spec', 'dependsOn', i, 'name'], targets.map((doc) => ({ type: 'object', doc })));
	});
}

function argo(g: SiteResolver, d: DocRef, out: Site[]): void {
	const set = d.kind === 'ApplicationSet';
	const specPath = set ? ['spec', 'template', 'spec'] : ['spec'];
	const spec = obj(valueAt(d.value, specPath));
	const sources: { s: Record<string, unknown>; at: NodePath }[] = [];
	if (isPlainObject(spec.source)) sources.push({ s: spec.source, at: [...specPath, 'source'] });
	if (Array.isArray(spec.sources)) spec.sources.forEach((s, i) => isPlainObject(s) && sources.push({ s, at: [...specPath, 'sources', i] }));
	for (const { s, at } of sources) {
		// A Helm chart from a chart repository has no path in Git.
		if (typeof s.path !== 'string' || s.chart !== undefined) continue;
		const recursive = obj(s.directory).recurse === true;
		if (set && s.path.includes('{{')) {
			// Generated: the paths discovery generated for it, where they exist.
			const paths = [...new Set(g.syncsAt(g.anchorOf(d, [...at, 'path'])).map((x) => x.path))].sort();
			push(out, 'argo-generated', d, [...at, 'path'], paths.flatMap((p) => g.pathTargets(p)), recursive);
		} else push(out, 'argo-path', d, [...at, 'path'], g.pathTargets(repoPath(s.path)), recursive);
	}
}

function fleet(g: SiteResolver, d: DocRef, out: Site[]): void {
	const spec = obj(d.value.spec);
	const list = (v: unknown) => (Array.isArray(v) ? v : []);
	const env = (name: unknown) => g.environment(d, name);
	list(spec.environments).forEach((e, i) => push(out, 'fleet-environment', d, ['spec', 'environments', i, 'promotion', 'from'], env(obj(obj(e).promotion).from)));
	list(spec.clusters).forEach((c, i) => {
		const at = ['spec', 'clusters', i];
		const path = str(obj(c).path);
		const claim = str(obj(c).claim);
		push(out, 'fleet-path', d, [...at, 'path'], g.pathTargets(path === undefined ? undefined : repoPath(path)), true);
		push(out, 'fleet-claim', d, [...at, 'claim'], g.pathTargets(claim === undefined ? undefined : repoPath(claim)));
		push(out, 'fleet-environment', d, [...at, 'environment'], env(obj(c).environment));
	});
	list(spec.apps).forEach((a, i) => {
		const envs = obj(obj(a).environments);
		for (const [name, p] of Object.entries(envs)) {
			const at = ['spec', 'apps', i, 'environments', name];
			push(out, 'fleet-environment', d, at, env(name), false, true);
			if (typeof p === 'string') push(out, 'fleet-path', d, at, g.pathTargets(repoPath(p)), true);
			else list(p).forEach((x, j) => typeof x === 'string' && push(out, 'fleet-path', d, [...at, j], g.pathTargets(repoPath(x)), true));
		}
	});
}

/** A ClusterClaim's environment, declared by the Fleet (as the last discovery read it). */
function claim(g: SiteResolver, d: DocRef, out: Site[]): void {
	const name = str(obj(d.value.spec).environment);
	const e = g.ctx.model.environments.find((x) => x.name === name && x.source === 'declared' && x.location);
	const fleetDoc = e?.location && g.store.documents(e.location.file).find(isFleet);
	push(out, 'fleet-environment', d, ['spec', 'environment'], fleetDoc ? g.environment(fleetDoc, name) : []);
}

import { kustomizationIn } from '../fleet/expand';
import { artifactPath, isFluxKustomization, isHelmRelease } from '../fleet/flux';
import { kustomizationDoc, kustomizationRefs, valueAt } from '../fleet/kustomize-refs';
import { repoPath, type DocRef, type DocumentStore } from '../fleet/reader';
import type { FleetModel, SourceLocation, SyncSource } from '../fleet/types';
import type { NodePath } from '../core/parse';
import { dirName, isKustomizationFile, isYamlFile, joinPath } from '../core/paths';
import { isPlainObject } from '../core/resource';
import { LineIndex } from '../core/text';
import type { Position, Range } from '../core/types';

/**
 * The fleet's reference graph as the editor navigates it: every place in a file that names
 * another file, directory or object (kustomization entries, Flux and Argo CD paths, Flux
 * sourceRefs and dependsOn, Fleet paths and environments), resolved against the repository.
 * Built per request from the document store (the editor's text for open files) and the fleet
 * model of the last discovery; pure, nothing is kept between requests.
 */

export interface NavContext {
	store: DocumentStore;
	model: FleetModel;
}

export type SiteKind =
	| 'kustomize'
	| 'flux-path'
	| 'flux-component'
	| 'helm-chart'
	| 'argo-path'
	| 'argo-generated'
	| 'fleet-path'
	| 'fleet-claim'
	| 'flux-source'
	| 'helm-source'
	| 'flux-dependency'
	| 'helm-dependency'
	| 'fleet-environment';

/** Sites that name a path of the repository (the rest name an object or an environment). */
export const PATH_SITES: ReadonlySet<SiteKind> = new Set(['kustomize', 'flux-path', 'flux-component', 'helm-chart', 'argo-path', 'argo-generated', 'fleet-path', 'fleet-claim']);

export type Target =
	/** A file, or a directory: `file` is its kustomization file when it has one, else the directory itself (`directory`). */
	| { type: 'path'; named: string; file: string; directory: boolean }
	/** An object's document; `at` is what names it (its metadata.name unless said otherwise: an ArtifactGenerator's artifact). */
	| { type: 'object'; doc: DocRef; at?: NodePath }
	| { type: 'environment'; name: string; location: SourceLocation; item: SourceLocation };

/** A place in a file that names something. */
export interface Site {
	kind: SiteKind;
	doc: DocRef;
	/** JSON path of the naming scalar (of its key with `key`). */
	path: NodePath;
	key?: boolean;
	written: string;
	/** What it names in this repository; empty when nothing matches (missing, remote, another repository). */
	targets: Target[];
	/** A directory without a kustomization is synced with its subdirectories (Flux, Fleet) or flat (Argo CD without recurse). */
	recursive: boolean;
}

const SOURCE_GROUP = 'source.toolkit.fluxcd.io';
/** Larger files are not read for navigation (as for discovery: no GitOps object is that large). */
const MAX_NAV_CHARS = 1024 * 1024;
const FLUX_SOURCE_KINDS = ['GitRepository', 'OCIRepository', 'Bucket', 'HelmRepository', 'HelmChart'];
const NAV_KINDS = ['Kustomization', 'HelmRelease', 'Application', 'ApplicationSet', 'Fleet', 'ClusterClaim'];

const groupOf = (d: DocRef) => d.apiVersion.split('/')[0];
const obj = (v: unknown): Record<string, unknown> => (isPlainObject(v) ? v : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
/** Objects a Flux Kustomization or HelmRelease reads through `sourceRef`/`chartRef` (an ArtifactGenerator through the artifacts it produces). */
export const isFluxSource = (d: DocRef) => (groupOf(d) === SOURCE_GROUP && FLUX_SOURCE_KINDS.includes(d.kind)) || (groupOf(d) === 'source.extensions.fluxcd.io' && d.kind === 'ArtifactGenerator');
export const isFleet = (d: DocRef) => d.apiVersion === 'platform.gitops.io/v1alpha1' && d.kind === 'Fleet';
const isArgo = (d: DocRef) => groupOf(d) === 'argoproj.io';

export class FleetGraph {
	private all?: Site[];
	private reverse?: Map<string, Site[]>;
	private selfKeys?: Set<string>;
	private selfUrls?: Set<string>;
	private anchors?: Map<string, SyncSource[]>;
	private byName?: Map<string, DocRef[]>;
	private readonly resolved = new Map<string, DocRef[]>();
	private readonly clusterIndex = new Map<string, Map<string, DocRef[]>>();
	private readonly lines = new Map<string, LineIndex | undefined>();
	private readonly synced = new Map<string, string[]>();

	constructor(readonly ctx: NavContext) {}

	private get store(): DocumentStore {
		return this.ctx.store;
	}

	/** The sites of one file, from its current text. */
	sitesIn(file: string): Site[] {
		const out: Site[] = [];
		// An open editor hands over any text: a huge one is no fleet object, and is not parsed per request.
		const text = this.store.reader.read(file);
		if (text === undefined || text.length > MAX_NAV_CHARS) return out;
		const k = kustomizationDoc(this.store, file);
		if (k) {
			for (const ref of kustomizationRefs(this.store, file)) {
				const written = valueAt(k.value, ref.path);
				if (ref.remote || typeof written !== 'string') continue;
				out.push({ kind: 'kustomize', doc: k, path: ref.path, written, targets: this.pathTargets(ref.target), recursive: false });
			}
		}
		if (!this.store.mayHoldFleetKinds(file)) return out;
		for (const d of this.store.documents(file)) {
			if (isFluxKustomization(d)) this.fluxKustomization(d, out);
			else if (isHelmRelease(d)) this.helmRelease(d, out);
			else if (isArgo(d) && (d.kind === 'Application' || d.kind === 'ApplicationSet')) this.argo(d, out);
			else if (isFleet(d)) this.fleet(d, out);
			else if (d.kind === 'ClusterClaim' && d.apiVersion === 'platform.gitops.io/v1alpha1') this.claim(d, out);
		}
		return out;
	}

	/** The sites of every file that may hold one (kustomization files and the fleet's object kinds). */
	allSites(): Site[] {
		if (this.all) return this.all;
		const files = new Set<string>();
		for (const f of this.store.files()) if (isKustomizationFile(f)) files.add(f);
		for (const d of this.store.ofKinds(NAV_KINDS)) files.add(d.file);
		return (this.all = [...files].sort().flatMap((f) => this.sitesIn(f)));
	}

	/**
	 * Path sites by what they reach: the path they name, the kustomization file of a directory,
	 * and for a directory without one, every YAML file it syncs.
	 */
	sitesReaching(key: string): Site[] {
		if (!this.reverse) {
			const index = new Map<string, Site[]>();
			const add = (k: string, s: Site) => {
				let list = index.get(k);
				if (!list) index.set(k, (list = []));
				if (!list.includes(s)) list.push(s);
			};
			for (const s of this.allSites()) {
				if (!PATH_SITES.has(s.kind)) continue;
				for (const t of s.targets) {
					if (t.type !== 'path') continue;
					add(t.named, s);
					add(t.file, s);
					if (t.directory) for (const f of this.syncedFiles(t.file, s.recursive)) add(f, s);
				}
			}
			this.reverse = index;
		}
		return this.reverse.get(key) ?? [];
	}

	/** The YAML files a directory without a kustomization contributes: Flux takes every one below it (a nested kustomization as one unit), Argo CD those directly in it. */
	syncedFiles(dir: string, recursive: boolean): string[] {
		const key = `${recursive ? 'r' : 'f'}|${dir}`;
		let hit = this.synced.get(key);
		if (!hit) this.synced.set(key, (hit = this.computeSyncedFiles(dir, recursive)));
		return hit;
	}

	private computeSyncedFiles(dir: string, recursive: boolean): string[] {
		if (!recursive) return this.store.listDirectory(dir).filter(isYamlFile).sort();
		const out = new Set<string>();
		for (const f of this.store.yamlUnder(dir)) {
			let unit = f;
			for (let d = dirName(f); d !== dir && d !== ''; d = dirName(d)) {
				const k = kustomizationIn(this.store, d);
				if (k) unit = k;
			}
			out.add(unit);
		}
		return [...out].sort();
	}

	/** The range of a site's scalar in its file's current text, without the quotes of a quoted scalar. */
	rangeOf(site: Site): Range {
		return this.unquoted(site.doc.file, site.doc.locate(site.path, site.key).range);
	}

	/** A range of a file without the quotes around a one-line quoted scalar. */
	unquoted(file: string, range: Range): Range {
		if (range.start.line !== range.end.line || range.end.character - range.start.character < 2) return range;
		let lines = this.lines.get(file);
		if (!this.lines.has(file)) {
			const text = this.store.reader.read(file);
			lines = text === undefined ? undefined : new LineIndex(text);
			this.lines.set(file, lines);
		}
		if (!lines) return range;
		const start = lines.offsetAt(range.start);
		const end = lines.offsetAt(range.end);
		const first = lines.text[start];
		if ((first === '"' || first === "'") && lines.text[end - 1] === first) {
			return { start: { line: range.start.line, character: range.start.character + 1 }, end: { line: range.end.line, character: range.end.character - 1 } };
		}
		return range;
	}

	/** The document of a file that contains a position (its content, from the first key to the last value). */
	documentAt(file: string, pos: Position): DocRef | undefined {
		return this.store.mappings(file).find((d) => contains(d.locate([]).range, pos));
	}

	// ---- resolution -------------------------------------------------------------------------

	/** What a repo-relative path is: a file, a directory with a kustomization file (that file), or a directory without one. */
	pathTargets(path: string | undefined): Target[] {
		if (path === undefined || path.startsWith('../') || path === '..') return [];
		const s = this.store;
		if (s.isFile(path)) return [{ type: 'path', named: path, file: path, directory: false }];
		const kind = s.isDirectory(path) ? 'directory' : s.probe(path);
		if (kind === 'file') return [{ type: 'path', named: path, file: path, directory: false }];
		if (kind !== 'directory') return [];
		const k = kustomizationIn(s, path);
		return [k ? { type: 'path', named: path, file: k, directory: false } : { type: 'path', named: path, file: path, directory: true }];
	}

	/**
	 * The objects of a kind with a name and namespace. Several clusters often declare the same
	 * one (each its own flux-system GitRepository): those synced to a cluster the referring file
	 * reaches win, then the nearest by directory.
	 */
	named(from: DocRef, kinds: readonly string[], group: string, name: string, namespace: string): DocRef[] {
		if (!this.byName) {
			this.byName = new Map();
			const kinds = [...FLUX_SOURCE_KINDS, 'Kustomization', 'HelmRelease'];
			// The kind index is from the last discovery: read its files again (the editor may have changed them since).
			for (const file of new Set(this.store.ofKinds(kinds).map((d) => d.file))) {
				for (const d of this.store.documents(file)) {
					if (!d.name || !kinds.includes(d.kind)) continue;
					const key = `${d.kind}|${groupOf(d)}|${d.namespace ?? ''}|${d.name}`;
					const list = this.byName.get(key) ?? [];
					list.push(d);
					this.byName.set(key, list);
				}
			}
		}
		const memo = `${from.file}|${kinds.join(',')}|${group}|${namespace}|${name}`;
		const hit = this.resolved.get(memo);
		if (hit) return hit;
		const cands = this.prefer(from, memo.slice(memo.indexOf('|') + 1), kinds.flatMap((k) => this.byName!.get(`${k}|${group}|${namespace}|${name}`) ?? []));
		this.resolved.set(memo, cands);
		return cands;
	}

	/** Of several candidates, those synced to a cluster the referring file reaches, then the nearest by directory. */
	private prefer(from: DocRef, key: string, cands: DocRef[]): DocRef[] {
		if (cands.length > 1) {
			const byCluster = this.byCluster(key, cands);
			const same = new Set((this.ctx.model.files[from.file] ?? []).flatMap((c) => byCluster.get(c) ?? []));
			if (same.size > 0) cands = cands.filter((d) => same.has(d));
		}
		if (cands.length > 1) {
			const dir = dirName(from.file);
			const scores = cands.map((d) => sharedSegments(dir, dirName(d.file)));
			const best = Math.max(...scores);
			cands = cands.filter((_, i) => scores[i] === best);
		}
		return cands;
	}

	/** The ArtifactGenerators (Flux 2.7) that produce an ExternalArtifact, at the artifact's entry. */
	private artifactGenerators(from: DocRef, artifact: string, namespace: string): Target[] {
		const found = new Map<DocRef, number>();
		for (const file of new Set(this.store.ofKinds(['ArtifactGenerator']).map((g) => g.file))) {
			for (const g of this.store.documents(file)) {
				if (g.kind !== 'ArtifactGenerator' || groupOf(g) !== 'source.extensions.fluxcd.io' || (g.namespace ?? '') !== namespace) continue;
				const artifacts = obj(g.value.spec).artifacts;
				const i = Array.isArray(artifacts) ? artifacts.findIndex((a) => obj(a).name === artifact) : -1;
				if (i !== -1) found.set(g, i);
			}
		}
		return this.prefer(from, `ArtifactGenerator|${namespace}|${artifact}`, [...found.keys()]).map((doc) => ({ type: 'object', doc, at: ['spec', 'artifacts', found.get(doc)!, 'name'] }));
	}

	/** Candidates by the clusters their file reaches (many clusters declaring the same name cost one pass). */
	private byCluster(key: string, cands: DocRef[]): Map<string, DocRef[]> {
		let hit = this.clusterIndex.get(key);
		if (!hit) {
			hit = new Map();
			for (const d of cands) {
				for (const c of this.ctx.model.files[d.file] ?? []) {
					const list = hit.get(c) ?? [];
					list.push(d);
					hit.set(c, list);
				}
			}
			this.clusterIndex.set(key, hit);
		}
		return hit;
	}

	/** The model's syncs by the anchor of the field that declares them. */
	private syncsAt(anchor: string): SyncSource[] {
		if (!this.anchors) {
			this.anchors = new Map();
			for (const c of this.ctx.model.clusters) {
				for (const s of c.syncs) {
					const a = s.location?.anchor;
					if (!a) continue;
					const list = this.anchors.get(a) ?? [];
					list.push(s);
					this.anchors.set(a, list);
				}
			}
		}
		return this.anchors.get(anchor) ?? [];
	}

	private anchorOf(d: DocRef, path: NodePath): string {
		return `${d.file}#${d.documentIndex}/${path.join('/')}`;
	}

	/** GitRepositories that are this repository: flux-system (bootstrap) and those the clusters' root Kustomizations read. */
	private selfSourceKeys(): Set<string> {
		if (this.selfKeys) return this.selfKeys;
		const keys = new Set(['GitRepository/flux-system/flux-system']);
		const roots = new Set(this.ctx.model.clusters.flatMap((c) => c.syncs.filter((s) => s.kind === 'fleet' || (s.kind === 'flux-kustomization' && s.name === 'flux-system')).map((s) => s.path)));
		for (const d of this.store.ofKinds(['Kustomization'])) {
			const spec = obj(d.value.spec);
			const ref = obj(spec.sourceRef);
			if (!isFluxKustomization(d) || typeof spec.path !== 'string' || !roots.has(repoPath(spec.path)) || (str(ref.kind) ?? 'GitRepository') !== 'GitRepository' || !str(ref.name)) continue;
			keys.add(`GitRepository/${str(ref.namespace) ?? d.namespace ?? ''}/${str(ref.name)}`);
		}
		return (this.selfKeys = keys);
	}

	/** Whether a Flux Kustomization reads this repository (so its paths are ours to follow). */
	private readsThisRepo(d: DocRef, kind: string, name: string | undefined, namespace: string): boolean {
		// Discovery followed it: it is.
		if (this.syncsAt(this.anchorOf(d, ['spec', 'path'])).length > 0) return true;
		if (kind !== 'GitRepository' || name === undefined) return false;
		const sources = this.named(d, ['GitRepository'], SOURCE_GROUP, name, namespace);
		// Not declared: the bootstrap GitRepository lives in the cluster only; the path decides.
		if (sources.length === 0) return true;
		const keys = this.selfSourceKeys();
		if (sources.some((s) => keys.has(`GitRepository/${s.namespace ?? ''}/${s.name}`))) return true;
		if (!this.selfUrls) {
			const git = this.store.ofKinds(['GitRepository']).filter((s) => groupOf(s) === SOURCE_GROUP);
			this.selfUrls = new Set(git.filter((s) => keys.has(`GitRepository/${s.namespace ?? ''}/${s.name}`)).map((s) => str(obj(s.value.spec).url) ?? ''));
			this.selfUrls.delete('');
			// One GitRepository and nothing else says which is ours: it is.
			if (this.selfUrls.size === 0 && git.length === 1) this.selfUrls.add(str(obj(git[0].value.spec).url) ?? '');
		}
		return sources.some((s) => this.selfUrls!.has(str(obj(s.value.spec).url) ?? ''));
	}

	// ---- sites per kind ---------------------------------------------------------------------

	private push(out: Site[], kind: SiteKind, doc: DocRef, path: NodePath, targets: Target[], recursive = false, key = false): void {
		const v = key ? path[path.length - 1] : valueAt(doc.value, path);
		if (typeof v !== 'string' || v.trim() === '') return;
		out.push({ kind, doc, path, written: v, targets, recursive, ...(key ? { key } : {}) });
	}

	private fluxKustomization(d: DocRef, out: Site[]): void {
		const spec = obj(d.value.spec);
		const ref = obj(spec.sourceRef);
		const kind = str(ref.kind) ?? 'GitRepository';
		const name = str(ref.name);
		const ns = str(ref.namespace) ?? d.namespace ?? '';
		let path: string | undefined;
		if (typeof spec.path === 'string') {
			path = repoPath(spec.path);
			if (kind === 'ExternalArtifact') path = name === undefined ? undefined : artifactPath(this.store, name, ns, path, this.selfSourceKeys());
			else if (!this.readsThisRepo(d, kind, name, ns)) path = undefined;
			this.push(out, 'flux-path', d, ['spec', 'path'], this.pathTargets(path), true);
		}
		if (name !== undefined) {
			const sources: Target[] = kind === 'ExternalArtifact' ? this.artifactGenerators(d, name, ns) : FLUX_SOURCE_KINDS.includes(kind) ? this.named(d, [kind], SOURCE_GROUP, name, ns).map((doc) => ({ type: 'object', doc })) : [];
			this.push(out, 'flux-source', d, ['spec', 'sourceRef', 'name'], sources);
		}
		if (Array.isArray(spec.components) && path !== undefined) {
			spec.components.forEach((c, i) => typeof c === 'string' && this.push(out, 'flux-component', d, ['spec', 'components', i], this.pathTargets(joinPath(path!, c))));
		}
		this.dependsOn(d, out, 'flux-dependency', spec.dependsOn, (x) => isFluxKustomization(x));
	}

	private helmRelease(d: DocRef, out: Site[]): void {
		const spec = obj(d.value.spec);
		const chartSpec = obj(obj(spec.chart).spec);
		const ref = obj(chartSpec.sourceRef);
		const kind = str(ref.kind);
		const name = str(ref.name);
		const ns = str(ref.namespace) ?? d.namespace ?? '';
		if (kind && name) this.push(out, 'helm-source', d, ['spec', 'chart', 'spec', 'sourceRef', 'name'], this.named(d, [kind], SOURCE_GROUP, name, ns).map((doc) => ({ type: 'object', doc })));
		// A chart in a Git source: its directory in this repository, at its Chart.yaml.
		if (kind === 'GitRepository' && name && typeof chartSpec.chart === 'string' && this.readsThisRepo(d, kind, name, ns)) {
			const dir = repoPath(chartSpec.chart);
			const chart = joinPath(dir, 'Chart.yaml');
			this.push(out, 'helm-chart', d, ['spec', 'chart', 'spec', 'chart'], this.store.isFile(chart) ? [{ type: 'path', named: dir, file: chart, directory: false }] : this.pathTargets(dir));
		}
		const chartRef = obj(spec.chartRef);
		const refKind = str(chartRef.kind);
		const refName = str(chartRef.name);
		if (refKind && refName) this.push(out, 'helm-source', d, ['spec', 'chartRef', 'name'], this.named(d, [refKind], SOURCE_GROUP, refName, str(chartRef.namespace) ?? d.namespace ?? '').map((doc) => ({ type: 'object', doc })));
		this.dependsOn(d, out, 'helm-dependency', spec.dependsOn, (x) => isHelmRelease(x));
	}

	private dependsOn(d: DocRef, out: Site[], kind: SiteKind, list: unknown, same: (x: DocRef) => boolean): void {
		if (!Array.isArray(list)) return;
		list.forEach((dep, i) => {
			const name = str(obj(dep).name);
			if (!name) return;
			const ns = str(obj(dep).namespace) ?? d.namespace ?? '';
			const targets = this.named(d, [d.kind], groupOf(d), name, ns).filter(same);
			this.push(out, kind, d, ['spec', 'dependsOn', i, 'name'], targets.map((doc) => ({ type: 'object', doc })));
		});
	}

	private argo(d: DocRef, out: Site[]): void {
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
				const paths = [...new Set(this.syncsAt(this.anchorOf(d, [...at, 'path'])).map((x) => x.path))].sort();
				this.push(out, 'argo-generated', d, [...at, 'path'], paths.flatMap((p) => this.pathTargets(p)), recursive);
			} else this.push(out, 'argo-path', d, [...at, 'path'], this.pathTargets(repoPath(s.path)), recursive);
		}
	}

	private fleet(d: DocRef, out: Site[]): void {
		const spec = obj(d.value.spec);
		const list = (v: unknown) => (Array.isArray(v) ? v : []);
		const env = (name: unknown) => this.environment(d, name);
		list(spec.environments).forEach((e, i) => this.push(out, 'fleet-environment', d, ['spec', 'environments', i, 'promotion', 'from'], env(obj(obj(e).promotion).from)));
		list(spec.clusters).forEach((c, i) => {
			const at = ['spec', 'clusters', i];
			const path = str(obj(c).path);
			const claim = str(obj(c).claim);
			this.push(out, 'fleet-path', d, [...at, 'path'], this.pathTargets(path === undefined ? undefined : repoPath(path)), true);
			this.push(out, 'fleet-claim', d, [...at, 'claim'], this.pathTargets(claim === undefined ? undefined : repoPath(claim)));
			this.push(out, 'fleet-environment', d, [...at, 'environment'], env(obj(c).environment));
		});
		list(spec.apps).forEach((a, i) => {
			const envs = obj(obj(a).environments);
			for (const [name, p] of Object.entries(envs)) {
				const at = ['spec', 'apps', i, 'environments', name];
				this.push(out, 'fleet-environment', d, at, env(name), false, true);
				if (typeof p === 'string') this.push(out, 'fleet-path', d, at, this.pathTargets(repoPath(p)), true);
				else list(p).forEach((x, j) => typeof x === 'string' && this.push(out, 'fleet-path', d, [...at, j], this.pathTargets(repoPath(x)), true));
			}
		});
	}

	/** A ClusterClaim's environment, declared by the Fleet (as the last discovery read it). */
	private claim(d: DocRef, out: Site[]): void {
		const name = str(obj(d.value.spec).environment);
		const e = this.ctx.model.environments.find((x) => x.name === name && x.source === 'declared' && x.location);
		const fleetDoc = e?.location && this.store.documents(e.location.file).find(isFleet);
		this.push(out, 'fleet-environment', d, ['spec', 'environment'], fleetDoc ? this.environment(fleetDoc, name) : []);
	}

	/** The declaration of an environment in a Fleet document (the first of that name). */
	environment(fleet: DocRef, name: unknown): Target[] {
		if (typeof name !== 'string') return [];
		const envs = obj(fleet.value.spec).environments;
		const i = Array.isArray(envs) ? envs.findIndex((e) => obj(e).name === name) : -1;
		if (i === -1) return [];
		return [{ type: 'environment', name, location: fleet.locate(['spec', 'environments', i, 'name']), item: fleet.locate(['spec', 'environments', i]) }];
	}
}

export function contains(r: Range, p: Position): boolean {
	const after = p.line > r.start.line || (p.line === r.start.line && p.character >= r.start.character);
	const before = p.line < r.end.line || (p.line === r.end.line && p.character <= r.end.character);
	return after && before;
}

function sharedSegments(a: string, b: string): number {
	const x = a.split('/');
	const y = b.split('/');
	let n = 0;
	while (n < x.length && n < y.length && x[n] === y[n] && x[n] !== '') n++;
	return n;
}

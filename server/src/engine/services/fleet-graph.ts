import { kustomizationIn } from '../fleet/expand';
import { isFluxKustomization } from '../fleet/flux';
import { kustomizationDoc, kustomizationRefs, valueAt } from '../fleet/kustomize-refs';
import { repoPath, type DocRef, type DocumentStore } from '../fleet/reader';
import type { SyncSource } from '../fleet/types';
import type { NodePath } from '../core/parse';
import { dirName, isKustomizationFile, isYamlFile } from '../core/paths';
import { isPlainObject } from '../core/resource';
import { LineIndex } from '../core/text';
import type { Position, Range } from '../core/types';
import { PATH_SITES, type NavContext, type Site, type SiteResolver, type Target } from './fleet-graph-types';
import { documentSites, FLUX_SOURCE_KINDS, SOURCE_GROUP } from './fleet-sites';

export { PATH_SITES, type NavContext, type Site, type SiteKind, type Target } from './fleet-graph-types';
export { isFleet } from './fleet-sites';

/**
 * The fleet's reference graph as the editor navigates it: every place in a file that names
 * another file, directory or object (kustomization entries, Flux and Argo CD paths, Flux
 * sourceRefs and dependsOn, Fleet paths and environments), resolved against the repository.
 * Built per request from the document store (the editor's text for open files) and the fleet
 * model of the last discovery; pure, nothing is kept between requests.
 */

/** Larger files are not read for navigation (as for discovery: no GitOps object is that large). */
const MAX_NAV_CHARS = 1024 * 1024;
const NAV_KINDS = ['Kustomization', 'HelmRelease', 'Application', 'ApplicationSet', 'Fleet', 'ClusterClaim'];

const groupOf = (d: DocRef) => d.apiVersion.split('/')[0];
const obj = (v: unknown): Record<string, unknown> => (isPlainObject(v) ? v : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
/** Objects a Flux Kustomization or HelmRelease reads through `sourceRef`/`chartRef` (an ArtifactGenerator through the artifacts it produces). */
export const isFluxSource = (d: DocRef) => (groupOf(d) === SOURCE_GROUP && FLUX_SOURCE_KINDS.includes(d.kind)) || (groupOf(d) === 'source.extensions.fluxcd.io' && d.kind === 'ArtifactGenerator');

export class FleetGraph implements SiteResolver {
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

	get store(): DocumentStore {
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
		for (const d of this.store.documents(file)) documentSites(this, d, out);
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
	artifactGenerators(from: DocRef, artifact: string, namespace: string): Target[] {
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
	syncsAt(anchor: string): SyncSource[] {
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

	anchorOf(d: DocRef, path: NodePath): string {
		return `${d.file}#${d.documentIndex}/${path.join('/')}`;
	}

	/** GitRepositories that are this repository: flux-system (bootstrap) and those the clusters' root Kustomizations read. */
	selfSourceKeys(): Set<string> {
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
	readsThisRepo(d: DocRef, kind: string, name: string | undefined, namespace: string): boolean {
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

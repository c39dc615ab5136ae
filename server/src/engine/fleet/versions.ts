import semver from 'semver';
import { isPlainObject } from '../core/resource';
import { isKustomizationFile } from '../core/paths';
import { containersOf, getIn, podSpecOf } from '../core/pod-spec';
import { resourceHeader, resourceOf } from '../core/resource';
import type { Expander } from './expand';
import type { FluxWalk } from './flux';
import { kustomizationPaths } from './expand';
import type { DocRef, DocumentStore } from './reader';
import type { AppVersion, FleetApp, FleetCluster, FleetEnvironment, SourceLocation, SyncSource } from './types';

/**
 * The version of each app that each environment runs, read from Git: kustomize `images`
 * (newTag/digest, the outermost overlay wins as in kustomize), container image tags,
 * HelmRelease chart versions and values image tags, the refs of the app's own Flux GitRepository
 * and OCIRepository, and Argo CD `targetRevision`. An environment
 * is "behind" where an environment earlier in the promotion order runs a newer version.
 */
export function extractVersions(store: DocumentStore, apps: FleetApp[], clusters: FleetCluster[], environments: FleetEnvironment[], expand: Expander, walks: ReadonlyMap<string, VersionWalk>): void {
	const memo: Memo = { images: new Map(), segments: new Map() };
	const shared: Shared = { applications: store.ofKinds(['Application']), ociRepositories: store.ofKinds(['OCIRepository']) };
	// Per cluster, once (not once per app): which of its syncs may deploy each app, and the Flux sources it receives.
	const indexes = new Map<FleetCluster, ClusterIndex>();
	const pathsByEnv = new Map<string, AppPaths>();
	const indexOf = (c: FleetCluster, env: string): ClusterIndex => {
		let index = indexes.get(c);
		if (!index) {
			let paths = pathsByEnv.get(env);
			if (!paths) pathsByEnv.set(env, (paths = appPaths(apps, env)));
			indexes.set(c, (index = clusterIndex(store, memo, paths, c, expand, walks.get(c.name))));
		}
		return index;
	};
	for (const app of apps) {
		const found: AppVersion[] = [];
		for (const env of environments) {
			const members = clusters.filter((c) => c.environment === env.name);
			for (const c of members) {
				for (const v of versionsOnCluster(store, memo, app, c, env.name, indexOf(c, env.name), walks.get(c.name), shared)) {
					const same = found.find((x) => x.environment === env.name && x.artifact === v.artifact && x.version === v.version && sameLocation(x.location, v.location));
					if (same) {
						if (!same.clusters.includes(c.name)) same.clusters.push(c.name);
					} else found.push(v);
				}
			}
		}
		app.versions = found;
		app.behind = behindOf(found, environments);
	}
}

/**
 * What the versions read of a cluster's Flux walk: its HelmReleases and their patches, and which
 * files it reached (asked only of the files holding Flux sources).
 */
export type VersionWalk = Pick<FluxWalk, 'helmReleases' | 'helmPatches' | 'files'>;

/** What of a walk `VersionWalk` needs to keep: the files reached only where they hold a Flux source. */
export function versionWalk(walk: FluxWalk, sourceFiles: ReadonlySet<string>): VersionWalk {
	const files = new Set<string>();
	for (const f of walk.files) if (sourceFiles.has(f)) files.add(f);
	return { helmReleases: walk.helmReleases, helmPatches: walk.helmPatches, files };
}

/** Per discovery run: the image occurrences under each synced path, and the path segments of the files it reaches. */
interface Memo {
	images: Map<string, ImageOccurrence[]>;
	segments: Map<string, Set<string>>;
}

/** Per discovery run: the repository's objects every app and cluster looks at. */
interface Shared {
	applications: readonly DocRef[];
	ociRepositories: readonly DocRef[];
}

/** Per cluster: its syncs that may deploy each app (in the cluster's order), and the Flux sources it receives. */
interface ClusterIndex {
	syncs: Map<string, SyncSource[]>;
	sources: readonly DocRef[];
}

interface ImageOccurrence {
	doc: DocRef;
	version: Omit<AppVersion, 'environment' | 'clusters'>;
}

/** Per environment: the apps each listed path deploys, and the apps without listed paths there. */
interface AppPaths {
	byPath: Map<string, Set<string>>;
	inferred: Set<string>;
}

function appPaths(apps: readonly FleetApp[], env: string): AppPaths {
	const byPath = new Map<string, Set<string>>();
	const inferred = new Set<string>();
	for (const a of apps) {
		const paths = a.paths[env];
		if (!paths) inferred.add(a.name);
		else for (const p of paths) byPath.set(p, (byPath.get(p) ?? new Set()).add(a.name));
	}
	return { byPath, inferred };
}

/**
 * Which syncs of a cluster may deploy which app: an Argo CD Application or ApplicationSet by its
 * name; a path listed for the app in this environment (the Fleet file's, or the overlays that pull in
 * the app's base); for an app without such paths, a path whose files lie under a directory named
 * like it.
 */
function clusterIndex(store: DocumentStore, memo: Memo, { byPath, inferred }: AppPaths, c: FleetCluster, expand: Expander, walk: VersionWalk | undefined): ClusterIndex {
	const syncs = new Map<string, SyncSource[]>();
	const add = (app: string, s: SyncSource) => {
		const list = syncs.get(app);
		if (list) list.push(s);
		else syncs.set(app, [s]);
	};
	for (const s of c.syncs) {
		if (s.kind === 'flux-helmrelease') continue;
		if (s.kind === 'argo-application' || s.kind === 'argo-applicationset') {
			add(s.name, s);
			continue;
		}
		for (const app of byPath.get(s.path) ?? []) add(app, s);
		if (inferred.size > 0) for (const segment of segmentsOf(memo, s.path, expand, s.kind)) if (inferred.has(segment)) add(segment, s);
	}
	const sources = walk ? store.ofKinds(['GitRepository', 'OCIRepository']).filter((d) => walk.files.has(d.file) && d.apiVersion.startsWith('source.toolkit.fluxcd.io/')) : [];
	return { syncs, sources };
}

function versionsOnCluster(store: DocumentStore, memo: Memo, app: FleetApp, c: FleetCluster, env: string, index: ClusterIndex, walk: VersionWalk | undefined, shared: Shared): AppVersion[] {
	const out: AppVersion[] = [];
	for (const s of index.syncs.get(app.name) ?? []) {
		if (!store.isDirectory(s.path) && !store.isFile(s.path)) continue;
		let images = memo.images.get(s.path);
		if (!images) memo.images.set(s.path, (images = imageOccurrences(store, s.path)));
		for (const o of images) if (belongsTo(o.doc, app.name)) out.push({ environment: env, clusters: [c.name], ...o.version });
	}
	// HelmReleases named like the app.
	for (const h of walk?.helmReleases ?? []) {
		if (h.name === app.name) out.push(...helmVersions(h, walk!.helmPatches.filter((p) => p.name === h.name && (p.namespace === undefined || p.namespace === h.namespace)), shared.ociRepositories, env, c.name));
	}
	// The app's own Flux sources (named like it, or labelled) among what the cluster receives: their ref is the version.
	if (walk) out.push(...sourceVersions(index.sources, app.name, env, c.name));
	// Argo CD Applications named like the app: targetRevision (Git revision or chart version).
	for (const d of shared.applications) {
		if (d.name !== app.name || !isPlainObject(d.value.spec)) continue;
		const src = d.value.spec.source;
		if (!isPlainObject(src) || src.targetRevision === undefined) continue;
		const dest = isPlainObject(d.value.spec.destination) ? d.value.spec.destination : {};
		if (dest.name !== undefined && dest.name !== c.name) continue;
		out.push({ environment: env, clusters: [c.name], artifact: String(src.chart ?? src.repoURL ?? ''), version: String(src.targetRevision), kind: src.chart ? 'chart' : 'git', location: d.locate(['spec', 'source', 'targetRevision']) });
	}
	return out;
}

/** The path segments of the files a synced path reaches (once per path and run). */
function segmentsOf(memo: Memo, path: string, expand: Expander, kind: Parameters<Expander>[1]): Set<string> {
	let segs = memo.segments.get(path);
	if (!segs) memo.segments.set(path, (segs = new Set(expand(path, kind).files.flatMap((f) => f.split('/')))));
	return segs;
}

interface ImageEntry {
	name: string;
	newName?: string;
	newTag?: string;
	digest?: string;
	doc: DocRef;
	index: number;
}

/**
 * The images of the workloads under a synced path, with the `images` entries of the kustomization
 * chain applied (inner first, the outer overlay wins), as kustomize's image transformer does.
 */
function imageOccurrences(store: DocumentStore, path: string): ImageOccurrence[] {
	const out: ImageOccurrence[] = [];
	const visit = (dir: string, outer: ImageEntry[][], seen: Set<string>) => {
		if (seen.has(dir)) return;
		seen.add(dir);
		const k = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'].map((n) => (dir === '' ? n : `${dir}/${n}`)).find((p) => store.isFile(p));
		if (!k) return;
		const entries = imagesOf(store, k);
		const chain = [entries, ...outer];
		for (const ref of kustomizationPaths(store, k)) {
			if (store.isDirectory(ref)) visit(ref, chain, seen);
			else if (store.isFile(ref) && !isKustomizationFile(ref)) {
				for (const doc of store.documents(ref)) {
					for (const { image, path } of store.derivedOfDocument(doc, 'container-images', () => imagesOfDocument(doc))) {
						const v = resolveImage(image, chain, doc, path);
						if (v) out.push({ doc, version: v });
					}
				}
			}
		}
	};
	visit(path, [], new Set());
	return out;
}

/**
 * A document's container images with their paths (kept while the store keeps the document: a base
 * is read under every overlay that uses it, and a rediscovery reads only changed files again).
 */
/** The container images of a document's pod template, with their paths (the store keeps them with the document). */
function imagesOfDocument(d: DocRef): { image: string; path: (string | number)[] }[] {
	const found: { image: string; path: (string | number)[] }[] = [];
	const h = resourceHeader(d.value);
	const pod = h && podSpecOf(resourceOf(h, d.documentIndex, { start: 0, end: 0 }, d.value));
	if (pod) {
		for (const container of containersOf(pod)) {
			const image = container.container.image;
			if (typeof image === 'string') found.push({ image, path: [...container.path, 'image'] });
		}
	}
	return found;
}

function belongsTo(d: DocRef, app: string): boolean {
	const meta = isPlainObject(d.value.metadata) ? d.value.metadata : {};
	const labels = isPlainObject(meta.labels) ? meta.labels : {};
	return d.name === app || labels['fleetscope.io/app'] === app || labels['app.kubernetes.io/name'] === app || labels.app === app || d.file.split('/').includes(app);
}

function imagesOf(store: DocumentStore, kustomization: string): ImageEntry[] {
	const d = store.mappings(kustomization)[0];
	if (!d || !Array.isArray(d.value.images)) return [];
	return d.value.images.flatMap((e, index) =>
		isPlainObject(e) && typeof e.name === 'string'
			? [{ name: e.name, newName: str(e.newName), newTag: e.newTag === undefined ? undefined : String(e.newTag), digest: str(e.digest), doc: d, index }]
			: [],
	);
}

function resolveImage(image: string, chain: ImageEntry[][], doc: DocRef, path: (string | number)[]): Omit<AppVersion, 'environment' | 'clusters'> | undefined {
	let { name: artifact, tag, digest } = splitImage(image);
	let location: SourceLocation = doc.locate(path);
	// Inner kustomizations apply first; each outer one may rename or re-tag what the inner produced.
	for (const entries of chain) {
		const e = entries.find((x) => x.name === artifact);
		if (!e) continue;
		if (e.newName) artifact = e.newName;
		// As kustomize's image transformer: newTag and digest each replace both the tag and the digest the image had.
		if (e.newTag !== undefined || e.digest) {
			tag = e.newTag;
			digest = e.digest;
			location = e.doc.locate(['images', e.index, e.newTag !== undefined ? 'newTag' : 'digest']);
		}
	}
	// `name:tag@digest` runs the digest; its version is the tag, which people read and semver compares (the digest pins it).
	return { artifact, version: tag ?? digest ?? 'latest', kind: 'image', location };
}

/** `registry:5000/org/app:1.2@sha256:…` → name, tag, digest. */
export function splitImage(image: string): { name: string; tag?: string; digest?: string } {
	let rest = image;
	let digest: string | undefined;
	const at = rest.indexOf('@');
	if (at !== -1) {
		digest = rest.slice(at + 1);
		rest = rest.slice(0, at);
	}
	const slash = rest.lastIndexOf('/');
	const colon = rest.lastIndexOf(':');
	if (colon > slash) return { name: rest.slice(0, colon), tag: rest.slice(colon + 1), digest };
	return { name: rest, digest };
}

/** A HelmRelease's chart version and values image tag; a kustomize patch that sets one wins, and is where it is set. */
function helmVersions(h: DocRef, patches: DocRef[], oci: readonly DocRef[], env: string, cluster: string): AppVersion[] {
	const out: AppVersion[] = [];
	const field = (path: string[]): { value: unknown; doc: DocRef } | undefined => {
		for (const d of [...patches].reverse()) {
			const v = getIn(d.value, path);
			if (v !== undefined) return { value: v, doc: d };
		}
		const v = getIn(h.value, path);
		return v === undefined ? undefined : { value: v, doc: h };
	};
	const chartVersion = ['spec', 'chart', 'spec', 'version'];
	const version = field(chartVersion);
	if (version) {
		const chart = field(['spec', 'chart', 'spec', 'chart'])?.value ?? h.name;
		out.push({ environment: env, clusters: [cluster], artifact: String(chart), version: String(version.value), kind: 'chart', location: version.doc.locate(chartVersion) });
	}
	// Flux 2.6+: `chartRef` to an OCIRepository, whose ref (tag, semver range or digest) is the chart version.
	const chartRef = getIn(h.value, ['spec', 'chartRef']);
	if (!version && isPlainObject(chartRef) && chartRef.kind === 'OCIRepository' && typeof chartRef.name === 'string') {
		const ns = typeof chartRef.namespace === 'string' ? chartRef.namespace : h.namespace;
		const repo = oci.find((o) => o.name === chartRef.name && o.namespace === ns);
		const ref = repo && getIn(repo.value, ['spec', 'ref']);
		const key = isPlainObject(ref) ? (['digest', 'tag', 'semver'] as const).find((k) => typeof ref[k] === 'string') : undefined;
		if (repo && key) {
			const url = getIn(repo.value, ['spec', 'url']);
			out.push({ environment: env, clusters: [cluster], artifact: typeof url === 'string' ? url : chartRef.name, version: String((ref as Record<string, unknown>)[key]), kind: 'chart', location: repo.locate(['spec', 'ref', key]) });
		}
	}
	const tagPath = ['spec', 'values', 'image', 'tag'];
	const tag = field(tagPath);
	if (tag) {
		const repository = field(['spec', 'values', 'image', 'repository'])?.value ?? `${h.name} image`;
		out.push({ environment: env, clusters: [cluster], artifact: String(repository), version: String(tag.value), kind: 'image', location: tag.doc.locate(tagPath) });
	}
	return out;
}

const SOURCE_REFS: Record<string, readonly string[]> = { GitRepository: ['tag', 'semver', 'commit', 'name'], OCIRepository: ['digest', 'tag', 'semver'] };

/** GitRepository and OCIRepository objects of an app (named like it, or labelled `fleetscope.io/app`) among the Flux sources a cluster receives: `spec.ref`. */
function sourceVersions(sources: readonly DocRef[], app: string, env: string, cluster: string): AppVersion[] {
	const out: AppVersion[] = [];
	for (const d of sources) {
		const labels = getIn(d.value, ['metadata', 'labels']);
		if (d.name !== app && !(isPlainObject(labels) && labels['fleetscope.io/app'] === app)) continue;
		const ref = getIn(d.value, ['spec', 'ref']);
		const key = isPlainObject(ref) ? SOURCE_REFS[d.kind].find((k) => typeof ref[k] === 'string' && ref[k] !== '') : undefined;
		const url = getIn(d.value, ['spec', 'url']);
		if (!key || typeof url !== 'string') continue;
		out.push({ environment: env, clusters: [cluster], artifact: url, version: String((ref as Record<string, unknown>)[key]), kind: d.kind === 'GitRepository' ? 'git' : 'image', location: d.locate(['spec', 'ref', key]) });
	}
	return out;
}

/** Where an earlier environment in the promotion order runs a newer version of the same artifact. */
function behindOf(versions: AppVersion[], environments: FleetEnvironment[]): FleetApp['behind'] {
	const out: FleetApp['behind'] = [];
	const order = new Map(environments.map((e) => [e.name, e.order]));
	for (const later of versions) {
		for (const earlier of versions) {
			if (earlier.artifact !== later.artifact || (order.get(earlier.environment) ?? 0) >= (order.get(later.environment) ?? 0)) continue;
			const a = semver.coerce(later.version, { loose: true });
			const b = semver.coerce(earlier.version, { loose: true });
			if (!a || !b || !semver.valid(clean(later.version)) || !semver.valid(clean(earlier.version))) continue;
			if (semver.gt(b, a) && !out.some((x) => x.environment === later.environment && x.artifact === later.artifact && x.newerIn === earlier.environment)) {
				out.push({ environment: later.environment, artifact: later.artifact, version: later.version, newerIn: earlier.environment, newer: earlier.version });
			}
		}
	}
	return out;
}

/** `v1.2.3` → `1.2.3`; anything that is not a full semver stays unparsable (a branch name is never "older"). */
function clean(v: string): string {
	return v.replace(/^v(?=\d)/, '');
}

/** Same place: by anchor where both have one (computing ranges would parse every document slowly). */
function sameLocation(a: SourceLocation, b: SourceLocation): boolean {
	if (a.anchor !== undefined && b.anchor !== undefined) return a.anchor === b.anchor;
	return a.file === b.file && a.range.start.line === b.range.start.line && a.range.start.character === b.range.start.character;
}

function str(v: unknown): string | undefined {
	return typeof v === 'string' && v !== '' ? v : undefined;
}


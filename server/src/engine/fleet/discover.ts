import { isPlainObject } from '../core/resource';
import { patchPathsOf } from '../kustomize/patch-paths';
import { dirName, isKustomizationFile } from '../core/paths';
import { argoClusterSecrets, argoPluginBuilds, argoSyncs, type ArgoCluster } from './argo';
import { graphExpander, kustomizationIn, type Expander, type PathExpansion } from './expand';
import { orderDeclaredEnvironments, readFleetFile } from './fleet-file';
import { fleetFileNote } from './fleet-file-note';
import { clusterNameOfDir, fluxClusterDirs, fluxKustomizationsSyncing, fluxSources, walkFlux, type FluxWalk } from './flux';
import { kustomizationProblems } from './kustomize-refs';
import { byPromotionRank, environmentIn, environmentInPath, regionIn } from './naming';
import type { DocRef, DocumentStore } from './reader';
import { extractVersions, versionWalk, type VersionWalk } from './versions';
import { editStart, placedAfter, versionOnlyEdit, type EditStart } from './version-edit';
import { looksLikeProduction, type FleetApp, type FleetCluster, type FleetEnvironment, type FleetModel, type FleetProblem, type SyncSource } from './types';

export interface DiscoverOptions {
	/** How a synced path expands into files (default: follow kustomize references without rendering). */
	expand?: Expander;
}

/** Where the overlays of plain kustomize repositories live (`apps/<env>/`, `overlays/<env>/`, `deploy/<app>/overlays/<env>/`). */
const OVERLAY_PARENTS = new Set(['apps', 'overlays', 'envs', 'environments', 'deploy', 'clusters']);

/**
 * Builds the fleet model of a repository: from its Fleet file when there is one, completed (and,
 * without one, inferred) from ClusterClaims, Flux cluster directories, Argo CD Applications and
 * ApplicationSets, and plain kustomize overlays. Never throws; broken references are problems.
 */
export function discoverFleet(store: DocumentStore, options: DiscoverOptions = {}): FleetModel {
	return discover(store, options).model;
}

/** A discovery's model, with what reading its versions again needs of each cluster's Flux walk. */
export interface Discovery {
	model: FleetModel;
	walks: ReadonlyMap<string, VersionWalk>;
}

/** The same as `discoverFleet`, with the walks. */
export function discover(store: DocumentStore, options: DiscoverOptions = {}): Discovery {
	store.beginRun();
	const expand = runExpander(store, options);
	const problems: FleetProblem[] = [];
	const declared = readFleetFile(store);
	const clusters = new Map<string, FleetCluster>();
	for (const c of declared?.clusters ?? []) clusters.set(c.name, c);

	addClaims(store, clusters);
	addFluxClusters(store, clusters);

	// Flux: follow every cluster's syncs.
	const sources = fluxSources(store);
	const patches = patchFiles(store);
	const reached = new Map<string, Set<string>>();
	const walks = new Map<string, FluxWalk>();
	const syncing = fluxKustomizationsSyncing(store);
	for (const c of clusters.values()) {
		const roots = c.syncs.filter((s) => s.kind === 'fleet' || s.kind === 'flux-kustomization');
		if (roots.length === 0) continue;
		const walk = walkFlux(store, expand, roots, sources, patches, syncing);
		walks.set(c.name, walk);
		c.syncs = dedupeSyncs([...c.syncs.filter((s) => !roots.includes(s)), ...walk.syncs]);
		reached.set(c.name, walk.files);
		problems.push(...walk.problems);
	}

	// Argo CD: Applications and ApplicationSets, against the clusters known so far and the cluster Secrets.
	const argoClusters = argoInventory(store, clusters);
	// Argo CD cluster Secrets declare clusters, whether or not an Application targets them yet.
	for (const secret of argoClusterSecrets(store)) {
		if (clusters.has(secret.name)) continue;
		const labels = { ...secret.labels };
		delete labels['argocd.argoproj.io/secret-type'];
		clusters.set(secret.name, { ...inferredCluster(secret.name), labels, source: 'declared' });
	}
	const argo = argoSyncs(store, argoClusters, problems);
	const selfUrls = new Set(argo.filter((a) => a.path !== undefined && store.exists(a.path) && a.repoURL).map((a) => a.repoURL!));
	for (const a of argo) {
		if (a.path === undefined) continue;
		if (!store.exists(a.path)) {
			if (a.repoURL && selfUrls.has(a.repoURL)) {
				problems.push({ ruleId: 'fleet-reference', severity: 'error', message: `This Application syncs "${a.path}" from this repository, where it does not exist, so Argo CD reports "app path does not exist". Fix the path or add the directory.`, location: a.location, documentIndex: a.doc.documentIndex, path: a.pathField, target: 'value' });
			}
			continue;
		}
		let c = clusters.get(a.cluster);
		if (!c) {
			c = inferredCluster(a.cluster);
			clusters.set(c.name, c);
		}
		c.syncs = dedupeSyncs([...c.syncs, { kind: a.kind, name: a.name, path: a.path, location: a.location, targetNamespace: a.namespace, ...(a.plugin !== undefined ? { plugin: a.plugin } : {}) }]);
		let set = reached.get(c.name);
		if (!set) reached.set(c.name, (set = new Set()));
		for (const f of expand(a.path, a.kind).files) set.add(f);
	}

	// A plain kustomize repository: one inferred target per environment overlay.
	if (![...clusters.values()].some((c) => c.syncs.length > 0)) {
		for (const { env, path } of plainOverlays(store)) {
			let c = clusters.get(env);
			if (!c) {
				c = { ...inferredCluster(env), environment: env, inferred: ['environment'] };
				clusters.set(env, c);
			}
			c.syncs.push({ kind: 'kustomize-overlay', name: env, path });
			let set = reached.get(c.name);
			if (!set) reached.set(c.name, (set = new Set()));
			for (const f of expand(path, 'kustomize-overlay').files) set.add(f);
		}
	}

	for (const c of clusters.values()) inferClusterFacts(c);
	const environments = environmentsOf(declared?.environments, [...clusters.values()]);

	// Which clusters each file reaches (is synced to). A ClusterClaim is not: it declares its cluster (ComplianceContext.declared).
	const files: Record<string, string[]> = {};
	const add = (file: string, cluster: string) => {
		const list = (files[file] ??= []);
		if (!list.includes(cluster)) list.push(cluster);
	};
	for (const [name, set] of reached) for (const f of set) add(f, name);
	for (const list of Object.values(files)) list.sort();

	const clusterList = [...clusters.values()].sort((a, b) => envOrder(environments, a) - envOrder(environments, b) || a.name.localeCompare(b.name));
	const apps = discoverApps(store, declared, clusterList, environments, reached, expand, walks);
	// Broken kustomization entries, with the clusters that stop getting changes because of them.
	// Paths Argo CD builds with a config-management plugin: said once per Application; their kustomizations may name what the plugin generates.
	const plugins = argoPluginBuilds(store);
	problems.push(...plugins.notes);
	problems.push(...kustomizationProblems(store, files, plugins.paths));
	const note = declared ? undefined : fleetFileNote(clusterList, environments);
	if (note) problems.push(note);
	const fleetFile = declared ? { file: declared.doc.file, enforce: declared.enforce } : undefined;
	// Kept with the model for a retag: the walks without the files they reached (all but those holding a Flux source).
	const sourceFiles = new Set(store.ofKinds(['GitRepository', 'OCIRepository']).map((d) => d.file));
	const kept = new Map<string, VersionWalk>();
	for (const [name, w] of walks) kept.set(name, versionWalk(w, sourceFiles));
	store.endRun();
	return { model: { environments, clusters: clusterList, apps, files: sortKeys(files), problems: dedupeProblems(problems), ...(fleetFile ? { fleetFile } : {}) }, walks: kept };
}

/**
 * The model after edits that changed nothing but version values (`versionOnlyEdit`): the graph
 * (clusters, environments, apps, which files reach which cluster, the problems) is the previous
 * one, and only the versions are read again, as `discover` reads them. A retag in an overlay then
 * costs the versions, not a walk of the whole fleet.
 */
export function rereadVersions(store: DocumentStore, previous: Discovery, changed: readonly string[], options: DiscoverOptions = {}): Discovery {
	store.beginPartialRun(changed);
	const { model } = previous;
	const walks = refreshWalks(store, previous.walks, new Set(changed));
	const apps = model.apps.map((a) => ({ ...a, versions: [], behind: [] }));
	extractVersions(store, apps, model.clusters, model.environments, runExpander(store, options), walks);
	store.endRun();
	return { model: { ...model, apps }, walks };
}

/** The walks with the HelmReleases of changed files read again (a chart bump: the same documents, a new version). */
function refreshWalks(store: DocumentStore, walks: ReadonlyMap<string, VersionWalk>, changed: ReadonlySet<string>): ReadonlyMap<string, VersionWalk> {
	const again = (d: DocRef) => (changed.has(d.file) ? (store.documents(d.file).find((x) => x.documentIndex === d.documentIndex && x.kind === d.kind) ?? d) : d);
	const touches = (w: VersionWalk) => w.helmReleases.some((d) => changed.has(d.file)) || w.helmPatches.some((d) => changed.has(d.file));
	if (![...walks.values()].some(touches)) return walks;
	return new Map([...walks].map(([cluster, w]) => [cluster, touches(w) ? { ...w, helmReleases: w.helmReleases.map(again), helmPatches: w.helmPatches.map(again) } : w]));
}

/**
 * Discovery after these files' texts changed (the file list did not): the versions read again
 * when every changed file is a version-only edit that moved no place the graph holds (and no other
 * file was seen to change since the last run), else a full discovery.
 */
export function rediscover(store: DocumentStore, previous: Discovery, changed: readonly string[], options: DiscoverOptions = {}): Discovery & { versionsOnly: boolean } {
	const unreported = store.changedSinceRun().some((f) => !changed.includes(f));
	const versionsOnly = changed.length > 0 && !unreported && changed.every((f) => versionOnlyEdit(f, store.readByLastRun(f), store.mappings(f))) && !placedAfter(previous.model, editStarts(store, changed));
	return { ...(versionsOnly ? rereadVersions(store, previous, changed, options) : discover(store, options)), versionsOnly };
}

/** Where each edit starts in the text the last run read (a file it did not read: at its start). */
function editStarts(store: DocumentStore, changed: readonly string[]): EditStart[] {
	return changed.flatMap((file) => {
		const before = store.textByLastRun(file);
		const after = store.reader.read(file);
		if (before === undefined || after === undefined) return [{ file, line: 0, character: 0, withinLine: false }];
		const start = editStart(file, before, after);
		return start ? [start] : [];
	});
}

/** How a synced path expands into files, memoised for one run (Argo CD reads a path flat, the others deep). */
function runExpander(store: DocumentStore, options: DiscoverOptions): Expander {
	const memo = new Map<string, PathExpansion>();
	const baseExpand = options.expand ?? graphExpander(store);
	return (path, kind) => {
		const key = `${kind === 'argo-application' || kind === 'argo-applicationset' ? 'flat' : 'deep'}|${path}`;
		let hit = memo.get(key);
		if (!hit) memo.set(key, (hit = baseExpand(path, kind)));
		return hit;
	};
}

function addClaims(store: DocumentStore, clusters: Map<string, FleetCluster>): void {
	for (const d of store.ofKinds(['ClusterClaim'])) {
		if (d.apiVersion !== 'platform.gitops.io/v1alpha1' || !d.name) continue;
		const spec = isPlainObject(d.value.spec) ? d.value.spec : {};
		const kube = isPlainObject(spec.kubernetes) ? spec.kubernetes : {};
		const version = typeof kube.version === 'string' ? kube.version : undefined;
		const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
		const existing = [...clusters.values()].find((c) => c.claim === d.file) ?? clusters.get(d.name);
		if (existing) {
			existing.claim ??= d.file;
			existing.environment ??= str(spec.environment);
			existing.region ??= str(spec.region);
			existing.provider ??= str(spec.cloudProvider);
			existing.kubernetesVersion ??= version;
			continue;
		}
		clusters.set(d.name, {
			name: d.name,
			environment: str(spec.environment),
			region: str(spec.region),
			provider: str(spec.cloudProvider),
			kubernetesVersion: version,
			claim: d.file,
			labels: {},
			syncs: [],
			source: 'declared',
			inferred: [],
			location: d.locate(['metadata', 'name']),
		});
	}
}

function addFluxClusters(store: DocumentStore, clusters: Map<string, FleetCluster>): void {
	const declaredPaths = new Set([...clusters.values()].flatMap((c) => c.syncs.map((s) => s.path)));
	const dirs = fluxClusterDirs(store);
	// The Flux Kustomizations under each cluster directory, in the repository's order (one pass, not one per directory).
	const under = new Map<string, DocRef[]>(dirs.map((d) => [d, []]));
	for (const d of store.ofKinds(['Kustomization'])) {
		if (!d.apiVersion.startsWith('kustomize.toolkit.fluxcd.io/')) continue;
		for (let dir = dirName(d.file); dir !== ''; dir = dirName(dir)) under.get(dir)?.push(d);
	}
	for (const dir of dirs) {
		if (declaredPaths.has(dir)) continue;
		const name = clusterNameOfDir(dir);
		// The cluster is where its Flux objects are: the bootstrap Kustomization, else the first one in its directory.
		const docs = under.get(dir)!;
		const anchor = docs.find((d) => d.name === 'flux-system') ?? docs[0];
		const root: SyncSource = { kind: 'flux-kustomization', name: 'flux-system', path: dir, location: anchor?.locate(['metadata', 'name']) };
		const existing = clusters.get(name);
		if (existing) {
			if (existing.syncs.length === 0) existing.syncs.push(root);
			continue;
		}
		clusters.set(name, { ...inferredCluster(name), syncs: [root], location: root.location });
	}
}

function inferredCluster(name: string): FleetCluster {
	return { name, labels: {}, syncs: [], source: 'inferred', inferred: [] };
}

/** Labels that say which environment or region a cluster runs (Argo CD cluster Secrets, Fleet labels). */
const ENV_LABELS = ['environment', 'env', 'fleetscope.io/environment'];
const REGION_LABELS = ['region', 'topology.kubernetes.io/region', 'fleetscope.io/region'];

/** Fills environment, region and provider from labels, then from the cluster's name and synced paths, where nothing declares them. */
function inferClusterFacts(c: FleetCluster): void {
	c.environment ??= ENV_LABELS.map((l) => c.labels[l]).find((v) => v !== undefined && v !== '');
	c.region ??= REGION_LABELS.map((l) => c.labels[l]).find((v) => v !== undefined && v !== '');
	if (c.environment === undefined) {
		const env = environmentIn(c.name) ?? c.syncs.map((s) => environmentInPath(s.path)).find((e) => e !== undefined);
		if (env) {
			c.environment = env;
			c.inferred.push('environment');
		}
	}
	const r = regionIn(c.name) ?? (c.region ? regionIn(c.region) : undefined);
	if (c.region === undefined && r) {
		c.region = r.region;
		c.inferred.push('region');
	}
	if (c.provider === undefined && r) {
		c.provider = r.provider;
		c.inferred.push('provider');
	}
}

function argoInventory(store: DocumentStore, clusters: Map<string, FleetCluster>): ArgoCluster[] {
	const out: ArgoCluster[] = argoClusterSecrets(store);
	for (const c of clusters.values()) {
		if (out.some((x) => x.name === c.name)) continue;
		// A Fleet cluster's labels, plus its environment and region, stand in for the cluster Secret's labels.
		const labels: Record<string, string> = { ...c.labels };
		if (c.environment) labels.environment ??= c.environment;
		if (c.region) labels.region ??= c.region;
		out.push({ name: c.name, labels });
	}
	return out;
}

/** Overlays of a plain kustomize repository: `<parent>/<env>/kustomization.yaml` where `<env>` names an environment. */
function plainOverlays(store: DocumentStore): { env: string; path: string }[] {
	const out: { env: string; path: string }[] = [];
	for (const f of store.files()) {
		if (!isKustomizationFile(f)) continue;
		const dir = dirName(f);
		const segs = dir.split('/');
		const env = environmentIn(segs[segs.length - 1] ?? '');
		if (!env || segs.length < 2 || !OVERLAY_PARENTS.has(segs[segs.length - 2])) continue;
		out.push({ env, path: dir });
	}
	return out.sort((a, b) => a.path.localeCompare(b.path));
}

/** The environments: the Fleet file's in its promotion order, else those the clusters run, in the conventional order. */
function environmentsOf(declared: Parameters<typeof orderDeclaredEnvironments>[0] | undefined, clusters: FleetCluster[]): FleetEnvironment[] {
	let envs: FleetEnvironment[];
	if (declared && declared.length > 0) envs = orderDeclaredEnvironments(declared);
	else {
		const names = [...new Set(clusters.map((c) => c.environment).filter((e): e is string => e !== undefined))].sort(byPromotionRank);
		envs = names.map((name, order) => ({ name, order, promotesFrom: order > 0 ? [names[order - 1]] : [], production: false, source: 'inferred' }));
	}
	for (const e of envs) {
		const members = clusters.filter((c) => c.environment === e.name);
		e.production = looksLikeProduction(e.name) || (members.length > 0 && members.every((c) => c.labels.tier === 'production'));
	}
	return envs;
}

function envOrder(envs: FleetEnvironment[], c: FleetCluster): number {
	const e = envs.find((x) => x.name === c.environment);
	return e ? e.order : envs.length;
}

/**
 * The apps: the Fleet file's, then the kustomize bases (`.../base/<app>/`), HelmReleases and Argo
 * CD Applications the clusters receive, each with the paths that deploy it per environment.
 */
function discoverApps(
	store: DocumentStore,
	declared: ReturnType<typeof readFleetFile>,
	clusters: FleetCluster[],
	environments: FleetEnvironment[],
	reached: Map<string, Set<string>>,
	expand: Expander,
	walks: ReadonlyMap<string, VersionWalk>,
): FleetApp[] {
	const apps: FleetApp[] = [];
	for (const a of declared?.apps ?? []) apps.push({ name: a.name, facts: a.facts, paths: a.paths, ...(a.promotion ? { promotion: a.promotion } : {}), versions: [], behind: [], source: 'declared', location: a.location });
	const known = new Set(apps.map((a) => a.name));
	// Kustomize bases reached by some cluster.
	const allReached = new Set([...reached.values()].flatMap((s) => [...s]));
	const bases = new Map<string, string>();
	for (const f of allReached) {
		if (!isKustomizationFile(f)) continue;
		const dir = dirName(f);
		const segs = dir.split('/');
		const b = segs.lastIndexOf('base');
		if (b === -1) continue;
		const name = b < segs.length - 1 ? segs[b + 1] : segs[b - 1];
		if (name && !bases.has(name)) bases.set(name, segs.slice(0, b < segs.length - 1 ? b + 2 : b + 1).join('/'));
	}
	// Which base directories each synced overlay pulls in (once per path, not per base).
	const basesOf = new Map<string, Set<string>>();
	const baseDirs = new Set(bases.values());
	const reachedBases = (path: string, kind: SyncSource['kind']): Set<string> => {
		let hit = basesOf.get(path);
		if (!hit) {
			hit = new Set();
			for (const f of expand(path, kind).files) {
				for (let d = dirName(f); d !== ''; d = dirName(d)) if (baseDirs.has(d)) hit.add(d);
			}
			basesOf.set(path, hit);
		}
		return hit;
	};
	const pathsOfBase = new Map<string, Record<string, string[]>>();
	for (const c of clusters) {
		if (!c.environment) continue;
		for (const s of c.syncs) {
			if (s.kind === 'flux-helmrelease' || !kustomizationIn(store, s.path)) continue;
			for (const baseDir of reachedBases(s.path, s.kind)) {
				if (s.path === baseDir || s.path.startsWith(`${baseDir}/`)) continue;
				let paths = pathsOfBase.get(baseDir);
				if (!paths) pathsOfBase.set(baseDir, (paths = {}));
				const list = (paths[c.environment] ??= []);
				if (!list.includes(s.path)) list.push(s.path);
			}
		}
	}
	for (const [name, baseDir] of [...bases].sort()) {
		if (known.has(name)) continue;
		known.add(name);
		apps.push({ name, facts: {}, paths: pathsOfBase.get(baseDir) ?? {}, versions: [], behind: [], source: 'inferred' });
	}
	// HelmReleases and Argo CD Applications not already known as apps.
	const helm = new Map<string, DocRef>();
	for (const w of walks.values()) for (const h of w.helmReleases) if (h.name && !helm.has(h.name)) helm.set(h.name, h);
	for (const [name, h] of [...helm].sort()) {
		if (known.has(name)) continue;
		known.add(name);
		apps.push({ name, facts: {}, paths: {}, versions: [], behind: [], source: 'inferred', location: h.locate(['metadata', 'name']) });
	}
	for (const c of clusters) {
		for (const s of c.syncs) {
			if ((s.kind !== 'argo-application' && s.kind !== 'argo-applicationset') || known.has(s.name)) continue;
			known.add(s.name);
			apps.push({ name: s.name, facts: {}, paths: {}, versions: [], behind: [], source: 'inferred', location: s.location });
		}
	}
	extractVersions(store, apps, clusters, environments, expand, walks);
	return apps;
}

/** Files that kustomizations name as patches: partial objects, not resources of their own. */
function patchFiles(store: DocumentStore): Set<string> {
	const out = new Set<string>();
	for (const f of store.files()) {
		if (!isKustomizationFile(f)) continue;
		const value = store.mappings(f)[0]?.value;
		if (value) for (const p of patchPathsOf(f, value)) out.add(p);
	}
	return out;
}

function dedupeSyncs(list: SyncSource[]): SyncSource[] {
	const seen = new Set<string>();
	return list.filter((s) => {
		const key = `${s.kind}|${s.name}|${s.path}`;
		if (seen.has(key)) return false;
		seen.add(key);
		return true;
	});
}

function dedupeProblems(list: FleetProblem[]): FleetProblem[] {
	const seen = new Set<string>();
	return list.filter((p) => {
		const key = `${p.location.file}|${p.documentIndex}|${p.path.join('.')}|${p.message}`;
		if (seen.has(key)) return false;
		seen.add(key);
		return true;
	});
}

function sortKeys<T>(o: Record<string, T>): Record<string, T> {
	const out: Record<string, T> = {};
	for (const k of Object.keys(o).sort()) out[k] = o[k];
	return out;
}

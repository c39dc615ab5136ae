import { isPlainObject } from '../core/resource';
import { dirName, joinPath } from '../core/paths';
import { SharedValues } from '../core/shared-values';
import type { Expander } from './expand';
import { repoPath, type DocRef, type DocumentStore } from './reader';
import type { FleetProblem, SyncSource } from './types';

/**
 * Flux: a cluster's directory (`clusters/<name>/`, bootstrapped by `flux-system/gotk-sync.yaml`)
 * holds Kustomizations whose `spec.path` pulls in more of the repository, recursively, and
 * HelmReleases. This follows that graph for one cluster and reports what is broken in it.
 */

export const FLUX_KUSTOMIZE = 'kustomize.toolkit.fluxcd.io';
const FLUX_SOURCE = 'source.toolkit.fluxcd.io';
const FLUX_HELM = 'helm.toolkit.fluxcd.io';

const groupOf = (d: DocRef) => d.apiVersion.split('/')[0];
export const isFluxKustomization = (d: DocRef) => d.kind === 'Kustomization' && groupOf(d) === FLUX_KUSTOMIZE;
export const isHelmRelease = (d: DocRef) => d.kind === 'HelmRelease' && groupOf(d) === FLUX_HELM;
const isFluxSource = (d: DocRef) => groupOf(d) === FLUX_SOURCE && ['GitRepository', 'OCIRepository', 'Bucket', 'HelmRepository', 'HelmChart'].includes(d.kind);

/** The Flux sources the repository declares, by `kind/namespace/name`. */
export function fluxSources(store: DocumentStore): Map<string, DocRef> {
	const out = new Map<string, DocRef>();
	for (const d of store.ofKinds(['GitRepository', 'OCIRepository', 'Bucket', 'HelmRepository'])) {
		if (isFluxSource(d) && d.name) out.set(`${d.kind}/${d.namespace ?? ''}/${d.name}`, d);
	}
	return out;
}

/**
 * Directories that are Flux clusters by convention: the parent of a `flux-system` directory, or
 * else the shallowest directory under a `clusters/` directory that holds Flux Kustomizations.
 */
export function fluxClusterDirs(store: DocumentStore): string[] {
	const withFlux = new Set<string>();
	for (const d of store.ofKinds(['Kustomization'])) if (isFluxKustomization(d)) withFlux.add(dirName(d.file));
	const roots = new Set<string>();
	for (const dir of withFlux) {
		const segs = dir.split('/');
		const fs = segs.lastIndexOf('flux-system');
		if (fs > 0) {
			roots.add(segs.slice(0, fs).join('/'));
			continue;
		}
		const c = segs.lastIndexOf('clusters');
		if (c !== -1 && c < segs.length - 1) roots.add(dir);
	}
	// Keep the shallowest of nested candidates (clusters/prod/eu holds clusters/prod/eu/apps).
	return [...roots].filter((r) => ![...roots].some((o) => o !== r && r.startsWith(`${o}/`))).sort();
}

/** The cluster name a Flux cluster directory implies: its path below `clusters/`, joined with `-`. */
export function clusterNameOfDir(dir: string): string {
	const segs = dir.split('/');
	const c = segs.lastIndexOf('clusters');
	const below = c === -1 ? segs.slice(-1) : segs.slice(c + 1);
	return (below.length > 0 ? below : segs.slice(-1)).join('-');
}

export interface FluxWalk {
	syncs: SyncSource[];
	/** Repo files reached, with the sync that reached them first. */
	files: Set<string>;
	problems: FleetProblem[];
	/** HelmReleases reached (for versions). */
	helmReleases: DocRef[];
	/** Kustomize patches of HelmReleases reached (they override the release's chart version or values). */
	helmPatches: DocRef[];
	/** Flux Kustomizations reached (for versions and navigation). */
	kustomizations: DocRef[];
}

const problem = (d: DocRef, path: (string | number)[], severity: FleetProblem['severity'], message: string, ruleId = 'fleet-reference'): FleetProblem => ({
	ruleId,
	severity,
	message,
	location: d.locate(path),
	documentIndex: d.documentIndex,
	path,
	target: 'value',
});

/**
 * One copy of each distinct `dependsOn` list: every cluster's Kustomizations mostly name the same few
 * (`flux-system`), and a list per Kustomization and cluster was 11 MiB of a 100-cluster fleet's model.
 */
const NAME_LISTS = new SharedValues<readonly string[]>(10_000);

const sharedNames = (names: string[]): readonly string[] => NAME_LISTS.share(names.join('\u0000'), names);

/**
 * Follows a cluster's syncs through the Flux objects they reach. `roots` are the cluster's own
 * paths (Fleet `path`, or its directory); each Flux Kustomization found in a reached file adds its
 * `spec.path` when its source is this repository.
 */
export function walkFlux(store: DocumentStore, expand: Expander, roots: SyncSource[], sources: Map<string, DocRef>, patches: ReadonlySet<string>, syncing: (paths: readonly string[]) => DocRef[] = fluxKustomizationsSyncing(store)): FluxWalk {
	const walk: FluxWalk = { syncs: [], files: new Set(), problems: [], helmReleases: [], helmPatches: [], kustomizations: [] };
	const expandedPaths = new Set<string>();
	const visitedDocs = new Set<string>();
	const queue: SyncSource[] = [...roots];
	// The GitRepository the cluster's root Kustomization reads is this repository.
	// `flux bootstrap` names the cluster's own GitRepository flux-system, in flux-system.
	const selfSources = new Set<string>(['GitRepository/flux-system/flux-system']);
	const gitSources = [...sources.values()].filter((s) => s.kind === 'GitRepository');
	for (const root of roots) {
		for (const f of expand(root.path, root.kind).files) {
			if (!store.mayHoldFleetKinds(f)) continue;
			for (const d of store.documents(f)) {
				if (!isFluxKustomization(d) || !isPlainObject(d.value.spec) || typeof d.value.spec.path !== 'string') continue;
				const ref = isPlainObject(d.value.spec.sourceRef) ? d.value.spec.sourceRef : {};
				const key = `${typeof ref.kind === 'string' ? ref.kind : 'GitRepository'}/${typeof ref.namespace === 'string' ? ref.namespace : (d.namespace ?? '')}/${String(ref.name)}`;
				// Only a declared source: a misspelled one must still be reported as unknown.
				if (repoPath(d.value.spec.path) === root.path && sources.has(key)) selfSources.add(key);
			}
		}
	}
	while (queue.length > 0) {
		const sync = queue.shift()!;
		// A path synced twice (the Fleet's cluster path and the flux-system Kustomization that syncs it) is listed once.
		if (expandedPaths.has(sync.path)) continue;
		expandedPaths.add(sync.path);
		walk.syncs.push(sync);
		for (const f of expand(sync.path, sync.kind).files) {
			walk.files.add(f);
			if (!store.mayHoldFleetKinds(f)) continue;
			for (const d of store.documents(f)) {
				const key = `${d.file}#${d.documentIndex}`;
				if (visitedDocs.has(key)) continue;
				visitedDocs.add(key);
				if (isHelmRelease(d) && patches.has(d.file)) {
					walk.helmPatches.push(d);
					continue;
				}
				if (isHelmRelease(d)) {
					walk.helmReleases.push(d);
					walk.syncs.push({ kind: 'flux-helmrelease', name: d.name ?? '', path: d.file, location: d.locate(['metadata', 'name']), targetNamespace: str(d.value.spec, 'targetNamespace') });
					checkHelmSource(d, sources, walk.problems);
					continue;
				}
				if (!isFluxKustomization(d)) continue;
				walk.kustomizations.push(d);
				const spec = isPlainObject(d.value.spec) ? d.value.spec : {};
				const ref = isPlainObject(spec.sourceRef) ? spec.sourceRef : {};
				const refKind = typeof ref.kind === 'string' ? ref.kind : 'GitRepository';
				const refName = typeof ref.name === 'string' ? ref.name : undefined;
				const refNs = typeof ref.namespace === 'string' ? ref.namespace : (d.namespace ?? '');
				const sourceKey = `${refKind}/${refNs}/${refName}`;
				const source = refName === undefined ? undefined : sources.get(sourceKey);
				const written = typeof spec.path === 'string' ? spec.path : './';
				let path = repoPath(written);
				if (refKind === 'ExternalArtifact') {
					// Flux 2.7: an ArtifactGenerator copies paths of this repository into the artifact.
					const mapped = refName === undefined ? undefined : artifactPath(store, refName, refNs, path, selfSources);
					if (mapped === undefined) continue;
					path = mapped;
				} else if (refName !== undefined && !source && sources.size > 0 && !selfSources.has(sourceKey)) {
					walk.problems.push(problem(d, ['spec', 'sourceRef', 'name'], 'warning', `This Kustomization reads the ${refKind} "${refName}"${refNs ? ` in namespace ${refNs}` : ''}, which this repository does not declare. Flux reports "source not found" until it exists; check the name and namespace.`));
				}
				// This repository for sure: the root Kustomization's source, one with its URL, or an artifact generated from it.
				const definitelySelf = refKind === 'ExternalArtifact' || selfSources.has(sourceKey) || (source !== undefined && sameUrl(source, selfSources, sources)) || (selfSources.size === 0 && source !== undefined && gitSources.length === 1);
				// Perhaps: an undeclared GitRepository (bootstrap creates flux-system outside Git) whose path exists here.
				const maybeSelf = definitelySelf || (!source && refKind === 'GitRepository');
				if (!maybeSelf) continue; // another repository: its paths are not ours to follow
				if (!store.exists(path)) {
					if (!definitelySelf) continue;
					const inArtifact = refKind === 'ExternalArtifact' ? ` (the artifact "${refName}" maps it to "${path}")` : '';
					walk.problems.push(problem(d, typeof spec.path === 'string' ? ['spec', 'path'] : ['metadata', 'name'], 'error', `This Kustomization syncs "${written}"${inArtifact}, which does not exist in this repository, so Flux fails to build it ("no such file or directory"). Fix the path or add the directory.`));
					continue;
				}
				const substitute = isPlainObject(spec.postBuild) && isPlainObject(spec.postBuild.substitute) ? stringMap(spec.postBuild.substitute) : undefined;
				const dependsOn = Array.isArray(spec.dependsOn) ? sharedNames(spec.dependsOn.flatMap((x) => (isPlainObject(x) && typeof x.name === 'string' ? [x.name] : []))) : undefined;
				queue.push({
					kind: 'flux-kustomization',
					name: d.name ?? '',
					path,
					location: d.locate(typeof spec.path === 'string' ? ['spec', 'path'] : ['metadata', 'name']),
					targetNamespace: typeof spec.targetNamespace === 'string' ? spec.targetNamespace : undefined,
					substitute,
					dependsOn,
					object: { file: d.file, documentIndex: d.documentIndex },
				});
			}
		}
	}
	// The cluster's own root Kustomization (bootstrap's flux-system, which syncs its directory) is on
	// the cluster even when a broken kustomization hides its file from the walk: that break is
	// reported where it is, not again on every dependsOn naming the root.
	// (Looked for only when a dependsOn names a Kustomization the walk did not meet; indexed once per discovery run.)
	const rootKustomizations = () => syncing(roots.map((r) => r.path));
	walk.problems.push(...dependsOnProblems(walk.kustomizations, rootKustomizations));
	return walk;
}

/**
 * The repository's Flux Kustomizations that sync any of some paths, in the repository's order (as a
 * scan of them all lists them): indexed by path on first use, once per discovery run (every
 * cluster's walk may ask).
 */
export function fluxKustomizationsSyncing(store: DocumentStore): (paths: readonly string[]) => DocRef[] {
	let byPath: Map<string, DocRef[]> | undefined;
	const order = new Map<DocRef, number>();
	return (paths) => {
		if (!byPath) {
			byPath = new Map();
			for (const d of store.ofKinds(['Kustomization'])) {
				if (!isFluxKustomization(d) || !isPlainObject(d.value.spec) || typeof d.value.spec.path !== 'string') continue;
				order.set(d, order.size);
				const p = repoPath(d.value.spec.path);
				const list = byPath.get(p);
				if (list) list.push(d);
				else byPath.set(p, [d]);
			}
		}
		const found = new Set(paths.flatMap((p) => byPath!.get(p) ?? []));
		return [...found].sort((a, b) => order.get(a)! - order.get(b)!);
	};
}

/**
 * The repository path an ExternalArtifact path comes from: the ArtifactGenerator that produces
 * the artifact copies `@<alias>/<dir>/**` of this repository to `@artifact/<to>/`. Undefined
 * when the artifact is not generated from this repository or the path is not one copied dir.
 */
export function artifactPath(store: DocumentStore, artifact: string, namespace: string, path: string, selfSources: Set<string>): string | undefined {
	for (const g of store.ofKinds(['ArtifactGenerator'])) {
		if (g.apiVersion.split('/')[0] !== 'source.extensions.fluxcd.io' || (g.namespace ?? '') !== namespace || !isPlainObject(g.value.spec)) continue;
		const spec = g.value.spec;
		const aliases = new Map<string, string>();
		for (const s of Array.isArray(spec.sources) ? spec.sources : []) {
			if (!isPlainObject(s) || typeof s.alias !== 'string' || typeof s.name !== 'string') continue;
			const key = `${typeof s.kind === 'string' ? s.kind : 'GitRepository'}/${typeof s.namespace === 'string' ? s.namespace : namespace}/${s.name}`;
			if (selfSources.has(key)) aliases.set(s.alias, key);
		}
		const a = (Array.isArray(spec.artifacts) ? spec.artifacts : []).find((x) => isPlainObject(x) && x.name === artifact);
		if (!isPlainObject(a) || !Array.isArray(a.copy)) continue;
		for (const c of a.copy) {
			if (!isPlainObject(c) || typeof c.from !== 'string' || typeof c.to !== 'string') continue;
			const from = /^@([^/]+)\/(.*?)\/?\*\*$/.exec(c.from);
			const to = /^@artifact\/?(.*)$/.exec(c.to);
			if (!from || !to || !aliases.has(from[1])) continue;
			const toDir = repoPath(to[1]);
			if (toDir !== '' && path !== toDir && !path.startsWith(`${toDir}/`)) continue;
			const rest = toDir === '' ? path : path.slice(toDir.length).replace(/^\//, '');
			return joinPath(repoPath(from[2]), rest);
		}
	}
	return undefined;
}

function sameUrl(source: DocRef, selfKeys: Set<string>, sources: Map<string, DocRef>): boolean {
	const url = str(source.value.spec, 'url');
	return url !== undefined && [...selfKeys].some((k) => str(sources.get(k)?.value.spec, 'url') === url);
}

function checkHelmSource(d: DocRef, sources: Map<string, DocRef>, out: FleetProblem[]): void {
	const spec = isPlainObject(d.value.spec) ? d.value.spec : {};
	const chartSpec = isPlainObject(spec.chart) && isPlainObject(spec.chart.spec) ? spec.chart.spec : undefined;
	const ref = chartSpec && isPlainObject(chartSpec.sourceRef) ? chartSpec.sourceRef : undefined;
	if (!ref || typeof ref.name !== 'string' || typeof ref.kind !== 'string' || sources.size === 0) return;
	const ns = typeof ref.namespace === 'string' ? ref.namespace : (d.namespace ?? '');
	if (sources.has(`${ref.kind}/${ns}/${ref.name}`)) return;
	out.push(problem(d, ['spec', 'chart', 'spec', 'sourceRef', 'name'], 'warning', `This HelmRelease reads its chart from the ${ref.kind} "${ref.name}"${ns ? ` in namespace ${ns}` : ''}, which this repository does not declare. Flux cannot fetch the chart until it exists; check the name and namespace.`));
}

/** dependsOn entries that name no Kustomization of the cluster, and cycles among them. */
function dependsOnProblems(ks: DocRef[], present: () => DocRef[] = () => []): FleetProblem[] {
	const out: FleetProblem[] = [];
	const byKey = new Map<string, DocRef>();
	for (const k of ks) if (k.name) byKey.set(`${k.namespace ?? ''}/${k.name}`, k);
	let presentAdded = false;
	const known = (key: string): boolean => {
		if (byKey.has(key) || presentAdded) return byKey.has(key);
		presentAdded = true;
		for (const k of present()) if (k.name && !byKey.has(`${k.namespace ?? ''}/${k.name}`)) byKey.set(`${k.namespace ?? ''}/${k.name}`, k);
		return byKey.has(key);
	};
	const edges = new Map<string, { to: string; index: number }[]>();
	for (const k of ks) {
		const spec = isPlainObject(k.value.spec) ? k.value.spec : {};
		if (!Array.isArray(spec.dependsOn) || !k.name) continue;
		const from = `${k.namespace ?? ''}/${k.name}`;
		const list: { to: string; index: number }[] = [];
		spec.dependsOn.forEach((dep, i) => {
			if (!isPlainObject(dep) || typeof dep.name !== 'string') return;
			const to = `${typeof dep.namespace === 'string' ? dep.namespace : (k.namespace ?? '')}/${dep.name}`;
			if (!known(to)) {
				out.push(problem(k, ['spec', 'dependsOn', i, 'name'], 'warning', `This Kustomization depends on "${dep.name}", which no Kustomization synced to the same cluster is called, so Flux waits for it forever ("dependency not found"). Check the name and namespace.`));
			} else list.push({ to, index: i });
		});
		edges.set(from, list);
	}
	// Report each cycle once, on the dependsOn entry of its first member (by key order).
	const reported = new Set<string>();
	for (const start of [...edges.keys()].sort()) {
		const stack: string[] = [];
		const find = (node: string): string[] | undefined => {
			if (stack.includes(node)) return stack.slice(stack.indexOf(node));
			if (reported.has(node)) return undefined;
			stack.push(node);
			for (const e of edges.get(node) ?? []) {
				const c = find(e.to);
				if (c) return c;
			}
			stack.pop();
			return undefined;
		};
		const cycle = find(start);
		if (!cycle) continue;
		for (const n of cycle) reported.add(n);
		const first = [...cycle].sort()[0];
		const next = cycle[(cycle.indexOf(first) + 1) % cycle.length];
		const doc = byKey.get(first)!;
		const edge = edges.get(first)!.find((e) => e.to === next)!;
		const names = [...cycle.slice(cycle.indexOf(first)), ...cycle.slice(0, cycle.indexOf(first)), first].map((k) => k.split('/')[1]);
		out.push(problem(doc, ['spec', 'dependsOn', edge.index, 'name'], 'error', `The dependsOn chain has a cycle: ${names.join(' → ')}. Flux never reconciles any of them; remove one of the dependencies.`));
	}
	return out;
}

function str(obj: unknown, key: string): string | undefined {
	return isPlainObject(obj) && typeof obj[key] === 'string' ? (obj[key] as string) : undefined;
}

function stringMap(v: Record<string, unknown>): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [k, x] of Object.entries(v)) if (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') out[k] = String(x);
	return out;
}

export { joinPath };

import { renderFluxPath, renderKustomization, substituteVariables, RenderCache, type KustomizeFs, type RenderedObject, type RenderNote, type RenderResult } from '../kustomize';
import { normalisePath } from '../core/paths';
import { kustomizationIn } from './expand';
import type { DocumentStore } from './reader';
import type { FleetModel, SyncSource } from './types';

/**
 * What each cluster receives: every Git path synced to it, rendered as its controller renders it
 * (Flux: the path's kustomization, or the one kustomize-controller generates, with the Flux
 * Kustomization's own fields and post-build substitution; Argo CD: the path's kustomization, else
 * the manifests directly in it; plain overlays: kustomize). Helm charts are not rendered: the
 * HelmRelease object itself is what the render holds.
 */

/** Variants of one path's render kept (one per distinct set of cluster variables); more start the table again. */
const MAX_SUBSTITUTIONS = 256;

/** What `TargetRenderer.renderSteps` yields between two pieces of work. */
export const STEP = Symbol('step');

/** One rendered object and the synced path that produced it. */
export interface TargetObject {
	object: RenderedObject;
	via: string;
}

export interface ClusterRender {
	cluster: string;
	objects: TargetObject[];
	notes: RenderNote[];
	/** Every repo file the renders read (a change to one re-renders the cluster). */
	files: RenderFiles;
}

/**
 * The files a cluster's renders read: the sets of its synced paths' renders, shared by every cluster
 * that renders the path alike (a set per cluster was 14.5 MiB of a 100-cluster fleet's heap), and
 * the files of its syncing objects.
 */
export class RenderFiles {
	private readonly parts: ReadonlySet<string>[] = [];
	private readonly own = new Set<string>();

	/** The files of one synced path's render. */
	addAll(files: ReadonlySet<string>): void {
		if (!this.parts.includes(files)) this.parts.push(files);
	}

	add(file: string): void {
		this.own.add(file);
	}

	has(file: string): boolean {
		return this.own.has(file) || this.parts.some((p) => p.has(file));
	}
}

/** A KustomizeFs over the document store (the editor's unsaved text wins over the disk). */
export function storeFs(store: DocumentStore, directoriesToo = true): KustomizeFs {
	return {
		readFile: (p) => store.reader.read(normalisePath(p)),
		isDirectory: (p) => store.isDirectory(p),
		listDirectory: (dir) => {
			const d = normalisePath(dir);
			const files = store.listDirectory(d);
			if (!directoriesToo) return files;
			// Flux's generated kustomization walks subdirectories: list them too.
			const subdirs = new Set<string>();
			const prefix = d === '' ? '' : `${d}/`;
			for (const f of store.filesBelow(d)) {
				const rest = f.slice(prefix.length);
				const slash = rest.indexOf('/');
				if (slash > 0) subdirs.add(prefix + rest.slice(0, slash));
			}
			return [...files, ...subdirs];
		},
	};
}

/**
 * Renders clusters, reusing unchanged work: the kustomize cache re-renders only kustomizations
 * whose files changed (`invalidate`), and a cluster none of whose files changed keeps its render.
 */
export class TargetRenderer {
	private readonly cache = new RenderCache();
	/** Argo CD applies the manifests directly in a path: a listing without subdirectories, so a cache of its own. */
	private readonly flatCache = new RenderCache();
	private readonly renders = new Map<string, { key: string; render: ClusterRender }>();
	/** Per render's list of objects (kept while the render is), its objects with the synced path. */
	private readonly wrapped = new WeakMap<readonly RenderedObject[], { via: string; list: readonly TargetObject[] }>();
	/** Per render's list of files (kept while the render is), the same as a set. */
	private readonly fileSets = new WeakMap<readonly string[], ReadonlySet<string>>();
	/** Per render of a Flux path (kept while the render is), its variants with each cluster's variables. */
	private readonly substitutions = new WeakMap<RenderResult, Map<string, RenderResult>>();

	constructor(private readonly store: DocumentStore) {}

	/** Forgets what depends on these files (changed, created or deleted). */
	invalidate(changed: readonly string[], structural: boolean): void {
		for (const f of changed) {
			for (const c of [this.cache, this.flatCache]) c.invalidate(f, structural ? (this.store.isFile(f) ? 'created' : 'deleted') : 'changed');
			for (const [name, r] of this.renders) if (r.render.files.has(f) || structural) this.renders.delete(name);
		}
	}

	/**
	 * Forgets the intermediate renders of kustomization directories: they make one cluster's render
	 * fast (a base shared by many overlays is accumulated once) but are most of the renderer's memory.
	 * `renderSteps` settles after each cluster it renders; the synced paths' final renders stay, so
	 * the next cluster of the environment reuses them, and an edit re-renders only the paths that
	 * read the edited file (their bases again, which is cheap).
	 */
	settle(): void {
		this.cache.renders.clear();
		this.flatCache.renders.clear();
	}

	/** The render of every cluster of the model that syncs at least one path. */
	renderAll(model: FleetModel): ClusterRender[] {
		return [...this.renderEach(model)];
	}

	/**
	 * The same, one cluster at a time, so a host can let other work run between clusters (a cold
	 * render of a big fleet takes seconds). Renders of clusters no longer in the model are forgotten
	 * once the last one is yielded.
	 */
	*renderEach(model: FleetModel): Generator<ClusterRender> {
		for (const r of this.renderSteps(model)) if (r !== STEP) yield r;
	}

	/**
	 * The same in smaller steps: `STEP` after each synced path rendered (the first cluster of an
	 * environment renders every path of it), so that a host can answer the editor between them. A
	 * cluster's render is kept only once all of its paths are rendered.
	 */
	*renderSteps(model: FleetModel): Generator<ClusterRender | typeof STEP> {
		const live = new Set<string>();
		for (const c of model.clusters) {
			if (!c.syncs.some(renderable)) continue;
			live.add(c.name);
			// What the syncs render (locations aside: computing their ranges would parse each Flux object slowly).
			const key = JSON.stringify(c.syncs, (k, v: unknown) => (k === 'location' ? undefined : v));
			const hit = this.renders.get(c.name);
			if (hit && hit.key === key) {
				yield hit.render;
				continue;
			}
			const render: ClusterRender = { cluster: c.name, objects: [], notes: [], files: new RenderFiles() };
			for (const s of c.syncs) {
				if (!renderable(s)) continue;
				const result = this.renderSync(s);
				for (const t of this.targetObjects(result.objects, s.path)) render.objects.push(t);
				render.notes.push(...result.notes);
				render.files.addAll(this.fileSetOf(result.files));
				if (s.object) render.files.add(s.object.file);
				yield STEP;
			}
			this.renders.set(c.name, { key, render });
			// Held to the end of the pass, the intermediate renders raised the workspace scan's peak by
			// about 30 MiB on the bench fleet; dropped here, rendering every cluster takes no longer.
			this.settle();
			yield render;
		}
		for (const name of [...this.renders.keys()]) if (!live.has(name)) this.renders.delete(name);
	}

	/**
	 * The objects of a path's render with the path, shared by every cluster whose sync of the path
	 * has the same render (the clusters of an environment, mostly): one wrapper per object and cluster
	 * was a large part of a big fleet's heap.
	 */
	private targetObjects(objects: readonly RenderedObject[], via: string): readonly TargetObject[] {
		const hit = this.wrapped.get(objects);
		if (hit && hit.via === via) return hit.list;
		const list = objects.map((object) => ({ object, via }));
		this.wrapped.set(objects, { via, list });
		return list;
	}

	/** The files of a path's render as a set, shared like its objects (see `targetObjects`). */
	private fileSetOf(files: readonly string[]): ReadonlySet<string> {
		let set = this.fileSets.get(files);
		if (!set) this.fileSets.set(files, (set = new Set(files)));
		return set;
	}

	/**
	 * A path's render with a cluster's post-build variables, made once per render of the path and
	 * set of variables: a cluster rendered again because another of its paths changed gets the same
	 * objects, so what was judged on them holds (`compliance/carry-over.ts`).
	 */
	private substituted(result: RenderResult, vars: Record<string, string>): RenderResult {
		let byVars = this.substitutions.get(result);
		if (!byVars || byVars.size >= MAX_SUBSTITUTIONS) this.substitutions.set(result, (byVars = new Map()));
		const key = JSON.stringify(vars);
		let hit = byVars.get(key);
		if (!hit) byVars.set(key, (hit = substituteVariables(result, vars)));
		return hit;
	}

	private renderSync(s: SyncSource): RenderResult {
		switch (s.kind) {
			case 'fleet':
			case 'flux-kustomization': {
				const doc = s.object ? this.store.documents(s.object.file).find((d) => d.documentIndex === s.object!.documentIndex) : undefined;
				const flux = doc && s.object ? { spec: doc.value.spec, file: s.object.file, documentIndex: s.object.documentIndex } : undefined;
				const result = renderFluxPath(s.path, storeFs(this.store), this.cache, flux);
				return s.substitute ? this.substituted(result, s.substitute) : result;
			}
			case 'kustomize-overlay':
				return renderKustomization(s.path, storeFs(this.store), this.cache);
			case 'argo-application':
			case 'argo-applicationset':
				return kustomizationIn(this.store, s.path) ? renderKustomization(s.path, storeFs(this.store), this.cache) : renderFluxPath(s.path, storeFs(this.store, false), this.flatCache);
			default:
				return { objects: [], notes: [], files: [] };
		}
	}
}

/** Helm releases are not rendered (the HelmRelease is what the render holds), nor paths a config-management plugin builds. */
function renderable(s: SyncSource): boolean {
	return s.kind !== 'flux-helmrelease' && s.plugin === undefined;
}


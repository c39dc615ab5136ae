import { accumulateDir, findKustomizationFile } from './accumulate';
import { note, type Build, type RootOptions } from './build-context';
import { Reader, RenderCache } from './cache';
import { generatorHash } from './hash';
import { readKustomization } from './kustomization';
import { fixNameReferences } from './nameref';
import { docSrc, get, originOfSrc, toPlain, type KMap, type Src } from './node';
import { OriginIndex } from './origin-index';
import { legacySort, ORDER_FIRST, ORDER_LAST } from './order';
import { joinInside } from '../core/paths';
import { annotationsOf, curId, storePreviousId, type Res } from './resource';
import type { KustomizeFs, Origin, PathKey, RenderedObject, RenderNote, RenderResult } from './types';

/**
 * A rendered object: its value, and where each of its values came from as a compact index (not
 * the node tree it was built from: that is most of a render's memory, and a render is kept).
 */
export class Rendered implements RenderedObject {
	readonly value: Record<string, unknown>;
	readonly source: Origin;
	private readonly origins: OriginIndex;

	constructor(
		node: KMap,
		/** @internal */ readonly sourceSrc: Src,
	) {
		this.value = toPlain(node) as Record<string, unknown>;
		this.source = originOfSrc(sourceSrc);
		this.origins = OriginIndex.of(node);
	}

	originOf(path: PathKey[]): Origin {
		return this.origins.originOf(this.value, Array.isArray(path) ? path : []);
	}

	/** @internal A fresh node tree of the object, each node at its place (for transformations after the build). */
	tree(): KMap {
		return this.origins.tree(this.value) as KMap;
	}
}

/** The steps kustomize does once per build, after all kustomizations are accumulated. */
function finish(b: Build, resources: Res[], rootDir: string): Rendered[] {
	for (const r of resources) {
		if (!r.needsHash) continue;
		const name = get(get(r.node, 'metadata'), 'name');
		if (name?.kind !== 'scalar') continue;
		storePreviousId(r);
		name.value = `${name.value === null ? '' : String(name.value)}-${generatorHash(r.node)}`;
	}
	fixNameReferences(resources, (message, r) => note(b, 'error', 'kustomize-ambiguous-reference', message, r.source));
	b.root?.post?.(resources);
	for (const r of resources) normalizeAnnotations(r.node);
	// Objects marked local-config are for the build only (kustomize drops them from the output).
	let out = resources.filter((r) => annotationsOf(r)['config.kubernetes.io/local-config'] !== 'true');

	const file = findKustomizationFile(b, rootDir);
	let order: 'legacy' | 'fifo' = 'legacy';
	let first = ORDER_FIRST;
	let last = ORDER_LAST;
	if (typeof file === 'string') {
		const doc = b.reader.parse(file)?.documents[0];
		const k = readKustomization(file, rootDir, doc?.value ?? null, doc?.index ?? 0, () => undefined);
		order = k.sortOrder;
		if (k.orderFirst || k.orderLast) {
			first = k.orderFirst ?? [];
			last = k.orderLast ?? [];
		}
	}
	if (order === 'legacy') out = legacySort(out, first, last);
	return out.map((r) => new Rendered(r.node, r.source));
}

/**
 * Kustomize rewrites every object's annotations when it removes its internal ones at the end:
 * values become strings (`1` → "1", `null` → "null"), and an empty or null annotations map goes.
 */
function normalizeAnnotations(node: KMap): void {
	const meta = get(node, 'metadata');
	if (meta?.kind !== 'map') return;
	const ann = meta.entries.get('annotations');
	if (ann === undefined) return;
	if (ann.kind === 'scalar' && ann.value === null) {
		meta.entries.delete('annotations');
		return;
	}
	if (ann.kind !== 'map') return;
	if (ann.entries.size === 0) {
		meta.entries.delete('annotations');
		return;
	}
	for (const v of ann.entries.values()) {
		if (v.kind === 'scalar' && typeof v.value !== 'string') v.value = v.value === null ? 'null' : String(v.value);
	}
}

function dedupe(notes: RenderNote[]): RenderNote[] {
	const seen = new Set<string>();
	return notes.filter((n) => {
		const key = JSON.stringify([n.code, n.file, n.documentIndex, n.path, n.message]);
		if (seen.has(key)) return false;
		seen.add(key);
		return true;
	});
}

export function render(dir: string, fs: KustomizeFs, cache: RenderCache | undefined, root?: RootOptions): RenderResult {
	const flux = root !== undefined;
	const rootDir = (joinInside('', (typeof dir === 'string' ? dir : '').replace(/\\/g, '/')) ?? '');
	const c = cache ?? new RenderCache();
	const key = `${root?.key ?? 'kustomize'}:${rootDir}`;
	const hit = c.results.get(key);
	if (hit) return hit.result;
	const reader = new Reader(fs, c);
	const b: Build = { reader, notes: [], stack: [], root };
	const at = docSrc(rootDir, 0);
	let objects: Rendered[] = [];
	if (flux && !reader.isDirectory(rootDir)) {
		note(b, 'error', 'flux-path-not-found', `The path '${rootDir || '.'}' is not a directory of the repository, so Flux has nothing to apply.`, at);
	} else {
		objects = finish(b, accumulateDir(b, rootDir, at), rootDir);
	}
	// A resource entry is probed as a file first; the directories among those probes are not files.
	const files = [...reader.deps.files].filter((f) => c.dirs.get(f) !== true).sort();
	const result: RenderResult = { objects, notes: dedupe(b.notes), files };
	c.results.set(key, { result, deps: reader.deps });
	return result;
}

export function renderKustomization(dir: string, fs: KustomizeFs, cache?: RenderCache): RenderResult {
	return render(dir, fs, cache);
}

export { curId };

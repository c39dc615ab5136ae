import { isFluxKustomization, isHelmRelease } from '../fleet/flux';
import type { DocRef } from '../fleet/reader';
import type { Position, Range } from '../core/types';
import { contains, FleetGraph, isFleet, isFluxSource, PATH_SITES, type NavContext, type Site, type SiteKind, type Target } from './fleet-graph';
import type { DefinitionEntry, LinkEntry, ReferenceEntry } from './types';

/**
 * Navigation in the fleet graph: document links and go-to-definition on every path and name
 * that points somewhere in the repository, and Find All References from a base, a resource file,
 * a Flux source, a Kustomization or an environment, up to the clusters. Pure: each request reads
 * the current text through the document store and the model of the last discovery.
 */

export type { NavContext } from './fleet-graph';

/** Sites that get a document link (names of dependencies and environments get go-to-definition only). */
const LINKED: ReadonlySet<SiteKind> = new Set(['kustomize', 'flux-path', 'flux-component', 'helm-chart', 'argo-path', 'fleet-path', 'fleet-claim', 'flux-source', 'helm-source']);

/** At most this many files for a directory's definition (a directory without a kustomization). */
const MAX_DIRECTORY_FILES = 50;

const START: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** Links on the paths and sources a file names, where the target exists in this repository (one target each). */
export function documentLinks(ctx: NavContext, file: string): LinkEntry[] {
	const g = new FleetGraph(ctx);
	const out: LinkEntry[] = [];
	for (const s of g.sitesIn(file)) {
		if (!LINKED.has(s.kind) || s.targets.length !== 1) continue;
		const t = s.targets[0];
		if (t.type === 'path') {
			const how = s.kind === 'kustomize' ? '' : s.recursive ? ': every manifest under it is synced' : ': the manifests directly in it are synced';
			out.push(t.directory ? { range: g.rangeOf(s), target: t.file, directory: true, tooltip: `Reveal ${t.file} in the Explorer (no kustomization file${how})` } : { range: g.rangeOf(s), target: t.file, tooltip: `Open ${t.file}` });
		} else if (t.type === 'object') {
			out.push({ range: g.rangeOf(s), target: t.doc.file, position: g.unquoted(t.doc.file, t.doc.locate(t.at ?? ['metadata', 'name']).range).start, tooltip: `Open ${describe(t.doc)}` });
		}
	}
	// In document order (the Fleet's clusters name their path before or after their claim).
	return out.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

/** Where the path or name under the cursor leads: files, objects, environment declarations (several for a generated or directory path). */
export function definitions(ctx: NavContext, file: string, pos: Position): DefinitionEntry[] {
	const g = new FleetGraph(ctx);
	for (const s of g.sitesIn(file)) {
		const originRange = g.rangeOf(s);
		if (!contains(originRange, pos)) continue;
		return s.targets.flatMap((t) => places(g, s, t)).map((p) => ({ originRange, ...p }));
	}
	return [];
}

/**
 * Find All References. On a path or name: every place that names the same target (for paths,
 * and then whatever includes those places, up to the clusters). In a Flux source, Kustomization
 * or HelmRelease: every sourceRef or dependsOn naming it. On an environment of the Fleet: every
 * cluster, app overlay and promotion naming it. Anywhere else: every kustomization entry, Flux or
 * Argo CD path and Fleet path that includes the file, transitively.
 */
export function references(ctx: NavContext, file: string, pos: Position, includeDeclaration: boolean): ReferenceEntry[] {
	const g = new FleetGraph(ctx);
	const on = g.sitesIn(file).find((s) => contains(g.rangeOf(s), pos));
	let sites: Site[];
	let declared: Target[] = [];
	if (on && PATH_SITES.has(on.kind)) sites = pathReferences(g, on.targets.flatMap((t) => (t.type === 'path' ? [t.named, t.file] : [])));
	else if (on) {
		sites = nameReferences(g, on.targets);
		declared = on.targets;
	} else {
		const doc = g.documentAt(file, pos);
		const named = doc && namedAt(g, doc, pos);
		if (named) {
			sites = nameReferences(g, [named]);
			declared = [named];
		} else sites = pathReferences(g, [file]);
	}
	const out: ReferenceEntry[] = [];
	const seen = new Set<string>();
	const add = (e: ReferenceEntry) => {
		const key = `${e.file}:${e.range.start.line}:${e.range.start.character}`;
		if (seen.has(key)) return;
		seen.add(key);
		out.push(e);
	};
	if (includeDeclaration) for (const t of declared) for (const p of places(g, on, t)) add({ file: p.file, range: p.selectionRange });
	for (const s of sites) add({ file: s.doc.file, range: g.rangeOf(s) });
	return out;
}

/** Path sites that reach any of the keys, then those that reach the files holding them, until nothing new (breadth first: direct references first). */
function pathReferences(g: FleetGraph, keys: string[]): Site[] {
	const out: Site[] = [];
	const seenSites = new Set<Site>();
	const seenKeys = new Set(keys);
	const queue = [...seenKeys];
	while (queue.length > 0) {
		for (const s of g.sitesReaching(queue.shift()!)) {
			if (seenSites.has(s)) continue;
			seenSites.add(s);
			out.push(s);
			if (!seenKeys.has(s.doc.file)) {
				seenKeys.add(s.doc.file);
				queue.push(s.doc.file);
			}
		}
	}
	return out;
}

/** What a target is, and (for an object) what of it: one artifact of an ArtifactGenerator, or the whole object. */
const keysOf = (t: Target): [string, string] => {
	if (t.type === 'object') {
		const doc = `o:${t.doc.file}#${t.doc.documentIndex}`;
		return [doc, t.at ? `${doc}/${t.at.join('/')}` : doc];
	}
	const k = t.type === 'environment' ? `e:${t.location.file}#${t.name}` : `p:${t.file}`;
	return [k, k];
};

/** Name sites (sourceRefs, dependsOn, environments) that resolve to one of the targets (any part of a whole object). */
function nameReferences(g: FleetGraph, targets: Target[]): Site[] {
	const want = new Set(targets.map((t) => keysOf(t)[1]));
	if (want.size === 0) return [];
	return g.allSites().filter((s) => !PATH_SITES.has(s.kind) && s.targets.some((t) => keysOf(t).some((k) => want.has(k))));
}

/** The object or environment a position in a document declares, when others refer to it by name. */
function namedAt(g: FleetGraph, doc: DocRef, pos: Position): Target | undefined {
	if (isFluxSource(doc) || isFluxKustomization(doc) || isHelmRelease(doc)) return doc.name ? { type: 'object', doc } : undefined;
	if (!isFleet(doc)) return undefined;
	const envs = (doc.value.spec as Record<string, unknown> | undefined)?.environments;
	if (!Array.isArray(envs)) return undefined;
	for (let i = 0; i < envs.length; i++) {
		if (!contains(doc.locate(['spec', 'environments', i]).range, pos)) continue;
		return g.environment(doc, (envs[i] as Record<string, unknown> | null)?.name)[0];
	}
	return undefined;
}

/** The places a target opens: a file at its start, a directory's files, an object's document at its name, an environment's declaration. */
function places(g: FleetGraph, s: Site | undefined, t: Target): { file: string; range: Range; selectionRange: Range }[] {
	if (t.type === 'path') {
		if (!t.directory) return [{ file: t.file, range: START, selectionRange: START }];
		return g.syncedFiles(t.file, s?.recursive ?? true).slice(0, MAX_DIRECTORY_FILES).map((file) => ({ file, range: START, selectionRange: START }));
	}
	if (t.type === 'object') return [{ file: t.doc.file, range: t.doc.locate([]).range, selectionRange: g.unquoted(t.doc.file, t.doc.locate(t.at ?? ['metadata', 'name']).range) }];
	return [{ file: t.location.file, range: t.item.range, selectionRange: g.unquoted(t.location.file, t.location.range) }];
}

function describe(d: DocRef): string {
	return `${d.kind} ${d.namespace ? `${d.namespace}/` : ''}${d.name ?? ''} (${d.file})`;
}

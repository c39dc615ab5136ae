import type { NodePath } from '../core/parse';
import type { Position, Range } from '../core/types';
import type { DocRef, DocumentStore } from '../fleet/reader';
import type { FleetModel, SourceLocation, SyncSource } from '../fleet/types';

/** The vocabulary of the fleet's reference graph (`fleet-graph.ts`) and of the sites each kind declares (`fleet-sites.ts`). */

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

/** What the per-kind site readers ask of the graph (`FleetGraph` answers). */
export interface SiteResolver {
	readonly ctx: NavContext;
	readonly store: DocumentStore;
	pathTargets(path: string | undefined): Target[];
	named(from: DocRef, kinds: readonly string[], group: string, name: string, namespace: string): DocRef[];
	artifactGenerators(from: DocRef, artifact: string, namespace: string): Target[];
	syncsAt(anchor: string): SyncSource[];
	anchorOf(d: DocRef, path: NodePath): string;
	selfSourceKeys(): Set<string>;
	readsThisRepo(d: DocRef, kind: string, name: string | undefined, namespace: string): boolean;
	environment(fleet: DocRef, name: unknown): Target[];
	documentAt(file: string, pos: Position): DocRef | undefined;
	rangeOf(site: Site): Range;
}

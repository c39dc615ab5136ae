import type { NodePath } from '../core/parse';
import type { FleetModel, SourceLocation } from '../fleet/types';

/** The repository as the plan reads it: its files and their texts (the editor's unsaved text may win over the disk). */
export interface PromotionTree {
	/** Every repo-relative posix file path. */
	files(): readonly string[];
	/** A file's text, or undefined (missing, binary, too large). */
	read(path: string): string | undefined;
}

/** A place in a document: file, document index, JSON path. */
export interface DocumentPlace {
	file: string;
	documentIndex: number;
	path: NodePath;
}

/**
 * The document and path a location of the fleet model points at, from its anchor
 * (`file#document/json/path`, see `DocumentStore`): numeric segments are sequence indexes.
 */
export function placeOf(location: SourceLocation): DocumentPlace | undefined {
	const anchor = location.anchor;
	if (anchor === undefined || anchor.endsWith('!')) return undefined;
	const hash = anchor.lastIndexOf('#');
	if (hash === -1) return undefined;
	const [doc, ...path] = anchor.slice(hash + 1).split('/');
	if (!/^\d+$/.test(doc)) return undefined;
	return { file: anchor.slice(0, hash), documentIndex: Number(doc), path: path.filter((p) => p !== '').map((p) => (/^\d+$/.test(p) ? Number(p) : p)) };
}

/** The environment of each cluster of the fleet. */
export function environmentOfCluster(fleet: FleetModel): Map<string, string | undefined> {
	return new Map(fleet.clusters.map((c) => [c.name, c.environment]));
}

/**
 * The environments, other than `env`, that a file reaches: a change there would not stay in the
 * promoted environment.
 */
export function otherEnvironmentsReached(fleet: FleetModel, file: string, env: string): string[] {
	const envOf = environmentOfCluster(fleet);
	const others = new Set<string>();
	for (const c of fleet.files[file] ?? []) {
		const e = envOf.get(c);
		if (e !== env) others.add(e ?? `cluster ${c}`);
	}
	return [...others].sort();
}

/** `a`, `a and b`, `a, b and c`. */
export function listWords(items: readonly string[]): string {
	if (items.length <= 1) return items.join('');
	return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

import type { Reader } from './cache';
import type { Kustomization, Report } from './kustomization';
import { originOfSrc, type Src } from './node';
import { isWithin } from '../core/paths';
import type { Res } from './resource';
import type { NoteSeverity, RenderNote } from './types';

/** The state one build carries through its steps, and how they report notes (shared by accumulate and patches). */

export interface Build {
	reader: Reader;
	notes: RenderNote[];
	/** Directories being accumulated, outermost first (cycle detection). */
	stack: string[];
	/** How the built directory itself is treated (Flux); undefined for plain kustomize. */
	root?: RootOptions;
}

export interface RootOptions {
	/** Distinguishes cached renders of the same directory built with different options. */
	key: string;
	/** The kustomization to use when the built directory has none (Flux generates one). */
	generate?: (b: Build, dir: string) => Kustomization;
	/** Changes the built directory's kustomization before it is applied (Flux's spec fields). */
	override?: (k: Kustomization) => void;
	/** Runs on the final objects, before they are ordered (Flux's commonMetadata). */
	post?: (resources: Res[]) => void;
}

export function note(b: Build | RenderNote[], severity: NoteSeverity, code: string, message: string, at: Src): void {
	const o = originOfSrc(at);
	(Array.isArray(b) ? b : b.notes).push({ severity, code, message, file: o.file, documentIndex: o.documentIndex, path: o.path });
}

export function reporterFor(b: Build, doc: Src): Report {
	return (severity, code, message, path) => {
		const o = originOfSrc(doc);
		b.notes.push({ severity, code, message, file: o.file, documentIndex: o.documentIndex, path: [...o.path, ...path] });
	};
}

/**
 * `kubectl kustomize` (and the kustomize CLI) only read files inside the kustomization's
 * directory; Flux reads any file of the repository. Rendering follows Flux and says so.
 */
export function loadRestriction(b: Build, k: Kustomization, path: string, entry: string, at: Src): void {
	if (isWithin(path, k.dir)) return;
	note(b, 'info', 'kustomize-load-restriction', `'${entry}' is a file outside this kustomization's directory: Flux reads it, but kubectl kustomize and the kustomize CLI refuse it (load restrictions).`, at);
}

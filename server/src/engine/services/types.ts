import type { Position, Range } from '../core/types';

/**
 * Results of the editor services in plain, engine-neutral shapes. They mirror the LSP types closely
 * so the adapter's conversion is one line each, but the engine never imports an LSP package.
 */

/** Hover content as Markdown, with the range of the hovered node. */
export interface HoverResult {
	markdown: string;
	range: Range;
}

export type CompletionEntryKind = 'field' | 'value' | 'kind';

export interface CompletionEntry {
	label: string;
	kind: CompletionEntryKind;
	/** A short type label or the apiVersion, shown next to the label. */
	detail?: string;
	/** Markdown documentation (the schema description). */
	documentation?: string;
	/** The text that replaces `range`. */
	insertText: string;
	range: Range;
	/** Orders entries: required fields first. */
	sortText?: string;
	/** Whether `insertText` is a snippet with `$1` tab stops. */
	snippet?: boolean;
}

/** One outline entry per resource: `Kind/name`. */
export interface SymbolEntry {
	name: string;
	/** The apiVersion (and namespace, if set). */
	detail: string;
	/** The whole document. */
	range: Range;
	/** The resource's name (or its kind when it has no name). */
	selectionRange: Range;
}

/** A document link: the range of a path or name, and the file (or directory) it opens. */
export interface LinkEntry {
	range: Range;
	/** Repo-relative file or directory. */
	target: string;
	/** A directory: the editor reveals it in its explorer. */
	directory?: boolean;
	/** Where to put the cursor in the target file (an object's name). */
	position?: Position;
	tooltip: string;
}

/** A go-to-definition target, with the range of the value it was asked on. */
export interface DefinitionEntry {
	originRange: Range;
	/** Repo-relative file. */
	file: string;
	/** The whole target (an object's document, an environment's item; the file's start for a file). */
	range: Range;
	/** What to select in it (an object's name, an environment's name). */
	selectionRange: Range;
}

/** A place that refers to something (a reference found by Find All References). */
export interface ReferenceEntry {
	file: string;
	range: Range;
}

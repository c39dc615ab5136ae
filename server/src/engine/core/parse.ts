import { fastValue } from './fast-parse';
import { Outline } from './outline';
import { Document, isMap, isPair, isScalar, isSeq, parseAllDocuments, type Node as YamlNode } from 'yaml';
import type { TextSpan } from './text';
import { ownCopy, SegmentedText } from './segmented-text';
import { segmentStarts } from './segments';

export { segmentStarts } from './segments';

/**
 * Parsing: one file is split into segments at `---` document markers (column 0, which YAML
 * itself treats as a hard document boundary even inside block scalars), and each segment is
 * parsed on its own. A segment whose text did not change since the previous version is reused
 * as is, so an edit in one document of a 20,000-line file re-parses only that document.
 *
 * All spans inside a segment are relative to the segment's start; `ParsedDocument.base` turns
 * them into file offsets.
 */

/** Kubernetes reads manifests as YAML 1.1 (sigs.k8s.io/yaml, go-yaml v2): `on` is true, `1.30` is 1.3. */
export const YAML_OPTIONS = {
	version: '1.1' as const,
	uniqueKeys: true,
	strict: true,
	prettyErrors: false,
	// An unquoted `{{ x }}` is a mapping used as a key: reported as a template (core/skip.ts), not as a warning on stderr.
	logLevel: 'error' as const,
};

/** Anchors may be expanded at most this many times when a document is turned into data (billion laughs). */
export const MAX_ALIAS_COUNT = 100;

export interface SyntaxProblem {
	code: string;
	message: string;
	span: TextSpan;
	severity: 'error' | 'warning';
}

export interface ParsedSegment {
	/** The segment's own text; the cache key. */
	readonly text: string;
	readonly documents: ParsedDocumentData[];
	/** Number of line breaks in `text`: where the next segment starts, in lines. */
	readonly newlines: number;
	/** Problems that make the segment unusable as a whole (e.g. nesting too deep to parse). */
	readonly fatal?: SyntaxProblem;
}

/** A YAML document and its plain-data value, positions relative to its segment. */
export interface ParsedDocumentData {
	readonly doc: Document.Parsed;
	readonly syntax: SyntaxProblem[];
	/** The document as plain data, or undefined where it could not be converted (see `toJsError`). */
	readonly value: unknown;
	readonly toJsError?: SyntaxProblem;
	/** The span of the document's content (without the `---` marker). */
	readonly span: TextSpan;
	/**
	 * Where its keys and values are, read from the text (documents of the fast path only, built on
	 * first use): findings are placed with it, and the slow parse runs only where it declines.
	 */
	readonly outline?: Outline;
	/** Read by js-yaml (the fast path): its `doc` is parsed on first use, and a mapping used as a key became the key `[object Object]`. */
	readonly fast?: true;
}

/** A document placed in its file. */
export interface ParsedDocument extends ParsedDocumentData {
	/** Offset of the segment in the file: add it to every span of the document. */
	readonly base: number;
	/** Index of the document in the file (0-based). */
	readonly index: number;
	/** The segment this document came from (the unit of caching). */
	readonly segment: ParsedSegment;
}

export interface ParsedFile {
	readonly text: string;
	/** Each segment with its offset in the file. */
	readonly segments: { base: number; segment: ParsedSegment }[];
	readonly documents: ParsedDocument[];
	/** The same segments and offsets as two lists, without an object per segment (what an analysis per keystroke reads). */
	readonly segmentList: readonly ParsedSegment[];
	readonly segmentBases: readonly number[];
}

/**
 * Parses a file, reusing unchanged segments of `previous` (the parse of an earlier version of the
 * same file). Never throws: syntax problems are reported in the result.
 *
 * Only the region that differs from the previous text is split and parsed again: segments wholly
 * before it keep their offset, segments wholly after it are shifted. Typing in one document of a
 * large file therefore costs one document, not a scan of the whole file.
 */
export function parseFile(text: string | SegmentedText, previous?: ParsedFile): ParsedFile {
	if (text instanceof SegmentedText) return parseSegmented(text, previous);
	const placed = previous && !/^%/m.test(text) ? reuseSegments(text, previous) : undefined;
	const segmentList = placed ?? freshSegments(text, 0, text.length);
	return new LazyParsedFile(text, segmentList);
}

/**
 * A segmented text (an open document) is already split: each piece is a segment, found in the
 * shared segments by its string when it did not change, so an edit parses only what it touched
 * and never builds the whole text.
 */
function parseSegmented(text: SegmentedText, previous?: ParsedFile): ParsedFile {
	const before = previous?.segmentList;
	const list = text.pieces.map((piece, i) => {
		// The pieces before an edit keep their index: their segments are the previous parse's.
		const kept = before?.[i];
		return kept !== undefined && kept.text === piece ? kept : parseSegment(piece, true);
	});
	return new LazyParsedFile(text, { list, bases: text.offsets });
}

/** A parsed file whose placed documents are built on first use: validation of an edit needs only the edited segment's. */
class LazyParsedFile implements ParsedFile {
	private placed: ParsedDocument[] | undefined;
	private placedSegments: Placed[] | undefined;
	private list: readonly ParsedSegment[] | undefined;
	private bases: readonly number[] | undefined;

	constructor(
		private readonly source: string | SegmentedText,
		/** The segments as placed objects (a parse of a string) or as two lists (a segmented text: no object per segment and keystroke). */
		init: Placed[] | { list: readonly ParsedSegment[]; bases: readonly number[] },
	) {
		if (Array.isArray(init)) this.placedSegments = init;
		else {
			this.list = init.list;
			this.bases = init.bases;
		}
	}

	/** The whole text; for a segmented text, built on first use (editor services that read it) and kept by it, not per edit. */
	get text(): string {
		return this.source.toString();
	}

	get segments(): Placed[] {
		return (this.placedSegments ??= this.list!.map((segment, i) => ({ base: this.bases![i], segment })));
	}

	get segmentList(): readonly ParsedSegment[] {
		return (this.list ??= this.placedSegments!.map((p) => p.segment));
	}

	get segmentBases(): readonly number[] {
		return (this.bases ??= this.placedSegments!.map((p) => p.base));
	}

	get documents(): ParsedDocument[] {
		return (this.placed ??= placeDocuments(this.segments));
	}
}

/** The parse of a file that is not parsed (skipped): no segment. */
export function unparsedFile(text: string): ParsedFile {
	return new LazyParsedFile(text, []);
}

function placeDocuments(segments: readonly Placed[]): ParsedDocument[] {
	const documents: ParsedDocument[] = [];
	for (const { base, segment } of segments) {
		for (const d of segment.documents) documents.push(place(d, base, documents.length, segment));
	}
	return documents;
}

/** The placed documents of one segment, without placing the whole file. */
export function segmentDocuments(segment: ParsedSegment, base: number, firstIndex: number): ParsedDocument[] {
	return segment.documents.map((d, i) => place(d, base, firstIndex + i, segment));
}

/**
 * A document placed in its file: its data read through (copying it would run the lazy `doc` and
 * `outline` getters). One class, so every placed document has the same shape: placing by
 * `Object.create(data)` made each document's data a prototype, with a hidden class of its own per
 * placed document (134,000 of them, 11 MB, in the heap after the bench fleet's scan).
 */
class PlacedDocument implements ParsedDocument {
	constructor(
		private readonly data: ParsedDocumentData,
		readonly base: number,
		readonly index: number,
		readonly segment: ParsedSegment,
	) {}
	get doc(): Document.Parsed {
		return this.data.doc;
	}
	get syntax(): SyntaxProblem[] {
		return this.data.syntax;
	}
	get value(): unknown {
		return this.data.value;
	}
	get toJsError(): SyntaxProblem | undefined {
		return this.data.toJsError;
	}
	get span(): TextSpan {
		return this.data.span;
	}
	get outline(): Outline | undefined {
		return this.data.outline;
	}
	get fast(): true | undefined {
		return this.data.fast;
	}
}

function place(d: ParsedDocumentData, base: number, index: number, segment: ParsedSegment): ParsedDocument {
	return new PlacedDocument(d, base, index, segment);
}

type Placed = { base: number; segment: ParsedSegment };

function freshSegments(text: string, from: number, to: number, reuse?: Map<string, ParsedSegment>): Placed[] {
	const slice = from === 0 && to === text.length ? text : text.slice(from, to);
	const starts = segmentStarts(slice);
	// One segment over the whole text: the file's own text, not a slice of it.
	const whole = starts.length === 1 && from === 0 && to === text.length;
	const out: Placed[] = [];
	for (let i = 0; i < starts.length; i++) {
		const segText = slice.slice(starts[i], i + 1 < starts.length ? starts[i + 1] : slice.length);
		out.push({ base: from + starts[i], segment: reuse?.get(segText) ?? parseSegment(segText, whole) });
	}
	return out;
}

function reuseSegments(text: string, previous: ParsedFile): Placed[] | undefined {
	const old = previous.text;
	if (previous.segments.length === 0) return undefined;
	// The changed region: [prefix, text.length - suffix) in the new text.
	const max = Math.min(old.length, text.length);
	const prefix = commonPrefix(old, text, max);
	if (prefix === old.length && prefix === text.length) return previous.segments;
	const suffix = commonSuffix(old, text, max - prefix);
	const delta = text.length - old.length;
	const segs = previous.segments;
	// First segment touched: the one containing `prefix` (a marker may also be created right at a segment's start, so step back one).
	let first = 0;
	while (first + 1 < segs.length && segs[first + 1].base <= prefix) first++;
	if (first > 0) first--;
	// Last segment touched: the one containing the end of the changed region in the old text (and one more, for a marker removed at its start).
	const oldChangeEnd = old.length - suffix;
	let last = first;
	while (last + 1 < segs.length && segs[last + 1].base <= oldChangeEnd) last++;
	if (last + 1 < segs.length) last++;
	const from = segs[first].base;
	const oldTo = last + 1 < segs.length ? segs[last + 1].base : old.length;
	const to = oldTo + delta;
	if (to < from || to - from > text.length) return undefined;
	const reuse = new Map<string, ParsedSegment>();
	for (let i = first; i <= last; i++) reuse.set(segs[i].segment.text, segs[i].segment);
	return [
		...segs.slice(0, first),
		...freshSegments(text, from, to, reuse),
		...segs.slice(last + 1).map((s) => ({ base: s.base + delta, segment: s.segment })),
	];
}

/**
 * The length of the common start of two texts (at most `max`). Blocks are compared as strings
 * first (native, far faster than a loop over characters in a 20,000-line file), then characters
 * in the first block that differs.
 */
export function commonPrefix(a: string, b: string, max: number): number {
	let i = 0;
	while (i + COMPARE_BLOCK <= max && a.slice(i, i + COMPARE_BLOCK) === b.slice(i, i + COMPARE_BLOCK)) i += COMPARE_BLOCK;
	while (i < max && a.charCodeAt(i) === b.charCodeAt(i)) i++;
	return i;
}

/** The length of the common end of two texts (at most `max`), the same way. */
export function commonSuffix(a: string, b: string, max: number): number {
	let n = 0;
	while (n + COMPARE_BLOCK <= max && a.slice(a.length - n - COMPARE_BLOCK, a.length - n) === b.slice(b.length - n - COMPARE_BLOCK, b.length - n)) n += COMPARE_BLOCK;
	while (n < max && a.charCodeAt(a.length - 1 - n) === b.charCodeAt(b.length - 1 - n)) n++;
	return n;
}

const COMPARE_BLOCK = 1024;

/**
 * Segments parsed from the same text are shared: the repository index, fleet discovery and
 * validation all read the same files, and each would otherwise parse (and hold) every document
 * once more. Segments are immutable (their lazy syntax tree is memoised inside), so sharing is
 * safe; an entry lives while anyone holds its segment.
 */
const SHARED_SEGMENTS = new Map<string, WeakRef<ParsedSegment>>();
const SEGMENT_GONE = new FinalizationRegistry<string>((text) => {
	if (SHARED_SEGMENTS.get(text)?.deref() === undefined) SHARED_SEGMENTS.delete(text);
});

/**
 * The segment of this text, parsed once for everyone who reads it. `whole`: the text is not a slice
 * of a larger string (a file's whole text, a segmented text's piece), so the segment keeps it as it is.
 */
export function parseSegment(sliced: string, whole = false): ParsedSegment {
	const shared = SHARED_SEGMENTS.get(sliced)?.deref();
	if (shared) return shared;
	// A slice of a large string keeps the whole string alive, and a segment outlives many versions of
	// its file: a slice is copied. A whole file's text is not: the copy doubled the memory of every
	// one-document file that something else (the fleet's document store, an open editor) holds too.
	const text = sliced.length > 0 && !whole ? ownCopy(sliced) : sliced;
	const fast = fastValue(text);
	const segment = fast ? fastSegment(text, fast.value) : slowSegment(text);
	SHARED_SEGMENTS.set(text, new WeakRef(segment));
	SEGMENT_GONE.register(segment, text);
	return segment;
}

/**
 * A segment read by the fast path: its value is known, its syntax tree (for placing findings and
 * for editor services) is parsed by the slow path on first use. js-yaml rejects everything the
 * slow path would report as an error, so no syntax problem is lost.
 */
function fastSegment(text: string, value: unknown): ParsedSegment {
	const newlines = countNewlines(text);
	if (value === null && !/^---/.test(text)) {
		// Only comments and blank lines: no document (as the slow path says).
		if (!/^[ \t]*[^\s#]/m.test(text)) return { text, documents: [], newlines };
	}
	return { text, documents: [new FastDocument(text, value, contentSpan(text))], newlines };
}

/**
 * A document read by the fast path: its syntax tree and its outline are made on first use. A class,
 * not an object literal with getters: each such literal got a hidden class of its own.
 */
class FastDocument implements ParsedDocumentData {
	readonly syntax: SyntaxProblem[] = [];
	readonly fast = true as const;
	private slow: ParsedSegment | undefined;
	/** The outline, held weakly (null: the document is not in the outline's subset). */
	private read: WeakRef<Outline> | null | undefined;

	constructor(
		private readonly text: string,
		readonly value: unknown,
		readonly span: TextSpan,
	) {}

	get doc(): Document.Parsed {
		return (this.slow ??= slowSegment(this.text)).documents[0]?.doc ?? (new Document(null) as Document.Parsed);
	}

	/**
	 * Where the keys and values are, for placing findings. Held weakly: it serves the analysis that
	 * places them and is read again if needed later, instead of staying for as long as anything holds
	 * the segment (the fleet's store and renderer, every open document's analysis).
	 */
	get outline(): Outline | undefined {
		if (this.read === null) return undefined;
		const kept = this.read?.deref();
		if (kept) return kept;
		const read = Outline.read(this.text, this.span, this.value);
		this.read = read ? new WeakRef(read) : null;
		return read;
	}
}

/** The span of a document's content: after the `---` marker, without leading and trailing blank and comment lines. */
function contentSpan(text: string): TextSpan {
	let start = 0;
	const marker = /^---[ \t]*(#.*)?(\r?\n|$)/.exec(text);
	if (marker) start = marker[0].length;
	else if (text.startsWith('---')) start = 3;
	for (;;) {
		const line = /^[ \t]*(#.*)?(\r?\n)/.exec(text.slice(start, start + 4096));
		if (!line) break;
		start += line[0].length;
	}
	while (start < text.length && (text[start] === ' ' || text[start] === '\t')) start++;
	let end = text.length;
	for (;;) {
		while (end > start && /\s/.test(text[end - 1])) end--;
		const lineStart = text.lastIndexOf('\n', end - 1) + 1;
		if (lineStart > start && /^[ \t]*#/.test(text.slice(lineStart, end))) end = lineStart;
		else break;
	}
	return { start, end: Math.max(start, end) };
}

function slowSegment(text: string): ParsedSegment {
	let docs: Document.Parsed[];
	try {
		docs = parseAllDocuments(text, YAML_OPTIONS) as Document.Parsed[];
		if (!Array.isArray(docs)) docs = []; // EmptyStream: only comments or whitespace
	} catch (e) {
		return { text, documents: [], newlines: countNewlines(text), fatal: fatalProblem(e, text) };
	}
	const documents: ParsedDocumentData[] = [];
	for (const doc of docs) {
		const syntax: SyntaxProblem[] = [];
		for (const err of doc.errors) {
			// Exhaustion is reported once per document: the parser repeats it for every level it unwinds.
			if (err.code === 'RESOURCE_EXHAUSTION' && syntax.some((p) => p.code === err.code)) continue;
			syntax.push(toProblem(err.code, err.message, err.pos, 'error', text));
		}
		for (const w of doc.warnings) syntax.push(toProblem(w.code, w.message, w.pos, 'warning', text));
		let value: unknown;
		let toJsError: SyntaxProblem | undefined;
		// A duplicate key still leaves a usable document (the last value wins, as in Kubernetes).
		if (doc.errors.every((e) => e.code === 'DUPLICATE_KEY')) {
			try {
				value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
			} catch (e) {
				toJsError = fatalProblem(e, text, doc.contents?.range?.[0] ?? 0);
			}
		}
		const start = doc.contents?.range?.[0] ?? doc.range[0];
		let end = doc.contents?.range?.[1] ?? doc.range[1];
		while (end > start && /\s/.test(text[end - 1])) end--; // block collections end after their newline
		documents.push({ doc, syntax, value, toJsError, span: { start, end } });
	}
	return { text, documents, newlines: countNewlines(text) };
}

function countNewlines(text: string): number {
	let n = 0;
	for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
	return n;
}

function toProblem(code: string, message: string, pos: [number, number], severity: 'error' | 'warning', text: string): SyntaxProblem {
	const start = Math.min(pos[0], text.length);
	let end = Math.min(Math.max(pos[1], start), text.length);
	if (code === 'DUPLICATE_KEY') {
		// yaml points at the first character of the repeated key: cover the whole key.
		const m = /^(?:"[^"\n]*"|'[^'\n]*'|[^:\n#]*[^:\s#])/.exec(text.slice(start, start + 1024));
		if (m && m[0].length > 0) end = start + m[0].length;
	}
	if (end === start) end = Math.min(start + 1, text.length);
	// Trim the trailing newline so the squiggle stays on the line that has the problem.
	while (end > start + 1 && (text[end - 1] === '\n' || text[end - 1] === '\r')) end--;
	return { code, message: humaniseYamlMessage(code, message), span: { start, end }, severity };
}

function humaniseYamlMessage(code: string, message: string): string {
	const first = message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
	switch (code) {
		case 'DUPLICATE_KEY':
			return 'This key appears twice in the same mapping. Kubernetes keeps only the last one, so the first value is silently lost: remove or rename one of them.';
		case 'RESOURCE_EXHAUSTION':
			return /call stack/i.test(message)
				? 'This YAML is nested too deeply to be processed safely. Flatten the structure; real Kubernetes manifests are never this deep.'
				: `${first}. The document is too large or too complex to process safely.`;
		case 'TAB_AS_INDENT':
			return 'YAML does not allow tabs for indentation: replace the tab with spaces.';
		case 'BAD_INDENT':
			return `${first}. Check the indentation of this line against its siblings.`;
		default:
			return first.endsWith('.') ? first : first + '.';
	}
}

function fatalProblem(e: unknown, text: string, at = 0): SyntaxProblem {
	const msg = e instanceof Error ? e.message : String(e);
	if (e instanceof RangeError || /call stack/i.test(msg)) {
		return {
			code: 'TOO_DEEP',
			message: 'This YAML is nested too deeply to be processed safely. Flatten the structure; real Kubernetes manifests are never this deep.',
			span: { start: at, end: Math.min(at + 1, text.length) },
			severity: 'error',
		};
	}
	if (/alias/i.test(msg)) {
		return {
			code: 'RESOURCE_EXHAUSTION',
			message: `This document expands YAML aliases more than ${MAX_ALIAS_COUNT} times, the pattern of a "billion laughs" attack. It was not expanded; use fewer aliases.`,
			span: { start: at, end: Math.min(at + 1, text.length) },
			severity: 'error',
		};
	}
	return { code: 'PARSE_FAILED', message: `This YAML could not be read: ${msg}`, span: { start: at, end: Math.min(at + 1, text.length) }, severity: 'error' };
}

/** Path elements from the document root to a node. */
export type NodePath = (string | number)[];

/** The node at a path inside a document, or undefined. */
export function nodeAt(doc: Document.Parsed, path: NodePath): YamlNode | undefined {
	if (path.length === 0) return (doc.contents as YamlNode | null) ?? undefined;
	const node = doc.getIn(path, true);
	return node && typeof node === 'object' && 'range' in (node as object) ? (node as YamlNode) : undefined;
}

/** The key node of the pair that holds the value at `path` (for unknown fields and missing-field parents). */
export function keyNodeAt(doc: Document.Parsed, path: NodePath): YamlNode | undefined {
	if (path.length === 0) return undefined;
	const parent = nodeAt(doc, path.slice(0, -1));
	const last = path[path.length - 1];
	if (isMap(parent)) {
		for (const item of parent.items) {
			if (isPair(item) && isScalar(item.key) && String(item.key.value) === String(last)) return item.key as YamlNode;
		}
	}
	if (isSeq(parent) && typeof last === 'number') return parent.items[last] as YamlNode | undefined;
	return undefined;
}

/** The span of a node's value (without trailing newline or comment). */
export function spanOf(node: YamlNode | undefined | null): TextSpan | undefined {
	if (!node || !node.range) return undefined;
	return { start: node.range[0], end: node.range[1] };
}

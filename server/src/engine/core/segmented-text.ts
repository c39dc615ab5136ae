import { segmentStarts } from './segments';
import type { Position } from './types';

/**
 * A file's text kept as its YAML segments (the pieces `segmentStarts` splits it into), for the
 * editor's open documents. An edit makes new strings for the segments it touches and keeps every
 * other segment's string as it is, so typing in a 20,000-line file never builds the whole text
 * again: a flat copy of it per keystroke (470 KB, above V8's large-object size) went to the old
 * generation at every scavenge and made the server's memory climb while typing. The parser reuses
 * the unchanged segments' parses by their strings (`parseFile`).
 *
 * Positions follow LSP and vscode-languageserver-textdocument exactly: lines end at `\r\n`, `\r` or
 * `\n`, a character past a line's end is clamped before its line break. Immutable: `edit` returns
 * a new text sharing the unchanged segments (and their line tables).
 */
export class SegmentedText {
	/** Offset of each piece in the text. */
	private readonly bases: number[];
	private lines: LineTables | undefined;

	private constructor(
		/** The pieces, in order; joined they are the text. Split exactly as `segmentStarts` splits the text. */
		readonly pieces: readonly string[],
		/** The text it was edited from, with its line tables, and which of its pieces the edit replaced: the others' tables are kept. */
		private edited?: EditedFrom,
	) {
		const bases = new Array<number>(pieces.length);
		let at = 0;
		for (let i = 0; i < pieces.length; i++) {
			bases[i] = at;
			at += pieces[i].length;
		}
		this.bases = bases;
		this.length = at;
	}

	readonly length: number;

	/**
	 * The text of a whole file, split into its segments. The pieces are copies, not slices: a parsed
	 * segment is shared (`parseSegment`) and may outlive the document, and a slice would keep the
	 * whole text it was cut from alive with it.
	 */
	static of(text: string): SegmentedText {
		const starts = segmentStarts(text);
		if (starts.length === 1) return new SegmentedText([text]);
		const split = new SegmentedText(starts.map((s, i) => ownCopy(text.slice(s, i + 1 < starts.length ? starts[i + 1] : text.length))));
		// The text it was made from is its whole text: everyone who asks for it (the fleet reads every open file) shares it.
		split.whole = text;
		return split;
	}

	private whole: string | undefined;

	/**
	 * The whole text as one string, built on first use and kept with this version: the fleet, the
	 * renderer and a feature asking for the same version share one string. Validating an edit never
	 * asks for it.
	 */
	toString(): string {
		return this.pieces.length === 1 ? this.pieces[0] : (this.whole ??= this.pieces.join(''));
	}

	/** Offset of piece `i`. */
	baseOf(i: number): number {
		return this.bases[i];
	}

	/** The offset of every piece, in order. */
	get offsets(): readonly number[] {
		return this.bases;
	}

	/** The text between two offsets. */
	slice(start: number, end = this.length): string {
		start = clamp(start, 0, this.length);
		end = clamp(end, start, this.length);
		if (start === end) return '';
		const first = this.pieceAt(start);
		const last = this.pieceAt(end - 1);
		if (first === last) return this.pieces[first].slice(start - this.bases[first], end - this.bases[first]);
		let out = this.pieces[first].slice(start - this.bases[first]);
		for (let i = first + 1; i < last; i++) out += this.pieces[i];
		return out + this.pieces[last].slice(0, end - this.bases[last]);
	}

	charCodeAt(offset: number): number {
		if (offset < 0 || offset >= this.length) return NaN;
		const i = this.pieceAt(offset);
		return this.pieces[i].charCodeAt(offset - this.bases[i]);
	}

	/**
	 * The text with `[start, end)` replaced by `insert`. The pieces from the one before the edit to
	 * the one holding its end are split again: an edit at a piece's start may remove its marker (the
	 * piece joins the one before), and one inside may make a marker. The piece after keeps its
	 * marker: the line break before it is not inside `[start, end)`. The others are kept as they
	 * are, with their line tables.
	 */
	edit(start: number, end: number, insert: string): SegmentedText {
		start = clamp(start, 0, this.length);
		end = clamp(end, start, this.length);
		const n = this.pieces.length;
		const a = Math.max(0, this.pieceAt(start) - 1);
		const b = this.pieceAt(end);
		const from = this.bases[a];
		const to = this.bases[b] + this.pieces[b].length;
		const region = this.slice(from, start) + insert + this.slice(end, to);
		// A directive (`%YAML`) keeps the whole file in one piece, as `segmentStarts` does.
		if (n === 1 || /^%/m.test(region)) return SegmentedText.of(this.slice(0, from) + region + this.slice(to));
		const starts = segmentStarts(region);
		const fresh = starts.map((s, i) => ownCopy(region.slice(s, i + 1 < starts.length ? starts[i + 1] : region.length)));
		// Built in place, without intermediate arrays: every allocation per keystroke brings the next scavenge closer.
		const count = n - (b - a + 1) + fresh.length;
		const pieces = new Array<string>(count);
		for (let i = 0; i < count; i++) {
			const old = i < a ? i : i >= a + fresh.length ? i - fresh.length + (b - a + 1) : -1;
			pieces[i] = old < 0 ? fresh[i - a] : this.pieces[old];
		}
		return new SegmentedText(pieces, this.lines && { lines: this.lines, first: a, removed: b - a + 1, added: fresh.length });
	}

	get lineCount(): number {
		return this.tables().count;
	}

	/** The LSP position of an offset (vscode-languageserver-textdocument's `positionAt`). */
	positionAt(offset: number): Position {
		offset = clamp(offset, 0, this.length);
		const t = this.tables();
		const i = this.pieceAt(offset);
		const local = t.local[i];
		const c = upperBound(local, offset - this.bases[i]);
		const line = t.startLine[i] + c;
		const lineStart = this.bases[i] + (c > 0 ? local[c - 1] : t.startLineRel[i]);
		return { line, character: this.beforeEol(offset, lineStart) - lineStart };
	}

	/** The offset of an LSP position (vscode-languageserver-textdocument's `offsetAt`). */
	offsetAt(position: Position): number {
		const t = this.tables();
		if (position.line >= t.count) return this.length;
		if (position.line < 0) return 0;
		const lineStart = this.lineStart(position.line);
		if (position.character <= 0) return lineStart;
		const next = position.line + 1 < t.count ? this.lineStart(position.line + 1) : this.length;
		return this.beforeEol(Math.min(lineStart + position.character, next), lineStart);
	}

	/** The offset where a line (0 to `lineCount - 1`) starts. */
	lineStart(line: number): number {
		const t = this.tables();
		// The last piece whose first line is at or before `line`: the line starts in it, or is the line it starts on.
		const lo = upperBound(t.startLine, line) - 1;
		const k = line - t.startLine[lo];
		return this.bases[lo] + (k === 0 ? t.startLineRel[lo] : t.local[lo][k - 1]);
	}

	/** An offset moved back before the line break characters it follows, not before `lineStart`. */
	beforeEol(offset: number, lineStart: number): number {
		while (offset > lineStart && isEol(this.charCodeAt(offset - 1))) offset--;
		return offset;
	}

	/** The piece holding an offset (the last piece for the text's end). */
	private pieceAt(offset: number): number {
		return Math.max(0, upperBound(this.bases, offset) - 1);
	}

	/** Line tables, made on first use (a document opened and never edited or asked about needs none). */
	private tables(): LineTables {
		if (this.lines) return this.lines;
		const e = this.edited;
		const local = this.pieces.map((p, i) => {
			if (!e || (i >= e.first && i < e.first + e.added)) return lineBreaks(p);
			return e.lines.local[i < e.first ? i : i - e.added + e.removed];
		});
		const startLine = new Array<number>(local.length);
		const startLineRel = new Array<number>(local.length);
		let line = 0;
		let lineStart = 0;
		for (let i = 0; i < local.length; i++) {
			startLine[i] = line;
			startLineRel[i] = lineStart - this.bases[i];
			const l = local[i];
			if (l.length > 0) {
				line += l.length;
				lineStart = this.bases[i] + l[l.length - 1];
			}
		}
		// Typing within a line changes neither list: the previous text's lists are kept, not a copy per keystroke.
		const previous = this.edited?.lines;
		this.edited = undefined;
		return (this.lines = {
			local,
			startLine: previous && sameNumbers(previous.startLine, startLine) ? previous.startLine : startLine,
			startLineRel: previous && sameNumbers(previous.startLineRel, startLineRel) ? previous.startLineRel : startLineRel,
			count: line + 1,
		});
	}
}

function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
	if (a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
	return true;
}

interface EditedFrom {
	readonly lines: LineTables;
	/** The first piece the edit replaced, how many it replaced, and how many pieces replace them. */
	readonly first: number;
	readonly removed: number;
	readonly added: number;
}

interface LineTables {
	/** Per piece: the offsets (in the piece) just after each of its line breaks. */
	readonly local: readonly (readonly number[])[];
	/** Per piece: the line its first character is on, and where that line starts, from the piece's offset (0 or less). */
	readonly startLine: readonly number[];
	readonly startLineRel: readonly number[];
	readonly count: number;
}

/**
 * Whether a text matches a pattern that cannot span lines (a `^…$` line pattern, say): a segmented
 * text is searched piece by piece, without building its whole text.
 */
export function someLineMatches(text: string | SegmentedText, pattern: RegExp): boolean {
	return typeof text === 'string' ? pattern.test(text) : text.pieces.some((p) => pattern.test(p));
}

/** A string of its own, not a slice keeping a larger string alive (V8 has no direct way to ask for one). */
export function ownCopy(text: string): string {
	return JSON.parse(JSON.stringify(text)) as string;
}

/** Offsets just after each line break (`\r\n`, `\r`, `\n`) of a text. */
function lineBreaks(text: string): number[] {
	const out: number[] = [];
	for (let i = 0; i < text.length; i++) {
		const ch = text.charCodeAt(i);
		if (ch === CR || ch === LF) {
			if (ch === CR && i + 1 < text.length && text.charCodeAt(i + 1) === LF) i++;
			out.push(i + 1);
		}
	}
	return out;
}

/** The number of entries of a sorted list at or below a value. */
function upperBound(list: readonly number[], value: number): number {
	let lo = 0;
	let hi = list.length;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if (list[mid] > value) hi = mid;
		else lo = mid + 1;
	}
	return lo;
}

const CR = 13;
const LF = 10;

function isEol(ch: number): boolean {
	return ch === CR || ch === LF;
}

function clamp(n: number, lo: number, hi: number): number {
	return Math.max(lo, Math.min(n, hi));
}

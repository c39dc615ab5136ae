import type { SegmentedText } from './segmented-text';
import type { Position, Range, TextSpan } from './types';

export type { TextSpan } from './types';

/**
 * Maps offsets to zero-based line/character positions with a binary search over line starts.
 * Built once per text version; O(n) to build, O(log n) per lookup.
 */
export class LineIndex {
	private readonly starts: number[];
	/** The text's length. */
	readonly length: number;

	/** Of a text, or of an open document's segmented text (read piece by piece: its whole text is not built). */
	constructor(private readonly source: string | SegmentedText) {
		const starts = [0];
		if (typeof source === 'string') addLineStarts(source, 0, starts);
		else for (let i = 0; i < source.pieces.length; i++) addLineStarts(source.pieces[i], source.baseOf(i), starts);
		this.starts = starts;
		this.length = source.length;
	}

	/** The whole text (for a segmented text, built on first use and kept by it). */
	get text(): string {
		return this.source.toString();
	}

	get lineCount(): number {
		return this.starts.length;
	}

	lineStart(line: number): number {
		return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))];
	}

	positionAt(offset: number): Position {
		const o = Math.max(0, Math.min(offset, this.length));
		let lo = 0;
		let hi = this.starts.length - 1;
		while (lo < hi) {
			const mid = (lo + hi + 1) >> 1;
			if (this.starts[mid] <= o) lo = mid;
			else hi = mid - 1;
		}
		return { line: lo, character: o - this.starts[lo] };
	}

	offsetAt(pos: Position): number {
		if (pos.line >= this.starts.length) return this.length;
		if (pos.line < 0) return 0;
		const start = this.starts[pos.line];
		const next = pos.line + 1 < this.starts.length ? this.starts[pos.line + 1] : this.length;
		return Math.max(start, Math.min(start + pos.character, next));
	}

	rangeOf(span: TextSpan): Range {
		return { start: this.positionAt(span.start), end: this.positionAt(span.end) };
	}
}

/** Appends the line starts (after each `\n`) of a text placed at `base`. */
function addLineStarts(text: string, base: number, starts: number[]): void {
	let i = text.indexOf('\n');
	while (i !== -1) {
		starts.push(base + i + 1);
		i = text.indexOf('\n', i + 1);
	}
}

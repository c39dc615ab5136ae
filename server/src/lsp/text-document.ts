import type { TextDocumentContentChangeEvent, TextDocumentsConfiguration } from 'vscode-languageserver';
import type { Position, Range, TextDocument } from 'vscode-languageserver-textdocument';
import { SegmentedText } from '../engine/core/segmented-text';

/**
 * The server's open documents: vscode-languageserver-textdocument's `TextDocument` interface over a
 * `SegmentedText`, so that an edit keeps the strings of the YAML documents it did not touch and
 * the whole text is built only when something asks for it (`getText()`). The validation of an
 * edit reads `text` (the segments), never `getText()`.
 */
export class SegmentedDocument implements TextDocument {
	constructor(
		readonly uri: string,
		readonly languageId: string,
		readonly version: number,
		readonly text: SegmentedText,
	) {}

	getText(range?: Range): string {
		return range ? this.text.slice(this.offsetAt(range.start), this.offsetAt(range.end)) : this.text.toString();
	}

	positionAt(offset: number): Position {
		return this.text.positionAt(offset);
	}

	offsetAt(position: Position): number {
		return this.text.offsetAt(position);
	}

	get lineCount(): number {
		return this.text.lineCount;
	}

	getLineRange(line: number): Range {
		const count = this.text.lineCount;
		if (line < 0) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
		if (line >= count) {
			const last = count - 1;
			return { start: { line: last, character: 0 }, end: { line: last, character: this.text.length - this.text.lineStart(last) } };
		}
		const start = this.text.lineStart(line);
		return { start: { line, character: 0 }, end: { line, character: this.text.beforeEol(this.nextLineStart(line), start) - start } };
	}

	getEOLCharacters(line: number): string {
		if (line < 0 || line >= this.text.lineCount) return '';
		const next = this.nextLineStart(line);
		return this.text.slice(this.text.beforeEol(next, this.text.lineStart(line)), next);
	}

	private nextLineStart(line: number): number {
		return line + 1 < this.text.lineCount ? this.text.lineStart(line + 1) : this.text.length;
	}

	/** The document after the editor's changes, applied in order (each range is in the text the previous change left). */
	update(changes: readonly TextDocumentContentChangeEvent[], version: number): SegmentedDocument {
		let text = this.text;
		for (const change of changes) {
			if ('range' in change && change.range) {
				const [start, end] = wellFormed(change.range);
				text = text.edit(text.offsetAt(start), text.offsetAt(end), change.text);
			} else {
				text = SegmentedText.of(change.text);
			}
		}
		return new SegmentedDocument(this.uri, this.languageId, version, text);
	}
}

/** `TextDocuments` of segmented documents. */
export const SEGMENTED_DOCUMENTS: TextDocumentsConfiguration<SegmentedDocument> = {
	create: (uri, languageId, version, content) => new SegmentedDocument(uri, languageId, version, SegmentedText.of(content)),
	update: (document, changes, version) => document.update(changes, version),
};

function wellFormed(range: Range): [Position, Position] {
	const { start, end } = range;
	return start.line > end.line || (start.line === end.line && start.character > end.character) ? [end, start] : [start, end];
}

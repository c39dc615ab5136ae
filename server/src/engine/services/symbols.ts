import type { FileAnalysis } from '../analysis/engine';
import { nodeAt, spanOf } from '../core/parse';
import type { SymbolEntry } from './types';

/** The outline of a file: one entry per resource, named `Kind/name`, selecting the name. */
export function documentSymbols(analysis: FileAnalysis): SymbolEntry[] {
	const out: SymbolEntry[] = [];
	for (const r of analysis.resources) {
		const d = analysis.parsed.documents.find((doc) => doc.base + doc.span.start === r.span.start);
		const nameNode = d ? (nodeAt(d.doc, ['metadata', 'name']) ?? nodeAt(d.doc, ['kind'])) : undefined;
		const local = spanOf(nameNode);
		// The document's span ends after its last newline: end the symbol on its last line instead.
		let end = r.span.end;
		while (end > r.span.start && /\s/.test(analysis.parsed.text[end - 1])) end--;
		const range = analysis.lines.rangeOf({ start: r.span.start, end });
		out.push({
			name: r.name ? `${r.kind}/${r.name}` : r.kind,
			detail: r.namespace ? `${r.apiVersion} · ${r.namespace}` : r.apiVersion,
			range,
			selectionRange: local && d ? analysis.lines.rangeOf({ start: local.start + d.base, end: local.end + d.base }) : range,
		});
	}
	return out;
}

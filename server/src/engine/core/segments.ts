/**
 * Where a file's YAML segments start: at `---` document markers in column 0, which YAML itself
 * treats as a hard document boundary even inside block scalars. Files with directives (`%YAML`)
 * stay in one piece. Used by the parser (`parse.ts`) and by the editor's segmented texts.
 */

const DOC_MARKER = /^---(?=[ \t\r\n]|$)/gm;

/** Splits a file into segment start offsets. Files with directives (`%YAML`) stay in one piece. */
export function segmentStarts(text: string): number[] {
	if (/^%/m.test(text)) return [0];
	const starts = [0];
	DOC_MARKER.lastIndex = 0;
	let m: RegExpExecArray | null;
	while ((m = DOC_MARKER.exec(text)) !== null) {
		if (m.index !== 0) starts.push(m.index);
	}
	return starts;
}

import type { TextSpan } from './text';

/**
 * Where the characters of a scalar's value sit in the source text: for a diagnostic on a few
 * characters of a long string (a CEL expression's mistake), not the whole value. Each scalar style
 * (plain, single- and double-quoted, literal `|` and folded `>` blocks) is read back character by
 * character; if the reading does not give exactly the parsed value, undefined (the caller then
 * marks the whole scalar).
 */

export type ScalarStyle = 'PLAIN' | 'QUOTE_SINGLE' | 'QUOTE_DOUBLE' | 'BLOCK_LITERAL' | 'BLOCK_FOLDED' | string;

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', '/': '/', '0': '\0', a: '\x07', b: '\b', e: '\x1b', f: '\f', v: '\v', ' ': ' ', N: '\x85', _: '\xa0' };

/** Each value character with its source offset. */
type Reading = { chars: string[]; at: number[] };

function flowLines(src: string, start: number, end: number, read: (r: Reading, i: number) => number): Reading {
	const r: Reading = { chars: [], at: [] };
	let i = start;
	while (i < end) {
		if (src[i] === '\n') {
			// A line break in a flow scalar folds to a space; an empty line to a newline.
			while (r.chars.length > 0 && /[ \t]/.test(r.chars[r.chars.length - 1])) {
				r.chars.pop();
				r.at.pop();
			}
			let j = i + 1;
			let breaks = 0;
			while (j < end && /[ \t\n]/.test(src[j])) {
				if (src[j] === '\n') breaks++;
				j++;
			}
			if (breaks === 0) {
				r.chars.push(' ');
				r.at.push(i);
			} else for (let k = 0; k < breaks; k++) {
				r.chars.push('\n');
				r.at.push(i);
			}
			i = j;
			continue;
		}
		i = read(r, i);
	}
	return r;
}

function block(src: string, start: number, end: number, folded: boolean): Reading {
	const headerEnd = src.indexOf('\n', start);
	const r: Reading = { chars: [], at: [] };
	if (headerEnd < 0 || headerEnd >= end) return r;
	const lines: { text: string; at: number }[] = [];
	let i = headerEnd + 1;
	while (i < end) {
		const nl = src.indexOf('\n', i);
		const stop = nl < 0 || nl > end ? end : nl;
		lines.push({ text: src.slice(i, stop), at: i });
		i = stop + 1;
	}
	const indent = Math.min(...lines.filter((l) => l.text.trim() !== '').map((l) => l.text.length - l.text.trimStart().length));
	let previousMoreIndented = false;
	lines.forEach((l, n) => {
		const content = l.text.slice(indent);
		const moreIndented = /^[ \t]/.test(content);
		if (n > 0) {
			const prevEmpty = lines[n - 1].text.trim() === '';
			// Folding: a single break between text lines is a space; an empty line is a newline (and
			// absorbs the break before it); more-indented lines keep their breaks.
			let sep: string | undefined;
			if (!folded || content === '') sep = '\n';
			else if (prevEmpty) sep = moreIndented ? '\n' : undefined;
			else sep = moreIndented || previousMoreIndented ? '\n' : ' ';
			if (sep) {
				r.chars.push(sep);
				r.at.push(l.at - 1);
			}
		}
		for (let k = 0; k < content.length; k++) {
			r.chars.push(content[k]);
			r.at.push(l.at + indent + k);
		}
		if (content !== '') previousMoreIndented = moreIndented;
	});
	return r;
}

/** Reads the value of a scalar from its source [start, end) in the given style. */
function reading(src: string, start: number, end: number, style: ScalarStyle): Reading | undefined {
	switch (style) {
		case 'PLAIN':
			return flowLines(src, start, end, (r, i) => {
				r.chars.push(src[i]);
				r.at.push(i);
				return i + 1;
			});
		case 'QUOTE_SINGLE':
			return flowLines(src, start + 1, end - 1, (r, i) => {
				r.chars.push(src[i]);
				r.at.push(i);
				return src[i] === "'" && src[i + 1] === "'" ? i + 2 : i + 1;
			});
		case 'QUOTE_DOUBLE':
			return flowLines(src, start + 1, end - 1, (r, i) => {
				if (src[i] !== '\\') {
					r.chars.push(src[i]);
					r.at.push(i);
					return i + 1;
				}
				const c = src[i + 1];
				const hex = c === 'x' ? 2 : c === 'u' ? 4 : c === 'U' ? 8 : 0;
				if (hex > 0) {
					r.chars.push(String.fromCodePoint(parseInt(src.slice(i + 2, i + 2 + hex), 16)));
					r.at.push(i);
					return i + 2 + hex;
				}
				if (c === '\n') return i + 2;
				r.chars.push(ESCAPES[c] ?? c);
				r.at.push(i);
				return i + 2;
			});
		case 'BLOCK_LITERAL':
			return block(src, start, end, false);
		case 'BLOCK_FOLDED':
			return block(src, start, end, true);
		default:
			return undefined;
	}
}

/**
 * The source span of characters [span.start, span.end) of a scalar's value, given the scalar's
 * source range [start, end) in `src`, its style and its parsed value; undefined where the value
 * cannot be read back exactly.
 */
export function valueSpanInSource(src: string, start: number, end: number, style: ScalarStyle, value: string, span: TextSpan): TextSpan | undefined {
	const r = reading(src, start, end, style);
	if (!r) return undefined;
	const text = r.chars.join('');
	// Block scalars end with chomping (a trailing newline kept or stripped): compare without it.
	const trimmed = style === 'BLOCK_LITERAL' || style === 'BLOCK_FOLDED' ? text.replace(/\n+$/, '') : text;
	if (trimmed !== value.replace(/\n+$/, '') || span.start < 0 || span.start >= trimmed.length + 1) return undefined;
	const from = r.at[Math.min(span.start, r.at.length - 1)];
	const lastIndex = Math.min(Math.max(span.end, span.start + 1), trimmed.length) - 1;
	const to = r.at[Math.max(lastIndex, 0)] + 1;
	return { start: from, end: Math.max(from + 1, to) };
}

/**
 * The CEL syntax bufbuild/cel's parser does not read, rewritten into what it does: optional field
 * selection `a.?b` and optional indexing `a[?i]` (Kubernetes 1.29+). The text is rewritten before
 * parsing (`.?b` → `.__fsopt__b`, `[?i]` → `[__fsoptidx__(i)]`) and the AST back afterwards
 * (`ast.ts`); `toSource` maps an offset of the rewritten text to the original's, so syntax errors
 * point at the characters the user wrote.
 */

export const OPT_FIELD_PREFIX = '__fsopt__';
export const OPT_INDEX_FUNCTION = '__fsoptidx__';

/** The rewritten text and the insertions made (offset in the rewritten text, characters inserted). */
export interface Rewritten {
	text: string;
	insertions: { at: number; length: number }[];
	/** Constructs the rewriting cannot express (an optional list element `[?x]`, an optional map entry `{?k: v}`). */
	unsupported?: { start: number; end: number; message: string };
}

/** Maps an offset of the rewritten text back to the original text. */
export function toSource(r: Rewritten, offset: number): number {
	let shift = 0;
	for (const ins of r.insertions) {
		if (ins.at >= offset) break;
		shift += Math.min(ins.length, offset - ins.at);
	}
	return offset - shift;
}

const IDENT = /[A-Za-z0-9_]/;

/** The end (exclusive) of the string literal starting at `i` (after its prefix letters), or -1 if not a literal start. */
function stringEnd(s: string, i: number): number {
	let j = i;
	let raw = false;
	while (j < s.length && /[rRbB]/.test(s[j]) && j - i < 2) {
		if (s[j] === 'r' || s[j] === 'R') raw = true;
		j++;
	}
	const q = s[j];
	if (q !== '"' && q !== "'") return -1;
	// A prefix letter must not be part of an identifier (`bar'` is not a literal).
	if (j > i && i > 0 && IDENT.test(s[i - 1])) return -1;
	const triple = s.startsWith(q.repeat(3), j);
	const close = triple ? q.repeat(3) : q;
	let k = j + close.length;
	while (k < s.length) {
		if (!raw && s[k] === '\\') {
			k += 2;
			continue;
		}
		if (s.startsWith(close, k)) return k + close.length;
		if (!triple && s[k] === '\n') return k;
		k++;
	}
	return s.length;
}

/** Rewrites the optional syntax of `source` (see the file comment). */
export function rewriteOptionals(source: string): Rewritten {
	let out = '';
	const insertions: Rewritten['insertions'] = [];
	/** For each open `[?` index: the bracket depth at which its `]` closes it. */
	const openIndexes: number[] = [];
	let depth = 0;
	let unsupported: Rewritten['unsupported'];
	let i = 0;
	let lastSignificant = '';
	while (i < source.length) {
		const c = source[i];
		if (/[rRbB"']/.test(c)) {
			const end = stringEnd(source, i);
			if (end > 0) {
				out += source.slice(i, end);
				i = end;
				lastSignificant = '"';
				continue;
			}
		}
		if (c === '.' && source[i + 1] === '?' && i + 2 < source.length && /[A-Za-z_]/.test(source[i + 2])) {
			out += '.';
			insertions.push({ at: out.length, length: OPT_FIELD_PREFIX.length - 1 });
			out += OPT_FIELD_PREFIX;
			i += 2; // the `?` is replaced by the prefix
			lastSignificant = '.';
			continue;
		}
		if (c === '[' || c === '(' || c === '{') depth++;
		if (c === '[' && source[i + 1] === '?') {
			const isIndex = IDENT.test(lastSignificant) || lastSignificant === ')' || lastSignificant === ']' || lastSignificant === '"';
			if (!isIndex) {
				unsupported ??= { start: i, end: i + 2, message: 'optional list elements ([?x]) are not supported by Fleetscope' };
			} else {
				out += '[';
				insertions.push({ at: out.length, length: OPT_INDEX_FUNCTION.length + 1 - 1 });
				out += `${OPT_INDEX_FUNCTION}(`;
				openIndexes.push(depth);
				i += 2;
				lastSignificant = '(';
				continue;
			}
		}
		if (c === '{' && /^\{\s*\?/.test(source.slice(i))) unsupported ??= { start: i, end: i + 2, message: 'optional map entries ({?key: value}) are not supported by Fleetscope' };
		if (c === ']' && openIndexes.length > 0 && openIndexes[openIndexes.length - 1] === depth) {
			openIndexes.pop();
			insertions.push({ at: out.length, length: 1 });
			out += ')';
		}
		if (c === ']' || c === ')' || c === '}') depth--;
		out += c;
		if (!/\s/.test(c)) lastSignificant = c;
		i++;
	}
	return { text: out, insertions, unsupported };
}

/** The deepest bracket nesting of an expression (strings skipped): deep nesting is refused before parsing. */
export function nestingDepth(source: string): number {
	let depth = 0;
	let max = 0;
	let i = 0;
	while (i < source.length) {
		const c = source[i];
		if (/[rRbB"']/.test(c)) {
			const end = stringEnd(source, i);
			if (end > 0) {
				i = end;
				continue;
			}
		}
		if (c === '(' || c === '[' || c === '{') max = Math.max(max, ++depth);
		else if (c === ')' || c === ']' || c === '}') depth--;
		i++;
	}
	return max;
}

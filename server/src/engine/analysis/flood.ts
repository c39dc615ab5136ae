import type { Finding } from '../core/types';

/**
 * Flood control for the findings of one file, applied where they are assembled: a parser that
 * loses its way repeats itself (an unclosed flow mapping nested 5,000 deep gives hundreds of
 * identical errors at one position), and an editor must never receive thousands of diagnostics
 * for one file.
 *
 * - Identical findings (rule, severity, message and range) merge into one.
 * - YAML syntax findings are capped per document: the first `MAX_SYNTAX_PER_DOCUMENT` are kept,
 *   then one finding, where the first hidden one was, says how many more there are. Fixing the
 *   first mistake usually makes the rest go away.
 *
 * Pure: the order of the kept findings is the input's.
 */

/** Syntax findings shown per document before the rest are summarised. */
export const MAX_SYNTAX_PER_DOCUMENT = 5;

/** The rules whose findings are the parser's: one mistake can make many of them. */
const SYNTAX_RULES = new Set(['yaml-syntax', 'yaml-limits', 'yaml-duplicate-key']);

/**
 * `documentStarts`: the first line (0-based) of each document of the file, ascending; a finding
 * belongs to the last document starting at or before its line. Empty: the file is one document.
 */
export function limitFloods(findings: readonly Finding[], documentStarts: readonly number[] = []): Finding[] {
	// Keyed without the message (hashing a long message per finding cost more than the rest): the
	// messages of the findings at one place are compared among themselves.
	const seen = new Map<string, string | Set<string>>();
	const kept: Finding[] = [];
	/** Per document: syntax findings kept so far, and the summary finding once the cap is reached. */
	const perDocument = new Map<number, { shown: number; hidden: number; at?: Finding; index?: number }>();
	for (const f of findings) {
		const key = `${f.ruleId}\u0000${f.severity}\u0000${f.range.start.line}:${f.range.start.character}-${f.range.end.line}:${f.range.end.character}`;
		const messages = seen.get(key);
		if (messages === undefined) seen.set(key, f.message);
		else if (typeof messages === 'string') {
			if (messages === f.message) continue;
			seen.set(key, new Set([messages, f.message]));
		} else if (messages.has(f.message)) continue;
		else messages.add(f.message);
		if (!SYNTAX_RULES.has(f.ruleId)) {
			kept.push(f);
			continue;
		}
		const doc = documentOf(f.range.start.line, documentStarts);
		let state = perDocument.get(doc);
		if (!state) perDocument.set(doc, (state = { shown: 0, hidden: 0 }));
		if (state.shown < MAX_SYNTAX_PER_DOCUMENT) {
			state.shown++;
			kept.push(f);
			continue;
		}
		if (state.hidden === 0) {
			// A placeholder where the first hidden finding was; its message is written once the count is known.
			state.at = f;
			state.index = kept.length;
			kept.push(f);
		}
		state.hidden++;
	}
	for (const state of perDocument.values()) {
		if (state.hidden === 0 || state.at === undefined || state.index === undefined) continue;
		const n = state.hidden;
		kept[state.index] = {
			ruleId: 'yaml-syntax',
			severity: 'error',
			range: state.at.range,
			message: `${n} more YAML syntax ${n === 1 ? 'problem' : 'problems'} in this document ${n === 1 ? 'is' : 'are'} not shown: fix the ${MAX_SYNTAX_PER_DOCUMENT} above first, since one mistake (an unclosed bracket or quote, a bad indent) often causes all the others.`,
		};
	}
	return kept;
}

/** The index of the document holding a line: the last start at or before it. */
function documentOf(line: number, starts: readonly number[]): number {
	let lo = 0;
	let hi = starts.length - 1;
	let found = 0;
	while (lo <= hi) {
		const mid = (lo + hi) >> 1;
		if (starts[mid] <= line) {
			found = mid;
			lo = mid + 1;
		} else hi = mid - 1;
	}
	return found;
}

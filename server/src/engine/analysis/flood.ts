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
 * `starts`: the first line (0-based) of each document of the file, ascending (or a function that
 * makes them); a finding belongs to the last document starting at or before its line. Empty: the
 * file is one document.
 */
export function limitFloods(findings: readonly Finding[], starts: readonly number[] | (() => readonly number[]) = []): Finding[] {
	// Asked for only when a syntax finding needs its document (an analysis per keystroke need not build it).
	let documentStarts: readonly number[] | undefined = typeof starts === 'function' ? undefined : starts;
	// Findings are grouped by where they start (a number: no key is built per finding) and compared
	// within the group, which rarely holds more than a few.
	const atStart = new Map<number, Finding[] | Set<string>>();
	const kept: Finding[] = [];
	/** Per document: syntax findings kept so far, and the summary finding once the cap is reached. */
	const perDocument = new Map<number, { shown: number; hidden: number; at?: Finding; index?: number }>();
	for (const f of findings) {
		const start = f.range.start.line * 4_294_967_296 + f.range.start.character;
		const group = atStart.get(start);
		if (group === undefined) atStart.set(start, [f]);
		else if (Array.isArray(group)) {
			if (group.some((g) => sameFinding(g, f))) continue;
			group.push(f);
			// A hostile file can put thousands of distinct findings at one place: keyed from then on.
			if (group.length > MAX_COMPARED) atStart.set(start, new Set(group.map(findingKey)));
		} else {
			const key = findingKey(f);
			if (group.has(key)) continue;
			group.add(key);
		}
		if (!SYNTAX_RULES.has(f.ruleId)) {
			kept.push(f);
			continue;
		}
		documentStarts ??= (starts as () => readonly number[])();
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

const MAX_COMPARED = 32;

function findingKey(f: Finding): string {
	return `${f.ruleId}\u0000${f.severity}\u0000${f.range.end.line}:${f.range.end.character}\u0000${f.message}`;
}

/** The same rule, severity, range and message: one finding reported twice. */
function sameFinding(a: Finding, b: Finding): boolean {
	return a.ruleId === b.ruleId && a.severity === b.severity && a.range.end.line === b.range.end.line && a.range.end.character === b.range.end.character && a.message === b.message;
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

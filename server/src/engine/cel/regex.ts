import { RE2JS } from '@bufbuild/re2';

/**
 * RE2 regular expressions (linear time: no pattern can make a match run away), compiled once per
 * pattern text by the cache that owns them (one per CEL environment, bounded). `find` returns match
 * positions, which bufbuild/re2 only offers through its engine: the input it reads is supplied here.
 */

const EMPTY_BEGIN_LINE = 0x01;
const EMPTY_END_LINE = 0x02;
const EMPTY_BEGIN_TEXT = 0x04;
const EMPTY_END_TEXT = 0x08;
const EMPTY_WORD_BOUNDARY = 0x10;
const EMPTY_NO_WORD_BOUNDARY = 0x20;
const UNANCHORED = 0;
const ANCHOR_START = 1;
const ANCHOR_BOTH = 2;
const EOF = -1 << 3;

const isWord = (r: number) => (r >= 0x61 && r <= 0x7a) || (r >= 0x41 && r <= 0x5a) || (r >= 0x30 && r <= 0x39) || r === 0x5f;

/**
 * The UTF-16 input RE2's machine steps through (the shape of bufbuild/re2's MachineUTF16Input),
 * ending at `end` while `^`, `$` and `\b` still see the whole string around it.
 */
class Input {
	constructor(
		private readonly s: string,
		private readonly end = s.length,
	) {}
	endPos(): number {
		return this.end;
	}
	hasString(prefilter: { str: string }, pos: number): boolean {
		const idx = this.s.indexOf(prefilter.str, pos);
		return idx !== -1 && idx <= this.end - prefilter.str.length;
	}
	step(pos: number): number {
		if (pos >= this.end) return EOF;
		const c1 = this.s.charCodeAt(pos);
		if (c1 >= 0xd800 && c1 <= 0xdbff && pos + 1 < this.end) {
			const c2 = this.s.charCodeAt(pos + 1);
			if (c2 >= 0xdc00 && c2 <= 0xdfff) return ((((c1 - 0xd800) * 0x400 + (c2 - 0xdc00) + 0x10000) << 3) | 2);
		}
		return (c1 << 3) | 1;
	}
	index(re2: { prefix: string }, pos: number): number {
		const i = this.s.indexOf(re2.prefix, pos);
		return i < 0 || i + re2.prefix.length > this.end ? -1 : i - pos;
	}
	context(pos: number): number {
		const r1 = pos > 0 && pos <= this.s.length ? this.s.codePointAt(pos - 1)! : -1;
		const r2 = pos < this.s.length ? this.s.codePointAt(pos)! : -1;
		let op = 0;
		if (r1 < 0) op |= EMPTY_BEGIN_TEXT | EMPTY_BEGIN_LINE;
		if (r1 === 0x0a) op |= EMPTY_BEGIN_LINE;
		if (r2 < 0) op |= EMPTY_END_TEXT | EMPTY_END_LINE;
		if (r2 === 0x0a) op |= EMPTY_END_LINE;
		op |= isWord(r1) !== isWord(r2) ? EMPTY_WORD_BOUNDARY : EMPTY_NO_WORD_BOUNDARY;
		return op;
	}
	prefixLength(re2: { prefix: string }): number {
		return re2.prefix.length;
	}
}

interface Engine {
	executeEngine(input: unknown, pos: number, anchor: number, ncap: number): number[] | null;
}

const MAX_PATTERNS = 500;
/** find/findAll test positions one by one (bufbuild/re2 reports no match positions): inputs are capped. */
export const MAX_FIND_INPUT = 16 * 1024;

/** Compiled patterns by text, oldest dropped first beyond a bound. */
export class RegexCache {
	private readonly compiled = new Map<string, RE2JS>();

	/** The compiled pattern; throws the RE2 syntax error for an invalid one. */
	compile(pattern: string): RE2JS {
		let re = this.compiled.get(pattern);
		if (!re) {
			re = RE2JS.compile(pattern);
			if (this.compiled.size >= MAX_PATTERNS) this.compiled.delete(this.compiled.keys().next().value as string);
			this.compiled.set(pattern, re);
		}
		return re;
	}

	/** Whether the pattern matches anywhere in s (CEL `matches`). */
	test(pattern: string, s: string): boolean {
		return this.compile(pattern).test(s);
	}

	/**
	 * The leftmost match of the pattern in s at or after `from`: [start, end), or undefined. Of the
	 * matches that start there, the longest (Go takes the first by alternation order: the two differ
	 * only for alternations and lazy quantifiers).
	 */
	find(pattern: string, s: string, from = 0): [number, number] | undefined {
		if (s.length > MAX_FIND_INPUT) throw new Error(`find and findAll read at most ${MAX_FIND_INPUT} characters`);
		const engine = this.compile(pattern).re2() as unknown as Engine;
		const whole = new Input(s);
		if (engine.executeEngine(whole, from, UNANCHORED, 0) === null) return undefined;
		for (let start = from; start <= s.length; start++) {
			if (engine.executeEngine(whole, start, ANCHOR_START, 0) === null) continue;
			for (let end = s.length; end >= start; end--) if (engine.executeEngine(new Input(s, end), start, ANCHOR_BOTH, 0) !== null) return [start, end];
		}
		return undefined;
	}

	/** Every non-overlapping match, at most `limit` (negative: all), as Go's FindAllString. */
	findAll(pattern: string, s: string, limit = -1): string[] {
		const out: string[] = [];
		let pos = 0;
		let prevEnd = -1;
		while (pos <= s.length && (limit < 0 || out.length < limit)) {
			const m = this.find(pattern, s, pos);
			if (!m) break;
			const [start, end] = m;
			// An empty match right after the previous match is skipped (Go's rule).
			if (!(end === start && start === prevEnd)) out.push(s.slice(start, end));
			prevEnd = end;
			pos = end > start ? end : end + 1;
		}
		return out;
	}
}

import type { TextSpan } from './text';

/**
 * Where the keys and values of a block-style YAML document are, read from its text alone, so that
 * findings can be placed without the `yaml` package's slow parse (documents read by the fast path
 * keep no positions). It reads the subset that Kubernetes manifests are written in: block
 * mappings and sequences with plain keys, scalars on one line (plain, single- or double-quoted),
 * literal and folded block scalars, and flow collections on one line (opaque: nothing inside them
 * is located). Anything else (anchors, tags, quoted or complex keys, multi-line plain or quoted
 * scalars, tabs, directives) makes the outline decline, and the caller parses slowly, as before.
 *
 * Spans are those the `yaml` package gives (`Node.range[0..1]`): a scalar's token, a block
 * collection from its first item to the end of its last content line (newline included), a block
 * scalar from its indicator to the end of its last content line. The outline is checked against
 * the document's value (same keys, same sequence lengths), so a misread declines instead of
 * misplacing; `test/engine/outline.test.ts` compares it with the slow parse on every node of the
 * fixtures and the bench corpus.
 */

export interface OutlineNode {
	kind: 'map' | 'seq' | 'scalar' | 'flow';
	span: TextSpan;
	/** Map entries, in order: the key text, the key's span, the value (undefined: an empty value, whose span the outline does not know). */
	entries?: { key: string; keySpan: TextSpan; value: OutlineNode | undefined }[];
	items?: OutlineNode[];
}

/** What a path lookup found: a span, a definite absence (null), or 'unsure' (ask the slow parse). */
export type Located = TextSpan | null | 'unsure';

export class Outline {
	private constructor(readonly root: OutlineNode) {}

	/** The outline of a document's text (the segment's text, the document's content span), or undefined when it is not in the subset. */
	static read(text: string, span: TextSpan, value: unknown): Outline | undefined {
		if (span.end <= span.start) return undefined;
		const lines = new Lines(text, span.start, span.end);
		let root: OutlineNode | undefined;
		try {
			root = new Reader(text, lines).document();
		} catch (e) {
			if (e === DECLINE) return undefined;
			throw e;
		}
		if (!root || !matches(root, value, 0)) return undefined;
		return new Outline(root);
	}

	/** The node at a path: its span, null when the path does not exist, 'unsure' when it leads into something the outline does not read. */
	node(path: readonly (string | number)[], length = path.length): OutlineNode | null | 'unsure' {
		let cur: OutlineNode = this.root;
		for (let i = 0; i < length; i++) {
			const next = child(cur, path[i]);
			if (next === null || next === 'unsure') return next;
			cur = next;
		}
		return cur;
	}

	/** `nodeAt` of the slow parse: the span of the value at a path. */
	value(path: readonly (string | number)[]): Located {
		const n = this.node(path);
		return n === null || n === 'unsure' ? n : n.span;
	}

	/** `keyNodeAt` of the slow parse: the span of the key that holds the value at a path (a sequence item itself for an index). */
	key(path: readonly (string | number)[]): Located {
		if (path.length === 0) return null;
		const parent = this.node(path, path.length - 1);
		if (parent === null || parent === 'unsure') return parent;
		const last = path[path.length - 1];
		if (parent.kind === 'map') {
			const key = String(last);
			const e = parent.entries!.find((x) => x.key === key);
			return e ? e.keySpan : null;
		}
		if (parent.kind === 'seq' && typeof last === 'number') {
			const item = parent.items![last];
			return item ? item.span : null;
		}
		if (parent.kind === 'flow') return 'unsure';
		return null;
	}

	/** The span of the first key of the document (when it is a mapping). */
	firstKey(): TextSpan | undefined {
		return this.root.kind === 'map' ? this.root.entries![0]?.keySpan : undefined;
	}
}

function child(n: OutlineNode, k: string | number): OutlineNode | null | 'unsure' {
	if (n.kind === 'flow') return 'unsure';
	if (n.kind === 'map') {
		const key = String(k);
		const e = n.entries!.find((x) => x.key === key);
		if (!e) return null;
		return e.value ?? 'unsure';
	}
	if (n.kind === 'seq') {
		// The slow parse's getIn reads a numeric string as an index too.
		const i = typeof k === 'number' ? k : /^\d+$/.test(k) ? Number(k) : -1;
		if (i < 0) return null;
		return n.items![i] ?? null;
	}
	return null;
}

/** The outline agrees with the document's value: the same keys in every mapping, the same length of every sequence. */
function matches(n: OutlineNode | undefined, v: unknown, depth: number): boolean {
	if (depth > 100) return false;
	if (n === undefined) return v === null;
	switch (n.kind) {
		case 'map': {
			if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
			const keys = Object.keys(v);
			if (keys.length !== n.entries!.length) return false;
			const own = v as Record<string, unknown>;
			for (const e of n.entries!) {
				if (!Object.prototype.hasOwnProperty.call(own, e.key)) return false;
				if (!matches(e.value, own[e.key], depth + 1)) return false;
			}
			return true;
		}
		case 'seq':
			return Array.isArray(v) && v.length === n.items!.length && n.items!.every((x, i) => matches(x, v[i], depth + 1));
		case 'flow':
			return typeof v === 'object' && v !== null;
		case 'scalar':
			return typeof v !== 'object' || v === null || v instanceof Date || v instanceof Uint8Array;
	}
}

const DECLINE = Symbol('decline');
function decline(): never {
	throw DECLINE;
}

interface Line {
	/** Offset of the line's first character and of its end (before the newline). */
	start: number;
	end: number;
	/** Offset after the newline (or the end of the text). */
	next: number;
	indent: number;
	/** Blank or comment-only: not content. */
	blank: boolean;
}

/** The lines of the document's content. */
class Lines {
	readonly list: Line[] = [];

	constructor(text: string, from: number, to: number) {
		let start = text.lastIndexOf('\n', from - 1) + 1;
		while (start < to) {
			let end = text.indexOf('\n', start);
			if (end === -1 || end > text.length) end = text.length;
			const next = end < text.length ? end + 1 : end;
			let lineEnd = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
			if (lineEnd > to) lineEnd = to;
			let i = start;
			while (i < lineEnd && text.charCodeAt(i) === 32) i++;
			if (i < lineEnd && text.charCodeAt(i) === 9) decline();
			const blank = i === lineEnd || text.charCodeAt(i) === 35; // '#'
			this.list.push({ start, end: lineEnd, next, indent: i - start, blank });
			start = next;
		}
	}
}

/**
 * A plain key: a letter, digit or one of the characters plain scalars may start with that manifests
 * use in keys (`.dockerconfigjson`, `/etc/hosts`, Kyverno's anchors `+(key)`, `<(key)`, `=(key)`,
 * `^(key)`, `(key)`), then no indicator. A misread key still declines: the outline is checked against
 * the document's value.
 */
const PLAIN_KEY = /^[A-Za-z0-9_$.\/+<=^(][^:#\s'"{}[\],&*!|>%@`]*(?: [^:#\s'"{}[\],&*!|>%@`]+)*/;

class Reader {
	private i = 0;
	/** Where the last content read ends, with its newline. */
	private lastNext = 0;

	constructor(
		private readonly text: string,
		private readonly lines: Lines,
	) {}

	private get list(): Line[] {
		return this.lines.list;
	}

	/** The next content line at or after the cursor (skipping blank and comment lines), or undefined. */
	private peek(): Line | undefined {
		while (this.i < this.list.length && this.list[this.i].blank) this.i++;
		return this.list[this.i];
	}

	/** The line under the cursor is read. */
	private consume(): void {
		this.lastNext = this.list[this.i].next;
		this.i++;
	}

	document(): OutlineNode | undefined {
		const first = this.peek();
		if (!first) return undefined;
		const t = this.text;
		const c = t[first.start + first.indent];
		if (c === '%' || t.startsWith('---', first.start) || t.startsWith('...', first.start)) decline();
		const node = this.block(first.indent, first.start + first.indent);
		if (this.peek()) decline(); // content left over: not a shape the outline reads
		return node;
	}

	/** The block node starting at `at`, column `indent` of the line under the cursor. */
	private block(indent: number, at: number): OutlineNode {
		const t = this.text;
		if (isDash(t, at)) return this.seq(indent, at);
		if (this.keyAt(at)) return this.map(indent, at);
		// A lone scalar as the whole document.
		return this.value(at, this.peek()!, indent) ?? decline();
	}

	/** A key at `at`: its text and where its colon is, or undefined when no plain key starts there. */
	private keyAt(at: number): { key: string; colon: number } | undefined {
		const t = this.text;
		const m = PLAIN_KEY.exec(t.slice(at, Math.min(t.length, at + 512)));
		if (!m) return undefined;
		const colon = at + m[0].length;
		if (t[colon] !== ':') return undefined;
		const after = t[colon + 1];
		if (after !== undefined && after !== ' ' && after !== '\n' && after !== '\r') return undefined;
		return { key: m[0], colon };
	}

	/** A block mapping whose first key is at `at` and whose keys are at column `indent`. */
	private map(indent: number, at: number): OutlineNode {
		const t = this.text;
		const entries: NonNullable<OutlineNode['entries']> = [];
		for (let first = true; ; first = false) {
			const line = this.peek();
			if (!line) break;
			const keyStart = first ? at : line.start + line.indent;
			if (!first && line.indent !== indent) {
				if (line.indent > indent) decline();
				break;
			}
			if (!first && isDash(t, keyStart)) break;
			const k = this.keyAt(keyStart) ?? decline();
			let v = k.colon + 1;
			while (v < line.end && t[v] === ' ') v++;
			let value: OutlineNode | undefined;
			if (v < line.end && t[v] !== '#') value = this.value(v, line, indent) ?? decline();
			else {
				this.consume();
				const next = this.peek();
				const childAt = next ? next.start + next.indent : -1;
				// A nested block, or a sequence at the key's own indent (`containers:` then `- name:`).
				if (next && (next.indent > indent || (next.indent === indent && isDash(t, childAt)))) value = this.block(next.indent, childAt);
			}
			entries.push({ key: k.key, keySpan: { start: keyStart, end: k.colon }, value });
		}
		return { kind: 'map', span: { start: at, end: this.lastNext }, entries };
	}

	/** A block sequence whose first dash is at `at`, its dashes at column `indent`. */
	private seq(indent: number, at: number): OutlineNode {
		const t = this.text;
		const items: OutlineNode[] = [];
		for (let first = true; ; first = false) {
			const line = this.peek();
			if (!line) break;
			const dash = first ? at : line.start + line.indent;
			if (!first && (line.indent !== indent || !isDash(t, dash))) {
				if (line.indent > indent) decline();
				break;
			}
			let v = dash + 1;
			while (v < line.end && t[v] === ' ') v++;
			if (v >= line.end || t[v] === '#') decline(); // `-` alone, its item on the next lines: not read
			if (isDash(t, v)) decline(); // a sequence in a sequence on one line
			const col = v - line.start;
			items.push(this.keyAt(v) ? this.map(col, v) : (this.value(v, line, indent) ?? decline()));
		}
		return { kind: 'seq', span: { start: at, end: this.lastNext }, items };
	}

	/**
	 * A value that starts at `v` on `line` (the line under the cursor), owned by a key or dash at
	 * column `owner`: a scalar on that line, a flow collection closed on that line, or a block
	 * scalar. Consumes what it reads; undefined when it is not in the subset.
	 */
	private value(v: number, line: Line, owner: number): OutlineNode | undefined {
		const t = this.text;
		const c = t[v];
		if (c === '&' || c === '*' || c === '!' || c === '%' || c === '@' || c === '`' || c === '?' || c === '-' && isDash(t, v)) return undefined;
		if (c === '|' || c === '>') return this.blockScalar(v, line, owner);
		let end: number;
		let kind: OutlineNode['kind'] = 'scalar';
		if (c === '"') end = closeDouble(t, v, line.end);
		else if (c === "'") end = closeSingle(t, v, line.end);
		else if (c === '[' || c === '{') {
			end = closeFlow(t, v, line.end);
			kind = 'flow';
		} else {
			// Plain: to the last non-space character before a comment or the end of the line.
			end = v;
			for (let j = v; j < line.end; j++) {
				if (t[j] === '#' && t[j - 1] === ' ') break;
				if (t[j] === ':' && (j + 1 >= line.end || t[j + 1] === ' ')) return undefined; // `a: b: c`: not read
				if (t[j] !== ' ') end = j + 1;
			}
		}
		if (end < 0) return undefined;
		// Nothing but a comment may follow on the line.
		let j = end;
		while (j < line.end && t[j] === ' ') j++;
		if (j < line.end && (t[j] !== '#' || j === end)) return undefined;
		this.consume();
		// The next content line must not continue the value (a multi-line plain or quoted scalar).
		const next = this.peek();
		if (next && next.indent > owner && !(next.indent === owner + 0 && isDash(t, next.start + next.indent))) {
			// Deeper than the owner: a continuation line (or a shape the outline does not read).
			return undefined;
		}
		return { kind, span: { start: v, end } };
	}

	private blockScalar(v: number, line: Line, owner: number): OutlineNode | undefined {
		const t = this.text;
		const header = /^[|>]-?[ ]*(#.*)?$/.exec(t.slice(v, line.end));
		if (!header) return undefined;
		// Content: the following lines indented more than the owner (blank lines within included).
		const here = this.i;
		let lastContent = -1;
		for (let n = here + 1; n < this.list.length; n++) {
			const l = this.list[n];
			if (/^ *$/.test(t.slice(l.start, l.end))) continue;
			if (l.indent <= owner) break;
			lastContent = n;
		}
		if (lastContent < 0) return undefined;
		this.i = lastContent;
		this.consume();
		return { kind: 'scalar', span: { start: v, end: this.lastNext } };
	}
}

function isDash(t: string, at: number): boolean {
	if (t[at] !== '-') return false;
	const c = t[at + 1];
	return c === undefined || c === ' ' || c === '\n' || c === '\r';
}

function closeDouble(t: string, v: number, end: number): number {
	for (let j = v + 1; j < end; j++) {
		if (t[j] === '\\') j++;
		else if (t[j] === '"') return j + 1;
	}
	return -1;
}

function closeSingle(t: string, v: number, end: number): number {
	for (let j = v + 1; j < end; j++) {
		if (t[j] === "'") {
			if (t[j + 1] === "'") j++;
			else return j + 1;
		}
	}
	return -1;
}

function closeFlow(t: string, v: number, end: number): number {
	let depth = 0;
	for (let j = v; j < end; j++) {
		const c = t[j];
		if (c === '"') {
			j = closeDouble(t, j, end) - 1;
			if (j < 0) return -1;
		} else if (c === "'") {
			j = closeSingle(t, j, end) - 1;
			if (j < 0) return -1;
		} else if (c === '[' || c === '{') depth++;
		else if (c === ']' || c === '}') {
			depth--;
			if (depth === 0) return j + 1;
		} else if (c === '#' && t[j - 1] === ' ') return -1;
	}
	return -1;
}

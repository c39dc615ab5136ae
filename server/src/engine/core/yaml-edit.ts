import { isMap, isPair, isScalar, isSeq, type Node as YamlNode, type Pair, type Scalar, type YAMLMap } from 'yaml';
import type { NodePath, ParsedDocument } from './parse';
import type { LineIndex } from './text';
import type { Finding, Range } from './types';

/**
 * Line-wise YAML edits for quick fixes: add keys to a mapping or replace a scalar without
 * re-serialising anything, so the user's formatting and comments stay. New lines follow the
 * file's conventions: its line ending (LF or CRLF), its indentation step, and the style of the
 * mapping they go into (block lines, or `{a: b}` inside a flow mapping).
 */

/**
 * The text of a file and its line index: what the edits need of a file (the engine's
 * `FileAnalysis` is one; promotion builds one from a file's text).
 */
export interface EditSource {
	readonly parsed: { readonly text: string };
	readonly lines: LineIndex;
}

export interface TextEditEntry {
	range: Range;
	newText: string;
}

/** A key to add with a scalar value (YAML text) or a nested mapping. */
export type Entry = [key: string, value: string | Entry[]];

/** What every edit of one document needs. */
export interface EditContext {
	analysis: EditSource;
	doc: ParsedDocument;
	text: string;
	/** The file's line ending. */
	eol: string;
	/** The file's indentation step, in spaces. */
	step: string;
}

export function editContext(analysis: EditSource, doc: ParsedDocument): EditContext {
	const text = analysis.parsed.text;
	return { analysis, doc, text, eol: text.includes('\r\n') ? '\r\n' : '\n', step: ' '.repeat(indentStep(analysis, doc)) };
}

/** The column of an offset (file offsets). */
function column(ec: Pick<EditContext, 'analysis'>, offset: number): number {
	return ec.analysis.lines.positionAt(offset).character;
}

/**
 * How far the document indents a nested block mapping under its key (2 unless the file shows
 * otherwise). Only block mappings under block mappings count: list items may sit at any offset.
 */
export function indentStep(analysis: EditSource, doc: ParsedDocument): number {
	let found = 0;
	const visit = (node: unknown, depth: number): void => {
		if (found || depth > 50) return;
		if (isMap(node)) {
			for (const p of node.items) {
				const key = p.key as YamlNode | null;
				const value = p.value as YamlNode | null;
				if (!node.flow && isMap(value) && !value.flow && value.items.length > 0 && key?.range) {
					const child = value.items[0].key as YamlNode | null;
					if (child?.range) {
						const d = column({ analysis }, doc.base + child.range[0]) - column({ analysis }, doc.base + key.range[0]);
						if (d > 0) {
							found = d;
							return;
						}
					}
				}
				visit(value, depth + 1);
			}
		} else if (isSeq(node)) {
			for (const item of node.items) visit(item, depth + 1);
		}
	};
	visit(doc.doc.contents, 0);
	return found || 2;
}

export function pairOf(map: YAMLMap, key: string): Pair<YamlNode, YamlNode | null> | undefined {
	return map.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === key) as Pair<YamlNode, YamlNode | null> | undefined;
}

function blockLines(entries: Entry[], indent: string, step: string, comment?: string): string[] {
	const out: string[] = [];
	entries.forEach(([k, v], i) => {
		const note = i === 0 && comment ? ` # ${comment}` : '';
		if (typeof v === 'string') out.push(`${indent}${k}: ${v}${note}`);
		else out.push(`${indent}${k}:${note}`, ...blockLines(v, indent + step, step));
	});
	return out;
}

/** `a: 1, b: {c: 2}`: the entries as the items of a flow mapping. */
export function flowItems(entries: Entry[]): string {
	return entries.map(([k, v]) => `${k}: ${typeof v === 'string' ? v : `{${flowItems(v)}}`}`).join(', ');
}

function positionEdit(ec: EditContext, offset: number, newText: string, end = offset): TextEditEntry {
	return { range: ec.analysis.lines.rangeOf({ start: offset, end }), newText };
}

/** The offset where the line holding `offset` ends (before its `\r\n` or `\n`). */
function lineEnd(text: string, offset: number): number {
	const nl = text.indexOf('\n', offset);
	if (nl === -1) return text.length;
	return nl > 0 && text[nl - 1] === '\r' ? nl - 1 : nl;
}

/** The end of a pair's last line, after a trailing comment: where lines after it are inserted. */
function pairLineEnd(ec: EditContext, pair: Pair<YamlNode, YamlNode | null>): number | undefined {
	const key = pair.key;
	const value = pair.value;
	const last = value && value.range && value.range[1] > value.range[0] ? value.range[1] : key?.range?.[1];
	if (last === undefined) return undefined;
	let end = ec.doc.base + last;
	while (end > 0 && /\s/.test(ec.text[end - 1])) end--;
	return lineEnd(ec.text, end);
}

/**
 * Adds `entries` to a mapping: in a block mapping as lines at its keys' column (after `after`,
 * else after its last item; with `first`, before its first item when that starts its line), in
 * a flow mapping before its first item (or as its only items). `comment` goes on the first added
 * line (block style only). Edits of one fix never insert at the same offset: `first` is how a
 * fix adds to a mapping and to its last child mapping at once.
 */
export function addToMap(ec: EditContext, map: YAMLMap, entries: Entry[], opts: { after?: Pair; first?: boolean; comment?: string } = {}): TextEditEntry | undefined {
	if (entries.length === 0 || !map.range) return undefined;
	if (map.flow) {
		const first = map.items[0] as Pair<YamlNode> | undefined;
		if (!first) return positionEdit(ec, ec.doc.base + map.range[0], `{${flowItems(entries)}}`, ec.doc.base + map.range[1]);
		if (!first.key?.range) return undefined;
		return positionEdit(ec, ec.doc.base + first.key.range[0], `${flowItems(entries)}, `);
	}
	const first = map.items[0] as Pair<YamlNode> | undefined;
	if (!first?.key?.range) return undefined;
	const keyStart = ec.doc.base + first.key.range[0];
	const indent = ' '.repeat(column(ec, keyStart));
	const lineStart = keyStart - indent.length;
	if (opts.first && /^[ ]*$/.test(ec.text.slice(lineStart, keyStart))) {
		return positionEdit(ec, lineStart, blockLines(entries, indent, ec.step, opts.comment).join(ec.eol) + ec.eol);
	}
	const anchor = (opts.after ?? map.items[map.items.length - 1]) as Pair<YamlNode, YamlNode | null>;
	const at = pairLineEnd(ec, anchor);
	if (at === undefined) return undefined;
	return positionEdit(ec, at, ec.eol + blockLines(entries, indent, ec.step, opts.comment).join(ec.eol));
}

/**
 * Gives a key whose value is empty (`resources:`, `resources: ~`) the mapping `entries`: the
 * null is removed and the entries follow as block lines one step deeper than the key.
 */
export function fillEmptyPair(ec: EditContext, pair: Pair<YamlNode, YamlNode | null>, entries: Entry[], comment?: string): TextEditEntry[] | undefined {
	const key = pair.key;
	if (!key?.range) return undefined;
	const value = pair.value as Scalar | null;
	const indent = ' '.repeat(column(ec, ec.doc.base + key.range[0])) + ec.step;
	const edits: TextEditEntry[] = [];
	let from = ec.doc.base + key.range[1];
	if (value && value.range && value.range[1] > value.range[0]) {
		// `~` or `null`: drop it (keeping a comment after it), the mapping goes below.
		let start = ec.doc.base + value.range[0];
		while (start > from && (ec.text[start - 1] === ' ' || ec.text[start - 1] === '\t')) start--;
		edits.push(positionEdit(ec, start, '', ec.doc.base + value.range[1]));
		from = ec.doc.base + value.range[1];
	}
	edits.push(positionEdit(ec, lineEnd(ec.text, from), ec.eol + blockLines(entries, indent, ec.step, comment).join(ec.eol)));
	return edits;
}

/** Replaces a scalar's text (its value, keeping quotes' absence and a following comment). */
export function replaceScalar(ec: EditContext, node: YamlNode | null | undefined, newText: string): TextEditEntry | undefined {
	if (!isScalar(node) || !node.range) return undefined;
	return positionEdit(ec, ec.doc.base + node.range[0], newText, ec.doc.base + node.range[1]);
}

/** Whether the pair's value is empty: no node, or a null scalar. */
export function isEmptyValue(pair: Pair<YamlNode, YamlNode | null>): boolean {
	const v = pair.value;
	return v === null || v === undefined || (isScalar(v) && v.value === null);
}

/** A mechanical fix: the edits for one finding, or undefined where the YAML is not shaped for one. */
export type Fix = (ec: EditContext, finding: Finding, path: NodePath) => { title: string; edits: TextEditEntry[] } | undefined;

const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);

/** The path of the container a finding's path points into (`[..., 'containers', 0]`), or undefined. */
export function containerPath(path: NodePath): NodePath | undefined {
	const c = path.findIndex((p, i) => typeof p === 'string' && CONTAINER_LISTS.has(p) && typeof path[i + 1] === 'number');
	return c >= 0 ? path.slice(0, c + 2) : undefined;
}

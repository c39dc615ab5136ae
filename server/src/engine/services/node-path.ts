import { isMap, isPair, isScalar, isSeq, type Node as YamlNode } from 'yaml';
import type { NodePath, ParsedDocument, ParsedFile } from '../core/parse';
import type { TextSpan } from '../core/text';

/**
 * Position → node path: which YAML document, and which key or value inside it, a cursor is on.
 * Pure functions over a `ParsedFile`, shared by hover, completion and tests. Offsets are file
 * offsets (the adapter converts LSP positions with the document's LineIndex).
 */

/** Where a file offset falls inside a parsed YAML document. */
export interface NodeLocation {
	document: ParsedDocument;
	/** Path of the field whose key or value holds the offset (`[]` is the document root). */
	path: NodePath;
	/** Whether the offset is on the key of the last path element or on a value. */
	on: 'key' | 'value';
	/** File span of the key or value under the offset. */
	span: TextSpan;
}

/** The document of a file that contains `offset` (the one before it when the offset is between documents). */
export function documentAt(parsed: ParsedFile, offset: number): ParsedDocument | undefined {
	let found: ParsedDocument | undefined;
	for (const d of parsed.documents) {
		if (d.base + d.doc.range[0] <= offset) found = d;
		else break;
	}
	return found;
}

/** The key or value at a file offset, or undefined when the offset is on no node (blank line, comment, between documents). */
export function locate(parsed: ParsedFile, offset: number): NodeLocation | undefined {
	const document = documentAt(parsed, offset);
	if (!document || !document.doc.contents) return undefined;
	const local = offset - document.base;
	const hit = walk(document.doc.contents as YamlNode, [], local);
	if (!hit) return undefined;
	return { document, path: hit.path, on: hit.on, span: { start: hit.span.start + document.base, end: hit.span.end + document.base } };
}

interface Hit {
	path: NodePath;
	on: 'key' | 'value';
	span: TextSpan;
}

/** Whether a node's value range contains the offset; the end is inclusive so a cursor just after a word still counts. */
function contains(node: YamlNode | null | undefined, offset: number): node is YamlNode {
	return !!node && !!node.range && node.range[0] <= offset && offset <= node.range[1];
}

function walk(node: YamlNode, path: NodePath, offset: number): Hit | undefined {
	if (!contains(node, offset)) return undefined;
	// Iterative descent: a 10,000-deep document must not overflow the stack.
	let cur: YamlNode = node;
	let curPath = path;
	for (;;) {
		let next: { node: YamlNode; path: NodePath } | undefined;
		if (isMap(cur)) {
			for (const item of cur.items) {
				if (!isPair(item)) continue;
				const key = item.key as YamlNode | null;
				const name = isScalar(key) ? String(key.value) : undefined;
				if (name === undefined) continue;
				if (contains(key, offset)) return { path: [...curPath, name], on: 'key', span: { start: key.range![0], end: key.range![1] } };
				const value = item.value as YamlNode | null;
				if (contains(value, offset)) {
					next = { node: value, path: [...curPath, name] };
					break;
				}
			}
		} else if (isSeq(cur)) {
			for (let i = 0; i < cur.items.length; i++) {
				const value = cur.items[i] as YamlNode | null;
				if (contains(value, offset)) {
					next = { node: value, path: [...curPath, i] };
					break;
				}
			}
		}
		if (!next) return { path: curPath, on: 'value', span: { start: cur.range![0], end: cur.range![1] } };
		cur = next.node;
		curPath = next.path;
	}
}

/** What completion should offer at a position, derived from the text's indentation (the line being typed is often not valid YAML yet). */
export type CompletionSite =
	| {
			/** A new or partly typed key of the mapping at `parentPath`. */
			kind: 'key';
			document: ParsedDocument | undefined;
			parentPath: NodePath;
			/** The partly typed key and its file span (empty at a blank position). */
			prefix: string;
			replace: TextSpan;
	  }
	| {
			/** The value of `path` after `key: `. */
			kind: 'value';
			document: ParsedDocument | undefined;
			path: NodePath;
			prefix: string;
			replace: TextSpan;
	  };

const KEY_LINE = /^([ ]*)((?:-[ ]+)*)([^\s#:'"-][^:#]*?|)$/;
const VALUE_LINE = /^([ ]*)((?:-[ ]+)*)([^\s#:'"-][^:#]*?):[ ]+([^\s#]*)$/;

/** Decides whether the cursor completes a key or a value, and of which mapping. Undefined inside comments, flow collections or block scalars we cannot tell. */
export function completionSite(parsed: ParsedFile, offset: number): CompletionSite | undefined {
	const text = parsed.text;
	const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
	const before = text.slice(lineStart, offset);
	const document = documentAt(parsed, offset);
	let m = VALUE_LINE.exec(before);
	if (m) {
		const col = m[1].length + m[2].length;
		const parentPath = parentPathAt(parsed, document, lineStart, col, m[2].length > 0);
		if (!parentPath) return undefined;
		const prefix = m[4];
		return { kind: 'value', document, path: [...parentPath, m[3]], prefix, replace: { start: offset - prefix.length, end: wordEnd(text, offset) } };
	}
	m = KEY_LINE.exec(before);
	if (!m) return undefined;
	const col = m[1].length + m[2].length;
	const parentPath = parentPathAt(parsed, document, lineStart, col, m[2].length > 0);
	if (!parentPath) return undefined;
	const prefix = m[3];
	return { kind: 'key', document, parentPath, prefix, replace: { start: offset - prefix.length, end: wordEnd(text, offset) } };
}

function wordEnd(text: string, offset: number): number {
	let i = offset;
	while (i < text.length && /[^\s:#]/.test(text[i])) i++;
	return i;
}

interface LineShape {
	start: number;
	indent: number;
	/** Column of the first dash of a `- ` item, or -1. */
	dashCol: number;
	/** Column where the key (or scalar) content starts, after indentation and dashes. */
	keyCol: number;
	/** The line is `key:` with no value on it (a block mapping or sequence follows). */
	opensBlock: boolean;
	blank: boolean;
	marker: boolean;
}

function shape(text: string, start: number): LineShape {
	let end = text.indexOf('\n', start);
	if (end === -1) end = text.length;
	const line = text.slice(start, end).replace(/\r$/, '');
	const indent = /^ */.exec(line)![0].length;
	const dashes = /^((?:-[ ]+)*)/.exec(line.slice(indent))![0];
	const rest = line.slice(indent + dashes.length);
	return {
		start,
		indent,
		dashCol: dashes.length > 0 ? indent : -1,
		keyCol: indent + dashes.length,
		opensBlock: /^[^\s#][^#]*?:\s*(#.*)?$/.test(rest),
		blank: rest.trim() === '' || rest.trimStart().startsWith('#'),
		marker: /^(---|\.\.\.)(\s|$)/.test(line),
	};
}

/**
 * The path of the mapping a key typed at `col` on the line at `lineStart` belongs to, found by
 * walking up the lines: a sibling key at the same column names the mapping directly, a `key:`
 * line at a smaller column is the parent. `newItem` is true when the line starts a `- ` item.
 */
function parentPathAt(parsed: ParsedFile, document: ParsedDocument | undefined, lineStart: number, col: number, newItem: boolean): NodePath | undefined {
	const text = parsed.text;
	const dashCol = newItem ? text.slice(lineStart).search(/-/) : -1;
	const floor = document ? document.base + document.doc.range[0] : 0;
	let pos = lineStart;
	while (pos > floor) {
		const start = text.lastIndexOf('\n', pos - 2) + 1;
		pos = start;
		const l = shape(text, start);
		if (l.marker) break;
		if (l.blank) continue;
		const at = (c: number) => (document ? locate(parsed, start + c) : undefined);
		if (newItem) {
			if (l.dashCol === dashCol) {
				// A previous item of the same sequence: the new item comes after it.
				const hit = at(l.keyCol);
				if (!hit) return undefined;
				let i = hit.path.length - (hit.on === 'key' ? 2 : 1);
				while (i >= 0 && typeof hit.path[i] !== 'number') i--;
				if (i < 0) return undefined;
				return [...hit.path.slice(0, i), (hit.path[i] as number) + 1];
			}
			if (l.keyCol <= dashCol && l.opensBlock && l.dashCol !== dashCol) {
				const hit = at(l.keyCol);
				return hit && hit.on === 'key' ? [...hit.path, 0] : undefined;
			}
			if (l.keyCol < dashCol) return undefined;
			continue;
		}
		if (l.keyCol === col) {
			const hit = at(l.keyCol);
			if (!hit) return l.keyCol === 0 ? [] : undefined;
			return hit.on === 'key' ? hit.path.slice(0, -1) : hit.path;
		}
		if (l.keyCol < col) {
			if (!l.opensBlock) return undefined;
			const hit = at(l.keyCol);
			return hit && hit.on === 'key' ? hit.path : undefined;
		}
	}
	return col === 0 && !newItem ? [] : undefined;
}

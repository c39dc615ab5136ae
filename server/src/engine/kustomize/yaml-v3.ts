import { isMap, isPair, isScalar, isSeq, Scalar, type Node as YamlNode } from 'yaml';
import type { ParsedDocument } from '../core/parse';
import { fromPlain, type KNode, type Src } from './node';

/**
 * Kustomize reads manifests with go-yaml v3 (YAML 1.2 core scalars), not YAML 1.1 like
 * `kubectl apply -f`: an unquoted `yes`, `no`, `on`, `off`, `y`, `n` stays a string, and so does
 * a sexagesimal number like `1:30`; kustomize then writes them quoted. The engine's parser reads
 * YAML 1.1, so for objects that go through kustomize those few plain scalars are turned back
 * into their text. The document's syntax tree is needed for that, so it is only looked at when
 * the text contains such a word at all.
 */

const OLD_BOOL = /^(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;
const BASE60 = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
const MAYBE = /(^|[\s:,[{-])(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)[ \t]*($|[\r\n:,\]}#])|\d:[0-5]?\d/m;

function isV3String(n: unknown): n is Scalar {
	if (!isScalar(n) || n.type !== Scalar.PLAIN || n.tag) return false;
	const src = (n as Scalar & { source?: string }).source ?? (typeof n.value === 'string' ? n.value : undefined);
	if (src === undefined) return false;
	return (OLD_BOOL.test(src) && typeof n.value === 'boolean') || (BASE60.test(src) && typeof n.value === 'number');
}

function sourceOf(n: Scalar): string {
	return (n as Scalar & { source?: string }).source ?? String(n.value);
}

/** The node tree of a parsed document, with go-yaml v3's reading of YAML 1.1-only scalars. */
export function nodeOfDocument(d: Pick<ParsedDocument, 'value' | 'doc'> & { segment?: { text: string } }, src: Src): KNode {
	const node = fromPlain(d.value, src);
	const text = d.segment?.text;
	if (text !== undefined && !MAYBE.test(text) && !text.includes('${')) return node;
	let root: YamlNode | null | undefined;
	try {
		root = d.doc.contents as YamlNode | null;
	} catch {
		return node;
	}
	fix(root, node, 0);
	markQuoted(root, node);
	return node;
}

function markQuoted(y: unknown, k: KNode): void {
	if (k.kind === 'scalar' && isScalar(y) && y.type !== undefined && y.type !== Scalar.PLAIN && typeof k.value === 'string') k.quoted = true;
}

function fix(y: unknown, k: KNode, depth: number): void {
	if (depth > 200 || y === null || y === undefined) return;
	if (isMap(y) && k.kind === 'map') {
		for (const pair of y.items) {
			if (!isPair(pair)) continue;
			const key = pair.key;
			let name = isScalar(key) ? String(key.value) : undefined;
			if (name === undefined) continue;
			if (isV3String(key) && k.entries.has(name)) {
				// Rename the key, keeping the order of the entries.
				const text = sourceOf(key);
				const entries = [...k.entries].map(([kk, v]): [string, KNode] => (kk === name ? [text, v] : [kk, v]));
				k.entries = new Map(entries);
				name = text;
			}
			const child = k.entries.get(name);
			if (!child) continue;
			if (isV3String(pair.value) && child.kind === 'scalar') child.value = sourceOf(pair.value as Scalar);
			else fix(pair.value, child, depth + 1);
			markQuoted(pair.value, child);
		}
	} else if (isSeq(y) && k.kind === 'seq') {
		y.items.forEach((item, i) => {
			const child = k.items[i];
			if (!child) return;
			if (isV3String(item) && child.kind === 'scalar') child.value = sourceOf(item as Scalar);
			else fix(item, child, depth + 1);
			markQuoted(item, child);
		});
	}
}

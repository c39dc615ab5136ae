import { isMap, isPair, isScalar, isSeq, type Document, type Node as YamlNode } from 'yaml';

/**
 * How kustomize reads a scalar. The API server and kubectl read manifests as YAML 1.1 (`on`, `yes`,
 * `n` are booleans), but kustomize's YAML library (kyaml, go-yaml v3) reads YAML 1.2, where those
 * words are strings, and writes them quoted: after `kustomize build` (kubectl kustomize, Flux's
 * kustomize-controller, Argo CD) `feature: on` is the string "on" and `stdin: yes` the string
 * "yes". Numbers (`1.30`, `010`) and `true`/`false` read the same in both.
 *
 * A file kustomize reads is judged on what it writes: `asKustomizeReads` turns the YAML 1.1-only
 * booleans of a parsed document back into the strings kustomize makes of them.
 */

/** The words YAML 1.1 reads as booleans and YAML 1.2 as strings. */
export const YAML11_ONLY_BOOLEAN = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;

/** Cheap pre-filter: a plain (unquoted) such word as a value, list item or key somewhere in the text. */
const CANDIDATE = /(?:^|[\s:,[{-])(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)(?:\s*(?:#.*)?$|\s*[,\]}:])/m;

export function mayHaveYaml11Booleans(text: string): boolean {
	return CANDIDATE.test(text);
}

/**
 * The document's value as kustomize reads it: every plain scalar that YAML 1.1 made a boolean from
 * one of those words is the word itself (a key too). Returns `value` itself when nothing changes.
 */
export function asKustomizeReads(doc: Document.Parsed, value: unknown): unknown {
	const out = convert(doc.contents as YamlNode | null, value, 0);
	return out.changed ? out.value : value;
}

function yaml11Word(node: unknown): string | undefined {
	if (!isScalar(node) || typeof node.value !== 'boolean' || node.type !== 'PLAIN') return undefined;
	const src = node.source;
	return typeof src === 'string' && YAML11_ONLY_BOOLEAN.test(src) ? src : undefined;
}

function convert(node: YamlNode | null | undefined, value: unknown, depth: number): { value: unknown; changed: boolean } {
	if (depth > 200 || node === null || node === undefined) return { value, changed: false };
	const word = yaml11Word(node);
	if (word !== undefined) return { value: word, changed: true };
	if (isMap(node) && value !== null && typeof value === 'object' && !Array.isArray(value)) {
		const obj = value as Record<string, unknown>;
		let changed = false;
		const next: Record<string, unknown> = {};
		for (const [k, v] of Object.entries(obj)) next[k] = v;
		for (const pair of node.items) {
			if (!isPair(pair)) continue;
			const keyWord = yaml11Word(pair.key);
			const jsKey = isScalar(pair.key) ? String(pair.key.value) : undefined;
			if (jsKey === undefined || !(jsKey in obj)) continue;
			const inner = convert(pair.value as YamlNode | null, obj[jsKey], depth + 1);
			if (keyWord !== undefined && keyWord !== jsKey) {
				delete next[jsKey];
				next[keyWord] = inner.value;
				changed = true;
			} else if (inner.changed) {
				next[jsKey] = inner.value;
				changed = true;
			}
		}
		return changed ? { value: next, changed } : { value, changed: false };
	}
	if (isSeq(node) && Array.isArray(value)) {
		let changed = false;
		const next = value.map((v, i) => {
			const inner = convert(node.items[i] as YamlNode | null, v, depth + 1);
			if (inner.changed) changed = true;
			return inner.value;
		});
		return changed ? { value: next, changed } : { value, changed: false };
	}
	return { value, changed: false };
}

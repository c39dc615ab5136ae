import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex } from '@noble/hashes/utils';
import { goJson, utf8Bytes } from './encoding';
import { get, isMap, toPlain, type KMap } from './node';

/**
 * The name suffix of generated ConfigMaps and Secrets, exactly as kustomize's `api/hasher`
 * computes it: the sha256 of the Go JSON encoding of {kind, name, data[, binaryData]} (Secrets:
 * also type and stringData), its first ten hex digits with 0,1,3,a,e mapped to g,h,k,m,t so the
 * suffix never looks like a number or a word. Kustomize looks the name up with the single key
 * "metadata/name", which finds nothing, so the name it hashes is always "": kept here.
 */

export function encodeHash(hex: string): string {
	const map: Record<string, string> = { '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' };
	return [...hex.slice(0, 10)].map((c) => map[c] ?? c).join('');
}

function valueOf(node: KMap, field: string): unknown {
	const v = get(node, field);
	if (v === undefined) return '';
	if (v.kind === 'scalar') return v.value === null ? '' : String(v.value);
	return toPlain(v);
}

export function generatorHash(node: KMap): string {
	const kind = get(node, 'kind');
	const k = kind?.kind === 'scalar' ? kind.value : '';
	let m: Record<string, unknown>;
	if (k === 'ConfigMap') {
		m = { kind: 'ConfigMap', name: '', data: valueOf(node, 'data') };
		if (isMap(get(node, 'binaryData'))) m.binaryData = valueOf(node, 'binaryData');
	} else if (k === 'Secret') {
		m = { kind: 'Secret', type: valueOf(node, 'type'), name: '', data: valueOf(node, 'data') };
		if (isMap(get(node, 'stringData'))) m.stringData = valueOf(node, 'stringData');
	} else {
		m = toPlain(node) as Record<string, unknown>;
	}
	return encodeHash(bytesToHex(sha256(utf8Bytes(goJson(m)))));
}

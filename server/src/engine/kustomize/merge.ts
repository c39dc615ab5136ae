import { get, isMap, isMissingOrNull, isNull, scalar, textOf, type KMap, type KNode, type KSeq } from './node';
import { fieldSchema, isAssociative, schemaFor, type PatchSchema } from './patch-meta';
import { compareGo } from './encoding';

/**
 * Strategic merge patches as kustomize v5.5 applies them: a port of kyaml's `merge2` walker
 * (`kyaml/yaml/walk`, `kyaml/yaml/merge2`) with the options kustomize's patch filter uses
 * (list elements from the patch come first). It keeps kyaml's exact, sometimes surprising,
 * behaviour, checked against `kubectl kustomize`:
 *
 * - maps merge key by key; `null` removes a field; `$patch: delete|replace|merge` on a map;
 * - lists without a merge strategy in the schema (and every list of a custom resource) are
 *   replaced by the patch's list;
 * - associative lists merge by their keys; the patch's elements come first, then the elements
 *   only the target has; `- $patch: replace` replaces the list, `$patch: delete` in an element
 *   removes it; lists with several keys (container ports: containerPort and protocol) follow
 *   kyaml's matching, which drops a patch element whose keys only partly match;
 * - `$retainKeys` and `$setElementOrder` are not directives for kyaml: they stay as plain fields.
 *
 * The walk mutates the target tree in place and takes nodes from the patch (which keep the
 * patch's places), so the caller passes a copy of the patch for each target.
 */

export class MergeError extends Error {}

/** Merges `patch` into `target`; returns the merged object, or undefined when the patch deletes it. */
export function strategicMerge(target: KMap, patch: KMap): KNode | undefined {
	const apiVersion = get(target, 'apiVersion');
	const kind = get(target, 'kind');
	const schema = schemaFor(textOf(apiVersion), textOf(kind));
	return walk(target, patch, schema);
}

function nilOrEmpty(n: KNode | undefined): boolean {
	if (n === undefined || isNull(n)) return true;
	if (n.kind === 'map') return n.entries.size === 0;
	if (n.kind === 'seq') return n.items.length === 0;
	return false;
}

function isEmptyMap(n: KNode | undefined): boolean {
	return n !== undefined && n.kind === 'map' && n.entries.size === 0;
}

function nodeKind(dest: KNode | undefined, origin: KNode | undefined): KNode['kind'] | 0 {
	if (!nilOrEmpty(dest)) return dest!.kind;
	if (!nilOrEmpty(origin)) return origin!.kind;
	return 0;
}

/** The schema of an embedded object: kyaml looks one up for any map carrying apiVersion and kind. */
function embeddedSchema(dest: KNode | undefined, origin: KNode | undefined): PatchSchema | undefined {
	for (const n of [dest, origin]) {
		if (!isMap(n)) continue;
		const a = textOf(get(n, 'apiVersion'));
		const k = textOf(get(n, 'kind'));
		if (a && k) {
			const s = schemaFor(a, k);
			if (s) return s;
		}
	}
	return undefined;
}

function walk(dest: KNode | undefined, origin: KNode | undefined, schema: PatchSchema | undefined): KNode | undefined {
	schema ??= embeddedSchema(dest, origin);
	const kind = nodeKind(dest, origin);
	if (kind !== 0) {
		for (const s of [dest, origin]) {
			if (s !== undefined && !isNull(s) && s.kind !== kind) {
				throw new MergeError(`The patch has a ${describe(origin)} where the target has a ${describe(dest)}; kustomize cannot merge them.`);
			}
		}
	}
	switch (kind) {
		case 'seq':
			return isAssociative(schema) ? walkAssociative(dest, origin, schema!) : origin !== undefined ? origin : dest;
		case 'scalar':
			if (isNull(origin)) return undefined;
			return origin !== undefined ? origin : dest;
		default:
			return walkMap(dest, origin, schema);
	}
}

function describe(n: KNode | undefined): string {
	if (n === undefined) return 'missing value';
	return n.kind === 'map' ? 'map' : n.kind === 'seq' ? 'list' : 'scalar';
}

type Directive = 'merge' | 'replace' | 'delete';

function mapDirective(patch: KNode | undefined): Directive {
	if (patch === undefined) return 'merge';
	if (patch.kind === 'seq') return seqDirective(patch);
	if (patch.kind !== 'map') throw new MergeError(`A strategic merge patch cannot merge the scalar '${textOf(patch)}' into a map.`);
	const d = patch.entries.get('$patch');
	if (d === undefined) return 'merge';
	const v = textOf(d);
	if (v === 'delete' || v === 'replace' || v === 'merge') {
		patch.entries.delete('$patch');
		return v;
	}
	throw new MergeError(`Unknown patch directive '$patch: ${v}' (expected delete, replace or merge).`);
}

function seqDirective(patch: KSeq): Directive {
	const el = patch.items.find((i) => i.kind === 'map' && i.entries.has('$patch')) as KMap | undefined;
	if (el === undefined || el.entries.size > 1) return 'merge';
	const v = textOf(el.entries.get('$patch'));
	if (v === 'delete' || v === 'replace' || v === 'merge') {
		elementSetter(patch, undefined, ['$patch'], [v]);
		return v;
	}
	throw new MergeError(`Unknown patch directive '- $patch: ${v}' (expected replace or merge).`);
}

function walkMap(dest: KNode | undefined, origin: KNode | undefined, schema: PatchSchema | undefined): KNode | undefined {
	let result: KNode | undefined;
	if (isMissingOrNull(dest)) {
		let d: Directive = 'merge';
		try {
			d = mapDirective(origin);
		} catch {
			// kyaml ignores a bad directive on an added map
		}
		if (d === 'delete') return undefined;
		if (origin === undefined && dest !== undefined) return scalar(null, dest.src);
		result = origin;
	} else if (isNull(origin)) {
		return undefined;
	} else {
		const d = mapDirective(origin);
		if (d === 'delete') return undefined;
		result = d === 'replace' ? origin : dest;
	}
	if (result === undefined || result.kind !== 'map') return result;
	const keys = new Set<string>(result.entries.keys());
	if (isMap(origin)) for (const k of origin.entries.keys()) keys.add(k);
	for (const key of [...keys].sort(compareGo)) {
		const d = result.entries.get(key);
		const o = isMap(origin) ? origin.entries.get(key) : undefined;
		const val = walk(d, o, fieldSchema(schema, key));
		// A null the patch writes removes the field; a null only the target has stays (kyaml keeps `key: ~`).
		if (val === undefined || (isNull(val) && o !== undefined)) result.entries.delete(key);
		else result.entries.set(key, val);
	}
	return result;
}

function walkAssociative(dest: KNode | undefined, origin: KNode | undefined, schema: PatchSchema): KNode | undefined {
	let result: KNode | undefined;
	if (isMissingOrNull(dest)) result = origin;
	else if (isNull(origin)) return undefined;
	else {
		const d = origin !== undefined && origin.kind === 'seq' ? seqDirective(origin) : 'merge';
		if (d === 'delete') throw new MergeError(`'$patch: delete' is not valid for a whole list.`);
		result = d === 'replace' ? origin : dest;
	}
	if (result === undefined || result.kind !== 'seq') return result;
	const keys = schema.keys ?? [];
	const src = [origin, result]; // the patch's elements first (kustomize's ListIncreaseDirection: prepend)
	const values = elementValues(src, keys);
	if (values.length > 0 || keys.length > 0) return setElements(values, keys, result, origin, schema.elements);
	return setElements(primitiveValues(src), [''], result, origin, schema.elements);
}

function elementValues(sources: (KNode | undefined)[], keys: string[]): string[][] {
	const out: string[][] = [];
	const seen = new Set<string>();
	for (const s of sources) {
		if (s === undefined || s.kind !== 'seq') continue;
		for (const item of s.items) {
			const tuple = keys.map((k) => {
				const f = get(item, k);
				return nilOrEmpty(f) ? '' : textOf(f);
			});
			const id = JSON.stringify(tuple);
			if (tuple.length === 0 || seen.has(id)) continue;
			out.push(tuple);
			seen.add(id);
		}
	}
	return out;
}

function primitiveValues(sources: (KNode | undefined)[]): string[][] {
	const out: string[][] = [];
	const seen = new Set<string>();
	for (const s of sources) {
		if (s === undefined || s.kind !== 'seq') continue;
		for (const item of s.items) {
			const t = textOf(item);
			if (seen.has(t)) continue;
			out.push([t]);
			seen.add(t);
		}
	}
	return out;
}

function validateKeys(valuesList: string[][], values: string[], keys: string[]): [string[], string[]] {
	const valid = new Set<string>();
	for (const vs of valuesList) vs.forEach((v, i) => v !== '' && valid.add(keys[i]));
	if (valid.size === 0) return [keys, values];
	return [keys.filter((k) => valid.has(k)), values.filter((v, i) => v !== '' || valid.has(keys[i]))];
}

/** Tuples that agree wherever both have a value are the same element (a port without protocol is TCP's). */
function mergeValues(valuesList: string[][]): void {
	for (let i = 0; i < valuesList.length; i++) {
		for (let j = 0; j < valuesList.length; j++) {
			const m = matchTuples(valuesList[i], valuesList[j]);
			if (m) {
				valuesList[i] = m;
				valuesList[j] = m;
			}
		}
	}
}

function matchTuples(a: string[], b: string[]): string[] | undefined {
	if (a.length !== b.length) return undefined;
	let common = false;
	const res: string[] = [];
	for (let i = 0; i < a.length; i++) {
		if (a[i] === b[i]) {
			common = true;
			res.push(a[i]);
			continue;
		}
		if (a[i] !== '' && b[i] !== '') return undefined;
		res.push(a[i] !== '' ? a[i] : b[i]);
	}
	return common ? res : undefined;
}

function setElements(valuesList: string[][], keys: string[], dest: KSeq, origin: KNode | undefined, elemSchema: PatchSchema | undefined): KNode | undefined {
	const added: KSeq = { kind: 'seq', src: dest.src, items: [] };
	if (keys.length > 1) mergeValues(valuesList);
	let validKeys: string[] = keys;
	for (const values of valuesList) {
		if (values.length === 0) continue;
		let validValues: string[];
		[validKeys, validValues] = validateKeys(valuesList, values, keys);
		const [k2, v2] = validateKeys([validValues], validValues, validKeys);
		const d = elementList(dest, k2, v2);
		const o = elementList(origin, k2, v2);
		// The merge keys of an element both sides have stay the target's: the patch only names the element.
		const keyNodes = isMap(d) ? validKeys.map((key) => d.entries.get(key)) : [];
		const val = walk(d, o, elemSchema);
		if (val === d && isMap(d)) {
			validKeys.forEach((key, i) => {
				const before = keyNodes[i];
				const now = d.entries.get(key);
				if (before && now && before !== now && textOf(before) === textOf(now)) d.entries.set(key, before);
			});
		}
		let exit = false;
		for (let i = 0; i < validKeys.length; i++) {
			if (isMissingOrNull(val) || isEmptyMap(val)) {
				elementSetter(dest, undefined, validKeys, validValues);
				exit = true;
			} else if (validKeys[i] !== '' && val!.kind === 'map' && !val!.entries.has(validKeys[i]) && validValues[i] !== '') {
				val!.entries.set(validKeys[i], scalar(validValues[i], val!.src));
			}
		}
		if (exit) continue;
		elementSetter(added, val, validKeys, validValues);
	}
	let result: KSeq = dest;
	if (valuesList.length > 0) result = appendListNode(added, dest, validKeys);
	return result;
}

/** kyaml's `appendListNode`: sets each element of `src` into `dst` by its keys. */
function appendListNode(dst: KSeq, src: KSeq, keys: string[]): KSeq {
	for (const elem of src.items) {
		if (keys[0] === '') {
			elementSetter(dst, elem, [''], [textOf(elem)]);
			continue;
		}
		const v: string[] = [];
		for (const key of keys) {
			const f = fieldMatcher(elem, key, undefined);
			if (f === undefined) {
				dst.items.push(elem);
				continue;
			}
			v.push(textOf(f));
		}
		if (keys.length > 1) elementSetter(dst, undefined, keys, v);
		elementSetter(dst, elem, keys, v);
	}
	return dst;
}

/** kyaml's `FieldMatcher`: the field `name` of a map element (with value `value` when given), or a scalar equal to `value`. */
function fieldMatcher(node: KNode | undefined, name: string, value: string | undefined): KNode | undefined {
	if (isMissingOrNull(node)) return undefined;
	if (name === '') {
		if (node!.kind !== 'scalar') throw new MergeError('A list mixes plain values and objects; kustomize cannot merge it.');
		return textOf(node) === (value ?? '') ? node : undefined;
	}
	if (node!.kind !== 'map') throw new MergeError(`A list element is not an object, so it has no merge key '${name}'.`);
	const f = node!.entries.get(name);
	if (f === undefined) return undefined;
	if (value !== undefined && textOf(f) !== value) return undefined;
	return f;
}

/** kyaml's `ElementSetter`: replaces (or with no element, removes) the elements matching the keys; appends when none matches. */
function elementSetter(seq: KSeq, element: KNode | undefined, keysIn: string[], values: string[]): void {
	const keys = keysIn.length === 0 ? [''] : keysIn;
	const mappingSetter = keys[0] !== '' && values.length > 0 && values[0] !== '';
	const next: KNode[] = [];
	let found = false;
	for (const elem of seq.items) {
		if (isMissingOrNull(elem) || isEmptyMap(elem)) continue;
		if (elem.kind !== 'map' && mappingSetter) {
			next.push(elem);
			continue;
		}
		let val: KNode | undefined;
		let matched = true;
		for (let j = 0; j < keys.length; j++) {
			if (j < values.length) val = fieldMatcher(elem, keys[j], values[j] === '' ? undefined : values[j]);
			if (val === undefined) {
				matched = false;
				break;
			}
		}
		if (!matched) {
			if (values.length > 0) next.push(elem);
			continue;
		}
		found = true;
		if (element === undefined) continue;
		next.push(element);
	}
	seq.items = next;
	if (isMissingOrNull(element)) return;
	if (!found) seq.items.push(element!);
}

/** kyaml's `ElementList`: the first element whose keys have exactly these values. */
function elementList(seq: KNode | undefined, keysIn: string[], valuesIn: string[]): KNode | undefined {
	if (seq === undefined || seq.kind !== 'seq') return undefined;
	const keys = keysIn.length === 0 ? [''] : keysIn;
	const values = valuesIn.length === 0 ? [''] : valuesIn;
	if (keys[0] === '') return seq.items.find((i) => (i.kind === 'scalar' ? textOf(i) : '') === values[0]);
	if (keys.length !== values.length) return undefined;
	return seq.items.find((i) => i.kind === 'map' && keys.every((k, n) => i.entries.has(k) && textOf(i.entries.get(k)) === values[n]));
}

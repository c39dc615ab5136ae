import { cloneNode, equalData, type KMap, type KNode } from './node';

/**
 * RFC 6902 JSON patches on the node tree, with the semantics of evanphx/json-patch (which
 * kustomize uses): `add` on an existing key replaces it, `-` appends to a list, `replace` and
 * `remove` need the target to exist, `test` compares deeply. Values keep the places of the patch
 * operations they come from.
 */

export interface JsonOp {
	op: string;
	path: string;
	from?: string;
	value?: KNode;
	/** Index of the operation in the patch (for messages). */
	index: number;
}

export class JsonPatchError extends Error {}

function parsePointer(p: string): string[] {
	if (p === '') return [];
	if (!p.startsWith('/')) throw new JsonPatchError(`The path '${p}' is not a JSON pointer (it must start with '/').`);
	return p
		.slice(1)
		.split('/')
		.map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

interface Slot {
	parent: KNode;
	key: string;
}

function locate(root: KMap, tokens: string[], op: JsonOp): Slot {
	let cur: KNode = root;
	for (let i = 0; i < tokens.length - 1; i++) {
		const next = child(cur, tokens[i]);
		if (next === undefined) throw new JsonPatchError(`Operation ${op.index} (${op.op} ${op.path}): '${tokens.slice(0, i + 1).join('/')}' does not exist in the target.`);
		cur = next;
	}
	return { parent: cur, key: tokens[tokens.length - 1] };
}

function child(n: KNode, key: string): KNode | undefined {
	if (n.kind === 'map') return n.entries.get(key);
	if (n.kind === 'seq') {
		const i = index(key, n.items.length, false);
		return i === undefined ? undefined : n.items[i];
	}
	return undefined;
}

function index(key: string, length: number, forAdd: boolean): number | undefined {
	if (key === '-' && forAdd) return length;
	if (!/^(0|[1-9][0-9]*)$/.test(key)) return undefined;
	const i = Number(key);
	return i < (forAdd ? length + 1 : length) ? i : undefined;
}

function getAt(root: KMap, path: string, op: JsonOp): KNode {
	const tokens = parsePointer(path);
	if (tokens.length === 0) return root;
	const slot = locate(root, tokens, op);
	const v = child(slot.parent, slot.key);
	if (v === undefined) throw new JsonPatchError(`Operation ${op.index} (${op.op}): '${path}' does not exist in the target.`);
	return v;
}

function removeAt(root: KMap, path: string, op: JsonOp): KNode {
	const tokens = parsePointer(path);
	if (tokens.length === 0) throw new JsonPatchError(`Operation ${op.index} (${op.op}): the whole object cannot be removed.`);
	const { parent, key } = locate(root, tokens, op);
	if (parent.kind === 'map') {
		const v = parent.entries.get(key);
		if (v === undefined) throw new JsonPatchError(`Operation ${op.index} (${op.op} ${path}): the field does not exist in the target.`);
		parent.entries.delete(key);
		return v;
	}
	if (parent.kind === 'seq') {
		const i = index(key, parent.items.length, false);
		if (i === undefined) throw new JsonPatchError(`Operation ${op.index} (${op.op} ${path}): index ${key} is out of range.`);
		return parent.items.splice(i, 1)[0];
	}
	throw new JsonPatchError(`Operation ${op.index} (${op.op} ${path}): the parent is not an object or a list.`);
}

function addAt(root: KMap, path: string, value: KNode, op: JsonOp, replace: boolean): void {
	const tokens = parsePointer(path);
	if (tokens.length === 0) {
		if (value.kind !== 'map') throw new JsonPatchError(`Operation ${op.index} (${op.op}): the whole object can only be replaced by an object.`);
		root.entries = value.entries;
		return;
	}
	const { parent, key } = locate(root, tokens, op);
	if (parent.kind === 'map') {
		if (replace && !parent.entries.has(key)) throw new JsonPatchError(`Operation ${op.index} (replace ${path}): the field does not exist in the target; use 'add'.`);
		parent.entries.set(key, value);
		return;
	}
	if (parent.kind === 'seq') {
		const i = index(key, parent.items.length, !replace);
		if (i === undefined) throw new JsonPatchError(`Operation ${op.index} (${op.op} ${path}): index ${key} is out of range.`);
		if (replace) parent.items[i] = value;
		else parent.items.splice(i, 0, value);
		return;
	}
	throw new JsonPatchError(`Operation ${op.index} (${op.op} ${path}): the parent is not an object or a list.`);
}

/** Applies the operations in order to `root` (mutated). Throws JsonPatchError on the first failing one. */
export function applyJsonPatch(root: KMap, ops: JsonOp[]): void {
	for (const op of ops) {
		switch (op.op) {
			case 'add':
				addAt(root, op.path, cloneNode(need(op)), op, false);
				break;
			case 'replace':
				addAt(root, op.path, cloneNode(need(op)), op, true);
				break;
			case 'remove':
				removeAt(root, op.path, op);
				break;
			case 'move': {
				const v = removeAt(root, from(op), op);
				addAt(root, op.path, v, op, false);
				break;
			}
			case 'copy':
				addAt(root, op.path, cloneNode(getAt(root, from(op), op)), op, false);
				break;
			case 'test':
				if (!equalData(getAt(root, op.path, op), need(op))) throw new JsonPatchError(`Operation ${op.index} (test ${op.path}) failed: the target's value differs.`);
				break;
			default:
				throw new JsonPatchError(`Operation ${op.index}: unknown op '${op.op}' (expected add, remove, replace, move, copy or test).`);
		}
	}
}

function need(op: JsonOp): KNode {
	if (op.value === undefined) throw new JsonPatchError(`Operation ${op.index} (${op.op} ${op.path}) has no value.`);
	return op.value;
}

function from(op: JsonOp): string {
	if (op.from === undefined) throw new JsonPatchError(`Operation ${op.index} (${op.op} ${op.path}) has no 'from'.`);
	return op.from;
}

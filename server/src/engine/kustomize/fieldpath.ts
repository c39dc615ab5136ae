import { emptyMap, isNull, scalar, type KMap, type KNode, type Src } from './node';
import { gvkOf, gvkSelected } from './resource';
import type { FieldSpec } from './fieldspecs';

/**
 * Kustomize's field-spec traversal (api/filters/fieldspec): follows a spec's path through maps,
 * visits every element of a list on the way, and creates missing fields when the spec says
 * `create: true`. The visitor gets the node at the end of the path (and may change it in place).
 */

export class FieldPathError extends Error {}

export type CreateKind = 'map' | 'scalar';

export function splitPath(path: string): string[] {
	const parts = path.split('/');
	const out: string[] = [parts[0]];
	for (let i = 1; i < parts.length; i++) {
		const last = out.length - 1;
		if (out[last].endsWith('\\')) out[last] = out[last].slice(0, -1) + '/' + parts[i];
		else out.push(parts[i]);
	}
	return out;
}

export function specMatches(spec: FieldSpec, obj: KMap): boolean {
	return gvkSelected(gvkOf(obj), { group: spec.group, version: spec.version, kind: spec.kind });
}

/**
 * Visits the nodes at `spec.path` of `obj` (when the spec's gvk matches). `createKind` is the kind
 * of a created leaf; created nodes are placed at `createSrc`.
 */
export function visitFieldSpec(obj: KMap, spec: FieldSpec, visit: (node: KNode) => void, createKind?: CreateKind, createSrc?: Src): void {
	if (!specMatches(spec, obj)) return;
	walk(obj, splitPath(spec.path), spec.create === true, visit, createKind, createSrc ?? obj.src);
}

function walk(node: KNode, path: string[], create: boolean, visit: (node: KNode) => void, createKind: CreateKind | undefined, createSrc: Src): void {
	if (path.length === 0) {
		visit(node);
		return;
	}
	if (node.kind === 'seq') {
		for (const item of node.items) walk(item, path, create, visit, createKind, createSrc);
		return;
	}
	if (node.kind !== 'map') throw new FieldPathError(`expected a map or a list at '${path.join('/')}', found a value`);
	const isSeq = path[0].endsWith('[]');
	const name = isSeq ? path[0].slice(0, -2) : path[0];
	let field = node.entries.get(name);
	const leaf = path.length === 1;
	if (field === undefined) {
		if (!create || createKind === undefined || isSeq) return;
		field = leaf && createKind === 'scalar' ? scalar('', createSrc) : emptyMap(createSrc);
		node.entries.set(name, field);
	} else if (isNull(field)) {
		// A null field becomes the kind the path expects (kustomize retypes the null node).
		const kind = isSeq ? 'seq' : !create || createKind === undefined ? undefined : leaf ? createKind : 'map';
		if (kind === 'seq') field = { kind: 'seq', src: field.src, items: [] };
		else if (kind === 'map') field = emptyMap(field.src);
		else if (kind === 'scalar') field = scalar('', field.src);
		node.entries.set(name, field);
	}
	walk(field, path.slice(1), create, visit, createKind, createSrc);
}

import { parseFile } from '../core/parse';
import { loadRestriction, note, type Build } from './build-context';
import { applyJsonPatch, JsonPatchError, type JsonOp } from './json6902';
import type { Field, Kustomization, PatchEntry } from './kustomization';
import { MergeError, strategicMerge } from './merge';
import { childSrc, cloneNode, docSrc, flatten, get, isMap, scalar, textOf, type KMap, type KNode, type Src } from './node';
import { joinInside as joinPath } from '../core/paths';
import { allIds, cloneRes, curId, idEquals, idString, storePreviousId, type Res } from './resource';
import { select, type Selector } from './selector';
import { nodeOfDocument } from './yaml-v3';

/**
 * The three patch fields of a kustomization: `patchesStrategicMerge` (legacy), `patches`
 * (strategic merge or JSON 6902, from a file or inline, optionally with a target selector) and
 * `patchesJson6902` (legacy). Patched values keep the place of the patch they come from: the
 * patch file's node, or the `patch:` field for an inline patch.
 */

interface PatchDoc {
	node: KNode;
	src: Src;
}

type Loaded = { docs: PatchDoc[]; what: string } | undefined;

function describeTarget(t: Selector): string {
	return Object.entries(t)
		.filter(([, v]) => v)
		.map(([k, v]) => `${k}=${v}`)
		.join(', ');
}

/** The documents of a patch, from its file or its inline text. */
function load(b: Build, k: Kustomization, path: Field<string> | undefined, inline: Field<string> | undefined, at: Src, allowInlineFallback: boolean): Loaded {
	if (path && inline) {
		note(b, 'error', 'kustomize-patch', `A patch has both 'path' and 'patch'; kustomize takes one of them.`, at);
		return undefined;
	}
	if (!path && !inline) {
		note(b, 'error', 'kustomize-patch', `A patch needs 'path' (a file) or 'patch' (inline YAML).`, at);
		return undefined;
	}
	if (path) {
		const file = joinPath(k.dir, path.value);
		const parsed = file === undefined ? undefined : b.reader.parse(file);
		if (file !== undefined && parsed) {
			loadRestriction(b, k, file, path.value, path.src);
			const docs: PatchDoc[] = [];
			for (const d of parsed.documents) {
				const err = d.toJsError ?? d.syntax.find((s) => s.severity === 'error');
				const src = docSrc(file, d.index);
				if (err) {
					note(b, 'error', 'kustomize-malformed-yaml', `This patch is not valid YAML (${err.message}); it is not applied.`, src);
					return undefined;
				}
				if (d.value === null || d.value === undefined) continue;
				docs.push({ node: nodeOfDocument(d, src), src });
			}
			return { docs, what: `patch '${path.value}'` };
		}
		if (!allowInlineFallback || !/[\n:]/.test(path.value)) {
			note(b, 'error', 'kustomize-missing-patch', `The patch file '${path.value}' does not exist${file === undefined ? ' (it is outside the repository)' : ''}, so it is not applied.`, path.src);
			return undefined;
		}
		inline = path;
	}
	const text = inline!.value;
	const parsed = parseFile(text);
	const docs: PatchDoc[] = [];
	for (const d of parsed.documents) {
		const err = d.toJsError ?? d.syntax.find((s) => s.severity === 'error');
		if (err) {
			note(b, 'error', 'kustomize-malformed-yaml', `This inline patch is not valid YAML (${err.message}); it is not applied.`, inline!.src);
			return undefined;
		}
		if (d.value === null || d.value === undefined) continue;
		docs.push({ node: flatten(nodeOfDocument(d, inline!.src), inline!.src), src: inline!.src });
	}
	return { docs, what: 'inline patch' };
}

function jsonOps(b: Build, doc: PatchDoc): JsonOp[] | undefined {
	if (doc.node.kind !== 'seq') return undefined;
	const ops: JsonOp[] = [];
	for (let i = 0; i < doc.node.items.length; i++) {
		const item = doc.node.items[i];
		const op = textOf(get(item, 'op'));
		const path = get(item, 'path');
		if (!isMap(item) || !op || path?.kind !== 'scalar') {
			note(b, 'error', 'kustomize-patch', `JSON patch operation ${i} needs 'op' and 'path'.`, item.src);
			return undefined;
		}
		const from = get(item, 'from');
		ops.push({ op, path: textOf(path), from: from ? textOf(from) : undefined, value: item.entries.get('value'), index: i });
	}
	return ops;
}

/** Applies a strategic merge patch to one resource; false when kustomize would fail. */
function applySmp(b: Build, r: Res, patch: KMap, entry: PatchEntry | undefined, what: string): 'ok' | 'deleted' | 'failed' {
	const copy = cloneNode(patch);
	const apiVersion = r.node.entries.get('apiVersion');
	if (apiVersion) copy.entries.set('apiVersion', scalar(textOf(apiVersion), patch.src));
	const meta = get(r.node, 'metadata');
	const saved = {
		apiVersion,
		kind: r.node.entries.get('kind'),
		name: get(meta, 'name'),
		namespace: get(meta, 'namespace'),
	};
	if (entry?.allowNameChange || entry?.allowKindChange) storePreviousId(r);
	let result: KNode | undefined;
	try {
		result = strategicMerge(r.node, copy);
	} catch (e) {
		if (!(e instanceof MergeError)) throw e;
		const id = curId(r);
		note(b, 'error', 'kustomize-patch', `The ${what} cannot be applied to ${id.kind} '${id.name}': ${e.message}`, patch.src);
		return 'failed';
	}
	if (result === undefined || !isMap(result) || result.entries.size === 0) return 'deleted';
	r.node = result;
	if (saved.apiVersion) r.node.entries.set('apiVersion', saved.apiVersion);
	if (saved.kind && !entry?.allowKindChange) r.node.entries.set('kind', saved.kind);
	const m = get(r.node, 'metadata');
	if (isMap(m)) {
		if (saved.name && !entry?.allowNameChange) m.entries.set('name', saved.name);
		if (saved.namespace) m.entries.set('namespace', saved.namespace);
		else m.entries.delete('namespace');
	}
	return 'ok';
}

function applyJson(b: Build, r: Res, ops: JsonOp[], at: Src, what: string, store: boolean): void {
	const copy = cloneRes(r);
	if (store) storePreviousId(copy);
	try {
		applyJsonPatch(copy.node, ops);
	} catch (e) {
		if (!(e instanceof JsonPatchError)) throw e;
		const id = curId(r);
		note(b, 'error', 'kustomize-patch', `The ${what} cannot be applied to ${id.kind} '${id.name}': ${e.message}`, at);
		return;
	}
	Object.assign(r, copy);
}

export function applyPatches(b: Build, k: Kustomization, list: Res[], mode: 'strategic' | 'patches' | 'json6902'): Res[] {
	let resources = list;
	const drop = (r: Res) => {
		resources = resources.filter((x) => x !== r);
	};
	const byId = (patch: KMap, what: string, entry: PatchEntry | undefined) => {
		const id = curId(patch);
		const matches = resources.filter((r) => allIds(r).some((i) => idEquals(i, id)));
		if (matches.length !== 1) {
			note(
				b,
				'error',
				matches.length === 0 ? 'kustomize-patch-no-target' : 'kustomize-patch-ambiguous',
				matches.length === 0
					? `The ${what} targets ${idString(id)}, which is not among the objects of this kustomization; it is not applied (kustomize refuses the build).`
					: `The ${what} matches several objects (${matches.map((m) => idString(curId(m))).join(', ')}); add a namespace or a target.`,
				patch.src,
			);
			return;
		}
		if (applySmp(b, matches[0], patch, entry, what) === 'deleted') drop(matches[0]);
	};
	const bySelector = (target: Selector, at: Src, what: string, apply: (r: Res) => void) => {
		const sel = select(resources, target);
		if (!sel.ok) {
			note(b, 'error', 'kustomize-patch', sel.error, at);
			return;
		}
		if (sel.resources.length === 0) note(b, 'warning', 'kustomize-patch-no-target', `The ${what} selects no object (target: ${describeTarget(target) || 'any'}), so it changes nothing.`, at);
		for (const r of sel.resources) apply(r);
	};

	if (mode === 'strategic') {
		for (const entry of k.patchesStrategicMerge) {
			const loaded = load(b, k, entry, undefined, entry.src, true);
			if (!loaded) continue;
			for (const d of loaded.docs) {
				if (!isMap(d.node)) {
					note(b, 'error', 'kustomize-patch', `patchesStrategicMerge entries must be objects; this ${loaded.what} is not.`, d.src);
					continue;
				}
				byId(d.node, loaded.what, undefined);
			}
		}
		return resources;
	}

	const entries = mode === 'patches' ? k.patches : k.patchesJson6902;
	for (const entry of entries) {
		const loaded = load(b, k, entry.path, entry.patch, entry.src, false);
		if (!loaded || loaded.docs.length === 0) continue;
		const first = loaded.docs[0];
		const isJson = first.node.kind === 'seq';
		if (mode === 'json6902' && !isJson) {
			note(b, 'error', 'kustomize-patch', `patchesJson6902 needs a list of JSON patch operations; this ${loaded.what} is not one.`, first.src);
			continue;
		}
		if (isJson) {
			const ops = jsonOps(b, first);
			if (!ops) continue;
			if (!entry.target) {
				note(b, 'error', 'kustomize-patch', `A JSON 6902 patch needs a 'target' to say which object it changes.`, entry.src);
				continue;
			}
			bySelector(entry.target, entry.src, loaded.what, (r) => applyJson(b, r, ops, first.src, loaded.what, mode === 'patches'));
			continue;
		}
		for (const d of loaded.docs) {
			if (!isMap(d.node)) {
				note(b, 'error', 'kustomize-patch', `A strategic merge patch must be an object; this ${loaded.what} is not.`, d.src);
				continue;
			}
			const patch = d.node;
			if (entry.target) {
				bySelector(entry.target, entry.src, loaded.what, (r) => {
					if (applySmp(b, r, patch, entry, loaded.what) === 'deleted') drop(r);
				});
			} else byId(patch, loaded.what, entry);
		}
	}
	return resources;
}

export { childSrc };

import { newDeps } from './cache';
import { generate } from './generators';
import { readKustomization, type Kustomization } from './kustomization';
import type { ParsedDocument } from '../core/parse';
import { nodeOfDocument } from './yaml-v3';
import { docSrc, isMap, type KMap, type KNode, type Src } from './node';
import { joinInside as joinPath, KUSTOMIZATION_FILES } from '../core/paths';
import { isRemote } from './remote';
import { applyPatches } from './patches';
import { loadRestriction, note, reporterFor, type Build } from './build-context';
import { allIds, cloneRes, curId, idEquals, idString, type Res, type ResId } from './resource';
import { COMMON_LABELS, METADATA_LABELS, TEMPLATE_LABELS } from './fieldspecs';
import { applyAffix, applyAnnotations, applyImage, applyLabels, applyNamespace, applyReplicas } from './transformers';
import type { PathKey } from './types';

/**
 * The recursive part of a build (kustomize's KustTarget.AccumulateTarget): resources and bases,
 * generators, components, then this kustomization's transformers, in kustomize's order. Each
 * directory's result is cached (see RenderCache); the final steps (hash suffixes, name
 * references, order) are done once for the whole build in build.ts.
 */

/** The accumulated resources, with an index by current id that is rebuilt after transformers rename things. */
export class Acc {
	list: Res[] = [];
	private index: Map<string, Res[]> | undefined;

	static key(id: ResId): string {
		const ns = id.namespace === '' ? 'default' : id.namespace;
		return `${id.group}|${id.version}|${id.kind}|${ns}|${id.name}`;
	}

	changed(): void {
		this.index = undefined;
	}

	private idx(): Map<string, Res[]> {
		if (!this.index) {
			this.index = new Map();
			for (const r of this.list) this.addToIndex(r);
		}
		return this.index;
	}

	private addToIndex(r: Res): void {
		const k = Acc.key(curId(r));
		const l = this.index!.get(k);
		if (l) l.push(r);
		else this.index!.set(k, [r]);
	}

	has(id: ResId): boolean {
		return (this.idx().get(Acc.key(id)) ?? []).some((r) => idEquals(curId(r), id));
	}

	push(r: Res): void {
		this.idx();
		this.list.push(r);
		this.addToIndex(r);
	}
}

/** Appends resources, reporting (and dropping) one whose id is already taken, as kustomize refuses it. */
function append(b: Build, acc: Acc, items: Res[], at: Src): void {
	for (const r of items) {
		const id = curId(r);
		if (acc.has(id)) {
			note(b, 'error', 'kustomize-duplicate-id', `${id.kind} '${id.name}'${id.namespace ? ` in namespace '${id.namespace}'` : ''} is included twice (kustomize refuses the build: "may not add resource with an already registered id"); the second copy is left out.`, at);
			continue;
		}
		acc.push(r);
	}
}

export interface LoadedKustomization {
	k: Kustomization;
	found: boolean;
}

/** The kustomization file of a directory, or undefined when it has none. */
export function findKustomizationFile(b: Build, dir: string): string | undefined | 'many' {
	const found = KUSTOMIZATION_FILES.map((f) => joinPath(dir, f)!).filter((p) => b.reader.read(p) !== undefined);
	if (found.length > 1) return 'many';
	return found[0];
}

function loadKustomization(b: Build, dir: string, at: Src): Kustomization | undefined | 'many' {
	const file = findKustomizationFile(b, dir);
	if (file === 'many') {
		note(b, 'error', 'kustomize-multiple-kustomizations', `'${dir || '.'}' has more than one kustomization file (${KUSTOMIZATION_FILES.join(', ')}); kustomize refuses to choose.`, at);
		return 'many';
	}
	if (file === undefined) return undefined;
	const parsed = b.reader.parse(file)!;
	const docs = parsed.documents;
	const docIndex = docs.findIndex((d) => d.value !== null && d.value !== undefined);
	const doc = docs[Math.max(docIndex, 0)];
	const report = reporterFor(b, docSrc(file, doc?.index ?? 0));
	if (doc && (doc.syntax.some((s) => s.severity === 'error') || doc.toJsError)) {
		const problem = doc.toJsError ?? doc.syntax.find((s) => s.severity === 'error')!;
		report('error', 'kustomize-malformed-yaml', `This kustomization is not valid YAML (${problem.message}); nothing in it is applied.`, []);
		return readKustomization(file, dir, null, doc.index, report);
	}
	return readKustomization(file, dir, doc?.value ?? null, doc?.index ?? 0, report);
}

/**
 * Accumulates a kustomization directory. A component works on the accumulation of the
 * kustomization that includes it (`acc`); a kustomization starts its own and is cached.
 */
export function accumulateDir(b: Build, dir: string, at: Src, component?: Acc): Res[] {
	if (b.stack.includes(dir)) {
		note(b, 'error', 'kustomize-cycle', `'${dir || '.'}' includes itself (${[...b.stack.slice(b.stack.indexOf(dir)), dir].map((d) => d || '.').join(' → ')}); the cycle is not followed.`, at);
		return [];
	}
	// Flux generates (and changes) only the kustomization of the path it builds, not the bases below it.
	const root = b.stack.length === 0 && !component ? b.root : undefined;
	const cacheKey = `dir:${root ? root.key + ':' : ''}${dir}`;
	if (!component) {
		const cached = b.reader.cache.renders.get(cacheKey);
		if (cached) {
			b.reader.record(cached.deps);
			b.notes.push(...cached.notes);
			return cached.resources.map(cloneRes);
		}
	}
	b.stack.push(dir);
	b.reader.push();
	const notesBefore = b.notes.length;
	let result: Res[] = [];
	try {
		const loaded = loadKustomization(b, dir, at);
		let k = loaded === 'many' ? undefined : loaded;
		if (loaded === undefined && root?.generate) k = root.generate(b, dir);
		if (k && root?.override) root.override(k);
		if (loaded === 'many') {
			// reported
		} else if (!k) {
			note(b, 'error', 'kustomize-missing-kustomization', `'${dir || '.'}' has no kustomization file (${KUSTOMIZATION_FILES.join(', ')}), so kustomize cannot build it.`, at);
		} else if (component && !k.isComponent) {
			note(b, 'error', 'kustomize-not-a-component', `'${dir}' is listed under components but its kustomization is not 'kind: Component'; it is not applied.`, at);
		} else if (!component && k.isComponent) {
			note(b, 'error', 'kustomize-component-as-resource', `'${dir}' is a Component; include it under 'components', not 'resources'. It is not applied.`, at);
		} else {
			const acc = component ?? new Acc();
			accumulateTarget(b, k, acc);
			result = acc.list;
		}
	} finally {
		b.stack.pop();
		const deps = b.reader.pop();
		if (!component) b.reader.cache.renders.set(cacheKey, { resources: result.map(cloneRes), notes: b.notes.slice(notesBefore), deps });
	}
	return result;
}

export function accumulateTarget(b: Build, k: Kustomization, acc: Acc): void {
	const report = reporterFor(b, k.doc);
	for (const entry of k.resources) accumulateResource(b, k, entry.value, entry.src, acc);

	for (const args of [...k.configMapGenerator, ...k.secretGenerator]) {
		const r = generate(args, k, (p) => b.reader.read(p), report, (p, entry, at) => loadRestriction(b, k, p, entry, at));
		if (r) absorb(b, acc, r, args.src);
	}

	for (const c of k.components) {
		if (isRemote(c.value)) {
			note(b, 'warning', 'kustomize-remote-resource', `'${c.value}' is a remote component; Fleetscope renders only what is in the repository, so it is left out.`, c.src);
			continue;
		}
		const dir = joinPath(k.dir, c.value);
		if (dir === undefined) {
			note(b, 'error', 'kustomize-outside-repository', `'${c.value}' is outside the repository.`, c.src);
			continue;
		}
		if (!b.reader.isDirectory(dir)) {
			note(b, 'error', 'kustomize-missing-resource', `The component '${c.value}' does not exist (no directory '${dir}').`, c.src);
			continue;
		}
		accumulateDir(b, dir, c.src, acc);
		acc.changed();
	}

	const problem = (message: string, at: Src, severity: 'warning' | 'error' = 'error') => note(b, severity, 'kustomize-transform', message, at);
	acc.list = applyPatches(b, k, acc.list, 'strategic');
	acc.list = applyPatches(b, k, acc.list, 'patches');
	if (k.namespace && k.namespace.value !== '') applyNamespace(acc.list, k.namespace.value, k.namespace.src, problem);
	applyAffix(acc.list, k.namePrefix?.value ?? '', 'prefix', k.namePrefix?.src ?? k.doc);
	applyAffix(acc.list, k.nameSuffix?.value ?? '', 'suffix', k.nameSuffix?.src ?? k.doc);
	for (const l of k.labels) {
		const specs = l.includeSelectors ? COMMON_LABELS : l.includeTemplates ? [...METADATA_LABELS, ...TEMPLATE_LABELS] : METADATA_LABELS;
		applyLabels(acc.list, { pairs: l.pairs, specs, at: l.src, what: 'labels' }, problem);
	}
	if (k.commonLabels.length > 0) applyLabels(acc.list, { pairs: k.commonLabels, specs: COMMON_LABELS, at: k.commonLabelsSrc ?? k.doc, what: 'commonLabels' }, problem);
	applyAnnotations(acc.list, k.commonAnnotations, k.commonAnnotationsSrc ?? k.doc, problem);
	acc.list = applyPatches(b, k, acc.list, 'json6902');
	for (const rep of k.replicas) {
		if (!applyReplicas(acc.list, rep, problem)) {
			note(b, 'error', 'kustomize-replicas-no-target', `No Deployment, ReplicationController, ReplicaSet or StatefulSet is named '${rep.name}', so this replicas entry changes nothing (kustomize refuses the build).`, rep.at);
		}
	}
	for (const img of k.images) applyImage(acc.list, img);
	acc.changed();
}

function accumulateResource(b: Build, k: Kustomization, entry: string, at: Src, acc: Acc): void {
	if (isRemote(entry)) {
		note(b, 'warning', 'kustomize-remote-resource', `'${entry}' is a remote base; Fleetscope renders only what is in the repository, so its objects are left out.`, at);
		return;
	}
	const path = joinPath(k.dir, entry);
	if (path === undefined) {
		note(b, 'error', 'kustomize-outside-repository', `'${entry}' is outside the repository.`, at);
		return;
	}
	// Like kustomize: a file first, then a directory (files are the common case, and cheap to probe).
	const parsed = b.reader.parse(path);
	if (parsed) {
		loadRestriction(b, k, path, entry, at);
		append(b, acc, resourcesOfFile(b, path, parsed.documents), at);
		return;
	}
	if (b.reader.isDirectory(path)) {
		append(b, acc, accumulateDir(b, path, at), at);
		return;
	}
	note(b, 'error', 'kustomize-missing-resource', `'${entry}' does not exist (no file or directory '${path}'), so its objects are missing from the render.`, at);
}

/** The objects of a manifest file; a document that is not an object is a note. `kind: List` is expanded. */
export function resourcesOfFile(b: Build, file: string, documents: readonly ParsedDocument[]): Res[] {
	const out: Res[] = [];
	for (const d of documents) {
		const src = docSrc(file, d.index);
		const err = d.toJsError ?? d.syntax.find((s) => s.severity === 'error');
		if (err) {
			note(b, 'error', 'kustomize-malformed-yaml', `This document is not valid YAML (${err.message}); it is left out of the render.`, src);
			continue;
		}
		if (d.value === null || d.value === undefined) continue;
		const node = nodeOfDocument(d, src);
		if (!isMap(node)) {
			note(b, 'error', 'kustomize-not-an-object', `This document is not a Kubernetes object (a map with apiVersion and kind); kustomize refuses it, so it is left out.`, src);
			continue;
		}
		const kindNode = node.entries.get('kind');
		const kind = kindNode?.kind === 'scalar' ? kindNode.value : undefined;
		const items = node.entries.get('items');
		if (typeof kind === 'string' && kind.endsWith('List') && items?.kind === 'seq') {
			for (const item of items.items) if (isMap(item)) out.push(newRes(item, item.src));
			continue;
		}
		if (typeof kind !== 'string' || kind === '' || node.entries.get('apiVersion')?.kind !== 'scalar') {
			note(b, 'error', 'kustomize-not-an-object', `This document has no apiVersion and kind, so kustomize cannot read it as a Kubernetes object; it is left out.`, src);
			continue;
		}
		out.push(newRes(node, src));
	}
	return out;
}

export function newRes(node: KMap, source: Src): Res {
	return { node, source, prevIds: [], prefixes: [], suffixes: [], needsHash: false };
}

/** A generated object joins the accumulation: create (a new id), or merge into / replace an existing one. */
function absorb(b: Build, acc: Acc, r: Res, at: Src): void {
	const id = curId(r);
	const matches = acc.list.filter((x) => allIds(x).some((i) => idEquals(i, id)));
	if (matches.length === 0) {
		if (r.behavior === 'merge' || r.behavior === 'replace') {
			note(b, 'error', 'kustomize-generator', `There is no ${id.kind} '${id.name}' to ${r.behavior} (behavior: ${r.behavior}); kustomize refuses the build.`, at);
			return;
		}
		acc.push(r);
		return;
	}
	if (matches.length > 1) {
		note(b, 'error', 'kustomize-generator', `Several objects match ${idString(id)}; kustomize cannot tell which one to ${r.behavior}.`, at);
		return;
	}
	const old = matches[0];
	if (r.behavior === 'create') {
		note(b, 'error', 'kustomize-generator', `${id.kind} '${id.name}' already exists; use behavior: merge or replace to change it.`, at);
		return;
	}
	const meta = (x: Res) => x.node.entries.get('metadata') as KMap | undefined;
	const oldMeta = meta(old);
	const newMeta = meta(r);
	if (oldMeta && newMeta) {
		for (const field of ['labels', 'annotations']) {
			const o = oldMeta.entries.get(field);
			const n = newMeta.entries.get(field);
			if (isMap(o)) {
				const merged: KMap = { kind: 'map', src: isMap(n) ? n.src : o.src, entries: new Map(o.entries) };
				if (isMap(n)) for (const [key, v] of n.entries) merged.entries.set(key, v);
				newMeta.entries.set(field, merged);
			}
		}
		for (const field of ['name', 'namespace']) {
			const o = oldMeta.entries.get(field);
			if (o) newMeta.entries.set(field, o);
			else newMeta.entries.delete(field);
		}
	}
	if (r.behavior === 'merge') {
		for (const field of ['data', 'binaryData']) {
			const o = old.node.entries.get(field);
			const n = r.node.entries.get(field);
			if (!isMap(o)) continue;
			const merged: KMap = { kind: 'map', src: isMap(n) ? n.src : o.src, entries: new Map(o.entries) };
			if (isMap(n)) for (const [key, v] of n.entries) merged.entries.set(key, v);
			r.node.entries.set(field, merged);
		}
		r.source = old.source;
	}
	// Kustomize keeps the old object's build annotations: its previous names and whether it gets a hash.
	r.needsHash = old.needsHash;
	r.prevIds = old.prevIds.slice();
	r.prefixes = old.prefixes.slice();
	r.suffixes = old.suffixes.slice();
	acc.list[acc.list.indexOf(old)] = r;
	acc.changed();
}

export type { KNode, PathKey };
export { newDeps };

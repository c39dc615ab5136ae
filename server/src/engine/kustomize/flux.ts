import { parseFile } from '../core/parse';
import { findKustomizationFile } from './accumulate';
import { note, type Build, type RootOptions } from './build-context';
import { Rendered, render } from './build';
import type { RenderCache } from './cache';
import { envsubst, SubstitutionError } from './envsubst';
import { readKustomization, type Kustomization } from './kustomization';
import { childSrc, docSrc, ensureMap, fromPlain, get, originOfSrc, scalar, srcAt, str, type KNode } from './node';
import { baseName as basename, joinInside as joinPath } from '../core/paths';
import type { KustomizeFs, RenderNote, RenderResult } from './types';

/**
 * Flux kustomize-controller's behaviour around kustomize:
 *
 * - a path without a kustomization file gets a generated one (fluxcd/pkg/kustomize
 *   `generateKustomization`): every `.yaml`/`.yml` file below it, walked in lexical order, and
 *   every subdirectory that has a kustomization file (not descended into). A file that is not a
 *   Kubernetes manifest fails the Flux build; here it is a note and the file is left out. The
 *   files source-controller ignores by default (.git, CI configs, .sops.yaml) are skipped.
 * - `postBuild.substitute` variables are substituted into every object after the build
 *   (`substituteVariables`).
 */

const IGNORED_DIRS = new Set(['.git', '.github', '.circleci']);
const IGNORED_FILES = new Set([
	'.gitlab-ci.yml', '.travis.yml', 'appveyor.yml', '.drone.yml', 'cloudbuild.yaml', 'codeship-services.yml', 'codeship-steps.yml',
	'.goreleaser.yml', '.sops.yaml', '.flux.yaml',
]);

function isManifestFile(b: Build, path: string): boolean {
	const parsed = b.reader.parse(path);
	if (!parsed) return false;
	for (const d of parsed.documents) {
		if (d.value === null || d.value === undefined) continue;
		const v = d.value as Record<string, unknown>;
		const ok = typeof v === 'object' && !Array.isArray(v) && typeof v.kind === 'string' && typeof v.apiVersion === 'string';
		if (!ok && !(d.syntax.some((s) => s.severity === 'error') || d.toJsError)) {
			note(b, 'error', 'flux-not-a-manifest', `Flux fails the whole Kustomization on this file ("failed to decode Kubernetes YAML"): document ${d.index + 1} is not a Kubernetes object. It is left out here.`, docSrc(path, d.index));
			return false;
		}
	}
	return true;
}

function scan(b: Build, base: string, dir: string, out: string[], depth: number): void {
	if (depth > 50) return;
	const entries = [...new Set(b.reader.list(dir))].sort();
	for (const entry of entries) {
		const name = basename(entry);
		if (b.reader.isDirectory(entry)) {
			if (IGNORED_DIRS.has(name)) continue;
			const k = findKustomizationFile(b, entry);
			if (k !== undefined) out.push(entry.slice(base === '' ? 0 : base.length + 1));
			else scan(b, base, entry, out, depth + 1);
			continue;
		}
		if (IGNORED_FILES.has(name) || !/\.ya?ml$/.test(name)) continue;
		if (isManifestFile(b, entry)) out.push(entry.slice(base === '' ? 0 : base.length + 1));
	}
}

function generated(b: Build, dir: string): Kustomization {
	const resources: string[] = [];
	scan(b, dir, dir, resources, 0);
	const file = joinPath(dir, 'kustomization.yaml')!;
	const k = readKustomization(file, dir, { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources }, 0, () => undefined);
	return k;
}

/**
 * The Flux Kustomization that syncs the path: its `spec` (plain data, as the engine parsed it)
 * and where its document is. kustomize-controller writes `targetNamespace`, `namePrefix`,
 * `nameSuffix`, `patches`, `images` and `components` into the path's kustomization before the
 * build, and sets `commonMetadata` on every object after it; values set that way point at the
 * Flux Kustomization's fields.
 */
export interface FluxKustomization {
	spec: unknown;
	file: string;
	documentIndex: number;
}

function fluxRoot(flux: FluxKustomization | undefined): RootOptions {
	if (!flux || typeof flux.spec !== 'object' || flux.spec === null || Array.isArray(flux.spec)) return { key: 'flux', generate: generated };
	const spec = flux.spec as Record<string, unknown>;
	const fields: Record<string, unknown> = {};
	for (const key of ['namePrefix', 'nameSuffix', 'patches', 'images', 'components']) if (spec[key] !== undefined) fields[key] = spec[key];
	if (spec.targetNamespace !== undefined) fields.namespace = spec.targetNamespace;
	const meta = spec.commonMetadata as Record<string, unknown> | undefined;
	// Without fields of its own, the Flux Kustomization changes nothing: every cluster syncing the path shares one render.
	if (Object.keys(fields).length === 0 && meta === undefined) return { key: 'flux', generate: generated };
	const labels = meta && typeof meta.labels === 'object' && meta.labels ? Object.entries(meta.labels as Record<string, unknown>).filter(([, v]) => typeof v === 'string') : [];
	const annotations = meta && typeof meta.annotations === 'object' && meta.annotations ? Object.entries(meta.annotations as Record<string, unknown>).filter(([, v]) => typeof v === 'string') : [];
	const specSrc = srcAt(docSrc(flux.file, flux.documentIndex), ['spec']);
	return {
		key: `flux:${flux.file}#${flux.documentIndex}:${JSON.stringify(fields)}:${JSON.stringify(meta ?? null)}`,
		generate: generated,
		override: (k) => {
			const f = readKustomization(flux.file, k.dir, fields, flux.documentIndex, () => undefined, ['spec']);
			if (spec.targetNamespace !== undefined && f.namespace) k.namespace = { value: f.namespace.value, src: childSrc(specSrc, 'targetNamespace') };
			if (f.namePrefix) k.namePrefix = f.namePrefix;
			if (f.nameSuffix) k.nameSuffix = f.nameSuffix;
			k.patches.push(...f.patches.filter((p) => p.patch !== undefined && p.path === undefined));
			for (const img of f.images) {
				const i = k.images.findIndex((x) => x.name === img.name);
				if (i >= 0) k.images[i] = img;
				else k.images.push(img);
			}
			k.components.push(...f.components);
		},
		post: (resources) => {
			for (const r of resources) {
				for (const [field, pairs] of [['labels', labels], ['annotations', annotations]] as const) {
					if (pairs.length === 0) continue;
					const m = ensureMap(r.node, 'metadata', specSrc);
					const target = m && ensureMap(m, field, childSrc(childSrc(specSrc, 'commonMetadata'), field));
					if (!target) continue;
					for (const [key, value] of pairs) target.entries.set(key, scalar(value as string, srcAt(specSrc, ['commonMetadata', field, key])));
				}
			}
		},
	};
}

/**
 * What Flux applies for a Flux Kustomization's `spec.path`: the kustomization there, or the one
 * Flux generates for a plain directory, with the Flux Kustomization's own fields when given.
 */
export function renderFluxPath(path: string, fs: KustomizeFs, cache?: RenderCache, flux?: FluxKustomization): RenderResult {
	return render(path, fs, cache, fluxRoot(flux));
}

export interface SubstituteOptions {
	/** Flux's strict substitution (feature gate StrictPostBuildSubstitutions): a variable without a value and without a default is an error. */
	strict?: boolean;
}

const VAR_NAME = /^[_a-zA-Z][_a-zA-Z0-9]*$/;
const DISABLE_KEY = 'kustomize.toolkit.fluxcd.io/substitute';

/** Whether go-yaml would write the string without quotes: then Flux's re-parse after substitution can change its type. */
function writtenPlain(s: string): boolean {
	if (s === '' || s !== s.trim() || /[\n\r\t]/.test(s)) return false;
	if (/^[-?:,[\]{}#&*!|>'"%@`]/.test(s)) return false;
	return !/: |:$| #/.test(s);
}

/**
 * Flux's post-build substitution (`spec.postBuild.substitute`) applied to a render. Objects
 * labelled or annotated `kustomize.toolkit.fluxcd.io/substitute: disabled` are left as they are.
 * Values keep their origins. Like Flux, an unquoted value that becomes `3` or `true` becomes a
 * number or a boolean. Problems (bad expressions, invalid variable names, strict mode) are notes.
 */
export function substituteVariables(result: RenderResult, vars: Record<string, string>, options: SubstituteOptions = {}): RenderResult {
	const notes: RenderNote[] = [...result.notes];
	const names = Object.keys(vars ?? {});
	if (names.length === 0) return result;
	const bad = names.filter((n) => !VAR_NAME.test(n));
	const first = result.objects[0]?.source ?? { file: '', documentIndex: 0, path: [] };
	if (bad.length > 0) {
		notes.push({ severity: 'error', code: 'flux-substitute-invalid-name', message: `Flux refuses the variable name${bad.length > 1 ? 's' : ''} ${bad.map((n) => `'${n}'`).join(', ')} (names must match ^[_a-zA-Z][_a-zA-Z0-9]*$), so nothing is substituted.`, ...first });
		return { ...result, notes };
	}
	const values = new Map(names.map((n) => [n, String(vars[n]).replace(/\n/g, '')]));
	const lookup = (n: string) => values.get(n);
	const objects = result.objects.map((o) => {
		if (!(o instanceof Rendered)) return o;
		const node = o.tree();
		const meta = get(node, 'metadata');
		if (str(get(get(meta, 'labels'), DISABLE_KEY)) === 'disabled' || str(get(get(meta, 'annotations'), DISABLE_KEY)) === 'disabled') return o;
		const missing = new Set<string>();
		let failed = false;
		const report = (n: KNode, message: string, severity: 'error' | 'warning' = 'error') => {
			notes.push({ severity, code: 'flux-substitute', message, ...originOfSrc(n.src) });
		};
		const sub = (s: string, n: KNode): string => {
			try {
				return envsubst(s, lookup, missing);
			} catch (e) {
				if (!(e instanceof SubstitutionError)) throw e;
				failed = true;
				report(n, `Flux cannot substitute variables in this value (${e.message}), so it fails the whole Kustomization.`);
				return s;
			}
		};
		const walk = (n: KNode, depth: number) => {
			if (depth > 200) return;
			if (n.kind === 'seq') n.items.forEach((i) => walk(i, depth + 1));
			else if (n.kind === 'map') {
				const entries = [...n.entries];
				n.entries.clear();
				for (const [k, v] of entries) {
					walk(v, depth + 1);
					n.entries.set(k.includes('$') ? sub(k, v) : k, v);
				}
			} else if (typeof n.value === 'string' && n.value.includes('$')) {
				const before = n.value;
				const after = sub(before, n);
				if (after === before) return;
				if (!n.quoted && writtenPlain(before)) {
					const doc = parseFile(after).documents[0];
					const parsed = doc && doc.syntax.every((s) => s.severity !== 'error') && !doc.toJsError ? fromPlain(doc.value, n.src) : undefined;
					if (parsed?.kind === 'scalar') {
						n.value = parsed.value;
						return;
					}
					if (parsed !== undefined) report(n, `After substitution this value reads as YAML structure ('${after.slice(0, 40)}'), which breaks Flux's re-parse; it is kept as a string here.`, 'warning');
				}
				n.value = after;
			}
		};
		walk(node, 0);
		if (failed) return o;
		if (options.strict && missing.size > 0) {
			notes.push({ severity: 'error', code: 'flux-substitute-missing', message: `Strict substitution: ${[...missing].map((m) => `'${m}'`).join(', ')} ${missing.size > 1 ? 'have' : 'has'} no value and no default, so Flux fails the Kustomization.`, ...o.source });
		}
		return new Rendered(node, o.sourceSrc);
	});
	return { objects, notes, files: result.files };
}

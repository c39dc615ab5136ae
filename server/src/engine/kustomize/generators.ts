import { compareGo, secretValue } from './encoding';
import type { GeneratorArgs, GeneratorOptions, Kustomization, Pair, Report } from './kustomization';
import { docSrc, emptyMap, scalar, type KMap, type Src } from './node';
import { baseName as basename, joinInside as joinPath } from '../core/paths';
import type { Res } from './resource';
import type { PathKey } from './types';

/**
 * configMapGenerator and secretGenerator (kustomize api/internal/generators and api/kv): data
 * from env files, literals and files, in that order; keys validated as Kubernetes does; labels,
 * annotations and `immutable` from the entry's options merged over `generatorOptions`. The
 * content hash is added to the name at the end of the build (see hash.ts). Secret values are
 * base64-encoded as kustomize writes them; they never appear in notes.
 */

const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

interface Entry {
	key: string;
	value: string;
	src: Src;
}

/** Local options win over generatorOptions for labels and annotations; either may turn the hash off or make the object immutable. */
export function mergeOptions(local: GeneratorOptions | undefined, global: GeneratorOptions | undefined): GeneratorOptions {
	const merge = (l: Pair[] = [], g: Pair[] = []) => [...g.filter(([k]) => !l.some(([lk]) => lk === k)), ...l];
	return {
		labels: merge(local?.labels, global?.labels),
		annotations: merge(local?.annotations, global?.annotations),
		disableNameSuffixHash: (local?.disableNameSuffixHash ?? false) || (global?.disableNameSuffixHash ?? false),
		immutable: (local?.immutable ?? false) || (global?.immutable ?? false),
	};
}

function pathOf(src: Src): PathKey[] {
	const path: PathKey[] = [];
	for (let s: Src | undefined = src; s && s.key !== undefined; s = s.parent) path.unshift(s.key);
	return path;
}

export function generate(args: GeneratorArgs, k: Kustomization, read: (path: string) => string | undefined, report: Report, outside?: (path: string, entry: string, at: Src) => void): Res | undefined {
	const what = args.kind === 'ConfigMap' ? 'configMapGenerator' : 'secretGenerator';
	if (!args.name || args.name.value === '') {
		report('error', 'kustomize-generator', `A ${what} entry needs a name.`, pathOf(args.src));
		return undefined;
	}
	const name = args.name.value;
	const entries: Entry[] = [];
	let failed = false;
	const fail = (message: string, src: Src) => {
		report('error', 'kustomize-generator', message, pathOf(src));
		failed = true;
	};
	const load = (rel: string, src: Src): { path: string; text: string } | undefined => {
		const path = joinPath(k.dir, rel);
		if (path === undefined) {
			fail(`'${rel}' is outside the repository.`, src);
			return undefined;
		}
		const text = read(path);
		if (text === undefined) {
			fail(`The ${what} '${name}' reads '${rel}', which does not exist.`, src);
			return undefined;
		}
		outside?.(path, rel, src);
		return { path, text };
	};

	for (const env of args.envs) {
		const f = load(env.value, env.src);
		if (!f) continue;
		const lines = f.text.split(/\r?\n/);
		lines.forEach((raw, i) => {
			let line = i === 0 ? raw.replace(/^\uFEFF/, '') : raw;
			line = line.replace(/^\s+/, '');
			if (line === '' || line.startsWith('#')) return;
			const eq = line.indexOf('=');
			const key = eq === -1 ? line : line.slice(0, eq);
			if (!ENV_NAME.test(key)) {
				fail(`Line ${i + 1} of '${env.value}': '${key}' is not a valid environment variable name.`, env.src);
				return;
			}
			entries.push({ key, value: eq === -1 ? '' : line.slice(eq + 1), src: docSrc(f.path, 0) });
		});
	}
	for (const lit of args.literals) {
		const eq = lit.value.indexOf('=');
		if (eq <= 0) {
			fail(`The literal '${args.kind === 'Secret' ? lit.value.slice(0, Math.max(eq, 0)) + '=…' : lit.value}' is not of the form key=value.`, lit.src);
			continue;
		}
		entries.push({ key: lit.value.slice(0, eq), value: removeQuotes(lit.value.slice(eq + 1)), src: lit.src });
	}
	for (const file of args.files) {
		const eq = file.value.indexOf('=');
		if (eq === 0) {
			fail(`'${file.value}' has no key name before '='.`, file.src);
			continue;
		}
		const key = eq === -1 ? basename(file.value) : file.value.slice(0, eq);
		const rel = eq === -1 ? file.value : file.value.slice(eq + 1);
		if (rel === '' || rel.includes('=')) {
			fail(`'${file.value}' must be a path or key=path.`, file.src);
			continue;
		}
		const f = load(rel, file.src);
		if (f) entries.push({ key, value: f.text, src: docSrc(f.path, 0) });
	}

	const data = new Map<string, Entry>();
	for (const e of entries) {
		if (!CONFIG_KEY.test(e.key) || e.key.length > 253 || e.key === '.' || e.key === '..' || e.key.startsWith('..')) {
			fail(`'${e.key}' is not a valid ${args.kind} key (letters, digits, '-', '_' and '.').`, e.src.doc.file === k.file ? e.src : args.src);
			continue;
		}
		if (data.has(e.key)) {
			fail(`The ${what} '${name}' sets the key '${e.key}' twice.`, e.src.doc.file === k.file ? e.src : args.src);
			continue;
		}
		data.set(e.key, e);
	}
	if (failed) return undefined;

	const opts = mergeOptions(args.options, k.generatorOptions);
	const node: KMap = emptyMap(args.src);
	node.entries.set('apiVersion', scalar('v1', args.src));
	node.entries.set('kind', scalar(args.kind, args.src));
	const meta = emptyMap(args.src);
	node.entries.set('metadata', meta);
	meta.entries.set('name', scalar(name, args.name.src));
	if (args.namespace) meta.entries.set('namespace', scalar(args.namespace, args.src));
	for (const [field, list] of [
		['labels', opts.labels],
		['annotations', opts.annotations],
	] as const) {
		if (list.length === 0) continue;
		const m = emptyMap(args.src);
		for (const [lk, lv, src] of [...list].sort((a, b) => compareGo(a[0], b[0]))) m.entries.set(lk, scalar(lv, src));
		meta.entries.set(field, m);
	}
	if (args.kind === 'Secret') node.entries.set('type', scalar(args.type || 'Opaque', args.src));
	if (data.size > 0) {
		const d = emptyMap(args.src);
		for (const key of [...data.keys()].sort(compareGo)) {
			const e = data.get(key)!;
			d.entries.set(key, scalar(args.kind === 'Secret' ? secretValue(e.value) : e.value, e.src));
		}
		node.entries.set('data', d);
	}
	if (opts.immutable) node.entries.set('immutable', scalar(true, args.src));
	return { node, source: args.src, prevIds: [], prefixes: [], suffixes: [], needsHash: !opts.disableNameSuffixHash, behavior: args.behavior, nameSrc: args.name.src };
}

function removeQuotes(s: string): string {
	if (s.length >= 2 && s[0] === s[s.length - 1] && (s[0] === '"' || s[0] === "'")) return s.slice(1, -1);
	return s;
}

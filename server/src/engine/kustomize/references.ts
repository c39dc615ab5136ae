import { parseFile, type ParsedFile } from '../core/parse';
import { dirName as dirname, joinInside as joinPath } from '../core/paths';
import { isRemote } from './remote';
import type { KustomizeFs, PathKey } from './types';

export interface KustomizationReference {
	field: 'resources' | 'components' | 'patches' | 'bases' | 'configMapGenerator' | 'secretGenerator' | 'crds' | 'other';
	/** The repo-relative path referred to (a file or a directory), or the URL of a remote base. */
	target: string;
	/** Whether the target exists; set only when a file system is given and the target is local. */
	exists?: boolean;
	/** Whether the target is a remote base (never fetched). */
	remote?: boolean;
	/** JSON path of the reference in the kustomization document. */
	path: PathKey[];
}

/**
 * The paths a kustomization file references, with the JSON path of each reference (for
 * go-to-definition, document links and broken-reference diagnostics). Works on the text alone;
 * with `fs`, also says whether each target exists; `parsed`: the text already parsed.
 */
export function kustomizationReferences(kustomizationPath: string, text: string, fs?: KustomizeFs, parsed?: ParsedFile): KustomizationReference[] {
	const out: KustomizationReference[] = [];
	const dir = dirname(kustomizationPath);
	let value: unknown;
	try {
		value = (parsed ?? parseFile(text)).documents[0]?.value;
	} catch {
		return out;
	}
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return out;
	const v = value as Record<string, unknown>;
	const add = (field: KustomizationReference['field'], entry: unknown, path: PathKey[], kind: 'file' | 'dir' | 'any') => {
		if (typeof entry !== 'string' || entry.trim() === '') return;
		// An inline patch (YAML text), not a path.
		if (entry.includes('\n')) return;
		if (isRemote(entry)) {
			out.push({ field, target: entry, remote: true, path });
			return;
		}
		let rel = entry;
		if (field === 'configMapGenerator' || field === 'secretGenerator') {
			const eq = entry.indexOf('=');
			if (eq > 0) rel = entry.slice(eq + 1);
		}
		const target = joinPath(dir, rel);
		if (target === undefined) return;
		const ref: KustomizationReference = { field, target, path };
		if (fs) {
			let exists = false;
			try {
				if (kind !== 'dir') exists = fs.readFile(target) !== undefined;
				if (!exists && kind !== 'file') exists = fs.isDirectory(target) === true;
			} catch {
				exists = false;
			}
			ref.exists = exists;
		}
		out.push(ref);
	};
	const list = (name: string, field: KustomizationReference['field'], kind: 'file' | 'dir' | 'any') => {
		const x = v[name];
		if (Array.isArray(x)) x.forEach((e, i) => add(field, e, [name, i], kind));
	};
	list('resources', 'resources', 'any');
	list('bases', 'bases', 'dir');
	list('components', 'components', 'dir');
	list('crds', 'crds', 'file');
	list('patchesStrategicMerge', 'patches', 'file');
	list('configurations', 'other', 'file');
	for (const name of ['transformers', 'generators', 'validators']) list(name, 'other', 'any');
	for (const name of ['patches', 'patchesJson6902']) {
		const x = v[name];
		if (Array.isArray(x)) x.forEach((p, i) => p && typeof p === 'object' && add('patches', (p as Record<string, unknown>).path, [name, i, 'path'], 'file'));
	}
	for (const name of ['configMapGenerator', 'secretGenerator'] as const) {
		const x = v[name];
		if (!Array.isArray(x)) continue;
		x.forEach((g, i) => {
			if (!g || typeof g !== 'object') return;
			const gen = g as Record<string, unknown>;
			for (const f of ['files', 'envs']) if (Array.isArray(gen[f])) (gen[f] as unknown[]).forEach((e, j) => add(name, e, [name, i, f, j], 'file'));
			if (typeof gen.env === 'string') add(name, gen.env, [name, i, 'env'], 'file');
		});
	}
	const openapi = v.openapi;
	if (openapi && typeof openapi === 'object' && typeof (openapi as Record<string, unknown>).path === 'string') add('other', (openapi as Record<string, unknown>).path, ['openapi', 'path'], 'file');
	const helm = v.helmCharts;
	if (Array.isArray(helm)) helm.forEach((h, i) => h && typeof h === 'object' && add('other', (h as Record<string, unknown>).valuesFile, ['helmCharts', i, 'valuesFile'], 'file'));
	return out;
}

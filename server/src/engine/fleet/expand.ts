import { isPlainObject } from '../core/resource';
import { dirName, isKustomizationFile, isYamlFile, joinPath, normalisePath } from '../core/paths';
import type { DocumentStore } from './reader';
import type { SyncKind } from './types';

/** The files a synced path pulls in, and whether everything it names could be followed. */
export interface PathExpansion {
	files: string[];
}

/** Expands a synced Git path (directory or file) into the repo files it reaches. */
export type Expander = (path: string, kind: SyncKind) => PathExpansion;

const KUSTOMIZATION_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** The kustomization file of a directory, if it has one. */
export function kustomizationIn(store: DocumentStore, dir: string): string | undefined {
	for (const n of KUSTOMIZATION_NAMES) {
		const p = joinPath(dir, n);
		if (store.isFile(p)) return p;
	}
	return undefined;
}

/**
 * The reach of a path by following kustomize references, without rendering: a directory with a
 * kustomization pulls in its resources, components, patch and generator files (recursively);
 * a directory without one is synced as Flux does (every manifest below it) or, for Argo CD, the
 * manifests directly in it. Remote bases are not followed.
 */
export function graphExpander(store: DocumentStore): Expander {
	return (path, kind) => {
		const files = new Set<string>();
		const seen = new Set<string>();
		const visit = (p: string, recurse: boolean) => {
			const n = normalisePath(p);
			if (seen.has(n)) return;
			seen.add(n);
			if (store.isFile(n)) {
				if (isYamlFile(n)) files.add(n);
				return;
			}
			if (!store.isDirectory(n)) return;
			const k = kustomizationIn(store, n);
			if (k) {
				files.add(k);
				for (const ref of kustomizationPaths(store, k)) visit(ref, true);
				return;
			}
			const list = recurse ? store.yamlUnder(n) : store.listDirectory(n).filter(isYamlFile);
			for (const f of list) {
				// A nested kustomization is one unit: Flux's generated kustomization includes it, not its files one by one.
				const nested = recurse && dirName(f) !== n && kustomizationIn(store, dirName(f));
				if (nested) visit(dirName(f), true);
				else files.add(f);
			}
		};
		visit(path, kind !== 'argo-application' && kind !== 'argo-applicationset');
		return { files: [...files].sort() };
	};
}

/** Paths a kustomization file names (resources, bases, components, patches, generator sources), repo-relative. */
export function kustomizationPaths(store: DocumentStore, kustomizationPath: string): string[] {
	const value = store.mappings(kustomizationPath)[0]?.value;
	if (!isPlainObject(value)) return [];
	const dir = dirName(kustomizationPath);
	const out: string[] = [];
	const add = (p: unknown) => {
		if (typeof p !== 'string' || p.includes('\n') || /:\s/.test(p) || /^[a-z]+:\/\//i.test(p) || p.startsWith('git@')) return;
		out.push(joinPath(dir, p));
	};
	for (const key of ['resources', 'bases', 'components', 'patchesStrategicMerge', 'crds']) {
		const list = value[key];
		if (Array.isArray(list)) list.forEach(add);
	}
	for (const key of ['patches', 'patchesJson6902']) {
		const list = value[key];
		if (Array.isArray(list)) for (const item of list) if (isPlainObject(item)) add(item.path);
	}
	for (const key of ['configMapGenerator', 'secretGenerator']) {
		const list = value[key];
		if (!Array.isArray(list)) continue;
		for (const g of list) {
			if (!isPlainObject(g)) continue;
			for (const f of Array.isArray(g.files) ? g.files : []) if (typeof f === 'string') add(f.includes('=') ? f.slice(f.indexOf('=') + 1) : f);
			for (const f of Array.isArray(g.envs) ? g.envs : []) add(f);
			if (typeof g.env === 'string') add(g.env);
		}
	}
	return out;
}

export { isKustomizationFile };

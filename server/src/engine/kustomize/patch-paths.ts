import { isPlainObject } from '../core/resource';
import { dirName, joinPath } from '../core/paths';

/** The repo-relative paths of the patch files a kustomization names (patches, patchesStrategicMerge, patchesJson6902), from its parsed value. */
export function patchPathsOf(kustomizationPath: string, value: unknown): string[] {
	if (!isPlainObject(value)) return [];
	const dir = dirName(kustomizationPath);
	const out: string[] = [];
	const add = (p: unknown) => {
		// Inline patches are YAML text, not paths: a path is one line without a colon-space.
		if (typeof p === 'string' && !p.includes('\n') && !/:\s/.test(p)) out.push(joinPath(dir, p));
	};
	for (const key of ['patches', 'patchesJson6902']) {
		const list = value[key];
		if (Array.isArray(list)) for (const item of list) if (isPlainObject(item)) add(item.path);
	}
	// A bare file name under patches: (patchesStrategicMerge's form): kustomize 5 refuses the entry, but the file is still a patch.
	const patches = value.patches;
	if (Array.isArray(patches)) for (const item of patches) add(item);
	const smp = value.patchesStrategicMerge;
	if (Array.isArray(smp)) for (const item of smp) add(item);
	return out;
}

import picomatch from 'picomatch';
import { parse } from 'yaml';
import type { FleetscopeSettings } from '../../../shared/settings';
import type { RepoContext } from './engine';
import { isPlainObject } from './resource';

/** The file system of one repository, injected by the host (Node fs in the CLI and server, an in-memory map in tests). */
export interface RepoFileSystem {
	/** Every file of the repository, as repo-relative posix paths (directories are derived). */
	listFiles(): Promise<string[]>;
	/** A file's text, or undefined if it cannot be read. */
	readFile(relPath: string): Promise<string | undefined>;
}

const KUSTOMIZATION_NAMES = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);

export function isKustomizationFile(relPath: string): boolean {
	return KUSTOMIZATION_NAMES.has(baseName(relPath));
}

export function isYamlFile(relPath: string): boolean {
	return /\.ya?ml$/i.test(relPath) || baseName(relPath) === 'Kustomization';
}

/**
 * What the engine needs to know about a repository: which files exist, which YAML files are
 * validated (include/exclude globs), and which are kustomize patches (partial by design).
 * Built once, then kept current with `updateFile`/`removeFile` as files change.
 */
export class RepoIndex implements RepoContext {
	private readonly files = new Set<string>();
	private dirs = new Set<string>();
	/** Patch files named by each kustomization file. */
	private readonly patchesBy = new Map<string, string[]>();
	private patchSet = new Set<string>();

	private constructor(private readonly fs: RepoFileSystem) {}

	static async build(fs: RepoFileSystem): Promise<RepoIndex> {
		const index = new RepoIndex(fs);
		for (const f of await fs.listFiles()) index.files.add(normalisePath(f));
		index.rebuildDirs();
		await Promise.all([...index.files].filter(isKustomizationFile).map((k) => index.readKustomization(k)));
		index.rebuildPatchSet();
		return index;
	}

	/** An index of no files, where everything exists (single files checked without a repository). */
	static empty(fs: RepoFileSystem = { listFiles: async () => [], readFile: async () => undefined }): RepoIndex {
		return new RepoIndex(fs);
	}

	isPatchFile(path: string): boolean {
		return this.patchSet.has(normalisePath(path));
	}

	exists(path: string): boolean {
		const p = normalisePath(path);
		if (this.files.size === 0) return true; // nothing known: never claim a path is missing
		return p === '' || this.files.has(p) || this.dirs.has(p);
	}

	/** All files of the repository. */
	allFiles(): string[] {
		return [...this.files];
	}

	/** YAML files that the settings include and do not exclude. */
	validatedFiles(settings: FleetscopeSettings): string[] {
		return [...this.files].filter((f) => isYamlFile(f) && isIncluded(f, settings)).sort();
	}

	/** Records a created or changed file; re-reads it if it is a kustomization. Returns true if patch files changed. */
	async updateFile(path: string, text?: string): Promise<boolean> {
		const p = normalisePath(path);
		const isNew = !this.files.has(p);
		this.files.add(p);
		if (isNew) this.rebuildDirs();
		if (!isKustomizationFile(p)) return false;
		const before = [...this.patchSet].sort().join('\n');
		await this.readKustomization(p, text);
		this.rebuildPatchSet();
		return before !== [...this.patchSet].sort().join('\n');
	}

	/** Records a deleted file. Returns true if patch files changed. */
	removeFile(path: string): boolean {
		const p = normalisePath(path);
		this.files.delete(p);
		this.rebuildDirs();
		if (!this.patchesBy.delete(p)) return false;
		this.rebuildPatchSet();
		return true;
	}

	private async readKustomization(path: string, text?: string): Promise<void> {
		const src = text ?? (await this.fs.readFile(path));
		this.patchesBy.set(path, src === undefined ? [] : patchPaths(path, src));
	}

	private rebuildPatchSet(): void {
		this.patchSet = new Set([...this.patchesBy.values()].flat());
	}

	private rebuildDirs(): void {
		const dirs = new Set<string>();
		for (const f of this.files) {
			let i = f.lastIndexOf('/');
			while (i > 0) {
				const d = f.slice(0, i);
				if (dirs.has(d)) break;
				dirs.add(d);
				i = d.lastIndexOf('/');
			}
		}
		this.dirs = dirs;
	}
}

/** The repo-relative paths of the patch files a kustomization names (patches, patchesStrategicMerge, patchesJson6902). */
export function patchPaths(kustomizationPath: string, text: string): string[] {
	let value: unknown;
	try {
		value = parse(text, { maxAliasCount: 100 });
	} catch {
		return [];
	}
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
	const smp = value.patchesStrategicMerge;
	if (Array.isArray(smp)) for (const item of smp) add(item);
	return out;
}

const matcherCache = new WeakMap<FleetscopeSettings, (path: string) => boolean>();

/** Whether a repo-relative path is validated under the include/exclude globs of the settings. */
export function isIncluded(relPath: string, settings: FleetscopeSettings): boolean {
	let m = matcherCache.get(settings);
	if (!m) {
		const inc = picomatch(settings.include, { dot: true });
		const exc = settings.exclude.length > 0 ? picomatch(settings.exclude, { dot: true }) : () => false;
		m = (p: string) => inc(p) && !exc(p);
		matcherCache.set(settings, m);
	}
	return m(normalisePath(relPath));
}

export function normalisePath(p: string): string {
	const parts: string[] = [];
	for (const seg of p.replace(/\\/g, '/').split('/')) {
		if (seg === '' || seg === '.') continue;
		if (seg === '..') {
			if (parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
			else parts.push('..');
		} else parts.push(seg);
	}
	return parts.join('/');
}

export function joinPath(dir: string, rel: string): string {
	return normalisePath(dir === '' ? rel : `${dir}/${rel}`);
}

export function dirName(p: string): string {
	const n = normalisePath(p);
	const i = n.lastIndexOf('/');
	return i === -1 ? '' : n.slice(0, i);
}

export function baseName(p: string): string {
	const i = p.replace(/\\/g, '/').lastIndexOf('/');
	return i === -1 ? p : p.slice(i + 1);
}

import picomatch from 'picomatch';
import type { FleetscopeSettings } from '../../../../shared/settings';

/** Repo-relative posix paths ('' is the repository root): the one place path rules live. */

export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
const KUSTOMIZATION_NAMES = new Set(KUSTOMIZATION_FILES);

export function isKustomizationFile(relPath: string): boolean {
	return KUSTOMIZATION_NAMES.has(baseName(relPath));
}

export function isYamlFile(relPath: string): boolean {
	return /\.ya?ml$/i.test(relPath) || baseName(relPath) === 'Kustomization';
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

/** Anything that normalising would change: `.`/`..` segments, empty segments, backslashes, a leading or trailing slash. */
const NOT_NORMAL = /(^|\/)\.\.?(\/|$)|\/\/|\\|^\/|\/$/;

/** A clean repo-relative path; `..` segments that leave the root are kept. */
export function normalisePath(p: string): string {
	if (!NOT_NORMAL.test(p)) return p; // the common case: already a clean repo-relative path
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

/** Joins and normalises, as kustomize resolves an entry; undefined when the result leaves the repository or `rel` is absolute. */
export function joinInside(dir: string, rel: string): string | undefined {
	if (rel.startsWith('/')) return undefined;
	const out: string[] = [];
	for (const part of `${dir}/${rel}`.split('/')) {
		if (part === '' || part === '.') continue;
		if (part === '..') {
			if (out.length === 0) return undefined;
			out.pop();
		} else out.push(part);
	}
	return out.join('/');
}

export function dirName(p: string): string {
	const n = normalisePath(p);
	const i = n.lastIndexOf('/');
	return i === -1 ? '' : n.slice(0, i);
}

/** The last segment (a trailing slash ignored). */
export function baseName(p: string): string {
	const t = p.replace(/\\/g, '/').replace(/\/+$/, '');
	return t.slice(t.lastIndexOf('/') + 1);
}

/** Whether `p` is `dir` or inside it. */
export function isWithin(p: string, dir: string): boolean {
	return dir === '' || p === dir || p.startsWith(dir + '/');
}

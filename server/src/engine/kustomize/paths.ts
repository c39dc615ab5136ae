/** Repo-relative posix paths ('' is the repository root). */

/** Joins and normalises; undefined when the result leaves the repository. */
export function joinPath(dir: string, rel: string): string | undefined {
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

export function normalizePath(p: string): string {
	return joinPath('', p.replace(/\\/g, '/')) ?? '';
}

export function dirname(p: string): string {
	const i = p.lastIndexOf('/');
	return i === -1 ? '' : p.slice(0, i);
}

export function basename(p: string): string {
	const t = p.replace(/\/+$/, '');
	return t.slice(t.lastIndexOf('/') + 1);
}

/** Whether `p` is `dir` or inside it. */
export function isWithin(p: string, dir: string): boolean {
	return dir === '' || p === dir || p.startsWith(dir + '/');
}

/** A resource entry kustomize would fetch from the network (git repository or URL), which the renderer does not. */
export function isRemote(entry: string): boolean {
	return /^[a-z][a-z0-9+.-]*:\/\//i.test(entry) || /^git@/.test(entry) || /^(github\.com|gitlab\.com|bitbucket\.org)\//.test(entry) || /[?&](ref|version|submodules|timeout)=/.test(entry) || /\.git(\/\/|$)/.test(entry);
}

export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

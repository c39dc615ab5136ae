import { readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';

/**
 * The commit a repository's HEAD points at, read from `.git` without running git (the explorer
 * asks on every refresh; a process per refresh would be wasteful): the `.git` directory or file
 * (worktrees and submodules: `gitdir: …`, their refs in the common directory), a symbolic
 * `ref: refs/heads/main` followed through loose refs and `packed-refs`, or a detached hash.
 */

export interface HeadCommit {
	commit: string;
	/** The branch (`main`) when HEAD is a symbolic ref. */
	ref?: string;
}

export type HeadResult = HeadCommit | { note: string };

const HASH = /^([0-9a-f]{40}|[0-9a-f]{64})$/;

async function readText(file: string): Promise<string | undefined> {
	try {
		return (await readFile(file, 'utf8')).trim();
	} catch {
		return undefined;
	}
}

/** The git directory of the repository holding `dir` (walking up), or undefined. */
async function gitDirOf(dir: string): Promise<string | undefined> {
	for (let d = path.resolve(dir); ; d = path.dirname(d)) {
		const dotGit = path.join(d, '.git');
		const st = await stat(dotGit).catch(() => undefined);
		if (st?.isDirectory()) return dotGit;
		if (st?.isFile()) {
			const m = /^gitdir:\s*(.+)$/m.exec((await readText(dotGit)) ?? '');
			if (m) return path.resolve(d, m[1].trim());
		}
		if (path.dirname(d) === d) return undefined;
	}
}

async function resolveRef(gitDir: string, commonDir: string, ref: string): Promise<string | undefined> {
	for (const base of [gitDir, commonDir]) {
		const loose = await readText(path.join(base, ...ref.split('/')));
		if (loose && HASH.test(loose)) return loose;
	}
	const packed = (await readText(path.join(commonDir, 'packed-refs'))) ?? '';
	for (const line of packed.split('\n')) {
		const [hash, name] = line.trim().split(/\s+/);
		if (name === ref && HASH.test(hash ?? '')) return hash;
	}
	return undefined;
}

/** HEAD's commit for the repository that holds `dir`, or a note saying why it is unknown. */
export async function readHead(dir: string): Promise<HeadResult> {
	const gitDir = await gitDirOf(dir);
	if (!gitDir) return { note: 'not a git repository' };
	const commonRel = await readText(path.join(gitDir, 'commondir'));
	const commonDir = commonRel ? path.resolve(gitDir, commonRel) : gitDir;
	const head = await readText(path.join(gitDir, 'HEAD'));
	if (!head) return { note: 'the repository has no HEAD' };
	if (HASH.test(head)) return { commit: head };
	const m = /^ref:\s*(\S+)$/.exec(head);
	if (!m) return { note: 'HEAD could not be read' };
	const commit = await resolveRef(gitDir, commonDir, m[1]);
	const ref = m[1].replace(/^refs\/heads\//, '');
	return commit ? { commit, ref } : { note: `${ref} has no commit yet` };
}

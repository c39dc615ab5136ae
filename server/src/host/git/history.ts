import type { SoakFact } from '../../engine/promotion';
import type { GitRepository } from './repository';

/**
 * When the source environment started running what a promotion moves: the time of the commit that
 * set it, from history. A version line: `git blame --first-parent` (so a merged change counts from
 * its merge into the branch, not from when it was written). A directory: the last first-parent
 * commit that touched it. The committer time is used (when the commit landed; tests pin it with
 * GIT_COMMITTER_DATE). Uncommitted changes have no time: the soak gate says so.
 */

interface CommitTime {
	commit: string;
	at: number;
}

/** The commit that last set a line of a file in the working tree, or why there is none. */
async function lineCommit(repo: GitRepository, rel: string, line: number): Promise<CommitTime | { note: string }> {
	const r = await repo.tryGit(['blame', '--first-parent', '--porcelain', '-L', `${line},${line}`, '--', repo.repoPath(rel)]);
	if (r.code !== 0) return { note: `git blame of ${rel}:${line} failed: ${r.stderr.trim().split('\n')[0]}` };
	const sha = /^([0-9a-f]{40,64}) /.exec(r.stdout)?.[1];
	const time = /^committer-time (\d+)$/m.exec(r.stdout)?.[1];
	if (!sha || /^0+$/.test(sha)) return { note: `${rel}:${line} is not committed` };
	if (!time) return { note: `git blame gave no time for ${rel}:${line}` };
	return { commit: sha, at: Number(time) * 1000 };
}

/** The soak fact of version lines: the latest of their commits (every line must be committed). */
export async function soakOfLines(repo: GitRepository, lines: readonly { file: string; line: number }[]): Promise<SoakFact> {
	let latest: CommitTime | undefined;
	for (const l of lines) {
		const c = await lineCommit(repo, l.file, l.line);
		if ('note' in c) return { note: c.note };
		if (!latest || c.at > latest.at) latest = c;
	}
	return latest ? { at: new Date(latest.at).toISOString(), commit: latest.commit.slice(0, 12) } : { note: 'no version line to date' };
}

/** The soak fact of a directory: its last first-parent commit, unless it has uncommitted changes. */
export async function soakOfDirectory(repo: GitRepository, rel: string): Promise<SoakFact> {
	const status = await repo.tryGit(['status', '--porcelain', '--', repo.repoPath(rel)]);
	if (status.code === 0 && status.stdout.trim() !== '') return { note: `${rel} has uncommitted changes` };
	const r = await repo.tryGit(['log', '-1', '--first-parent', '--format=%H %ct', '--', repo.repoPath(rel)]);
	const m = /^([0-9a-f]{40,64}) (\d+)/.exec(r.stdout.trim());
	if (r.code !== 0 || !m) return { note: `${rel} has no commit` };
	return { at: new Date(Number(m[2]) * 1000).toISOString(), commit: m[1].slice(0, 12) };
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { PromotionFileChange } from '../../../../shared/protocol';
import { GitError } from './runner';
import type { GitRepository } from './repository';

/**
 * One commit written with git plumbing, beside whatever the user is doing: the new tree is built
 * in a temporary index (GIT_INDEX_FILE) from the parent commit's tree, blobs are written with
 * `hash-object`, the commit with `commit-tree` (author and committer: the user's git identity).
 * The working tree, the real index, the current branch and HEAD are not touched, so a dirty
 * working tree, a detached HEAD or another checked-out branch stay exactly as they were.
 */

export interface WrittenCommit {
	/** The new commit; the parent itself when the tree did not change (nothing to commit). */
	commit: string;
	changed: boolean;
}

export async function writeCommit(repo: GitRepository, parent: string, changes: readonly PromotionFileChange[], message: string): Promise<WrittenCommit> {
	const dir = mkdtempSync(path.join(tmpdir(), 'fleetscope-index-'));
	const env = { GIT_INDEX_FILE: path.join(dir, 'index') };
	try {
		await repo.git(['read-tree', parent], { env });
		for (const c of changes) {
			const file = repo.repoPath(c.file);
			if (c.action === 'delete' || c.after === undefined) {
				await repo.git(['update-index', '--force-remove', '--', file], { env });
				continue;
			}
			// --path: the repository's attributes (eol, clean filters) apply as to `git add`.
			const blob = (await repo.git(['hash-object', '-w', '--stdin', `--path=${file}`], { input: c.after })).trim();
			const listed = (await repo.git(['ls-tree', parent, '--', file])).trim();
			const mode = /^(100644|100755) /.exec(listed)?.[1] ?? '100644';
			await repo.git(['update-index', '--add', '--cacheinfo', `${mode},${blob},${file}`], { env });
		}
		const tree = (await repo.git(['write-tree'], { env })).trim();
		if (tree === (await repo.treeOf(parent))) return { commit: parent, changed: false };
		const commit = (await repo.git(['commit-tree', tree, '-p', parent, '-F', '-'], { input: message })).trim();
		return { commit, changed: true };
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

/** A push the remote refused (the branch moved meanwhile, a protected branch, a hook). */
export class PushRejectedError extends GitError {}

/**
 * Pushes a commit to a branch of the remote, never forced: the remote accepts it only as a
 * fast-forward of what it has (or as a new branch).
 */
export async function pushCommit(repo: GitRepository, remote: string, commit: string, branch: string): Promise<void> {
	const args = ['push', '--porcelain', remote, `${commit}:refs/heads/${branch}`];
	const r = await repo.tryGit(args, { network: true, timeoutMs: 300_000 });
	if (r.code === 0) return;
	const said = `${r.stdout}\n${r.stderr}`;
	const rejected = /^!\s/m.test(r.stdout) || /\[rejected\]|\[remote rejected\]|non-fast-forward|fetch first/.test(said);
	const reason = (/^!\s+\S+\s+(.*)$/m.exec(r.stdout)?.[1] ?? said.split('\n').map((l) => l.trim()).filter(Boolean).slice(0, 3).join(' ')).trim();
	if (rejected) {
		throw new PushRejectedError(`${remote} rejected the push to ${branch} (${reason}): nothing was forced. Someone may have pushed to the branch meanwhile: run the promotion again to add a commit on top, or look at the branch`, args, r.stderr, r.code);
	}
	throw new GitError(`the push to ${remote} failed (${reason}): check your credentials for it (a credential helper, an SSH key, or GITHUB_TOKEN / GITLAB_TOKEN for an https remote) and the network`, args, r.stderr, r.code);
}

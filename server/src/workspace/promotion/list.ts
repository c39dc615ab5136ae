import type { PromotionPullRequestStatus } from '../../../../shared/protocol';
import type { GitRepository } from '../../host/git/repository';
import { redact } from '../../host/scm/errors';
import { resolveScm, scmClient, type ScmSettings } from '../../host/scm/provider';
import { parseRemoteUrl } from '../../host/scm/remote-url';

/**
 * The open promotion pull requests of the repository's remote, per app and environment (state,
 * checks, reviews), for the explorer's Promotion view. Needs a token (GitHub or GitLab); a
 * ScmError says how to provide one.
 */
export async function listPromotionPullRequests(git: GitRepository, remote: string, env: Record<string, string | undefined>, settings?: ScmSettings): Promise<PromotionPullRequestStatus[]> {
	const url = await git.remoteUrl(remote);
	const repo = parseRemoteUrl(url);
	if (!repo) return [];
	const scm = resolveScm(repo, env, settings);
	if (scm.kind === 'other') return [];
	try {
		return await scmClient(repo, scm).listPromotions();
	} catch (e) {
		throw new Error(redact(e instanceof Error ? e.message : String(e), [scm.token]));
	}
}

import { ScmError } from './errors';
import { GitHubClient } from './github';
import { GitLabClient } from './gitlab';
import type { RemoteRepository } from './remote-url';
import type { ScmClient } from './types';

/**
 * Which host a remote is on and how to reach its API: GitHub (github.com, or GitHub Enterprise
 * named by GITHUB_SERVER_URL / GITHUB_API_URL as GitHub Actions sets them), GitLab (gitlab.com, a
 * host whose name says gitlab, or the instance CI_SERVER_URL / CI_API_V4_URL name, as GitLab CI
 * sets them), else another host (the compare URL only). Tokens: GITHUB_TOKEN, GITLAB_TOKEN (in the
 * editor: VS Code's GitHub session, a GitLab token in SecretStorage, passed as `token`).
 */

export type ScmKind = 'github' | 'gitlab' | 'other';

/** Settings that win over what the remote and the environment say. */
export interface ScmSettings {
	provider?: ScmKind;
	/** API base URL (`https://ghe.example.com/api/v3`, `https://gitlab.example.com/api/v4`). */
	apiUrl?: string;
	/** A token the host obtained otherwise (the editor's authentication); wins over the environment. */
	token?: string;
}

export interface ResolvedScm {
	kind: ScmKind;
	apiUrl?: string;
	token?: string;
	/** Where the token comes from (or would), for messages: `GITHUB_TOKEN`. */
	tokenSource: string;
	/** How to give another token, for messages: `set GITHUB_TOKEN`. */
	tokenFix: string;
	/** The user name git uses with the token over https. */
	gitUsername: string;
}

const hostOf = (url: string | undefined): string | undefined => {
	if (!url) return undefined;
	try {
		return new URL(url).hostname.toLowerCase();
	} catch {
		return undefined;
	}
};

export function resolveScm(remote: RemoteRepository, env: Record<string, string | undefined>, settings: ScmSettings = {}): ResolvedScm {
	const gheHost = hostOf(env.GITHUB_SERVER_URL);
	const gitlabHost = hostOf(env.CI_SERVER_URL);
	const kind: ScmKind =
		settings.provider ??
		(remote.host === 'github.com' || (gheHost !== undefined && remote.host === gheHost)
			? 'github'
			: remote.host === 'gitlab.com' || (gitlabHost !== undefined && remote.host === gitlabHost) || /(^|\.)gitlab\./.test(remote.host)
				? 'gitlab'
				: 'other');
	if (kind === 'github') {
		const apiUrl = settings.apiUrl ?? env.GITHUB_API_URL ?? (remote.host === 'github.com' ? 'https://api.github.com' : `https://${remote.host}/api/v3`);
		return { kind, apiUrl, token: settings.token ?? nonEmpty(env.GITHUB_TOKEN), ...tokenWords(settings, 'GITHUB_TOKEN'), gitUsername: 'x-access-token' };
	}
	if (kind === 'gitlab') {
		const apiUrl = settings.apiUrl ?? env.CI_API_V4_URL ?? `https://${remote.host}/api/v4`;
		return { kind, apiUrl, token: settings.token ?? nonEmpty(env.GITLAB_TOKEN), ...tokenWords(settings, 'GITLAB_TOKEN'), gitUsername: 'oauth2' };
	}
	return { kind, tokenSource: 'none', tokenFix: 'run without --open-pr', gitUsername: 'git' };
}

/** Where the token came from and how to give another: the editor's (sign-in or secret storage) or the environment's. */
function tokenWords(settings: ScmSettings, variable: string): { tokenSource: string; tokenFix: string } {
	return settings.token ? { tokenSource: 'the editor', tokenFix: 'promote again and give another token (a token Fleetscope kept is forgotten; for a GitHub sign-in, sign out in VS Code\'s Accounts menu first)' } : { tokenSource: variable, tokenFix: `set ${variable}` };
}

function nonEmpty(v: string | undefined): string | undefined {
	return v !== undefined && v.trim() !== '' ? v.trim() : undefined;
}

/** The API client of a resolved host; a ScmError saying how to provide a token when there is none. */
export function scmClient(remote: RemoteRepository, scm: ResolvedScm): ScmClient {
	if (scm.kind === 'other') throw new ScmError(`${remote.host} is not a host Fleetscope has an API client for (GitHub, GitLab): run without --open-pr to push the branch and get a URL that opens the pull request`);
	if (!scm.token) {
		const name = scm.kind === 'github' ? 'GitHub' : 'GitLab';
		const scope = scm.kind === 'github' ? 'a token with access to the repository (classic: repo scope; fine-grained: pull requests and contents read/write)' : 'a token with the api scope';
		throw new ScmError(`no ${name} token: set ${scm.tokenSource} to ${scope}, or run without --open-pr to push the branch and get a URL that opens the pull request`);
	}
	if (scm.kind === 'github') return new GitHubClient({ owner: remote.owner, repo: remote.repo, token: scm.token, apiUrl: scm.apiUrl!, tokenSource: scm.tokenSource, tokenFix: scm.tokenFix });
	return new GitLabClient({ project: `${remote.owner}/${remote.repo}`, token: scm.token, apiUrl: scm.apiUrl!, tokenSource: scm.tokenSource, tokenFix: scm.tokenFix });
}

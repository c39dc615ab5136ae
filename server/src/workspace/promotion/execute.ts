import type { PromotionPlan, PromotionPullRequest } from '../../../../shared/protocol';
import { pushCommit, writeCommit } from '../../host/git/commit';
import { tokenCredentials } from '../../host/git/credentials';
import type { GitRepository } from '../../host/git/repository';
import { compareUrl } from '../../host/scm/compare-url';
import { redact, ScmError } from '../../host/scm/errors';
import { resolveScm, scmClient, type ResolvedScm, type ScmSettings } from '../../host/scm/provider';
import { displayUrl, parseRemoteUrl, type RemoteRepository } from '../../host/scm/remote-url';
import type { ScmClient } from '../../host/scm/types';

/**
 * `executePromotion`: the plan becomes a branch and, if asked, a pull request. Git at the edge:
 * fetch, one commit on `fleetscope/promote/<app>/<environment>` from the remote's default branch
 * (or on top of the branch when it exists there) written with plumbing, so the user's working
 * tree, index, branch and HEAD stay as they are; a push without force; then the pull request
 * through the host's API, or the compare URL. Nothing is pushed unless `confirm` says yes.
 */

export interface ExecuteDeps {
	git: GitRepository;
	/** The remote to push to (default origin). */
	remote?: string;
	/** Open (or update) the pull request through the API; else the compare URL is returned. */
	openPullRequest: boolean;
	/** Environment variables: tokens (GITHUB_TOKEN, GITLAB_TOKEN) and API bases (GITHUB_API_URL, CI_API_V4_URL). */
	env: Record<string, string | undefined>;
	scmSettings?: ScmSettings;
	/** Asked once, before the push, naming the branch and the remote; false: nothing is pushed. */
	confirm(question: PushQuestion): Promise<boolean>;
	/** Progress, one line at a time (never a token). */
	log?(line: string): void;
	/** Tests replace the API client. */
	clientFor?(remote: RemoteRepository, scm: ResolvedScm): ScmClient;
}

export interface PushQuestion {
	branch: string;
	remote: string;
	/** The remote's URL, user info removed. */
	url: string;
	/** The branch it is based on (the remote's default branch), or that it adds to the existing branch. */
	base: string;
	branchExists: boolean;
}

export interface PromotionOutcome {
	/** What happened: pushed, nothing to push (the branch has it already), declined, or blocked/up to date (nothing done). */
	result: 'pushed' | 'unchanged' | 'declined' | 'blocked' | 'up-to-date';
	branch: string;
	remote: string;
	base?: string;
	commit?: string;
	pullRequest?: PromotionPullRequest;
	/** Where to open the pull request in a browser (without --open-pr, or for a host without an API client). */
	compareUrl?: string;
	warnings: string[];
}

/** A step that failed, with what to do; `pushed` says whether the branch reached the remote before it. */
export class PromotionError extends Error {
	constructor(
		message: string,
		readonly pushed: boolean,
		/** The host refused the token (401): the editor forgets the one it kept. */
		readonly tokenRejected = false,
	) {
		super(message);
	}
}

const rejected = (e: unknown): boolean => e instanceof ScmError && e.status === 401;

export async function executePromotion(plan: PromotionPlan, deps: ExecuteDeps): Promise<PromotionOutcome> {
	const remote = deps.remote ?? 'origin';
	const base: PromotionOutcome = { result: 'blocked', branch: plan.branch, remote, warnings: [] };
	if (plan.blocked) return base;
	if (plan.upToDate) return { ...base, result: 'up-to-date' };
	const { git } = deps;
	const log = deps.log ?? (() => undefined);
	const secrets: (string | undefined)[] = [deps.env.GITHUB_TOKEN, deps.env.GITLAB_TOKEN, deps.scmSettings?.token];
	const fail = (e: unknown, pushed: boolean): PromotionError => new PromotionError(redact(e instanceof Error ? e.message : String(e), secrets), pushed, rejected(e));
	let url: string;
	let repo: RemoteRepository | undefined;
	let scm: ResolvedScm | undefined;
	let client: ScmClient | undefined;
	try {
		await git.identity();
		url = await git.remoteUrl(remote);
		repo = parseRemoteUrl(url);
		scm = repo ? resolveScm(repo, deps.env, deps.scmSettings) : undefined;
		if (deps.openPullRequest) {
			if (!repo || !scm) throw new ScmError(`the remote "${remote}" (${displayUrl(url)}) names no hosted repository: run without --open-pr`);
			client = (deps.clientFor ?? scmClient)(repo, scm);
			// The token is checked before anything is pushed.
			await client.check();
		}
		if (scm?.token) {
			const creds = tokenCredentials(url, scm.token, scm.gitUsername);
			git.useCredentials(creds.args, creds.env);
		}
	} catch (e) {
		throw fail(e, false);
	}
	let commit: string;
	let defaultBranch: string;
	let exists: boolean;
	try {
		log(`fetching ${remote}`);
		defaultBranch = await git.defaultBranch(remote);
		const heads = await git.remoteHeads(remote, [defaultBranch, plan.branch]);
		const baseCommit = heads.get(defaultBranch);
		if (!baseCommit) throw new PromotionError(`the remote "${remote}" has no branch ${defaultBranch}`, false);
		exists = heads.has(plan.branch);
		await git.fetch(remote, exists ? [defaultBranch, plan.branch] : [defaultBranch]);
		await checkBasis(git, plan, baseCommit, `${remote}/${defaultBranch}`);
		const parent = heads.get(plan.branch) ?? baseCommit;
		const written = await writeCommit(git, parent, plan.changes, plan.commitMessage);
		commit = written.commit;
		if (!written.changed) {
			log(`${plan.branch} on ${remote} already has this change`);
			return await finishPullRequest({ ...base, result: 'unchanged', base: defaultBranch, commit }, plan, client, repo, scm, secrets);
		}
	} catch (e) {
		throw e instanceof PromotionError ? e : fail(e, false);
	}
	const question: PushQuestion = { branch: plan.branch, remote, url: displayUrl(url), base: defaultBranch, branchExists: exists };
	if (!(await deps.confirm(question))) return { ...base, result: 'declined', base: defaultBranch };
	try {
		log(`pushing ${plan.branch} to ${remote}`);
		await pushCommit(git, remote, commit, plan.branch);
	} catch (e) {
		throw fail(e, false);
	}
	return finishPullRequest({ ...base, result: 'pushed', base: defaultBranch, commit }, plan, client, repo, scm, secrets);
}

/** After the branch is on the remote: the pull request through the API, or the compare URL. */
async function finishPullRequest(
	outcome: PromotionOutcome,
	plan: PromotionPlan,
	client: ScmClient | undefined,
	repo: RemoteRepository | undefined,
	scm: ResolvedScm | undefined,
	secrets: (string | undefined)[],
): Promise<PromotionOutcome> {
	const input = { base: outcome.base!, head: plan.branch, title: plan.title, body: plan.body, labels: plan.labels, reviewers: plan.reviewers };
	const compare = repo && scm ? compareUrl(repo, scm.kind, input) : undefined;
	if (!client) return { ...outcome, compareUrl: compare };
	try {
		const pr = await client.openOrUpdate(input);
		return { ...outcome, pullRequest: { url: pr.url, number: pr.number, created: pr.created }, warnings: pr.warnings.map((w) => redact(w, secrets)) };
	} catch (e) {
		const where = compare ? ` Open it in the browser instead: ${compare}` : '';
		throw new PromotionError(redact(`${e instanceof Error ? e.message : String(e)}. The branch ${plan.branch} is on ${outcome.remote}; the pull request was not opened.${where}`, secrets), outcome.result === 'pushed', rejected(e));
	}
}

/** The remote's default branch must have every file the plan read as the plan read it: what was previewed is what is committed. */
async function checkBasis(git: GitRepository, plan: PromotionPlan, baseCommit: string, baseName: string): Promise<void> {
	const differ: string[] = [];
	for (const b of plan.basis) {
		const there = await git.readAt(baseCommit, b.file);
		if ((there ?? null) !== b.text) differ.push(b.file);
	}
	if (differ.length > 0) {
		throw new PromotionError(
			`${differ.slice(0, 5).join(', ')}${differ.length > 5 ? ` and ${differ.length - 5} more` : ''} differ between your working tree and ${baseName}, which the promotion branch starts from: pull (or push your changes to ${baseName.split('/').slice(1).join('/')}), then promote again`,
			false,
		);
	}
}

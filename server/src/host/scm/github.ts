import { Octokit } from '@octokit/rest';
import type { PromotionPullRequestStatus } from '../../../../shared/protocol';
import { parsePromotionBranch, parsePromotionMarker } from '../../engine/promotion';
import { networkCode, ScmError } from './errors';
import type { PullRequestInput, PullRequestOutcome, ScmClient } from './types';

/**
 * GitHub pull requests through Octokit (`@octokit/rest`). Idempotent: an open pull request from the
 * promotion branch is updated (title, body, labels, reviewers), never a second one opened; when
 * creating races another run, GitHub's 422 "A pull request already exists" is answered by updating
 * that one. Labels are added (GitHub creates missing ones); reviewers are requested, users and
 * `org/team` teams apart, and one that cannot be asked is a warning, not a failure.
 */

const SILENT = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

export interface GitHubOptions {
	owner: string;
	repo: string;
	token: string;
	/** `https://api.github.com`, or GitHub Enterprise's `https://host/api/v3` (GITHUB_API_URL). */
	apiUrl: string;
	/** Where the token came from, for messages (`GITHUB_TOKEN`, `the editor`). */
	tokenSource: string;
	/** How to give another one, for messages (`set GITHUB_TOKEN`). */
	tokenFix: string;
}

export class GitHubClient implements ScmClient {
	readonly kind = 'github' as const;
	readonly apiUrl: string;
	private readonly octokit: Octokit;

	constructor(private readonly o: GitHubOptions) {
		this.apiUrl = o.apiUrl.replace(/\/+$/, '');
		this.octokit = new Octokit({ auth: o.token, baseUrl: this.apiUrl, userAgent: 'fleetscope', log: SILENT, request: { retries: 0 } });
	}

	async check(): Promise<void> {
		await this.call('read the repository', () => this.octokit.rest.repos.get({ owner: this.o.owner, repo: this.o.repo }));
	}

	async openOrUpdate(input: PullRequestInput): Promise<PullRequestOutcome> {
		const { owner, repo } = this.o;
		let created = false;
		let pr = await this.findOpen(input.head);
		if (pr) {
			await this.call('update the pull request', () => this.octokit.rest.pulls.update({ owner, repo, pull_number: pr!.number, title: input.title, body: input.body }));
		} else {
			try {
				const r = await this.octokit.rest.pulls.create({ owner, repo, title: input.title, head: input.head, base: input.base, body: input.body });
				pr = { number: r.data.number, url: r.data.html_url };
				created = true;
			} catch (e) {
				// Another run opened it meanwhile: update that one.
				if (status(e) === 422 && /already exists/i.test(messageOf(e))) {
					pr = await this.findOpen(input.head);
					if (!pr) throw this.explain(e, 'open the pull request');
					await this.call('update the pull request', () => this.octokit.rest.pulls.update({ owner, repo, pull_number: pr!.number, title: input.title, body: input.body }));
				} else throw this.explain(e, 'open the pull request');
			}
		}
		const warnings: string[] = [];
		if (input.labels.length > 0) {
			await this.call('label the pull request', () => this.octokit.rest.issues.addLabels({ owner, repo, issue_number: pr!.number, labels: input.labels })).catch((e: ScmError) => warnings.push(e.message));
		}
		const users = input.reviewers.filter((r) => !r.includes('/'));
		const teams = input.reviewers.filter((r) => r.includes('/')).map((r) => r.slice(r.indexOf('/') + 1));
		if (users.length + teams.length > 0) {
			await this.call('request reviewers', () => this.octokit.rest.pulls.requestReviewers({ owner, repo, pull_number: pr!.number, reviewers: users, team_reviewers: teams })).catch((e: ScmError) =>
				warnings.push(`${e.message} (the pull request is open; ask ${input.reviewers.join(', ')} yourself)`),
			);
		}
		return { ...pr, created, warnings };
	}

	async listPromotions(): Promise<PromotionPullRequestStatus[]> {
		const { owner, repo } = this.o;
		const open = await this.call('list pull requests', () => this.octokit.paginate(this.octokit.rest.pulls.list, { owner, repo, state: 'open', per_page: 100 }));
		const out: PromotionPullRequestStatus[] = [];
		for (const pr of open) {
			const marker = parsePromotionMarker(pr.body);
			const byBranch = parsePromotionBranch(pr.head.ref);
			if (!marker && !byBranch) continue;
			const reviews = await this.call('read reviews', () => this.octokit.paginate(this.octokit.rest.pulls.listReviews, { owner, repo, pull_number: pr.number, per_page: 100 }));
			const latest = new Map<string, string>();
			for (const r of reviews) if (r.user && r.state !== 'COMMENTED') latest.set(r.user.login, r.state);
			out.push({
				app: marker?.app ?? byBranch!.app,
				environment: marker?.to ?? byBranch!.environment,
				from: marker?.from,
				url: pr.html_url,
				number: pr.number,
				title: pr.title,
				branch: pr.head.ref,
				draft: pr.draft === true,
				checks: await this.checksOf(pr.head.sha),
				approvals: [...latest.values()].filter((s) => s === 'APPROVED').length,
				changesRequested: [...latest.values()].filter((s) => s === 'CHANGES_REQUESTED').length,
				recognised: marker !== undefined,
			});
		}
		return out;
	}

	/** Check runs and commit statuses of a commit, combined. */
	private async checksOf(sha: string): Promise<PromotionPullRequestStatus['checks']> {
		const { owner, repo } = this.o;
		const runs = (await this.call('read checks', () => this.octokit.rest.checks.listForRef({ owner, repo, ref: sha, per_page: 100 }))).data.check_runs;
		const statuses = (await this.call('read statuses', () => this.octokit.rest.repos.getCombinedStatusForRef({ owner, repo, ref: sha }))).data;
		const states: ('success' | 'failure' | 'pending')[] = runs.map((r) =>
			r.status !== 'completed' ? 'pending' : ['success', 'neutral', 'skipped'].includes(r.conclusion ?? '') ? 'success' : 'failure',
		);
		if (statuses.total_count > 0) states.push(statuses.state === 'success' ? 'success' : statuses.state === 'pending' ? 'pending' : 'failure');
		if (states.length === 0) return 'none';
		return states.includes('failure') ? 'failure' : states.includes('pending') ? 'pending' : 'success';
	}

	private async findOpen(head: string): Promise<{ number: number; url: string } | undefined> {
		const { owner, repo } = this.o;
		const r = await this.call('look for an open pull request', () => this.octokit.rest.pulls.list({ owner, repo, state: 'open', head: `${owner.split('/')[0]}:${head}`, per_page: 10 }));
		const pr = r.data.find((p) => p.head.ref === head);
		return pr ? { number: pr.number, url: pr.html_url } : undefined;
	}

	private async call<T>(what: string, f: () => Promise<T>): Promise<T> {
		try {
			return await f();
		} catch (e) {
			throw this.explain(e, what);
		}
	}

	/** The error in words, without the library's error object (its request holds the Authorization header). */
	private explain(e: unknown, what: string): ScmError {
		const s = status(e);
		const repoName = `${this.o.owner}/${this.o.repo}`;
		const net = s === undefined || s === 500 ? networkCode(e) : undefined;
		if (net) return new ScmError(`could not reach the GitHub API at ${this.apiUrl} to ${what} (${net}): check the network, or GITHUB_API_URL for GitHub Enterprise`);
		const said = messageOf(e).split('\n')[0].replace(/ - https:\/\/docs\.github\.com\S*/, '');
		if (s === 401) return new ScmError(`GitHub refused the token in ${this.o.tokenSource} (401 ${said}): create a token with access to ${repoName} (classic: repo scope; fine-grained: pull requests and contents read/write), then ${this.o.tokenFix}`, s);
		if (s === 403) return new ScmError(`GitHub did not allow the token in ${this.o.tokenSource} to ${what} on ${repoName} (403 ${said}): give the token pull request write access to the repository`, s);
		if (s === 404) return new ScmError(`GitHub shows no ${repoName} to the token in ${this.o.tokenSource} (404): check the remote URL and that the token can see the repository`, s);
		return new ScmError(`GitHub could not ${what} on ${repoName}${s ? ` (${s} ${said})` : ` (${said})`}`, s);
	}
}

function status(e: unknown): number | undefined {
	const s = (e as { status?: unknown })?.status;
	return typeof s === 'number' ? s : undefined;
}

function messageOf(e: unknown): string {
	const data = (e as { response?: { data?: { message?: unknown; errors?: { message?: unknown }[] } } })?.response?.data;
	const extra = Array.isArray(data?.errors) ? data!.errors.map((x) => (typeof x?.message === 'string' ? x.message : '')).filter(Boolean) : [];
	const base = typeof data?.message === 'string' ? data.message : e instanceof Error ? e.message : String(e);
	return [base, ...extra].join(': ');
}

import { Gitlab } from '@gitbeaker/rest';
import type { PromotionPullRequestStatus } from '../../../../shared/protocol';
import { parsePromotionBranch, parsePromotionMarker } from '../../engine/promotion';
import { networkCode, ScmError } from './errors';
import type { PullRequestInput, PullRequestOutcome, ScmClient } from './types';

/**
 * GitLab merge requests through Gitbeaker (`@gitbeaker/rest`). Idempotent as on GitHub: an open
 * merge request from the promotion branch is updated; GitLab's 409 "Another open merge request
 * already exists for this source branch" is answered by updating that one. Reviewers are user
 * names, looked up to their ids; one that does not exist is a warning.
 */

export interface GitLabOptions {
	/** The project's path: `group/subgroup/project`. */
	project: string;
	token: string;
	/** `https://gitlab.com/api/v4`, or a self-hosted instance's (CI_API_V4_URL). */
	apiUrl: string;
	/** Where the token came from, for messages (`GITLAB_TOKEN`, `the editor`). */
	tokenSource: string;
	/** How to give another one, for messages (`set GITLAB_TOKEN`). */
	tokenFix: string;
}

interface MergeRequest {
	iid: number;
	web_url: string;
	title: string;
	description?: string | null;
	source_branch: string;
	draft?: boolean;
	work_in_progress?: boolean;
	head_pipeline?: { status?: string } | null;
}

export class GitLabClient implements ScmClient {
	readonly kind = 'gitlab' as const;
	readonly apiUrl: string;
	private readonly api: InstanceType<typeof Gitlab>;

	constructor(private readonly o: GitLabOptions) {
		this.apiUrl = o.apiUrl.replace(/\/+$/, '');
		// Gitbeaker appends /api/v4 to the host it is given.
		this.api = new Gitlab({ host: this.apiUrl.replace(/\/api\/v4$/, ''), token: o.token, queryTimeout: 30_000 });
	}

	async check(): Promise<void> {
		await this.call('read the project', () => this.api.Projects.show(this.o.project));
	}

	async openOrUpdate(input: PullRequestInput): Promise<PullRequestOutcome> {
		const warnings: string[] = [];
		const reviewerIds: number[] = [];
		for (const name of input.reviewers) {
			if (name.includes('/')) {
				warnings.push(`${name}: GitLab merge requests take users as reviewers, not groups (ask the group yourself, or name its members in the Fleet file)`);
				continue;
			}
			const users = (await this.call('look up reviewers', () => this.api.Users.all({ username: name }))) as { id: number }[];
			if (users[0]) reviewerIds.push(users[0].id);
			else warnings.push(`${name}: no such GitLab user, not asked to review`);
		}
		const fields = { title: input.title, description: input.body, labels: input.labels.join(','), ...(reviewerIds.length > 0 ? { reviewerIds } : {}) };
		let mr = await this.findOpen(input.head);
		let created = false;
		if (mr) mr = await this.edit(mr.iid, fields);
		else {
			try {
				mr = (await this.api.MergeRequests.create(this.o.project, input.head, input.base, input.title, { description: input.body, labels: fields.labels, removeSourceBranch: true, ...(reviewerIds.length > 0 ? { reviewerIds } : {}) })) as unknown as MergeRequest;
				created = true;
			} catch (e) {
				if (status(e) === 409) {
					const open = await this.findOpen(input.head);
					if (!open) throw this.explain(e, 'open the merge request');
					mr = await this.edit(open.iid, fields);
				} else throw this.explain(e, 'open the merge request');
			}
		}
		return { url: mr.web_url, number: mr.iid, created, warnings };
	}

	async listPromotions(): Promise<PromotionPullRequestStatus[]> {
		const open = (await this.call('list merge requests', () => this.api.MergeRequests.all({ projectId: this.o.project, state: 'opened', perPage: 100, maxPages: 10 }))) as unknown as MergeRequest[];
		const out: PromotionPullRequestStatus[] = [];
		for (const mr of open) {
			const marker = parsePromotionMarker(mr.description);
			const byBranch = parsePromotionBranch(mr.source_branch);
			if (!marker && !byBranch) continue;
			const full = (await this.call('read the merge request', () => this.api.MergeRequests.show(this.o.project, mr.iid))) as unknown as MergeRequest;
			const approvals = (await this.call('read approvals', () => this.api.MergeRequestApprovals.showConfiguration(this.o.project, { mergerequestIId: mr.iid }))) as unknown as { approved_by?: unknown[] };
			const pipeline = full.head_pipeline?.status;
			out.push({
				app: marker?.app ?? byBranch!.app,
				environment: marker?.to ?? byBranch!.environment,
				from: marker?.from,
				url: mr.web_url,
				number: mr.iid,
				title: mr.title,
				branch: mr.source_branch,
				draft: mr.draft === true || mr.work_in_progress === true,
				checks: !pipeline ? 'none' : pipeline === 'success' ? 'success' : ['failed', 'canceled'].includes(pipeline) ? 'failure' : 'pending',
				approvals: Array.isArray(approvals.approved_by) ? approvals.approved_by.length : 0,
				changesRequested: 0,
				recognised: marker !== undefined,
			});
		}
		return out;
	}

	private async edit(iid: number, fields: { title: string; description: string; labels: string; reviewerIds?: number[] }): Promise<MergeRequest> {
		return (await this.call('update the merge request', () => this.api.MergeRequests.edit(this.o.project, iid, fields))) as unknown as MergeRequest;
	}

	private async findOpen(head: string): Promise<MergeRequest | undefined> {
		const list = (await this.call('look for an open merge request', () => this.api.MergeRequests.all({ projectId: this.o.project, state: 'opened', sourceBranch: head }))) as unknown as MergeRequest[];
		return list.find((m) => m.source_branch === head);
	}

	private async call<T>(what: string, f: () => Promise<T>): Promise<T> {
		try {
			return await f();
		} catch (e) {
			throw this.explain(e, what);
		}
	}

	/** The error in words, without the library's error object (its request holds the PRIVATE-TOKEN header). */
	private explain(e: unknown, what: string): ScmError {
		const s = status(e);
		const project = this.o.project;
		if (s === undefined) {
			const net = networkCode(e) ?? ((e as Error)?.name === 'GitbeakerTimeoutError' ? 'timed out' : undefined);
			return new ScmError(`could not reach the GitLab API at ${this.apiUrl} to ${what} (${net ?? 'no answer'}): check the network, or CI_API_V4_URL for a self-hosted GitLab`);
		}
		const said = (e as Error).message.split('\n')[0];
		if (s === 401) return new ScmError(`GitLab refused the token in ${this.o.tokenSource} (401 ${said}): create a token with the api scope for ${project}, then ${this.o.tokenFix}`, s);
		if (s === 403) return new ScmError(`GitLab did not allow the token in ${this.o.tokenSource} to ${what} on ${project} (403 ${said}): the token needs the api scope and Developer access`, s);
		if (s === 404) return new ScmError(`GitLab shows no project ${project} to the token in ${this.o.tokenSource} (404): check the remote URL and the token's access`, s);
		return new ScmError(`GitLab could not ${what} on ${project} (${s} ${said})`, s);
	}
}

function status(e: unknown): number | undefined {
	const s = (e as { cause?: { response?: { status?: unknown } } })?.cause?.response?.status;
	return typeof s === 'number' ? s : undefined;
}

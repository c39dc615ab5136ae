import type { PromotionPullRequest, PromotionPullRequestStatus } from '../../../../shared/protocol';

/** What a pull (merge) request for a promotion asks of the host. */
export interface PullRequestInput {
	/** The branch it merges into (the remote's default branch). */
	base: string;
	/** The promotion branch. */
	head: string;
	title: string;
	body: string;
	labels: string[];
	/** User names, and `org/team` slugs (GitHub teams). */
	reviewers: string[];
}

/** What opening or updating it gave, with what did not work but did not stop it (a reviewer that cannot be asked). */
export interface PullRequestOutcome extends PromotionPullRequest {
	warnings: string[];
}

/** A hosting API: GitHub (Octokit) or GitLab (Gitbeaker). */
export interface ScmClient {
	readonly kind: 'github' | 'gitlab';
	/** The API base URL, for messages. */
	readonly apiUrl: string;
	/** Checks the token and that the repository is visible to it; throws a ScmError saying what to do. */
	check(): Promise<void>;
	/** Opens the pull request, or updates the open one from the same branch (never a second one). */
	openOrUpdate(input: PullRequestInput): Promise<PullRequestOutcome>;
	/** The open promotion pull requests of the repository, with their checks and reviews. */
	listPromotions(): Promise<PromotionPullRequestStatus[]>;
}

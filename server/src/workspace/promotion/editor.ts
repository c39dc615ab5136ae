import type { ConfirmPushParams, PromoteParams, PromoteResult, PromotionCredentials, PromotionParams, PromotionPlanResult, PromotionPullRequestStatus } from '../../../../shared/protocol';
import { GitRepository } from '../../host/git/repository';
import { GitError, nodeGitRunner } from '../../host/git/runner';
import type { Folder } from '../folder';
import { promotionCompliance } from './compliance';
import { executePromotion, PromotionError } from './execute';
import { listPromotionPullRequests } from './list';
import { planPromotion, type PlanOutcome } from './plan';
import { resolveScm, type ScmSettings } from '../../host/scm/provider';
import { parseRemoteUrl } from '../../host/scm/remote-url';
import type { FleetscopeSettings } from '../../../../shared/settings';
import { observeCluster, type LiveObservation } from '../../engine/promotion';
import type { ClusterState } from '../../engine/live/state';

/**
 * Promotion from the editor: the same plan and execution as `fleetscope promote`, over a workspace
 * folder. Tokens come from the editor (VS Code's GitHub sign-in, a GitLab token in SecretStorage)
 * for one call and are never kept; the push waits for the user's confirmation, asked by the host.
 */
export interface PromotionHost {
	settings(folder: Folder): Promise<FleetscopeSettings>;
	/** The live state of a cluster of the folder's fleet, when connected (the live gate). */
	liveState(folder: Folder, cluster: string): ClusterState | undefined;
	/** Asked once, right before the push: true pushes. */
	confirm(question: ConfirmPushParams): Promise<boolean>;
	log(line: string): void;
}

/** The editor's token for this call (it wins over GITHUB_TOKEN / GITLAB_TOKEN, and messages say it came from the editor). */
function scmSettingsOf(credentials: PromotionCredentials | undefined): ScmSettings {
	const token = credentials?.github ?? credentials?.gitlab;
	return token ? { token } : {};
}

async function plan(folder: Folder, p: PromotionParams, host: PromotionHost, git: GitRepository | undefined, env: Record<string, string | undefined>): Promise<PlanOutcome> {
	const fleet = await folder.fleet();
	const settings = await host.settings(folder);
	return planPromotion(
		{ app: p.app, to: p.to, from: p.from },
		{ fleet: fleet.model, tree: fleet.documents.reader, git, compliance: (prepared) => promotionCompliance(folder.root, fleet.model, prepared, settings, () => new Date()), live: async (prepared) => liveObservations(folder, prepared.sourceClusters, host), env, overrides: p.overrides, now: new Date() },
	);
}

/**
 * The live gate's evidence: what the source environment's connected clusters report now (a state
 * read from the cache is not evidence). None connected: the gate says it was not checked.
 */
function liveObservations(folder: Folder, clusters: readonly string[], host: PromotionHost): LiveObservation[] | undefined {
	const seen = clusters.flatMap((c) => {
		const state = host.liveState(folder, c);
		return state && state.origin === 'live' ? [observeCluster(c, state)] : [];
	});
	return seen.length > 0 ? seen : undefined;
}

async function gitOf(folder: Folder, env: Record<string, string | undefined>): Promise<GitRepository | undefined> {
	return GitRepository.open(folder.root, nodeGitRunner('git', env as NodeJS.ProcessEnv)).catch((e: unknown) => {
		if (e instanceof GitError) return undefined;
		throw e;
	});
}

/** The plan, for the diff preview: nothing is written. */
export async function promotionPlan(folder: Folder, p: PromotionParams, host: PromotionHost): Promise<PromotionPlanResult> {
	const env = process.env;
	const git = await gitOf(folder, env);
	const planned = await plan(folder, p, host, git, env);
	if (!planned.ok) return { error: planned.error };
	const remote = git ? parseRemoteUrl((await git.config('remote.origin.url')) ?? '') : undefined;
	const scm = remote ? resolveScm(remote, env) : undefined;
	return { plan: planned.plan, ...(scm ? { host: scm.kind } : {}), hostToken: scm?.token !== undefined };
}

/** Plans again (the tree may have changed since the preview) and, when no gate blocks, pushes after the user confirms. */
export async function promote(folder: Folder, p: PromoteParams, host: PromotionHost): Promise<PromoteResult> {
	const env = process.env;
	const git = await gitOf(folder, env);
	if (!git) return { error: `${folder.root} is not in a git repository, so nothing can be pushed: open a clone of the fleet's repository.`, pushed: false };
	const planned = await plan(folder, p, host, git, env);
	if (!planned.ok) return { error: planned.error, pushed: false };
	const remote = p.remote ?? 'origin';
	if (planned.plan.blocked) return { result: 'blocked', branch: planned.plan.branch, remote, warnings: [] };
	if (planned.plan.upToDate) return { result: 'up-to-date', branch: planned.plan.branch, remote, warnings: [] };
	try {
		const outcome = await executePromotion(planned.plan, { git, remote, openPullRequest: p.openPullRequest, env, scmSettings: scmSettingsOf(p.credentials), confirm: (q) => host.confirm(q), log: (line) => host.log(`[promote] ${line}`) });
		return { result: outcome.result, branch: outcome.branch, remote: outcome.remote, ...(outcome.pullRequest ? { pullRequest: outcome.pullRequest } : {}), ...(outcome.compareUrl ? { compareUrl: outcome.compareUrl } : {}), warnings: outcome.warnings };
	} catch (e) {
		return { error: e instanceof Error ? e.message : String(e), pushed: e instanceof PromotionError ? e.pushed : false, ...(e instanceof PromotionError && e.tokenRejected ? { tokenRejected: true } : {}) };
	}
}

/** The open promotion pull requests of the folder's remote; without a token the hosting API says how to give one. */
export async function promotionPullRequests(folder: Folder, credentials: PromotionCredentials | undefined): Promise<{ pullRequests: PromotionPullRequestStatus[]; error?: string }> {
	const env = process.env;
	const git = await gitOf(folder, env);
	if (!git) return { pullRequests: [] };
	try {
		return { pullRequests: await listPromotionPullRequests(git, 'origin', env, scmSettingsOf(credentials)) };
	} catch (e) {
		return { pullRequests: [], error: e instanceof Error ? e.message : String(e) };
	}
}

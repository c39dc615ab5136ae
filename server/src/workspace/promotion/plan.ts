import type { PromotionPlan } from '../../../../shared/protocol';
import type { FleetModel } from '../../engine/fleet/types';
import {
	finishPromotion,
	preparePromotion,
	type ComplianceFact,
	type GateOverride,
	type LiveObservation,
	type PreparedPromotion,
	type PromotionRequest,
	type PromotionTree,
	type RepositoryWeb,
	type SoakFact,
} from '../../engine/promotion';
import { soakOfDirectory, soakOfLines } from '../../host/git/history';
import type { GitRepository } from '../../host/git/repository';
import { resolveScm, type ScmSettings } from '../../host/scm/provider';
import { parseRemoteUrl } from '../../host/scm/remote-url';

/**
 * `planPromotion`: the plan the editor previews and the CLI prints. The engine computes the edits
 * (pure); this gathers the facts its gates need: when the source environment got its versions
 * (git history), what the changed tree does to compliance (the caller's engine run, injected: the
 * CLI's check today, the workspace's later), the live state if the caller has it, and the links of
 * the repository's host. Nothing is written, fetched or pushed.
 */

export interface PlanDeps {
	fleet: FleetModel;
	tree: PromotionTree;
	/** The repository the fleet is in (absent: not in one; the soak cannot be told). */
	git?: GitRepository;
	/** The remote whose host the body links to (default origin). */
	remote?: string;
	/** Judges the changed tree for the target environment's clusters. */
	compliance(prepared: PreparedPromotion): Promise<ComplianceFact>;
	/** What the source environment's clusters report, when connected (the live gate). */
	live?(prepared: PreparedPromotion): Promise<LiveObservation[] | undefined>;
	/** Environment variables that choose the host (GITHUB_SERVER_URL, CI_SERVER_URL). */
	env?: Record<string, string | undefined>;
	scmSettings?: ScmSettings;
	overrides?: readonly GateOverride[];
	now?: Date;
}

export type PlanOutcome = { ok: true; plan: PromotionPlan; prepared: PreparedPromotion } | { ok: false; error: string };

export async function planPromotion(request: PromotionRequest, deps: PlanDeps): Promise<PlanOutcome> {
	const r = preparePromotion(deps.fleet, deps.tree, request);
	if (!r.ok) return r;
	const prepared = r.prepared;
	const soak = await soakFact(deps.git, prepared);
	const compliance: ComplianceFact = prepared.changes.length === 0 ? { newFindings: [] } : await deps.compliance(prepared).catch((e: unknown) => ({ newFindings: [], error: e instanceof Error ? e.message : String(e) }));
	const live = deps.live ? await deps.live(prepared).catch(() => undefined) : undefined;
	const web = deps.git ? await repositoryWeb(deps.git, deps.remote ?? 'origin', deps.env ?? {}, deps.scmSettings) : undefined;
	const plan = finishPromotion(deps.fleet, deps.tree, prepared, { now: deps.now ?? new Date(), soak, compliance, live, overrides: deps.overrides, web });
	return { ok: true, plan, prepared };
}

async function soakFact(git: GitRepository | undefined, p: PreparedPromotion): Promise<SoakFact | undefined> {
	if (!git) return { note: 'the fleet is not in a git repository' };
	if (p.soak.kind === 'lines') return soakOfLines(git, p.soak.lines);
	if (p.soak.kind === 'directory') return soakOfDirectory(git, p.soak.path);
	return undefined;
}

/** Where the remote's repository is browsed, for the body's links; undefined for remotes that are paths. */
export async function repositoryWeb(git: GitRepository, remote: string, env: Record<string, string | undefined>, settings?: ScmSettings): Promise<RepositoryWeb | undefined> {
	const url = await git.config(`remote.${remote}.url`);
	const parsed = url === undefined ? undefined : parseRemoteUrl(url);
	if (!parsed) return undefined;
	return { provider: resolveScm(parsed, env, settings).kind, url: parsed.webUrl };
}

import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { nodeEngineDeps } from '../host/engine-deps';
import { openRepository } from '../workspace/standalone';
import { GitError, nodeGitRunner } from '../host/git/runner';
import { GitRepository } from '../host/git/repository';
import { redact } from '../host/scm/errors';
import { executePromotion, planPromotion, PromotionError, type PushQuestion } from '../workspace/promotion';
import { UsageError } from './args';
import { parsePromoteArgs, PROMOTE_USAGE } from './promote-args';
import { promotionCompliance } from '../workspace/promotion/compliance';
import { cliSettings } from './check';
import { promotionJson, promotionText } from './promote-format';

/** What `promote` needs of the CLI's process (main's CliIo, and a way to ask when run in a terminal). */
export interface PromoteIo {
	cwd: string;
	env: NodeJS.ProcessEnv;
	stdout(s: string): void;
	stderr(s: string): void;
	/** Asks a yes/no question on the terminal; absent when not run in one. */
	confirm?(question: string): Promise<boolean>;
}

/**
 * `fleetscope promote APP --to ENV`: plans the promotion, prints it, and (unless --dry-run or a
 * gate failed) pushes the promotion branch and opens the pull request. Exit 0 done or planned,
 * 1 a gate failed (nothing pushed), 2 usage, git or API error (the message says what to do).
 */
export async function runPromote(argv: string[], rawIo: PromoteIo, now: () => Date = () => new Date()): Promise<number> {
	// Whatever is printed, a token of the environment never is.
	const secrets = [rawIo.env.GITHUB_TOKEN, rawIo.env.GITLAB_TOKEN];
	const io = { ...rawIo, stdout: (s: string) => rawIo.stdout(redact(s, secrets)), stderr: (s: string) => rawIo.stderr(redact(s, secrets)) };
	const options = parsePromoteArgs(argv);
	if (options === 'help') {
		io.stdout(PROMOTE_USAGE);
		return 0;
	}
	const root = path.resolve(io.cwd, options.path ?? '.');
	if (!(await fsp.stat(root).catch(() => undefined))?.isDirectory()) throw new UsageError(`${options.path ?? root}: no such directory (promote reads a whole repository)`);
	const fleet = await (await openRepository(root, nodeEngineDeps())).fleet();
	const model = fleet.model;
	const git = await GitRepository.open(root, nodeGitRunner('git', io.env)).catch((e: unknown) => (e instanceof GitError ? e : undefined));
	const note = (s: string) => io.stderr(`fleetscope: ${s}\n`);
	const planned = await planPromotion(
		{ app: options.app, to: options.to, from: options.from },
		{
			fleet: model,
			tree: fleet.documents.reader,
			git: git instanceof GitRepository ? git : undefined,
			remote: options.remote,
			compliance: (prepared) => promotionCompliance(root, model, prepared, cliSettings({ paths: [] }), now),
			env: io.env,
			overrides: options.overrides,
			now: now(),
		},
	);
	if (!planned.ok) {
		note(planned.error);
		return 2;
	}
	const { plan } = planned;
	// Text: the plan first (the question to push comes after it). JSON: one document, at the end.
	if (options.format === 'text') io.stdout(promotionText(plan));
	const json = (pullRequest?: Parameters<typeof promotionJson>[1]) => {
		if (options.format === 'json') io.stdout(`${JSON.stringify(promotionJson(plan, pullRequest), null, 2)}\n`);
	};
	// Said where the user looks: stdout beside the text plan, stderr beside JSON.
	const say = (s: string) => (options.format === 'json' ? note(s) : io.stdout(`${s}\n`));
	if (plan.blocked) {
		json();
		const failed = plan.gates.filter((g) => g.status === 'failed').map((g) => g.name);
		note(`gate${failed.length === 1 ? '' : 's'} failed: ${failed.join(', ')}; nothing was pushed. Fix what the gate says, or pass --override-gate NAME --reason TEXT.`);
		return 1;
	}
	if (options.dryRun || plan.upToDate) {
		json();
		if (options.dryRun && !plan.upToDate) say('Dry run: nothing was written or pushed.');
		return 0;
	}
	if (!(git instanceof GitRepository)) {
		json();
		note(`${root} is not in a git repository, so nothing can be pushed: run in a clone of the fleet's repository (or use --dry-run)`);
		return 2;
	}
	if (!options.yes && !io.confirm) {
		json();
		note(`nothing was pushed: no terminal to confirm pushing ${plan.branch} to ${options.remote}. Run again with --yes to push it (add --open-pr to open the pull request), or with --dry-run to only plan.`);
		return 2;
	}
	const confirm = (q: PushQuestion) =>
		options.yes ? Promise.resolve(true) : io.confirm!(`Push ${q.branch} to ${q.remote} (${q.url}), ${q.branchExists ? 'adding a commit on top of it' : `from ${q.base}`}? [y/N] `);
	try {
		const outcome = await executePromotion(plan, { git, remote: options.remote, openPullRequest: options.openPr, env: io.env, confirm, log: (l) => note(l) });
		json(outcome.pullRequest);
		if (outcome.result === 'declined') {
			say('Nothing was pushed.');
			return 0;
		}
		const commit = outcome.commit?.slice(0, 12);
		say(outcome.result === 'unchanged' ? `${plan.branch} on ${options.remote} already has this change (commit ${commit}).` : `Pushed ${plan.branch} to ${options.remote} (commit ${commit}, from ${outcome.base}).`);
		for (const w of outcome.warnings) note(`warning: ${w}`);
		if (outcome.pullRequest) say(`Pull request #${outcome.pullRequest.number} ${outcome.pullRequest.created ? 'opened' : 'updated'}: ${outcome.pullRequest.url}`);
		else if (outcome.compareUrl) say(`Open the pull request: ${outcome.compareUrl}`);
		else say(`Open a pull request from ${plan.branch} into ${outcome.base} on your host.`);
		return 0;
	} catch (e) {
		json();
		note(e instanceof Error ? e.message : String(e));
		if (e instanceof PromotionError && !e.pushed) note('nothing was pushed.');
		return 2;
	}
}

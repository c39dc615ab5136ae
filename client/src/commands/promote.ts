import * as vscode from 'vscode';
import {
	FleetPromotionRequest,
	PromoteRequest,
	PromotionPlanRequest,
	type ConfirmPushParams,
	type PromoteResult,
	type PromotionCredentials,
	type PromotionGateName,
	type PromotionParams,
	type PromotionPlan,
} from '../../../shared/protocol';
import type { Ctx } from '../ctx';
import type { ExplorerDocuments } from '../views/documents';
import type { ExplorerNode } from '../views/nodes';

/**
 * Fleetscope: Promote... The server plans (the edits, the gates, the pull request's words), the
 * editor previews the change as diffs, asks for a reason for every failed gate the user overrides,
 * then the server pushes, after a modal here names the branch and the remote (`confirmPush`), and
 * opens the pull request with the editor's token. The editor decides nothing about the fleet.
 */

/** Where the promotion comes from: a Promotion view row, a CodeLens (`{ folderUri, app, to, from }`), or quick picks. */
async function target(ctx: Ctx, arg: unknown): Promise<PromotionParams | undefined> {
	const n = arg as ExplorerNode | undefined;
	if (n?.target?.kind === 'promotion') return { folderUri: n.target.folderUri, app: n.target.app, to: n.target.environment, from: n.target.promotesFrom };
	const x = arg as Partial<PromotionParams> | undefined;
	if (x && typeof x.folderUri === 'string' && typeof x.app === 'string' && typeof x.to === 'string') return { folderUri: x.folderUri, app: x.app, to: x.to, from: x.from };
	const result = await ctx.request(FleetPromotionRequest.type, {});
	const apps = result.folders.flatMap((f) =>
		f.apps.map((a) => ({ label: a.name, description: a.environments.map((e) => `${e.name} ${[...new Set(e.versions.map((v) => v.version))].join(', ') || '?'}`).join(' → '), detail: a.environments.some((e) => e.behind) ? `behind: ${a.environments.filter((e) => e.behind).map((e) => e.name).join(', ')}` : undefined, folderUri: f.folderUri, app: a })),
	);
	if (apps.length === 0) {
		void vscode.window.showInformationMessage('Fleetscope found no app to promote: the Fleet file lists apps with their environments.');
		return undefined;
	}
	const app = await vscode.window.showQuickPick(apps, { placeHolder: 'App to promote', matchOnDescription: true });
	if (!app) return undefined;
	// The default target: the first environment that is behind the one it is promoted from.
	const envs = app.app.environments.filter((e) => e.promotesFrom).sort((a, b) => Number(!!b.behind) - Number(!!a.behind));
	const env = await vscode.window.showQuickPick(
		envs.map((e) => ({ label: e.name, description: e.behind ? `behind: ${e.behind.of} runs ${[...new Set(e.behind.versions.map((v) => v.version))].join(', ')}` : `from ${e.promotesFrom}`, env: e })),
		{ placeHolder: `Environment to promote ${app.label} to (from the one it is promoted from)` },
	);
	return env ? { folderUri: app.folderUri, app: app.label, to: env.label, from: env.env.promotesFrom } : undefined;
}

const GATE_MARK: Record<string, string> = { passed: '✓', 'not-checked': '–', overridden: '!', failed: '✗' };

function gatesText(plan: PromotionPlan): string {
	return plan.gates.map((g) => `${GATE_MARK[g.status] ?? '?'} ${g.name}: ${g.detail}${g.override ? ` (overridden: ${g.override.reason})` : ''}`).join('\n');
}

/** Where the token Fleetscope keeps for a host lives in VS Code's secret storage. */
const tokenKey = (host: 'github' | 'gitlab') => `fleetscope.token.${host}`;

/**
 * The token that opens the pull request on the remote's host: a GitHub session VS Code already has,
 * else a token kept in VS Code's secret storage, else the user chooses: sign in with GitHub (VS Code's
 * GitHub authentication) or enter a token (GitHub Enterprise, GitLab, or no sign-in available), kept
 * in the secret storage for next time.
 */
export async function credentialsFor(ctx: Ctx, host: 'github' | 'gitlab'): Promise<PromotionCredentials | undefined> {
	const wrap = (token: string): PromotionCredentials => (host === 'github' ? { github: token } : { gitlab: token });
	if (host === 'github') {
		const session = await vscode.authentication.getSession('github', ['repo'], { silent: true }).then(
			(s) => s,
			() => undefined,
		);
		if (session) return wrap(session.accessToken);
	}
	const key = tokenKey(host);
	const stored = await ctx.extension.secrets.get(key);
	if (stored) return wrap(stored);
	const name = host === 'github' ? 'GitHub' : 'GitLab';
	if (host === 'github') {
		const how = await vscode.window.showQuickPick(
			[
				{ label: 'Sign in with GitHub', description: "VS Code's GitHub account", signIn: true },
				{ label: 'Enter a token', description: 'kept in VS Code\'s secret storage (GitHub Enterprise, or without a sign-in)', signIn: false },
			],
			{ placeHolder: 'Opening the pull request needs access to the repository on GitHub' },
		);
		if (!how) return undefined;
		if (how.signIn) {
			try {
				const session = await vscode.authentication.getSession('github', ['repo'], { createIfNone: true });
				return wrap(session.accessToken);
			} catch (e) {
				void vscode.window.showWarningMessage(`GitHub sign-in did not complete (${e instanceof Error ? e.message : String(e)}): enter a token instead.`);
			}
		}
	}
	const token = await vscode.window.showInputBox({
		title: `A ${name} token to open the promotion pull request`,
		prompt: `${host === 'github' ? 'A token with access to the repository (classic: repo scope; fine-grained: pull requests and contents read/write)' : 'A token with the api scope'}. VS Code keeps it in its secret storage; Fleetscope sends it to the hosting API only.`,
		password: true,
		ignoreFocusOut: true,
	});
	if (!token) return undefined;
	await ctx.extension.secrets.store(key, token);
	return wrap(token);
}

/** The modal the server's `confirmPush` asks for: nothing is pushed without it. */
export async function confirmPush(q: ConfirmPushParams): Promise<boolean> {
	const where = q.branchExists ? `adding a commit on top of ${q.branch}` : `a new branch from ${q.base}`;
	const choice = await vscode.window.showWarningMessage(`Push ${q.branch} to ${q.remote} (${q.url})?`, { modal: true, detail: `Fleetscope writes one commit (${where}) without touching your working tree, and pushes it without force.` }, 'Push');
	return choice === 'Push';
}

/** Asks for a reason for each failed gate the user lets through; undefined when one is refused. */
async function overridesFor(plan: PromotionPlan): Promise<{ gate: PromotionGateName; reason: string }[] | undefined> {
	const out: { gate: PromotionGateName; reason: string }[] = [];
	for (const g of plan.gates.filter((x) => x.status === 'failed')) {
		const reason = await vscode.window.showInputBox({
			title: `The ${g.name} gate failed: ${g.detail}`,
			prompt: 'To promote anyway, give the reason: it is recorded in the pull request for reviewers and auditors (DORA Art. 9(4)(e)). Escape: do not promote.',
			ignoreFocusOut: true,
			validateInput: (v) => (v.trim().length < 10 ? 'Say why in a sentence (at least 10 characters).' : undefined),
		});
		if (!reason) return undefined;
		out.push({ gate: g.name, reason: reason.trim() });
	}
	return out;
}

export async function promote(ctx: Ctx, documents: ExplorerDocuments, arg?: unknown): Promise<PromoteResult | undefined> {
	if (!vscode.workspace.isTrusted) {
		void vscode.window.showWarningMessage('Fleetscope promotes only in a trusted workspace: it runs git and contacts your repository host.');
		return undefined;
	}
	let params = await target(ctx, arg);
	if (!params) return undefined;
	const planOf = (p: PromotionParams) => vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Planning the promotion of ${p.app} to ${p.to}: gates and compliance…` }, () => ctx.request(PromotionPlanRequest.type, p));
	let planned = await planOf(params);
	if ('error' in planned) {
		void vscode.window.showErrorMessage(`Fleetscope cannot promote ${params.app} to ${params.to}: ${planned.error}`);
		return undefined;
	}
	if (planned.plan.upToDate) {
		void vscode.window.showInformationMessage(`${params.app} in ${params.to} already runs what ${planned.plan.from} runs: nothing to promote.`);
		return undefined;
	}
	// The preview: every changed file, as it is and as the promotion writes it.
	await documents.showPromotion(planned.plan);
	if (planned.plan.blocked) {
		const choice = await vscode.window.showWarningMessage(`A gate stops the promotion of ${params.app} to ${params.to}.`, { modal: true, detail: gatesText(planned.plan) }, 'Override with a Reason…');
		if (choice !== 'Override with a Reason…') return undefined;
		const overrides = await overridesFor(planned.plan);
		if (!overrides) return undefined;
		params = { ...params, overrides };
		planned = await planOf(params);
		if ('error' in planned) {
			void vscode.window.showErrorMessage(`Fleetscope cannot promote ${params.app} to ${params.to}: ${planned.error}`);
			return undefined;
		}
	}
	const plan = planned.plan;
	const canOpen = planned.host === 'github' || planned.host === 'gitlab';
	const choice = await vscode.window.showInformationMessage(
		plan.title,
		{ modal: true, detail: `${plan.edits.length} change${plan.edits.length === 1 ? '' : 's'} (shown in the diff), clusters: ${plan.clusters.join(', ') || 'none'}\n\n${gatesText(plan)}` },
		...(canOpen ? ['Push and Open Pull Request'] : []),
		'Push Branch Only',
	);
	if (!choice) return undefined;
	const openPullRequest = choice === 'Push and Open Pull Request';
	const credentials = openPullRequest && !planned.hostToken && canOpen ? await credentialsFor(ctx, planned.host as 'github' | 'gitlab') : undefined;
	if (openPullRequest && !planned.hostToken && !credentials) return undefined;
	const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Promoting ${params.app} to ${params.to}…` }, () => ctx.request(PromoteRequest.type, { ...params!, openPullRequest, credentials }));
	if ('error' in result) {
		// A token the host refused is not offered again: the next Promote... asks for another.
		if (result.tokenRejected && canOpen) await ctx.extension.secrets.delete(tokenKey(planned.host as 'github' | 'gitlab'));
		void vscode.window.showErrorMessage(`${result.error}${result.pushed ? '' : ' Nothing was pushed.'}`);
		return result;
	}
	const open = result.pullRequest?.url ?? result.compareUrl;
	const said =
		result.result === 'declined' ? 'Nothing was pushed.'
		: result.result === 'unchanged' ? `${result.branch} on ${result.remote} already has this change.`
		: result.result === 'pushed' ? `Pushed ${result.branch} to ${result.remote}.${result.pullRequest ? ` Pull request #${result.pullRequest.number} ${result.pullRequest.created ? 'opened' : 'updated'}.` : ''}`
		: `Nothing was pushed (${result.result}).`;
	for (const w of result.warnings) ctx.log.warn(`promote: ${w}`);
	// Not awaited: the command is done; the message stays until the user acts on it.
	if (open && result.result !== 'declined') void vscode.window.showInformationMessage(said, result.pullRequest ? 'Open Pull Request' : 'Open Compare Page').then((a) => a && vscode.env.openExternal(vscode.Uri.parse(open)));
	else void vscode.window.showInformationMessage(said);
	ctx.refreshViews();
	return result;
}

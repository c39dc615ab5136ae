import * as vscode from 'vscode';
import { PromotionPullRequestsRequest, type FleetPromotionResult } from '../../../shared/protocol';
import type { Ctx } from '../ctx';

/**
 * The answer with each environment's open promotion pull requests, as the server lists them from the
 * remote's host in a trusted workspace, with a token the editor already has (a GitHub sign-in it can
 * get without asking, or one in the secret storage). Without one the rows stay as they are.
 */
export async function withPullRequests(ctx: Ctx, result: FleetPromotionResult): Promise<FleetPromotionResult> {
	if (!vscode.workspace.isTrusted) return result;
	let github: string | undefined;
	try {
		github = (await vscode.authentication.getSession('github', ['repo'], { silent: true }))?.accessToken;
	} catch {
		github = undefined;
	}
	const credentials = { github: github ?? (await ctx.extension.secrets.get('fleetscope.token.github')), gitlab: await ctx.extension.secrets.get('fleetscope.token.gitlab') };
	const folders = await Promise.all(
		result.folders.map(async (f) => {
			if (f.apps.length === 0) return f;
			const listed = await ctx.request(PromotionPullRequestsRequest.type, { folderUri: f.folderUri, credentials }).catch(() => ({ pullRequests: [] }));
			if (listed.pullRequests.length === 0) return f;
			return { ...f, apps: f.apps.map((a) => ({ ...a, environments: a.environments.map((e) => ({ ...e, pullRequests: listed.pullRequests.filter((p) => p.app === a.name && p.environment === e.name) })) })) };
		}),
	);
	return { ...result, folders };
}

import type { CodeLens, Connection } from 'vscode-languageserver';
import { ConfirmPushRequest, PromoteRequest, PromotionPlanRequest, PromotionPullRequestsRequest } from '../../../shared/protocol';
import { promote, promotionPlan, promotionPullRequests, type PromotionHost } from '../workspace/promotion/editor';
import type { Folder } from '../workspace/folder';
import type { Workspace } from '../workspace/workspace';
import { requestType } from './protocol';
import { uriToPath } from './uri';

const UNTRUSTED = 'The workspace is not trusted: Fleetscope runs no git command and contacts no hosting API in it. Trust the workspace to promote.';

/**
 * `Fleetscope: Promote...` on the server: the plan for the preview, the promotion itself (the push
 * waits for the editor's confirmation, asked with `fleetscope/confirmPush`), and the open promotion
 * pull requests. Nothing runs git or reaches a hosting API in an untrusted workspace.
 */
export function registerPromotion(c: Connection, workspace: Workspace, guard: <T>(what: string, fn: () => Promise<T> | T) => Promise<T | null>): void {
	const host: PromotionHost = {
		settings: (folder) => workspace.settings(folder),
		liveState: (folder, cluster) => workspace.live.connected(folder).find((x) => x.cluster === cluster)?.state,
		confirm: (q) => c.sendRequest(requestType(ConfirmPushRequest.type), q).then((yes) => yes === true, () => false),
		log: (line) => c.console.info(line),
	};
	const folderOf = (uri: string): Folder => {
		const folder = workspace.folders.find((f) => f.uri === uri);
		if (!folder) throw new Error(`${uri} is not a workspace folder of the Fleetscope server.`);
		return folder;
	};
	c.onRequest(requestType(PromotionPlanRequest.type), async (p) => (await guard('promotionPlan', () => (workspace.live.isTrusted ? promotionPlan(folderOf(p.folderUri), p, host) : { error: UNTRUSTED }))) ?? { error: 'Fleetscope could not plan the promotion: see its output.' });
	c.onRequest(requestType(PromoteRequest.type), async (p) => (await guard('promote', () => (workspace.live.isTrusted ? promote(folderOf(p.folderUri), p, host) : { error: UNTRUSTED, pushed: false }))) ?? { error: 'Fleetscope could not promote: see its output.', pushed: false });
	c.onRequest(requestType(PromotionPullRequestsRequest.type), async (p) => (await guard('promotionPullRequests', () => (workspace.live.isTrusted ? promotionPullRequests(folderOf(p.folderUri), p.credentials) : { pullRequests: [], error: UNTRUSTED }))) ?? { pullRequests: [] });
}

/**
 * `Promote …` CodeLenses on the lines that set a version an environment is behind on: the line the
 * promotion changes (the target's overlay), naming what it would copy and from where.
 */
export function promotionLensesOf(workspace: Workspace, uri: string): CodeLens[] {
	if (!workspace.live.isTrusted) return [];
	const loc = workspace.locate(uriToPath(uri));
	const fleet = loc?.folder.snapshot.fleet;
	if (!loc || !fleet) return [];
	const out: CodeLens[] = [];
	const seen = new Set<string>();
	for (const app of fleet.apps) {
		for (const b of app.behind) {
			const v = app.versions.find((x) => x.environment === b.environment && x.artifact === b.artifact && x.version === b.version && x.location.file === loc.rel);
			if (!v) continue;
			const line = v.location.range.start.line;
			const key = `${app.name}|${b.environment}|${line}`;
			if (seen.has(key)) continue;
			seen.add(key);
			out.push({
				range: { start: { line, character: 0 }, end: { line, character: 0 } },
				command: { title: `Promote ${app.name} ${b.newer} from ${b.newerIn}`, command: 'fleetscope.promote', arguments: [{ folderUri: loc.folder.uri, app: app.name, to: b.environment, from: b.newerIn }] },
			});
		}
	}
	return out;
}

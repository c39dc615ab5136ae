import * as vscode from 'vscode';
import { ConnectClusterRequest, FileReachRequest, FleetClustersRequest, FleetFileDraftRequest, FleetPromotionRequest, type FileReachResult } from '../../../shared/protocol';
import type { Ctx } from '../ctx';
import { compareUris, renderedUri, type ExplorerDocuments } from '../views/documents';
import type { ExplorerNode } from '../views/nodes';
import { fileUri } from '../views/tree';

/**
 * The explorer's commands. Each works from a view's item (its menu, or a click), with plain
 * arguments (another command, a test), or from the palette, where it asks what it needs in quick
 * picks. What they show comes from the server; none of them knows the fleet itself.
 */

/** A cluster named by a Clusters view item, by `{ folderUri, cluster }`, or picked. */
interface ClusterRef {
	folderUri: string;
	cluster: string;
	context?: string;
	claim?: { file: string; line: number };
}

function clusterOf(arg: unknown): ClusterRef | undefined {
	const n = arg as ExplorerNode | undefined;
	if (n?.target?.kind === 'cluster') return n.target;
	const x = arg as Partial<ClusterRef> | undefined;
	return x && typeof x.folderUri === 'string' && typeof x.cluster === 'string' ? (x as ClusterRef) : undefined;
}

/** Asks for a cluster of the fleet (`pred`: only those that fit the command). */
async function pickCluster(ctx: Ctx, placeHolder: string, pred: (c: { status: string; context?: string; claim?: unknown }) => boolean = () => true): Promise<ClusterRef | undefined> {
	const result = await ctx.request(FleetClustersRequest.type, {});
	const items = result.folders.flatMap((f) =>
		f.environments.flatMap((e) =>
			e.clusters.filter(pred).map((c) => ({ label: c.name, description: [e.name, c.status].filter(Boolean).join(' · '), detail: result.folders.length > 1 ? f.name : undefined, ref: { folderUri: f.folderUri, cluster: c.name, context: c.context, claim: c.claim } })),
		),
	);
	if (items.length === 0) {
		void vscode.window.showInformationMessage('Fleetscope found no cluster for this in the workspace.');
		return undefined;
	}
	return (await vscode.window.showQuickPick(items, { placeHolder, matchOnDescription: true }))?.ref;
}

/** Opens a repository file at a 1-based line and column. */
export async function openLocation(arg: { folderUri: string; path: string; line?: number; column?: number }): Promise<vscode.TextEditor> {
	const pos = new vscode.Position(Math.max(0, (arg.line ?? 1) - 1), Math.max(0, (arg.column ?? 1) - 1));
	return vscode.window.showTextDocument(fileUri(arg.folderUri, arg.path), { selection: new vscode.Range(pos, pos), preview: true });
}

/** Render Cluster: what the cluster receives, as a read-only YAML document. */
export async function renderCluster(ctx: Ctx, arg?: unknown): Promise<vscode.TextEditor | undefined> {
	const c = clusterOf(arg) ?? (await pickCluster(ctx, 'Cluster to render: what it receives from the repository'));
	if (!c) return undefined;
	const doc = await vscode.workspace.openTextDocument(renderedUri(c.folderUri, c.cluster));
	return vscode.window.showTextDocument(doc, { preview: false });
}

/** Compare with previous environment: the app's render for one cluster, now and once promoted from the environment before. */
export async function compareEnvironments(ctx: Ctx, documents: ExplorerDocuments, arg?: unknown): Promise<{ before: vscode.Uri; after: vscode.Uri } | undefined> {
	const n = arg as ExplorerNode | undefined;
	let p: { folderUri: string; app: string; environment: string; clusters: string[]; cluster?: string } | undefined;
	if (n?.target?.kind === 'promotion') p = { ...n.target };
	else if (arg && typeof (arg as { app?: unknown }).app === 'string') p = { clusters: [], ...(arg as { folderUri: string; app: string; environment: string; cluster?: string }) };
	else p = await pickPromotion(ctx);
	if (!p) return undefined;
	let cluster = p.cluster ?? p.clusters[0];
	if (!p.cluster && p.clusters.length > 1) {
		cluster = (await vscode.window.showQuickPick(p.clusters, { placeHolder: `Cluster of ${p.environment} to compare ${p.app} for` })) ?? '';
		if (!cluster) return undefined;
	}
	const params = { folderUri: p.folderUri, app: p.app, environment: p.environment, cluster: cluster ?? '' };
	const result = await documents.compare(params);
	const uris = compareUris({ ...params, cluster: result.cluster });
	if (result.notes.length > 0) void vscode.window.showInformationMessage(`${result.app}: ${result.notes.join('; ')}`);
	await vscode.commands.executeCommand('vscode.diff', uris.before, uris.after, `${result.app} on ${result.cluster}: ${result.to} now ↔ promoted from ${result.from}`, { preview: false });
	return uris;
}

async function pickPromotion(ctx: Ctx): Promise<{ folderUri: string; app: string; environment: string; clusters: string[] } | undefined> {
	const result = await ctx.request(FleetPromotionRequest.type, {});
	const apps = result.folders.flatMap((f) => f.apps.map((a) => ({ label: a.name, description: a.environments.map((e) => `${e.name} ${e.versions.map((v) => v.version).join(', ')}`).join(' → '), folderUri: f.folderUri, app: a })));
	const app = await vscode.window.showQuickPick(apps, { placeHolder: 'App to compare' });
	if (!app) return undefined;
	const envs = app.app.environments.filter((e) => e.promotesFrom).map((e) => ({ label: e.name, description: `promoted from ${e.promotesFrom}`, env: e }));
	const env = envs.length === 1 ? envs[0] : await vscode.window.showQuickPick(envs, { placeHolder: `Environment of ${app.label} to compare with the one before it` });
	return env ? { folderUri: app.folderUri, app: app.label, environment: env.label, clusters: env.env.clusters } : undefined;
}

/** Open Claim: the cluster's ClusterClaim, at its Kubernetes version. */
export async function openClaim(ctx: Ctx, arg?: unknown): Promise<vscode.TextEditor | undefined> {
	const c = clusterOf(arg) ?? (await pickCluster(ctx, 'Cluster whose ClusterClaim to open', (x) => x.claim !== undefined));
	if (!c) return undefined;
	if (!c.claim) {
		void vscode.window.showInformationMessage(`${c.cluster} has no ClusterClaim in the repository.`);
		return undefined;
	}
	return openLocation({ folderUri: c.folderUri, path: c.claim.file, line: c.claim.line });
}

/** Reveal File in Fleet: which clusters and environments a file reaches; a pick reveals the cluster. */
export async function revealInFleet(ctx: Ctx, arg?: unknown): Promise<FileReachResult | undefined> {
	const uri = arg instanceof vscode.Uri ? arg : typeof arg === 'string' ? vscode.Uri.parse(arg) : vscode.window.activeTextEditor?.document.uri;
	if (!uri) {
		void vscode.window.showInformationMessage('Open a file of the repository first: Fleetscope shows which clusters it reaches.');
		return undefined;
	}
	const reach = await ctx.request(FileReachRequest.type, { uri: uri.toString() });
	const name = reach.file ?? uri.path.split('/').pop();
	if (reach.clusters.length === 0) {
		void vscode.window.showInformationMessage(reach.file ? `${name} reaches no cluster of the fleet: no Flux, Argo CD or Fleet path syncs it.` : `${name} is not in a workspace folder Fleetscope validates.`);
		return reach;
	}
	const envs = reach.environments.length > 0 ? ` in ${reach.environments.join(', ')}` : '';
	const pick = await vscode.window.showQuickPick(
		reach.clusters.map((c) => ({ label: c.name, description: c.environment })),
		{ placeHolder: `${name} reaches ${reach.clusters.length} cluster${reach.clusters.length === 1 ? '' : 's'}${envs}: pick one to reveal it` },
	);
	if (pick && reach.folderUri) {
		await vscode.commands.executeCommand('fleetscope.clusters.focus');
		await ctx.revealCluster(reach.folderUri, pick.label);
	}
	return reach;
}

/** Connect / Disconnect Cluster: start or stop watching one cluster for this session. */
export async function setConnected(ctx: Ctx, connected: boolean, arg?: unknown): Promise<string | undefined> {
	const c = clusterOf(arg) ?? (await pickCluster(ctx, connected ? 'Cluster to connect again' : 'Cluster to disconnect for this session', (x) => (connected ? x.status === 'stopped' : x.status !== 'stopped' && x.context !== undefined)));
	if (!c) return undefined;
	const r = await ctx.request(ConnectClusterRequest.type, { folderUri: c.folderUri, cluster: c.cluster, connected });
	void vscode.window.setStatusBarMessage(`Fleetscope: ${r.message}`, 4000);
	return r.status;
}

/** Copy Context Name: the kubeconfig context the cluster is reached through. */
export async function copyContextName(ctx: Ctx, arg?: unknown): Promise<string | undefined> {
	const c = clusterOf(arg) ?? (await pickCluster(ctx, 'Cluster whose kubeconfig context to copy', (x) => x.context !== undefined));
	if (!c) return undefined;
	if (!c.context) {
		void vscode.window.showInformationMessage(`${c.cluster} has no kubeconfig context: set fleetscope.clusters.${c.cluster}.context or kubeContext in the Fleet file.`);
		return undefined;
	}
	await vscode.env.clipboard.writeText(c.context);
	void vscode.window.setStatusBarMessage(`Copied the context of ${c.cluster}: ${c.context}`, 4000);
	return c.context;
}

/** Create Fleet file: a draft from what was inferred, opened (unsaved) for review. */
export async function createFleetFile(ctx: Ctx, arg?: unknown): Promise<vscode.TextEditor | undefined> {
	const folders = vscode.workspace.workspaceFolders ?? [];
	const folder = arg instanceof vscode.Uri ? arg : folders.length === 1 ? folders[0].uri : (await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Folder to draft a Fleet file for' }))?.uri;
	if (!folder) return undefined;
	const draft = await ctx.request(FleetFileDraftRequest.type, { folderUri: folder.toString() });
	if (draft.existing) {
		const choice = await vscode.window.showInformationMessage(`This folder has a Fleet file already: ${draft.existing}.`, 'Open It', 'Draft Another');
		if (choice === 'Open It') return openLocation({ folderUri: folder.toString(), path: draft.existing });
		if (choice !== 'Draft Another') return undefined;
	}
	const target = vscode.Uri.joinPath(folder, draft.existing === draft.file ? 'fleet-draft.yaml' : draft.file).with({ scheme: 'untitled' });
	const doc = await vscode.workspace.openTextDocument(target);
	const edit = new vscode.WorkspaceEdit();
	edit.replace(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), draft.text);
	await vscode.workspace.applyEdit(edit);
	return vscode.window.showTextDocument(doc, { preview: false });
}

import * as vscode from 'vscode';
import { ClustersRequest, ComplianceFindingsRequest, DriftRequest, FleetClusterRequest, FleetClustersRequest, FleetComplianceRequest, FleetPromotionRequest } from '../../../shared/protocol';
import type { Ctx } from '../ctx';
import { ExplorerTree, setFleetFound } from './tree';

/**
 * The Fleetscope container's views. Registering them does no I/O and loads no view code: each
 * view's module is imported the first time the view shows, and every view asks the server again
 * only when the server says something changed (or the user asks to refresh).
 */
export interface ExplorerViews {
	clusters: ExplorerTree;
	promotion: ExplorerTree;
	compliance: ExplorerTree;
	drift: ExplorerTree;
}

export function registerViews(ctx: Ctx): ExplorerViews {
	const clusters = new ExplorerTree('fleetscope.clusters', ctx, [ctx.onDidChangeFleet, ctx.onDidChangeClusters, ctx.onDidChangeFindings, ctx.onDidChangeDrift], async () => {
		const [{ clustersTree }, result] = await Promise.all([import('./clusters'), ctx.request(FleetClustersRequest.type, {})]);
		setFleetFound(result.folders.some((f) => f.summary.clusters > 0));
		return clustersTree(result, (folderUri, cluster) => ctx.request(FleetClusterRequest.type, { folderUri, cluster }));
	});
	const promotion = new ExplorerTree('fleetscope.promotion', ctx, [ctx.onDidChangeFleet], async () => {
		const [{ promotionTree }, { withPullRequests }, result] = await Promise.all([import('./promotion'), import('./pull-requests'), ctx.request(FleetPromotionRequest.type, {})]);
		return promotionTree(await withPullRequests(ctx, result));
	});
	const compliance = new ExplorerTree('fleetscope.compliance', ctx, [ctx.onDidChangeFleet, ctx.onDidChangeFindings], async () => {
		const [{ complianceTree }, result] = await Promise.all([import('./compliance'), ctx.request(FleetComplianceRequest.type, {})]);
		return complianceTree(result, async (folderUri, control) => (await ctx.request(ComplianceFindingsRequest.type, { folderUri, control })).findings);
	});
	// Drift: the report, and the clusters' connections for why there is none (the welcome content, by `fleetscope.driftEmpty`).
	const drift = new ExplorerTree('fleetscope.drift', ctx, [ctx.onDidChangeDrift, ctx.onDidChangeClusters, ctx.onDidChangeFleet], async () => {
		const [{ driftTree, driftEmptyReason }, result, connections] = await Promise.all([import('./drift'), ctx.request(DriftRequest.type, {}), ctx.request(ClustersRequest.type, {})]);
		const enabled = vscode.workspace.getConfiguration('fleetscope').get<boolean>('drift.enabled', true);
		void vscode.commands.executeCommand('setContext', 'fleetscope.driftEmpty', driftEmptyReason(result, connections, enabled) ?? '');
		return driftTree(result, new Date());
	});
	ctx.push(clusters, promotion, compliance, drift, vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('fleetscope.drift.enabled') && drift.refresh()));
	ctx.revealCluster = async (folderUri, cluster) => {
		const node = await clusters.reveal((n) => n.target?.kind === 'cluster' && n.target.folderUri === folderUri && n.target.cluster === cluster, (n) => n.contextValue === 'folder' || n.contextValue === 'environment');
		return node !== undefined;
	};
	ctx.revealDrift = async (pred) => {
		const node = await drift.reveal(pred, (n) => /^(folder|driftCluster|driftNamespace)\b/.test(n.contextValue));
		return node !== undefined;
	};
	return { clusters, promotion, compliance, drift };
}

import { ComplianceFindingsRequest, FleetClusterRequest, FleetClustersRequest, FleetComplianceRequest, FleetPromotionRequest } from '../../../shared/protocol';
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
}

export function registerViews(ctx: Ctx): ExplorerViews {
	const clusters = new ExplorerTree('fleetscope.clusters', ctx, [ctx.onDidChangeFleet, ctx.onDidChangeClusters, ctx.onDidChangeFindings], async () => {
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
	ctx.push(clusters, promotion, compliance);
	ctx.revealCluster = async (folderUri, cluster) => {
		const node = await clusters.find((n) => n.target?.kind === 'cluster' && n.target.folderUri === folderUri && n.target.cluster === cluster, (n) => n.contextValue === 'folder' || n.contextValue === 'environment');
		if (!node) return false;
		await clusters.view.reveal(node, { select: true, focus: true, expand: true });
		return true;
	};
	return { clusters, promotion, compliance };
}

import * as vscode from 'vscode';
import { ClustersRequest, StatusRequest, type ClusterInfo } from '../../../shared/protocol';
import type { Ctx } from '../ctx';

/** Fleetscope: Show Status: the workspace scan, the active file's last validation and each cluster's status (details in the output). */
export async function showStatus(ctx: Ctx): Promise<void> {
	const uri = vscode.window.activeTextEditor?.document.uri.toString();
	const s = await ctx.request(StatusRequest.type, { uri });
	const scan = s.scan.running ? `validating the workspace: ${s.scan.validated} of ${s.scan.total} files` : `${s.scan.validated} workspace files validated`;
	const doc = s.document ? `; this file: ${s.document.findings} findings in ${s.document.documents} YAML documents${s.document.skipped ? ` (not validated: ${s.document.skipped})` : ''}` : '';
	const c = await ctx.request(ClustersRequest.type, {});
	// The message stays one line; the cluster list with each status goes to the output channel.
	if (c.clusters.length > 0) {
		ctx.log.info(`Live clusters (${c.live === 'on' ? 'live state on' : c.live === 'untrusted' ? 'workspace not trusted: no cluster is contacted' : 'live state off'}):`);
		for (const x of c.clusters) ctx.log.info(`  ${describeCluster(x)}`);
	}
	const choice = await vscode.window.showInformationMessage(`Fleetscope: ${scan}${doc}${clusterSummary(c.live, c.clusters)}.`, ...(c.clusters.length > 0 ? ['Show Clusters'] : []));
	if (choice) ctx.log.show();
}

/** `; clusters: 2 connected, 1 unreachable` */
function clusterSummary(live: string, clusters: ClusterInfo[]): string {
	if (clusters.length === 0) return '';
	if (live === 'untrusted') return `; ${clusters.length} clusters, not contacted (the workspace is not trusted)`;
	const counts = new Map<string, number>();
	for (const x of clusters) counts.set(x.status, (counts.get(x.status) ?? 0) + 1);
	return `; clusters: ${[...counts].map(([status, n]) => `${n} ${status}`).join(', ')}`;
}

/** `prod-us-east-1 (production) [connected] connected (Kubernetes v1.27.16), watching; context arn:…; 38 files reach it; last success …` */
function describeCluster(x: ClusterInfo): string {
	const env = x.environment ? ` (${x.environment})` : '';
	const context = x.context ? `; context ${x.context}` : '';
	const success = x.lastSuccess ? `; last success ${x.lastSuccess}` : '';
	return `${x.cluster}${env} [${x.status}] ${x.message}${context}; ${x.files} files reach it${success}`;
}

import * as vscode from 'vscode';
import { FleetClustersRequest } from '../../../shared/protocol';
import type { Ctx } from '../ctx';
import { statusSummary } from './clusters';
import { setFleetFound } from './tree';

/**
 * The status bar item: clusters connected of total and the error count (`5/6 clusters · 3 errors`),
 * the details in its tooltip; a click shows the Clusters view. Hidden where no fleet is found.
 * Loaded once the language server runs; updated on the server's change notifications.
 */
export function activateStatusBar(ctx: Ctx): vscode.Disposable {
	const item = vscode.window.createStatusBarItem('fleetscope.status', vscode.StatusBarAlignment.Left, 10);
	item.name = 'Fleetscope clusters';
	item.command = 'fleetscope.clusters.focus';
	let timer: NodeJS.Timeout | undefined;
	const update = async () => {
		timer = undefined;
		if (!ctx.isRunning) return item.hide();
		try {
			const result = await ctx.request(FleetClustersRequest.type, {});
			const summary = statusSummary(result);
			setFleetFound(summary !== undefined);
			if (!summary) return item.hide();
			item.text = `$(cloud) ${summary.text}`;
			item.tooltip = new vscode.MarkdownString(summary.tooltip);
			item.backgroundColor = result.folders.some((f) => f.environments.some((e) => e.clusters.some((c) => c.syncState === 'failed'))) ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
			item.show();
		} catch (e) {
			ctx.log.warn(`status bar: ${e instanceof Error ? e.message : String(e)}`);
		}
	};
	const soon = () => (timer ??= setTimeout(() => void update(), 100));
	const subscriptions = [item, ctx.onDidChangeServer(soon), ctx.onDidChangeClusters(soon), ctx.onDidChangeFleet(soon), ctx.onDidChangeFindings(soon), ctx.onDidRequestRefresh(soon)];
	void update();
	return { dispose: () => (clearTimeout(timer), subscriptions.forEach((d) => d.dispose())) };
}

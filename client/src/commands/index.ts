import type { CommandFactory, Ctx } from '../ctx';
import type { ExplorerDocuments } from '../views/documents';

/**
 * Every command of the extension, by id (each is declared in package.json, with its `when`
 * clauses and menus). A command's code is imported the first time it runs; `disabled` is what it
 * does while the language server is not running (by default: say so, offer a restart).
 */
export function createCommands(documents: ExplorerDocuments): Record<string, CommandFactory> {
	const explorer = () => import('./explorer');
	const always = (cmd: (ctx: Ctx) => (...args: any[]) => unknown): CommandFactory => ({ enabled: cmd, disabled: cmd });
	return {
		'fleetscope.restartServer': always((ctx) => () => ctx.restart()),
		'fleetscope.showOutput': always((ctx) => () => ctx.log.show()),
		'fleetscope.showStatus': { enabled: (ctx) => async () => (await import('./status')).showStatus(ctx) },
		'fleetscope.complianceReport': { enabled: (ctx) => async () => (await import('../webviews/report')).complianceReport(ctx) },
		'fleetscope.refresh': { enabled: (ctx) => () => ctx.refreshViews() },
		'fleetscope.renderCluster': { enabled: (ctx) => async (arg?: unknown) => (await explorer()).renderCluster(ctx, arg) },
		'fleetscope.compareEnvironments': { enabled: (ctx) => async (arg?: unknown) => (await explorer()).compareEnvironments(ctx, documents, arg) },
		'fleetscope.compareWithPrevious': { enabled: (ctx) => async (arg?: unknown) => (await explorer()).compareEnvironments(ctx, documents, arg) },
		'fleetscope.openClaim': { enabled: (ctx) => async (arg?: unknown) => (await explorer()).openClaim(ctx, arg) },
		'fleetscope.revealInFleet': { enabled: (ctx) => async (arg?: unknown) => (await explorer()).revealInFleet(ctx, arg) },
		'fleetscope.connectCluster': { enabled: (ctx) => async (arg?: unknown) => (await explorer()).setConnected(ctx, true, arg) },
		'fleetscope.disconnectCluster': { enabled: (ctx) => async (arg?: unknown) => (await explorer()).setConnected(ctx, false, arg) },
		'fleetscope.copyContextName': always((ctx) => async (arg?: unknown) => (await explorer()).copyContextName(ctx, arg)),
		'fleetscope.createFleetFile': { enabled: (ctx) => async (arg?: unknown) => (await explorer()).createFleetFile(ctx, arg) },
		'fleetscope.openLocation': always(() => async (arg: { folderUri: string; path: string; line?: number; column?: number }) => (await explorer()).openLocation(arg)),
		'fleetscope.promote': { enabled: (ctx) => async (arg?: unknown) => (await import('./promote')).promote(ctx, documents, arg) },
	};
}

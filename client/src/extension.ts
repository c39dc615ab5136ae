import * as vscode from 'vscode';
import { ConfirmPushRequest } from '../../shared/protocol';
import { createCommands } from './commands';
import { Ctx } from './ctx';
import { registerPolicyTests } from './testing/policy-tests';
import { ExplorerDocuments } from './views/documents';
import { registerViews, type ExplorerViews } from './views';

/**
 * The extension: a context (`ctx.ts`) that owns the language client, its log and the typed
 * requests; the command table (`commands/`); the fleet explorer's views (`views/`); webviews
 * (`webviews/`). Activation does no file, network or cluster I/O and loads no view code: it
 * registers commands and views and starts the client without waiting for it.
 */

/** What the extension exports: its views, for the extension-host tests (and other extensions). */
export interface FleetscopeApi {
	ctx: Ctx;
	views: ExplorerViews;
}

let current: Ctx | undefined;

export function activate(context: vscode.ExtensionContext): FleetscopeApi {
	const ctx = new Ctx(context);
	current = ctx;
	context.subscriptions.push(ctx);
	const documents = new ExplorerDocuments(ctx);
	ctx.push(documents);
	ctx.registerCommands(createCommands(documents));
	// Nothing is pushed without this modal (the server asks right before it pushes).
	ctx.handleServerRequest(ConfirmPushRequest.type, async (q) => (await import('./commands/promote')).confirmPush(q));
	const views = registerViews(ctx);
	ctx.push(registerPolicyTests(() => ctx.languageClient, ctx.log));
	// The status bar item appears once the server runs (it asks the server what to show).
	let statusBar: Promise<vscode.Disposable> | undefined;
	ctx.push(ctx.onDidChangeServer((running) => running && (statusBar ??= import('./views/status-bar').then((m) => m.activateStatusBar(ctx)))), { dispose: () => void statusBar?.then((d) => d.dispose()) });
	// Setting changes reach the server through its dynamic registration of didChangeConfiguration for `fleetscope`.
	void ctx.start();
	return { ctx, views };
}

export async function deactivate(): Promise<void> {
	await current?.stop();
	current = undefined;
}

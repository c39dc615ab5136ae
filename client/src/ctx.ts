import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
	ClustersChangedNotification,
	FindingsChangedNotification,
	FleetChangedNotification,
	WorkspaceTrustedNotification,
	type NotificationDescriptor,
	type RequestDescriptor,
} from '../../shared/protocol';
import { createClient } from './client';
import { notificationType, requestType } from './protocol';

/** A command's implementation. */
export type Cmd = (...args: any[]) => unknown;

/**
 * A command of the table (`commands/index.ts`): what it does while the language server runs, and
 * what it does otherwise (by default: say the server is not running, offer a restart).
 */
export interface CommandFactory {
	enabled: (ctx: Ctx) => Cmd;
	disabled?: (ctx: Ctx) => Cmd;
}

/** A request made while the language server is not running. */
export class ServerNotRunning extends Error {
	constructor() {
		super('the Fleetscope language server is not running');
	}
}

/**
 * The extension's state, owned in one place: the language client (started, stopped, restarted),
 * its log, the typed requests and notifications of `shared/protocol.ts`, and the events the views
 * refresh on (pushed by the server, never polled). Creating it does no I/O.
 */
export class Ctx implements vscode.Disposable {
	readonly log: vscode.LogOutputChannel;
	private client?: LanguageClient;
	private readonly subscriptions: vscode.Disposable[] = [];
	private readonly fleetChanged = new vscode.EventEmitter<string>();
	private readonly clustersChanged = new vscode.EventEmitter<void>();
	private readonly findingsChanged = new vscode.EventEmitter<string>();
	private readonly serverChanged = new vscode.EventEmitter<boolean>();
	private readonly refreshRequested = new vscode.EventEmitter<void>();
	/** A folder's fleet was discovered anew (its URI). */
	readonly onDidChangeFleet = this.fleetChanged.event;
	/** A cluster's status or state changed. */
	readonly onDidChangeClusters = this.clustersChanged.event;
	/** A folder's findings changed after a round of background validation (its URI). */
	readonly onDidChangeFindings = this.findingsChanged.event;
	/** The language server started (true) or stopped (false). */
	readonly onDidChangeServer = this.serverChanged.event;
	/** The user asked the views to refresh (Fleetscope: Refresh). */
	readonly onDidRequestRefresh = this.refreshRequested.event;
	/** Requests the server sends the editor (method → handler), installed on every client started. */
	private readonly serverRequests = new Map<string, (params: never) => unknown>();
	/** Reveals a cluster in the Clusters view (set by the views once registered). */
	revealCluster: (folderUri: string, cluster: string) => Promise<boolean> = async () => false;

	constructor(readonly extension: vscode.ExtensionContext) {
		this.log = vscode.window.createOutputChannel('Fleetscope', { log: true });
		this.subscriptions.push(this.log, this.fleetChanged, this.clustersChanged, this.findingsChanged, this.serverChanged, this.refreshRequested);
		this.subscriptions.push(this.onDidChangeServer((running) => void vscode.commands.executeCommand('setContext', 'fleetscope.serverRunning', running)));
		// An untrusted workspace contacts no cluster; once trusted, the server connects (a server started later reads isTrusted itself).
		this.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(() => void this.notify(WorkspaceTrustedNotification.type, {}).catch((e) => this.log.warn(`Telling the server about workspace trust failed: ${String(e)}`))));
	}

	/** The language client while there is one (for code that sends its own requests: the Testing view's policy tests). */
	get languageClient(): LanguageClient | undefined {
		return this.client;
	}

	get isRunning(): boolean {
		return this.client?.isRunning() ?? false;
	}

	/** Starts the language client; a failure is shown (VS Code does not show one for a server that fails to start). */
	async start(): Promise<void> {
		const client = createClient(this.extension, this.log);
		this.client = client;
		client.onNotification(notificationType(FleetChangedNotification.type), (p) => this.fleetChanged.fire(p.folderUri));
		client.onNotification(notificationType(ClustersChangedNotification.type), () => this.clustersChanged.fire());
		client.onNotification(notificationType(FindingsChangedNotification.type), (p) => this.findingsChanged.fire(p.folderUri));
		for (const [method, handler] of this.serverRequests) client.onRequest(method, handler);
		try {
			await client.start();
			if (this.client === client) this.serverChanged.fire(true);
		} catch (e) {
			const message = e instanceof Error ? e.message : String(e);
			this.log.error(`Could not start the Fleetscope language server: ${message}`);
			const choice = await vscode.window.showErrorMessage(`Fleetscope could not start its language server: ${message}`, 'Show Output');
			if (choice) this.log.show();
		}
	}

	async stop(): Promise<void> {
		const old = this.client;
		this.client = undefined;
		try {
			if (old?.isRunning()) await old.stop();
			await old?.dispose();
		} catch (e) {
			this.log.warn(`Stopping the language server failed: ${e instanceof Error ? e.message : String(e)}`);
		}
		if (old) this.serverChanged.fire(false);
	}

	async restart(): Promise<void> {
		this.log.info('Restarting the Fleetscope language server.');
		await this.stop();
		await this.start();
	}

	/** A typed request of `shared/protocol.ts`; rejects with ServerNotRunning while the server is down. */
	async request<P, R>(d: RequestDescriptor<P, R>, params: P, token?: vscode.CancellationToken): Promise<R> {
		if (!this.client?.isRunning()) throw new ServerNotRunning();
		return this.client.sendRequest(requestType(d), params, token);
	}

	/** Every view loads again. */
	refreshViews(): void {
		this.refreshRequested.fire();
	}

	/** Answers a typed request the server sends the editor (`fleetscope/confirmPush`), on this and every later client. */
	handleServerRequest<P, R>(d: RequestDescriptor<P, R>, handler: (params: P) => R | Promise<R>): void {
		this.serverRequests.set(d.method, handler as (params: never) => unknown);
		if (this.client) this.client.onRequest(requestType(d), handler);
	}

	async notify<P>(d: NotificationDescriptor<P>, params: P): Promise<void> {
		if (this.client?.isRunning()) await this.client.sendNotification(notificationType(d), params);
	}

	/** Registers the command table: each command runs its enabled variant while the server runs, else its disabled one. */
	registerCommands(table: Record<string, CommandFactory>): void {
		for (const [name, factory] of Object.entries(table)) {
			const enabled = factory.enabled(this);
			const disabled = factory.disabled?.(this) ?? (() => this.explainNotRunning());
			this.subscriptions.push(vscode.commands.registerCommand(name, (...args: unknown[]) => (this.isRunning ? enabled(...args) : disabled(...args))));
		}
	}

	/** What a command says while the server is not running. */
	async explainNotRunning(what = 'This needs the Fleetscope language server, which is not running.'): Promise<void> {
		const choice = await vscode.window.showWarningMessage(what, 'Restart', 'Show Output');
		if (choice === 'Restart') await vscode.commands.executeCommand('fleetscope.restartServer');
		else if (choice === 'Show Output') this.log.show();
	}

	/** Disposed with the extension. */
	push(...disposables: vscode.Disposable[]): void {
		this.subscriptions.push(...disposables);
	}

	dispose(): void {
		for (const d of this.subscriptions.splice(0).reverse()) d.dispose();
	}
}

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ClustersRequest, StatusRequest, WorkspaceTrustedNotification, type ClusterInfo } from '../../shared/protocol';
import { createClient } from './client';
import { notificationType, requestType } from './protocol';
import { registerComplianceReport } from './report';
import { registerPolicyTests } from './testing/policy-tests';

/**
 * The extension: one language client for the Fleetscope server, one log channel, and commands
 * that always exist (they work, or say why not, whether or not the server runs).
 * `activate` does no file, network or cluster I/O: it registers commands and starts the client
 * without waiting for it; the server does the reading.
 */
let client: LanguageClient | undefined;
let log: vscode.LogOutputChannel;

export function activate(context: vscode.ExtensionContext): void {
	log = vscode.window.createOutputChannel('Fleetscope', { log: true });
	context.subscriptions.push(
		log,
		vscode.commands.registerCommand('fleetscope.restartServer', () => restart(context)),
		vscode.commands.registerCommand('fleetscope.showOutput', () => log.show()),
		vscode.commands.registerCommand('fleetscope.showStatus', () => showStatus()),
		registerComplianceReport(() => client, log),
		registerPolicyTests(() => client, log),
		// An untrusted workspace contacts no cluster; once trusted, the server connects (a server started later reads isTrusted itself).
		vscode.workspace.onDidGrantWorkspaceTrust(() => {
			if (client?.isRunning()) void client.sendNotification(notificationType(WorkspaceTrustedNotification.type), {}).catch((e) => log.warn(`Telling the server about workspace trust failed: ${String(e)}`));
		}),
	);
	// Setting changes reach the server through its dynamic registration of didChangeConfiguration for `fleetscope`.
	void start(context);
}

export async function deactivate(): Promise<void> {
	await client?.stop();
	client = undefined;
}

async function start(context: vscode.ExtensionContext): Promise<void> {
	client = createClient(context, log);
	try {
		await client.start();
	} catch (e) {
		// VS Code shows no notification when a language server fails to start, so we do.
		const message = e instanceof Error ? e.message : String(e);
		log.error(`Could not start the Fleetscope language server: ${message}`);
		const choice = await vscode.window.showErrorMessage(`Fleetscope could not start its language server: ${message}`, 'Show Output');
		if (choice) log.show();
	}
}

async function restart(context: vscode.ExtensionContext): Promise<void> {
	log.info('Restarting the Fleetscope language server.');
	const old = client;
	client = undefined;
	try {
		if (old?.isRunning()) await old.stop();
		await old?.dispose();
	} catch (e) {
		log.warn(`Stopping the old server failed: ${e instanceof Error ? e.message : String(e)}`);
	}
	await start(context);
}

async function showStatus(): Promise<void> {
	if (!client?.isRunning()) {
		const choice = await vscode.window.showWarningMessage('The Fleetscope language server is not running.', 'Restart', 'Show Output');
		if (choice === 'Restart') await vscode.commands.executeCommand('fleetscope.restartServer');
		else if (choice === 'Show Output') log.show();
		return;
	}
	const uri = vscode.window.activeTextEditor?.document.uri.toString();
	const s = await client.sendRequest(requestType(StatusRequest.type), { uri });
	const scan = s.scan.running ? `validating the workspace: ${s.scan.validated} of ${s.scan.total} files` : `${s.scan.validated} workspace files validated`;
	const doc = s.document ? `; this file: ${s.document.findings} findings in ${s.document.documents} YAML documents${s.document.skipped ? ` (not validated: ${s.document.skipped})` : ''}` : '';
	const c = await client.sendRequest(requestType(ClustersRequest.type), {});
	// The message stays one line; the cluster list with each status goes to the output channel.
	if (c.clusters.length > 0) {
		log.info(`Live clusters (${c.live === 'on' ? 'live state on' : c.live === 'untrusted' ? 'workspace not trusted: no cluster is contacted' : 'live state off'}):`);
		for (const x of c.clusters) log.info(`  ${describeCluster(x)}`);
	}
	const choice = await vscode.window.showInformationMessage(`Fleetscope: ${scan}${doc}${clusterSummary(c.live, c.clusters)}.`, ...(c.clusters.length > 0 ? ['Show Clusters'] : []));
	if (choice) log.show();
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

import * as vscode from 'vscode';
import { LSPErrorCodes, ResponseError } from 'vscode-languageclient/node';
import { ComplianceReportRequest, type ComplianceReportResult } from '../../../shared/protocol';
import type { Ctx } from '../ctx';
import { withWebviewCsp } from './html';

/** The open report panel of each folder. */
const panels = new Map<string, vscode.WebviewPanel>();

/**
 * "Fleetscope: Compliance Report": asks the server for the report of a workspace folder (a quick
 * pick when several are open) and shows it in a webview with scripts off, no local resource roots
 * and a CSP that lets nothing load. The HTML is self-contained, so "Save as HTML…" writes the
 * very file an auditor can open anywhere.
 */
export async function complianceReport(ctx: Ctx): Promise<void> {
	const log = ctx.log;
	const folder = await pickFolder();
	if (!folder) return;
	let result: ComplianceReportResult;
	try {
		result = await vscode.window.withProgress(
			{ location: vscode.ProgressLocation.Notification, title: `Fleetscope: building the compliance report of ${folder.name}…`, cancellable: true },
			(_progress, token) => ctx.request(ComplianceReportRequest.type, { folderUri: folder.uri.toString() }, token),
		);
	} catch (e) {
		if (wasCancelled(e)) return;
		const message = e instanceof Error ? e.message : String(e);
		log.error(`Compliance report of ${folder.uri.toString()} failed: ${message}`);
		void vscode.window.showErrorMessage(`Fleetscope could not build the compliance report: ${message}`, 'Show Output').then((c) => c && log.show());
		return;
	}
	// Running the command again refreshes the folder's report instead of opening another tab.
	const key = folder.uri.toString();
	let panel = panels.get(key);
	if (panel) panel.reveal();
	else {
		panel = vscode.window.createWebviewPanel('fleetscope.complianceReport', `Compliance Report: ${folder.name}`, vscode.ViewColumn.Active, {
			enableScripts: false,
			enableForms: false,
			enableCommandUris: false,
			enableFindWidget: true,
			localResourceRoots: [],
		});
		panels.set(key, panel);
		panel.onDidDispose(() => panels.delete(key));
	}
	panel.webview.html = withWebviewCsp(result.html);
	const choice = await vscode.window.showInformationMessage(result.summary, 'Save as HTML…');
	if (choice) await saveHtml(folder, result.html, log);
}

/** The only folder, or the one the user picks; undefined when none is open or the pick is dismissed. */
async function pickFolder(): Promise<vscode.WorkspaceFolder | undefined> {
	const folders = vscode.workspace.workspaceFolders ?? [];
	if (folders.length === 0) {
		void vscode.window.showInformationMessage('Open a folder first: the compliance report covers a workspace folder.');
		return undefined;
	}
	if (folders.length === 1) return folders[0];
	const pick = await vscode.window.showQuickPick(
		folders.map((f) => ({ label: f.name, description: f.uri.fsPath, folder: f })),
		{ placeHolder: 'Workspace folder to build the compliance report for' },
	);
	return pick?.folder;
}

async function saveHtml(folder: vscode.WorkspaceFolder, html: string, log: vscode.LogOutputChannel): Promise<void> {
	const target = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.joinPath(folder.uri, 'compliance-report.html'), filters: { HTML: ['html'] } });
	if (!target) return;
	try {
		await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(html));
	} catch (e) {
		const message = e instanceof Error ? e.message : String(e);
		log.error(`Saving the compliance report to ${target.toString()} failed: ${message}`);
		void vscode.window.showErrorMessage(`Could not save the compliance report: ${message}`);
	}
}

/** A request the user cancelled from the progress notification: nothing to report. */
function wasCancelled(e: unknown): boolean {
	return e instanceof vscode.CancellationError || (e instanceof ResponseError && e.code === LSPErrorCodes.RequestCancelled);
}

import { ErrorCodes, LSPErrorCodes, ResponseError, type CancellationToken, type Connection } from 'vscode-languageserver';
import { version } from '../../../package.json';
import { ComplianceReportRequest, type ComplianceReportParams, type ComplianceReportResult } from '../../../shared/protocol';
import { isIncluded, isYamlFile } from '../engine/core/paths';
import { EMPTY_FLEET } from '../engine/fleet/types';
import { reportHtml } from '../engine/report/html';
import { buildReport, reportFile, type ReportFile } from '../engine/report/model';
import { reportSummary } from '../engine/report/text';
import type { Workspace } from '../workspace/workspace';
import type { OpenDocuments } from './documents';
import { requestType } from './protocol';
import { uriToPath } from './uri';

/** What the report borrows from the server: its workspace and open documents. */
export interface ReportHost {
	workspace: Workspace;
	open: OpenDocuments;
}

/**
 * `fleetscope/complianceReport`: validates every included file of one workspace folder (from disk,
 * or the editor's text where the file is open) with the folder's engine and settings, and renders
 * the compliance report as HTML. Runs in slices, so typing stays responsive; honours cancellation.
 */
export function registerComplianceReport(connection: Connection, host: ReportHost): void {
	connection.onRequest(requestType(ComplianceReportRequest.type), async (params, token) => {
		try {
			return await complianceReport(host, params, token);
		} catch (e) {
			if (e instanceof ResponseError) throw e;
			connection.console.error(`complianceReport failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
			throw new ResponseError(ErrorCodes.InternalError, `Fleetscope could not build the report: ${e instanceof Error ? e.message : String(e)}`);
		}
	});
}

export async function complianceReport(host: ReportHost, params: ComplianceReportParams, token?: CancellationToken): Promise<ComplianceReportResult> {
	const root = uriToPath(params?.folderUri ?? '');
	const folder = host.workspace.folders.find((f) => f.root === root);
	if (!folder) throw new ResponseError(ErrorCodes.InvalidParams, `${String(params?.folderUri)} is not a workspace folder of the Fleetscope server.`);
	const settings = await host.workspace.settings(folder);
	await folder.ready();
	const repo = folder.snapshot;
	// Files of a nested workspace folder belong to that folder (its own report); open files count too.
	const mine = (rel: string) => host.workspace.locate(folder.fileOf(rel))?.folder === folder;
	const open = repo.files().filter((rel) => isYamlFile(rel) && isIncluded(rel, settings) && host.open.openText(folder, rel) !== undefined);
	const rels = [...new Set([...repo.validatedFiles(settings).filter(mine), ...open])].sort();
	const files: ReportFile[] = [];
	const internalErrors: string[] = [];
	await folder.validateAll(rels, settings, (f) => {
		// As in the CLI: a bug on one file is named in the report, the others are still counted.
		if (f.internalError) internalErrors.push(`${f.rel}: ${f.internalError}`);
		files.push(reportFile(f.rel, f.analysis));
	}, () => !token?.isCancellationRequested);
	if (token?.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'The compliance report was cancelled.');
	const report = buildReport({
		files,
		fleet: folder.snapshot.fleet ?? EMPTY_FLEET,
		fleetExemptions: folder.snapshot.fleetExemptions(),
		settings,
		generatedAt: new Date(),
		version,
		root: folder.root,
		internalErrors,
	});
	return { html: reportHtml(report), summary: reportSummary(report), files: files.length };
}

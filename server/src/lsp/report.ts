import * as path from 'node:path';
import { ErrorCodes, LSPErrorCodes, ResponseError, type CancellationToken, type Connection, type TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { version } from '../../../package.json';
import { ComplianceReportRequest, type ComplianceReportParams, type ComplianceReportResult } from '../../../shared/protocol';
import type { FleetscopeSettings } from '../../../shared/settings';
import type { FileAnalysis } from '../engine/analysis/engine';
import { isIncluded, isYamlFile } from '../engine/core/paths';
import { reportHtml } from '../engine/report/html';
import { buildReport, reportFile, type ReportFile } from '../engine/report/model';
import { reportSummary } from '../engine/report/text';
import { fleetFor } from '../host/fleet';
import { analyzeLoaded, loadRepoFile } from '../host/validate-file';
import type { EnginePool } from './engines';
import { requestType } from './protocol';
import { uriToPath } from './uri';
import type { Folders } from './workspace';

/** What the report borrows from the server: its folders, settings, engines and open documents. */
export interface ReportHost {
	folders: Folders;
	settings(scopeUri: string): Promise<FleetscopeSettings>;
	engines: EnginePool;
	documents: TextDocuments<TextDocument>;
}

/** The report yields to other messages (edits above all) at least this often (ms). */
const SLICE_MS = 8;

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
	const folder = host.folders.all.find((f) => f.root === root);
	if (!folder) throw new ResponseError(ErrorCodes.InvalidParams, `${String(params?.folderUri)} is not a workspace folder of the Fleetscope server.`);
	const settings = host.engines.get(await host.settings(folder.uri)).currentSettings;
	const engine = host.engines.get(settings);
	const repo = await folder.repo();
	// Files of a nested workspace folder belong to that folder (its own report).
	const mine = (rel: string) => host.folders.of(path.join(folder.root, ...rel.split('/')))?.folder === folder;
	const open = new Map<string, string>();
	for (const d of host.documents.all()) {
		const loc = host.folders.of(uriToPath(d.uri));
		if (loc?.folder === folder && isYamlFile(loc.rel) && isIncluded(loc.rel, settings)) open.set(loc.rel, d.getText());
	}
	const rels = [...new Set([...repo.validatedFiles(settings).filter(mine), ...open.keys()])].sort();
	const maxBytes = settings.maxFileSizeKb * 1024;
	const files: ReportFile[] = [];
	const internalErrors: string[] = [];
	let slice = Date.now();
	for (const rel of rels) {
		if (Date.now() - slice >= SLICE_MS) {
			await new Promise<void>((resolve) => setImmediate(resolve));
			slice = Date.now();
		}
		if (token?.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'The compliance report was cancelled.');
		let analysis: FileAnalysis | undefined;
		try {
			const text = open.get(rel);
			analysis = text !== undefined ? engine.analyze({ path: rel, text }, repo) : analyzeLoaded(engine, repo, rel, await loadRepoFile(repo, folder.root, rel, maxBytes), maxBytes);
		} catch (e) {
			// As in the CLI: a bug on one file is named in the report, the others are still counted.
			internalErrors.push(`${rel}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
			analysis = engine.skipped(rel, 'Fleetscope failed on this file (an internal error, please report it), so it is not validated.');
		}
		files.push(reportFile(rel, analysis));
	}
	const report = buildReport({
		files,
		fleet: await fleetFor(folder.root, repo),
		fleetExemptions: repo.fleetExemptions(),
		settings,
		generatedAt: new Date(),
		version,
		root: folder.root,
		internalErrors,
	});
	return { html: reportHtml(report), summary: reportSummary(report), files: files.length };
}

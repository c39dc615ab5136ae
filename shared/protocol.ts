/**
 * Fleetscope's custom LSP messages, defined once for the server and the client. This file stays
 * free of LSP packages (the engine's architecture test covers `shared/`), so each message is a
 * typed descriptor; `server/src/lsp/protocol.ts` and `client/src/protocol.ts` turn it into a
 * `RequestType` with the same parameter and result types.
 */

/** A request's method name with its parameter and result types attached (phantom fields, never set). */
export interface RequestDescriptor<P, R> {
	readonly method: string;
	readonly _types?: [P, R];
}

/** What the server is doing: workspace scan progress and, for one document, how its last validation went. */
export namespace StatusRequest {
	export const method = 'fleetscope/status' as const;
	export const type: RequestDescriptor<StatusParams, StatusResult> = { method };
}

export interface StatusParams {
	/** A document URI to report on, if any. */
	uri?: string;
}

export interface StatusResult {
	/** Workspace folders the server validates. */
	folders: string[];
	/** The background scan of workspace files: files validated so far, files to validate, and whether it is still running. */
	scan: { running: boolean; validated: number; total: number };
	/** Open documents the server tracks. */
	openDocuments: number;
	/** The last validation of `params.uri`, if it is open. */
	document?: DocumentStatus;
}

export interface DocumentStatus {
	/** The document version the diagnostics belong to. */
	version: number;
	/** YAML documents in the file. */
	documents: number;
	/**
	 * Documents parsed and validated anew for this version; the others were reused unchanged
	 * from the previous version (an edit in one document of a multi-document file re-validates only it).
	 */
	reparsedDocuments: number;
	findings: number;
	/** Why the file was not validated (Helm template, binary, too large), if so. */
	skipped?: string;
}

/**
 * The compliance evidence report of one workspace folder (command "Fleetscope: Compliance Report"):
 * the folder validated from disk, open documents with their current text, rendered as one
 * self-contained HTML document (no script, nothing external).
 */
export namespace ComplianceReportRequest {
	export const method = 'fleetscope/complianceReport' as const;
	export const type: RequestDescriptor<ComplianceReportParams, ComplianceReportResult> = { method };
}

export interface ComplianceReportParams {
	/** URI of a workspace folder the server validates (one of `StatusResult.folders`). */
	folderUri: string;
}

export interface ComplianceReportResult {
	/** The report: a complete HTML document. */
	html: string;
	/** One line: the score per section, failing and exempted findings, expired exemptions. */
	summary: string;
	/** Files the report covers. */
	files: number;
}

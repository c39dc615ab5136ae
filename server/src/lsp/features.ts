import type { Connection } from 'vscode-languageserver';
import { ClustersRequest, StatusRequest, type StatusResult } from '../../../shared/protocol';
import { codeActions } from '../engine/services/code-actions';
import { complete } from '../engine/services/completion';
import { fleetSymbols } from '../engine/services/fleet-info';
import { hover } from '../engine/services/hover';
import { documentSymbols } from '../engine/services/symbols';
import type { SchemaRegistry } from '../engine/schema/types';
import type { Workspace } from '../workspace/workspace';
import { toCodeAction, toCompletionItem, toDocumentSymbol, toHover, toWorkspaceSymbol } from './convert';
import type { OpenDocuments } from './documents';
import { requestType } from './protocol';

/** What the feature handlers borrow from the server. */
export interface FeatureHost {
	workspace: Workspace;
	open: OpenDocuments;
	registry: SchemaRegistry;
	openDocuments(): number;
	guard<T>(what: string, fn: () => Promise<T> | T): Promise<T | null>;
}

/**
 * The editor features over an open document's current analysis (hover, completion, symbols, quick
 * fixes) and over the workspace (workspace symbols, status, clusters): thin handlers that ask the
 * engine's services and convert their answers to LSP.
 */
export function registerFeatures(c: Connection, host: FeatureHost): void {
	const { open, workspace } = host;
	c.onHover((p) =>
		host.guard('hover', async () => {
			const s = await open.analyzeIfStale(p.textDocument.uri);
			const h = s && hover(s.analysis, host.registry, s.analysis.lines.offsetAt(p.position), s.repo.fleet);
			return h ? toHover(h) : null;
		}),
	);
	c.onCompletion((p) =>
		host.guard('completion', async () => {
			const s = await open.analyzeIfStale(p.textDocument.uri);
			return s ? complete(s.analysis, host.registry, s.analysis.lines.offsetAt(p.position)).map(toCompletionItem) : [];
		}),
	);
	c.onDocumentSymbol((p) =>
		host.guard('documentSymbol', async () => {
			const s = await open.analyzeIfStale(p.textDocument.uri);
			return s ? documentSymbols(s.analysis).map(toDocumentSymbol) : [];
		}),
	);
	c.onCodeAction((p) =>
		host.guard('codeAction', async () => {
			const s = await open.analyzeIfStale(p.textDocument.uri);
			return s ? codeActions(s.analysis, p.range).map((a) => toCodeAction(a, p.textDocument.uri)) : [];
		}),
	);
	c.onWorkspaceSymbol((p) =>
		host.guard('workspaceSymbol', async () => {
			const out = [];
			for (const folder of workspace.folders) {
				await folder.ready();
				const fleet = folder.snapshot.fleet;
				if (fleet) for (const sym of fleetSymbols(fleet, p.query)) out.push(toWorkspaceSymbol(sym, folder.uriOfFile(sym.location.file)));
			}
			return out;
		}),
	);
	c.onRequest(requestType(StatusRequest.type), (p) => host.guard('status', () => status(host, p.uri)));
	c.onRequest(requestType(ClustersRequest.type), (p) => host.guard('clusters', () => workspace.live.clusters(p?.folderUri)));
}

function status(host: FeatureHost, uri: string | undefined): StatusResult {
	const s = uri ? host.open.last(uri) : undefined;
	return {
		folders: host.workspace.folders.map((f) => f.uri),
		scan: { ...host.workspace.scanProgress },
		openDocuments: host.openDocuments(),
		document: s && {
			version: s.version,
			documents: s.analysis.parsed.documents.length,
			reparsedDocuments: s.reparsed,
			analyses: s.analyses,
			findings: s.excluded ? 0 : s.analysis.findings.length,
			skipped: s.analysis.skipped,
		},
	};
}

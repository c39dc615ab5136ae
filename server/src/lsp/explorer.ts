import { CodeLensRefreshRequest, ErrorCodes, ResponseError, type Connection } from 'vscode-languageserver';
import { version } from '../../../package.json';
import {
	CompareEnvironmentsRequest,
	ComplianceFindingsRequest,
	ConnectClusterRequest,
	FileReachRequest,
	FindingsChangedNotification,
	FleetChangedNotification,
	FleetClusterRequest,
	FleetClustersRequest,
	FleetComplianceRequest,
	FleetFileDraftRequest,
	FleetPromotionRequest,
	RenderClusterRequest,
} from '../../../shared/protocol';
import { Explorer } from '../workspace/explorer';
import { driftLensesOf } from './drift';
import { promotionLensesOf } from './promotion';
import type { Folder } from '../workspace/folder';
import { reachTitle } from '../workspace/views/reach';
import type { Workspace } from '../workspace/workspace';
import { notificationType, requestType } from './protocol';
import { uriToPath } from './uri';

export interface ExplorerHost {
	workspace: Workspace;
	guard<T>(what: string, fn: () => Promise<T> | T): Promise<T | null>;
	/** Resolves once the user is not typing (background work waits for it). */
	typingPause(): Promise<void>;
}

/** What the server tells the explorer's views. */
export interface ExplorerNotifier {
	fleetChanged(folder: Folder): void;
	findingsChanged(folder: Folder): void;
}

const notFound = (what: string) => new ResponseError(ErrorCodes.InvalidParams, what);

/**
 * The fleet explorer's requests (one handler each over `workspace/explorer.ts`), the first-line
 * CodeLens that says which clusters a file reaches, and the change notifications the views refresh on.
 */
export function registerExplorer(c: Connection, host: ExplorerHost): ExplorerNotifier {
	const explorer = new Explorer(host.workspace, version);
	c.onRequest(requestType(FleetClustersRequest.type), (p) => host.guard('explorer clusters', () => explorer.clusters(p?.folderUri)));
	c.onRequest(requestType(FleetClusterRequest.type), async (p) => (await explorer.cluster(p.folderUri, p.cluster)) ?? Promise.reject(notFound(`no cluster "${p.cluster}" in ${p.folderUri}`)));
	c.onRequest(requestType(FleetPromotionRequest.type), (p) => host.guard('explorer promotion', () => explorer.promotion(p?.folderUri)));
	c.onRequest(requestType(FleetComplianceRequest.type), (p) => host.guard('explorer compliance', () => explorer.compliance(p?.folderUri)));
	c.onRequest(requestType(ComplianceFindingsRequest.type), (p) => host.guard('explorer compliance findings', () => explorer.complianceFindings(p.folderUri, p.control)));
	c.onRequest(requestType(FileReachRequest.type), (p) => host.guard('explorer reach', () => explorer.reach(uriToPath(p.uri))));
	c.onRequest(requestType(RenderClusterRequest.type), async (p) => (await explorer.render(p.folderUri, p.cluster)) ?? Promise.reject(notFound(`no cluster "${p.cluster}" in ${p.folderUri}`)));
	c.onRequest(requestType(CompareEnvironmentsRequest.type), async (p) => (await explorer.compare(p)) ?? Promise.reject(notFound(`${p.folderUri} is not a workspace folder of the Fleetscope server`)));
	c.onRequest(requestType(ConnectClusterRequest.type), (p) => explorer.connect(p.folderUri, p.cluster, p.connected) ?? Promise.reject(notFound(`no cluster "${p.cluster}" with a connection in ${p.folderUri}`)));
	c.onRequest(requestType(FleetFileDraftRequest.type), async (p) => (await explorer.fleetFileDraft(p.folderUri)) ?? Promise.reject(notFound(`${p.folderUri} is not a workspace folder of the Fleetscope server`)));
	// One handler per method: the file's drift lenses (lsp/drift.ts), its promotion lenses (lsp/promotion.ts), then its reach on its first line.
	c.onCodeLens((p) =>
		host.guard('codeLens', async () => {
			const reach = await explorer.reach(uriToPath(p.textDocument.uri));
			const title = reachTitle(reach);
			const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
			return [...driftLensesOf(host.workspace, p.textDocument.uri), ...promotionLensesOf(host.workspace, p.textDocument.uri), ...(title ? [{ range, command: { title, command: 'fleetscope.revealInFleet', arguments: [p.textDocument.uri] } }] : [])];
		}),
	);
	return {
		fleetChanged(folder) {
			void c.sendNotification(notificationType(FleetChangedNotification.type), { folderUri: folder.uri });
			// Which clusters each file reaches may have changed: the CodeLens asks again (clients without the refresh answer an error).
			c.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
		},
		findingsChanged(folder) {
			// The views' data is built before they are told, once typing pauses (the compliance report of the kept
			// findings, the claims' positions): the requests that follow are answered from it.
			void host.guard('explorer views', async () => {
				await host.typingPause();
				const started = Date.now();
				await explorer.compliance(folder.uri);
				await explorer.clusters(folder.uri);
				c.console.info(`Explorer views of ${folder.name} prepared in ${Date.now() - started} ms.`);
				await c.sendNotification(notificationType(FindingsChangedNotification.type), { folderUri: folder.uri });
			});
		},
	};
}

import { stringify } from 'yaml';
import type { CodeLens, Connection } from 'vscode-languageserver';
import { DriftChangedNotification, DriftDiffRequest, DriftRequest, type DriftReport } from '../../../shared/protocol';
import type { Folder } from '../workspace/folder';
import type { Workspace } from '../workspace/workspace';
import { notificationType, requestType } from './protocol';
import { uriToPath } from './uri';

/**
 * Drift in the editor: the report of each folder (the Drift view), Show Diff's two documents, a
 * CodeLens on each object's first line where it drifts (`drifted in 2 clusters`), and the change
 * notification that refreshes them.
 */
export function registerDrift(c: Connection, workspace: Workspace, guard: <T>(what: string, fn: () => Promise<T> | T) => Promise<T | null>): void {
	c.onRequest(requestType(DriftRequest.type), (p) =>
		guard('drift', () => ({
			folders: workspace.folders.filter((f) => !p?.folderUri || f.uri === p.folderUri).map((f) => ({ folderUri: f.uri, report: workspace.drift.report(f) ?? { clusters: [] } })),
		})),
	);
	c.onRequest(requestType(DriftDiffRequest.type), (p) =>
		guard('driftDiff', async () => {
			const folder = workspace.folders.find((f) => f.uri === p.folderUri);
			const docs = folder && (await workspace.drift.documents(folder, p.cluster, p.object));
			return docs ? { desired: stringify(docs.desired, { lineWidth: 0 }), live: docs.live ? stringify(docs.live, { lineWidth: 0 }) : '' } : null;
		}),
	);
	// The drift CodeLens is answered with the explorer's, by the one codeLens handler (lsp/explorer.ts).
}

/** A file's drift lenses (see `driftLenses`), for the codeLens handler. */
export function driftLensesOf(workspace: Workspace, uri: string): CodeLens[] {
	const loc = workspace.locate(uriToPath(uri));
	const report = loc && workspace.drift.report(loc.folder);
	return report ? driftLenses(report, loc.rel) : [];
}

/** Tells the client a folder's drift changed. */
export function driftChanged(c: Connection, folder: Folder): void {
	void c.sendNotification(notificationType(DriftChangedNotification.type), { folderUri: folder.uri });
	void c.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
}

/** One lens per object of a file that differs somewhere: on its first line, naming how many clusters and which. */
export function driftLenses(report: DriftReport, rel: string): CodeLens[] {
	const byLine = new Map<number, { what: string; clusters: Set<string> }>();
	for (const cluster of report.clusters) {
		for (const o of cluster.objects) {
			if (o.source?.file !== rel || (o.state !== 'drifted' && o.state !== 'missing')) continue;
			const at = byLine.get(o.source.line) ?? { what: o.state, clusters: new Set<string>() };
			if (o.state === 'missing') at.what = at.what === 'drifted' ? 'drifted' : 'missing';
			at.clusters.add(cluster.name);
			byLine.set(o.source.line, at);
		}
	}
	return [...byLine].map(([line, { what, clusters }]) => {
		const names = [...clusters].sort();
		const title = `${what === 'missing' ? 'missing' : 'drifted'} in ${names.length} cluster${names.length > 1 ? 's' : ''}: ${names.join(', ')}`;
		return { range: { start: { line: line - 1, character: 0 }, end: { line: line - 1, character: 0 } }, command: { title, command: 'fleetscope.drift.reveal', arguments: [{ file: rel, line, clusters: names }] } };
	});
}

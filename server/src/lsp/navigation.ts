import type { Connection, DocumentLink, Location, LocationLink } from 'vscode-languageserver';
import { definitions, documentLinks, references, type NavContext } from '../engine/services/fleet-nav';
import type { LinkEntry } from '../engine/services/types';
import { uriToPath } from './uri';
import type { Folder } from '../workspace/folder';
import type { Workspace } from '../workspace/workspace';

/** What navigation borrows from the server: its folders, and whether the client takes LocationLinks. */
export interface NavigationHost {
	workspace: Workspace;
	definitionLinks(): boolean;
}

/**
 * Document links, go to definition and find references in the fleet graph: thin handlers over
 * the engine's `fleet-nav` service, on the folder's document store (the editor's text for open
 * files) and the fleet model of its last discovery. Computed per request, nothing per keystroke.
 */
export function registerNavigation(connection: Connection, host: NavigationHost): void {
	const guard = async <T>(what: string, fallback: T, fn: () => Promise<T>): Promise<T> => {
		try {
			return await fn();
		} catch (e) {
			connection.console.error(`${what} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
			return fallback;
		}
	};
	connection.onDocumentLinks((p) =>
		guard('documentLink', [] as DocumentLink[], async () => {
			const c = await contextOf(host.workspace, p.textDocument.uri);
			return c ? documentLinks(c.ctx, c.rel).map((l) => toDocumentLink(l, c.folder)) : [];
		}),
	);
	connection.onDefinition((p) =>
		guard('definition', [] as LocationLink[] | Location[], async () => {
			const c = await contextOf(host.workspace, p.textDocument.uri);
			if (!c) return [];
			const found = definitions(c.ctx, c.rel, p.position);
			if (host.definitionLinks()) {
				return found.map((d): LocationLink => ({ originSelectionRange: d.originRange, targetUri: c.folder.uriOfFile(d.file), targetRange: d.range, targetSelectionRange: d.selectionRange }));
			}
			return found.map((d): Location => ({ uri: c.folder.uriOfFile(d.file), range: d.selectionRange }));
		}),
	);
	connection.onReferences((p) =>
		guard('references', [] as Location[], async () => {
			const c = await contextOf(host.workspace, p.textDocument.uri);
			if (!c) return [];
			return references(c.ctx, c.rel, p.position, p.context?.includeDeclaration ?? false).map((r) => ({ uri: c.folder.uriOfFile(r.file), range: r.range }));
		}),
	);
}

async function contextOf(workspace: Workspace, uri: string): Promise<{ folder: Folder; rel: string; ctx: NavContext } | undefined> {
	const loc = workspace.locate(uriToPath(uri));
	if (!loc) return undefined;
	const fleet = await loc.folder.fleet();
	return { folder: loc.folder, rel: loc.rel, ctx: { store: fleet.documents, model: fleet.model } };
}

/** A link to a file (at a position: VS Code opens `#L<line>,<column>`, 1-based) or to a directory (VS Code reveals it in the Explorer). */
function toDocumentLink(l: LinkEntry, folder: Folder): DocumentLink {
	const uri = folder.uriOfFile(l.target);
	const target = l.position ? `${uri}#L${l.position.line + 1},${l.position.character + 1}` : uri;
	return { range: l.range, target, tooltip: l.tooltip };
}

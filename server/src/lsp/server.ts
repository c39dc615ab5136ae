import * as path from 'node:path';
import type { FactsCache } from '../engine/context/repo-snapshot';
import {
	CodeActionKind,
	DidChangeConfigurationNotification,
	DidChangeWatchedFilesNotification,
	FileChangeType,
	TextDocumentSyncKind,
	TextDocuments,
	type Connection,
	type InitializeParams,
	type InitializeResult,
	type WorkspaceFolder,
} from 'vscode-languageserver';
import { ClustersChangedNotification, WorkspaceTrustedNotification, type InitializationOptions } from '../../../shared/protocol';
import type { ResourceCheck } from '../engine/context/check-context';
import type { LiveSchemas, SchemaRegistry } from '../engine/schema/types';
import type { LiveServiceOptions } from '../workspace/live';
import { Workspace } from '../workspace/workspace';
import { OpenDocuments } from './documents';
import { driftChanged, registerDrift } from './drift';
import { registerPromotion } from './promotion';
import { registerExplorer, type ExplorerNotifier } from './explorer';
import { registerFeatures } from './features';
import { registerNavigation } from './navigation';
import { notificationType } from './protocol';
import { registerComplianceReport } from './report';
import { registerPolicyTests } from './policy-tests';
import { SettingsCache } from './settings';
import { SEGMENTED_DOCUMENTS } from './text-document';
import { uriToPath } from './uri';

/** What the server is built from: the schema registry and the semantic checks (injected, so tests and hosts choose). */
export interface ServerDeps {
	registry: SchemaRegistry;
	checks: ResourceCheck[];
	/** Compiles CRD schemas found in live clusters (`live-crd-schema`); without it that check is off. */
	liveSchemas?: LiveSchemas;
	/** Options of the live connections (tests point them elsewhere). */
	live?: Omit<LiveServiceOptions, 'trusted' | 'schemas'>;
	/** The facts of a folder's files kept between runs (host/facts-cache.ts); none without it. */
	factsCache?(root: string): FactsCache | undefined;
}

/**
 * The language server: the LSP side of the workspace layer. It keeps the open documents' queue
 * (`documents.ts`), converts between LSP and the engine, and hands every other decision (what to
 * validate again after what, the workspace scan, rediscovery, renders, live state) to the workspace.
 */
export class FleetscopeServer {
	private readonly documents = new TextDocuments(SEGMENTED_DOCUMENTS);
	private readonly settings: SettingsCache;
	private readonly workspace: Workspace;
	private readonly open: OpenDocuments;
	/** Documents whose didOpen content event is still to come (it is not an edit). */
	private readonly justOpened = new Set<string>();
	private explorer?: ExplorerNotifier;
	private caps = { configuration: false, watchRegistration: false, configRegistration: false, folders: false, definitionLinks: false };

	constructor(
		private readonly connection: Connection,
		private readonly deps: ServerDeps,
	) {
		this.settings = new SettingsCache(connection, () => this.caps.configuration);
		this.workspace = new Workspace(
			{
				userSettings: (folder) => this.settings.user(folder.uri),
				openText: (folder, rel) => this.open.openText(folder, rel),
				publish: (folder, rel, findings) => this.open.publish(folder.uriOfFile(rel), findings),
				reanalyze: (folder, rels) => this.open.reanalyze(folder, rels),
				idle: () => this.open.idle(),
				typingPause: () => this.open.typingPause(),
				log: (line) => connection.console.info(line),
				fleetChanged: (folder) => this.explorer?.fleetChanged(folder),
				findingsChanged: (folder) => this.explorer?.findingsChanged(folder),
				driftChanged: (folder) => driftChanged(connection, folder),
				clustersChanged: () => void connection.sendNotification(notificationType(ClustersChangedNotification.type), {}),
			},
			{ registry: deps.registry, checks: deps.checks, liveSchemas: deps.liveSchemas, live: { ...deps.live, trusted: false }, factsCache: deps.factsCache },
		);
		this.open = new OpenDocuments(connection, this.documents, this.workspace, this.settings, (what, e) => this.logError(what, e));
	}

	listen(): void {
		const c = this.connection;
		c.onInitialize((p) => this.initialize(p));
		c.onInitialized(() => this.initialized());
		// The cluster states are written to the cache; a running scan is cancelled.
		c.onShutdown(() => this.workspace.dispose());
		c.onDidChangeConfiguration((p) =>
			this.guard('didChangeConfiguration', () => {
				this.settings.clear(p.settings);
				this.open.settingsChanged();
				this.workspace.settingsChanged();
			}),
		);
		c.onDidChangeWatchedFiles((p) =>
			this.guard('didChangeWatchedFiles', () => this.workspace.filesChanged(p.changes.flatMap((ch) => {
				const file = uriToPath(ch.uri);
				return file ? [{ file, deleted: ch.type === FileChangeType.Deleted }] : [];
			}))),
		);
		c.onNotification(notificationType(WorkspaceTrustedNotification.type), () => this.guard('workspaceTrusted', () => this.workspace.live.trust()));
		registerFeatures(c, { workspace: this.workspace, open: this.open, registry: this.deps.registry, openDocuments: () => this.documents.keys().length, guard: (what, fn) => this.guard(what, fn) });
		registerComplianceReport(c, { workspace: this.workspace, open: this.open });
		registerNavigation(c, { workspace: this.workspace, definitionLinks: () => this.caps.definitionLinks });
		registerDrift(c, this.workspace, (what, fn) => this.guard(what, fn));
		registerPromotion(c, this.workspace, (what, fn) => this.guard(what, fn));
		registerPolicyTests(c, { workspace: this.workspace, documents: this.documents });
		this.explorer = registerExplorer(c, { workspace: this.workspace, guard: (what, fn) => this.guard(what, fn), typingPause: () => this.open.typingPause() });

		this.documents.onDidOpen((e) => {
			this.open.opened(e.document.uri);
			this.justOpened.add(e.document.uri);
		});
		this.documents.onDidChangeContent((e) => {
			this.open.schedule(e.document.uri);
			// Opening a file changes nothing the fleet reads (its text is the disk's); editing it may.
			if (this.justOpened.delete(e.document.uri)) return;
			this.open.edited();
			const loc = this.workspace.locate(uriToPath(e.document.uri));
			if (loc) this.workspace.documentEdited(loc.folder, loc.rel, e.document.text);
		});
		this.documents.onDidClose((e) => void this.guard('didClose', () => this.open.closed(e.document.uri)));
		this.documents.listen(c);
		c.listen();
	}

	private initialize(params: InitializeParams): InitializeResult {
		const ws = params.capabilities.workspace;
		this.caps = {
			configuration: !!ws?.configuration,
			watchRegistration: !!ws?.didChangeWatchedFiles?.dynamicRegistration,
			configRegistration: !!ws?.didChangeConfiguration?.dynamicRegistration,
			folders: !!ws?.workspaceFolders,
			definitionLinks: !!params.capabilities.textDocument?.definition?.linkSupport,
		};
		const folders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: path.basename(params.rootUri) }] : []);
		for (const f of folders) this.addFolder(f);
		// Unless the client says the workspace is trusted, no cluster is contacted (see shared/protocol.ts).
		this.workspace.live.setTrusted((params.initializationOptions as InitializationOptions | null | undefined)?.workspaceTrusted === true);
		return {
			capabilities: {
				textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
				hoverProvider: true,
				completionProvider: {},
				documentSymbolProvider: true,
				workspaceSymbolProvider: true,
				documentLinkProvider: { resolveProvider: false },
				definitionProvider: true,
				referencesProvider: true,
				codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
				codeLensProvider: { resolveProvider: false },
				workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
			},
			serverInfo: { name: 'fleetscope' },
		};
	}

	private initialized(): void {
		const c = this.connection;
		if (this.caps.configRegistration) void c.client.register(DidChangeConfigurationNotification.type, { section: 'fleetscope' });
		if (this.caps.watchRegistration) {
			void c.client.register(DidChangeWatchedFilesNotification.type, {
				watchers: [{ globPattern: '**/*.{yaml,yml}' }, { globPattern: '**/Kustomization' }, { globPattern: '**/.fleetscope.json' }],
			});
		}
		if (this.caps.folders) {
			c.workspace.onDidChangeWorkspaceFolders((e) =>
				this.guard('didChangeWorkspaceFolders', () => {
					for (const f of e.removed) this.workspace.removeFolder(f.uri);
					for (const f of e.added) this.addFolder(f);
					this.open.reanalyze(undefined, 'all');
					this.workspace.scan();
				}),
			);
		}
		this.workspace.scan();
	}

	private addFolder(f: WorkspaceFolder): void {
		const root = uriToPath(f.uri);
		const folder = root ? this.workspace.addFolder(f.uri, root, f.name) : undefined;
		// Its files are read at once, in the background (pausing between batches): a document opened
		// as the editor starts waits for their facts, not also for the client's next messages. A
		// failure is reported by whoever waits for them (the scan, the open documents).
		if (folder) folder.factsReady().catch(() => undefined);
	}

	/** Runs a handler, logging a failure instead of letting it take the server down. */
	private async guard<T>(what: string, fn: () => Promise<T> | T): Promise<T | null> {
		try {
			return await fn();
		} catch (e) {
			this.logError(what, e);
			return null;
		}
	}

	private logError(what: string, e: unknown): void {
		this.connection.console.error(`${what} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
	}
}

import * as path from 'node:path';
import {
	CodeActionKind,
	DidChangeConfigurationNotification,
	DidChangeWatchedFilesNotification,
	FileChangeType,
	TextDocumentSyncKind,
	TextDocuments,
	type Connection,
	type DidChangeWatchedFilesParams,
	type InitializeParams,
	type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { type Engine, type FileAnalysis } from '../engine/analysis/engine';
import { EMPTY_REPO, type RepoContext, type ResourceCheck } from '../engine/context/check-context';
import { type RepoIndex } from '../engine/context/repo-index';
import { isIncluded, isKustomizationFile, isYamlFile } from '../engine/core/paths';
import { codeActions } from '../engine/services/code-actions';
import { complete } from '../engine/services/completion';
import { hover } from '../engine/services/hover';
import { documentSymbols } from '../engine/services/symbols';
import type { SchemaRegistry } from '../engine/schema/types';
import type { Finding } from '../engine/core/types';
import { analyzeLoaded, loadRepoFile } from '../host/validate-file';
import { ClustersChangedNotification, ClustersRequest, StatusRequest, WorkspaceTrustedNotification, type InitializationOptions, type StatusResult } from '../../../shared/protocol';
import type { FleetscopeSettings } from '../../../shared/settings';
import { toCodeAction, toCompletionItem, toDiagnostic, toDocumentSymbol, toHover, toWorkspaceSymbol } from './convert';
import { fleetSymbols } from '../engine/services/fleet-info';
import { EnginePool } from './engines';
import { registerNavigation } from './navigation';
import type { LiveSchemas } from '../engine/rules/live';
import { LiveService } from './live';
import { notificationType, requestType } from './protocol';
import { registerComplianceReport } from './report';
import { registerPolicyTests } from './policy-tests';
import { SettingsCache } from './settings';
import { isSettingsFileName } from '../engine/core/settings-file';
import { describeSettingsFile, settingsFileFindings } from './settings-file';
import { uriToPath } from './uri';
import { Folders, type Folder, type FolderSettingsFile } from './workspace';

/** What the server is built from: the schema registry and the semantic checks (injected, so tests and hosts choose). */
export interface ServerDeps {
	registry: SchemaRegistry;
	checks: ResourceCheck[];
	/** Compiles CRD schemas found in live clusters (`live-crd-schema`); without it that check is off. */
	liveSchemas?: LiveSchemas;
}

/** An analysis with more findings (the live ones) whose lazy parts stay those of the original. */
function withFindings(analysis: FileAnalysis, findings: Finding[]): FileAnalysis {
	return Object.create(analysis, { findings: { value: findings, enumerable: true } }) as FileAnalysis;
}

/** The last validation of an open document. */
interface OpenState {
	version: number;
	analysis: FileAnalysis;
	/** Documents of the file parsed anew for this version (the rest came from the previous version). */
	reparsed: number;
	/** The include/exclude settings leave this file out: no diagnostics, hover or completion. */
	excluded: boolean;
}

/**
 * The language server: wiring between LSP messages and the pure engine. Open documents are
 * validated on every change (only their changed YAML documents are re-parsed); workspace files
 * are validated from disk in a background scan that yields between files and is cancelled by
 * a newer scan or shutdown. Open documents always win over disk content.
 */
/** Open documents validated together before yielding to the event loop. */
const DRAIN_BATCH = 8;
/** Open documents whose settings are asked for in one request. */
const SETTINGS_PREFETCH = 256;
/** The workspace scan yields to incoming messages at least this often (ms). */
const SCAN_SLICE_MS = 8;
/** Quiet time after the last edit of a fleet-relevant document before the fleet is rediscovered (ms). */
const FLEET_REFRESH_MS = 300;
/** Rendering the clusters (background work of up to a few seconds) waits until the user has stopped typing this long (ms). */
const TYPING_QUIET_MS = 300;
/** Documents whose kinds make up the fleet graph. */
const FLEET_KINDS = /^kind:\s*["']?(Fleet|ClusterClaim|Kustomization|HelmRelease|GitRepository|OCIRepository|ArtifactGenerator|Application|ApplicationSet)["']?\s*$/m;

export class FleetscopeServer {
	private readonly documents = new TextDocuments(TextDocument);
	private readonly folders = new Folders((folder, rel) => this.openTextOf(folder, rel));
	/** Folders whose fleet model is rediscovered soon, after edits to fleet-relevant open documents. */
	private readonly fleetRefresh = new Map<Folder, { timer: NodeJS.Timeout; files: Set<string> }>();
	/** Waiting for the open documents' queue to empty (`whenIdle`). */
	private idleWaiters: (() => void)[] = [];
	/** Documents whose didOpen content event is still to come (it is not an edit). */
	private readonly justOpened = new Set<string>();
	/** When the user last edited an open document (background rendering waits for a pause in typing). */
	private lastEditAt = 0;
	/** Settings files already described in the output (see `settingsFileOf`). */
	private readonly settingsFilesSaid = new WeakSet<FolderSettingsFile>();
	/** Edits of a settings file in the editor wait for a pause in typing before they apply. */
	private readonly settingsFileEdits = new Map<Folder, ReturnType<typeof setTimeout>>();
	/** Open settings files edited in the editor: closing one applies the disk's text again. */
	private readonly settingsFileEdited = new Set<string>();
	/** Open documents edited while they held fleet objects: closing them rediscovers the fleet from disk. */
	private readonly fleetEdited = new Set<string>();
	private readonly settings: SettingsCache;
	private readonly engines: EnginePool;
	/** Live cluster state: connections per kubeconfig context, live findings (`live.ts`). */
	private readonly live: LiveService;
	private readonly open = new Map<string, OpenState>();
	/** File paths of open documents, to let them win over the workspace scan. */
	/** The file path of every open document, with its URI. */
	private readonly openPaths = new Map<string, string>();
	/** Open documents waiting for validation; the stack puts the most recently changed first. */
	private readonly pending = new Set<string>();
	private readonly pendingStack: string[] = [];
	private draining = false;
	private scanGeneration = 0;
	private scan = { running: false, validated: 0, total: 0 };
	private caps = { configuration: false, watchRegistration: false, configRegistration: false, folders: false, definitionLinks: false };

	constructor(
		private readonly connection: Connection,
		private readonly deps: ServerDeps,
	) {
		this.settings = new SettingsCache(connection, () => this.caps.configuration, async (uri) => {
			// A folder's own URI (the workspace scan asks for it) or a file in it.
			const folder = this.folders.all.find((f) => f.uri === uri) ?? this.folders.of(uriToPath(uri))?.folder;
			const file = folder && (await this.settingsFileOf(folder));
			return file && !file.problem ? file.settings : undefined;
		});
		this.engines = new EnginePool(deps.registry, deps.checks);
		this.live = new LiveService(
			{
				folders: () => this.folders.all,
				settings: async (folder) => this.engines.get(await this.settings.get(folder.uri)).currentSettings,
				revalidateOpen: (folder, files) => this.revalidateOpen(folder, files),
				isOpen: (folder, rel) => this.openPaths.has(filePathOf(folder, rel)),
				validateWorkspaceFile: async (folder, rel) => {
					if (await this.workspaceValidated(folder, rel)) await this.validateFromDisk(folder, rel);
				},
				log: (line) => connection.console.info(line),
				clustersChanged: () => void connection.sendNotification(notificationType(ClustersChangedNotification.type), {}),
			},
			{ trusted: false, schemas: deps.liveSchemas },
		);
	}

	listen(): void {
		const c = this.connection;
		c.onInitialize((p) => this.initialize(p));
		c.onInitialized(() => this.initialized());
		c.onShutdown(() => {
			this.scanGeneration++; // cancels a running scan
			for (const { timer } of this.fleetRefresh.values()) clearTimeout(timer);
			return this.live.dispose(); // the cluster states are written to the cache
		});
		c.onDidChangeConfiguration((p) => this.guard('didChangeConfiguration', () => this.settingsChanged(p.settings)));
		c.onDidChangeWatchedFiles((p) => void this.guardAsync('didChangeWatchedFiles', () => this.filesChanged(p)));
		c.onHover((p) => this.guardAsync('hover', async () => {
			const s = await this.current(p.textDocument.uri);
			const fleet = s && (await this.contextOf(p.textDocument.uri)).repo.fleet;
			const h = s && hover(s.analysis, this.deps.registry, s.analysis.lines.offsetAt(p.position), fleet);
			return h ? toHover(h) : null;
		}));
		c.onCompletion((p) => this.guardAsync('completion', async () => {
			const s = await this.current(p.textDocument.uri);
			if (!s) return [];
			return complete(s.analysis, this.deps.registry, s.analysis.lines.offsetAt(p.position)).map(toCompletionItem);
		}));
		c.onDocumentSymbol((p) => this.guardAsync('documentSymbol', async () => {
			const s = await this.current(p.textDocument.uri);
			return s ? documentSymbols(s.analysis).map(toDocumentSymbol) : [];
		}));
		c.onCodeAction((p) => this.guardAsync('codeAction', async () => {
			const s = await this.current(p.textDocument.uri);
			return s ? codeActions(s.analysis, p.range).map((a) => toCodeAction(a, p.textDocument.uri)) : [];
		}));
		c.onWorkspaceSymbol((p) => this.guardAsync('workspaceSymbol', async () => {
			const out = [];
			for (const folder of this.folders.all) {
				const fleet = (await folder.repo()).fleet;
				if (fleet) for (const sym of fleetSymbols(fleet, p.query)) out.push(toWorkspaceSymbol(sym, folder.uriOf(sym.location.file)));
			}
			return out;
		}));
		c.onRequest(requestType(StatusRequest.type), (p) => this.guardAsync('status', () => this.status(p.uri)));
		c.onRequest(requestType(ClustersRequest.type), (p) => this.guardAsync('clusters', () => this.live.clusters(p?.folderUri)));
		c.onNotification(notificationType(WorkspaceTrustedNotification.type), () => this.guard('workspaceTrusted', () => this.live.trust()));
		registerComplianceReport(c, { folders: this.folders, settings: (uri) => this.settings.get(uri), engines: this.engines, documents: this.documents });
		registerNavigation(c, { folders: this.folders, definitionLinks: () => this.caps.definitionLinks });
		registerPolicyTests(c, { folders: this.folders, documents: this.documents });

		this.documents.onDidOpen((e) => {
			const file = uriToPath(e.document.uri);
			if (file) this.openPaths.set(file, e.document.uri);
			this.justOpened.add(e.document.uri);
		});
		this.documents.onDidChangeContent((e) => {
			this.schedule(e.document.uri);
			// Opening a file changes nothing the fleet reads (its text is the disk's); editing it may.
			if (!this.justOpened.delete(e.document.uri)) {
				this.lastEditAt = Date.now();
				this.scheduleFleetRefresh(e.document.uri, e.document.getText());
				this.scheduleSettingsFileEdit(e.document.uri);
			}
		});
		this.documents.onDidClose((e) => void this.guardAsync('didClose', () => this.closed(e.document.uri)));
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
		for (const f of folders) this.folders.add(f);
		// Unless the client says the workspace is trusted, no cluster is contacted (see shared/protocol.ts).
		this.live.setTrusted((params.initializationOptions as InitializationOptions | null | undefined)?.workspaceTrusted === true);
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
					for (const f of e.removed) this.folders.remove(f.uri);
					for (const f of e.added) this.folders.add(f);
					this.revalidateOpen();
					this.startScan();
				}),
			);
		}
		this.startScan();
	}

	// ---- open documents -------------------------------------------------------------------

	/**
	 * Queues an open document for validation. Changes that arrive together are coalesced, the most
	 * recent first (the document being typed in beats a thousand documents being opened), in small
	 * batches with a turn of the event loop between them so that no burst blocks incoming messages.
	 */
	private schedule(uri: string): void {
		this.pending.add(uri);
		this.pendingStack.push(uri);
		if (this.draining) return;
		this.draining = true;
		setImmediate(() => void this.drain());
	}

	private async drain(): Promise<void> {
		try {
			while (this.pendingStack.length > 0) {
				// One settings request for the documents about to be validated next, not one each.
				await this.settings.prefetch(this.pendingStack.slice(-SETTINGS_PREFETCH).filter((u) => this.pending.has(u)));
				const batch: string[] = [];
				while (batch.length < DRAIN_BATCH && this.pendingStack.length > 0) {
					const uri = this.pendingStack.pop()!;
					if (this.pending.delete(uri)) batch.push(uri);
				}
				await Promise.all(batch.map((uri) => this.guardAsync('validate', () => this.current(uri))));
				await new Promise<void>((resolve) => setImmediate(resolve));
			}
		} finally {
			this.draining = false;
			if (this.pendingStack.length === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
		}
	}

	/** The analysis of an open document's current version: validated (and published) now if it is stale. */
	private async current(uri: string): Promise<OpenState | undefined> {
		const fresh = () => {
			const doc = this.documents.get(uri);
			const s = this.open.get(uri);
			return { doc, s: doc && s && s.version === doc.version ? s : undefined };
		};
		let { doc, s } = fresh();
		if (!doc || s) return s && !s.excluded ? s : undefined;
		const ctx = await this.contextOf(uri);
		const settingsFile = ctx.folder && isSettingsFileName(ctx.rel) ? await this.settingsFileOf(ctx.folder) : undefined;
		({ doc, s } = fresh());
		if (!doc || s) return s && !s.excluded ? s : undefined;
		const previous = this.open.get(uri)?.analysis;
		const engine = this.engines.get(ctx.settings);
		const analysis = engine.analyze({ path: ctx.rel, text: doc.getText() }, ctx.repo, previous);
		const before = new Set(previous?.parsed.segments.map((x) => x.segment));
		const reparsed = analysis.parsed.segments.filter((x) => !before.has(x.segment)).reduce((n, x) => n + x.segment.documents.length, 0);
		// Live findings come from the cluster states in memory, cached per document: never a request.
		const live = ctx.folder && !ctx.excluded ? this.live.findings(ctx.folder, ctx.rel, analysis, engine, ctx.repo) : [];
		// The repository's settings file: its mistake, from the editor's text.
		const extra = [...live, ...settingsFileFindings(ctx.rel, settingsFile, doc.getText(), ctx.settings)];
		const state: OpenState = { version: doc.version, analysis: extra.length > 0 ? withFindings(analysis, [...analysis.findings, ...extra]) : analysis, reparsed, excluded: ctx.excluded };
		this.open.set(uri, state);
		this.publish(uri, ctx.excluded ? [] : state.analysis.findings, doc.version);
		return ctx.excluded ? undefined : state;
	}

	/** Settings, repository and repo-relative path of a document. */
	private async contextOf(uri: string): Promise<{ settings: FleetscopeSettings; repo: RepoContext; rel: string; excluded: boolean; folder?: Folder }> {
		const file = uriToPath(uri);
		const loc = this.folders.of(file);
		const settings = this.engines.get(await this.settings.get(uri)).currentSettings;
		if (!loc) return { settings, repo: EMPTY_REPO, rel: path.posix.basename(file ?? uri.replace(/[?#].*$/, '')), excluded: false };
		const repo = await loc.folder.repo();
		return { settings, repo, rel: loc.rel, excluded: !isIncluded(loc.rel, settings), folder: loc.folder };
	}

	private async closed(uri: string): Promise<void> {
		this.open.delete(uri);
		this.pending.delete(uri); // its stack entry is skipped when popped
		this.settings.delete(uri);
		const file = uriToPath(uri);
		if (file) this.openPaths.delete(file);
		const loc = this.folders.of(file);
		// Unsaved edits of the settings file are gone with it: the disk's text applies again.
		if (loc && this.settingsFileEdited.delete(uri)) this.settingsFileChanged(loc.folder);
		// Unsaved edits of a fleet-relevant document are gone with it: the fleet reads the disk again.
		if (loc && this.fleetEdited.delete(uri) && (await loc.folder.refreshFleet([loc.rel]))) {
			this.revalidateOpen(loc.folder);
			this.startScan();
			return;
		}
		// A closed workspace file shows what is on disk (the buffer may have had unsaved edits); anything else is cleared.
		if (loc && (await this.workspaceValidated(loc.folder, loc.rel))) await this.validateFromDisk(loc.folder, loc.rel);
		else this.publish(uri, []);
	}

	/** Marks open documents stale and re-validates them (settings or repository changed), or only those of `files`. */
	private revalidateOpen(folder?: Folder, files?: ReadonlySet<string>): void {
		for (const [uri, s] of this.open) {
			const loc = folder || files ? this.folders.of(uriToPath(uri)) : undefined;
			if (folder && loc?.folder !== folder) continue;
			if (files && !(loc && files.has(loc.rel))) continue;
			s.version = -1;
			this.schedule(uri);
		}
	}

	// ---- workspace --------------------------------------------------------------------------

	/** Starts validating every included file of every folder, cancelling a scan that is still running. */
	private startScan(): void {
		const generation = ++this.scanGeneration;
		void this.guardAsync('workspace scan', () => this.runScan(generation));
	}

	private async runScan(generation: number): Promise<void> {
		const started = Date.now();
		this.scan = { running: true, validated: 0, total: 0 };
		const live = () => generation === this.scanGeneration;
		for (const folder of this.folders.all) {
			const settings = this.engines.get(await this.settings.get(folder.uri)).currentSettings;
			if (!live()) return;
			const repo = await folder.repo();
			if (!live()) return;
			if (!settings.validateWorkspace) {
				// Open documents first (an editor opening many files at once): render once they are all published.
				await this.whenIdle();
				await this.refreshRendered(folder, false);
				continue;
			}
			// Files of a nested workspace folder belong to that folder (and its settings).
			const files = repo.validatedFiles(settings).filter((rel) => this.folders.of(path.join(folder.root, rel))?.folder === folder);
			this.scan.total += files.length;
			let sliceStart = 0;
			for (const rel of files) {
				// Let queued messages (edits to open documents above all) run every few milliseconds.
				if (Date.now() - sliceStart >= SCAN_SLICE_MS) {
					await new Promise<void>((resolve) => setImmediate(resolve));
					sliceStart = Date.now();
				}
				if (!live()) return;
				await this.validateFromDisk(folder, rel, { settings, repo, live });
				if (!live()) return;
				this.scan.validated++;
			}
			// Then what each cluster receives (seconds in a big fleet: files first, raw), re-publishing what it changes.
			await this.refreshRendered(folder, true);
			if (!live()) return;
		}
		this.scan.running = false;
		this.connection.console.info(`Validated ${this.scan.validated} workspace files in ${Date.now() - started} ms.`);
		// The fleet model is known and static diagnostics are out: connect (or re-target) the clusters.
		this.live.refresh();
	}

	/** Whether a file of a folder gets diagnostics without being open. */
	private async workspaceValidated(folder: Folder, rel: string): Promise<boolean> {
		const settings = this.engines.get(await this.settings.get(folder.uri)).currentSettings;
		return settings.validateWorkspace && isYamlFile(rel) && isIncluded(rel, settings);
	}

	/**
	 * Validates a workspace file from disk and publishes its diagnostics, unless it is open (the
	 * editor's text wins) or `live` says the scan that asked was cancelled while the file was read.
	 */
	private async validateFromDisk(folder: Folder, rel: string, opts: { settings?: FleetscopeSettings; repo?: RepoIndex; live?: () => boolean } = {}): Promise<void> {
		const file = path.join(folder.root, ...rel.split('/'));
		if (this.openPaths.has(file)) return;
		const settings = opts.settings ?? this.engines.get(await this.settings.get(folder.uri)).currentSettings;
		const repo = opts.repo ?? (await folder.repo());
		const engine: Engine = this.engines.get(settings);
		const maxBytes = settings.maxFileSizeKb * 1024;
		const read = await loadRepoFile(repo, folder.root, rel, maxBytes);
		if (this.openPaths.has(file) || (opts.live && !opts.live())) return;
		const uri = folder.uriOf(rel);
		// Deleted or unreadable: nothing to show.
		const analysis = analyzeLoaded(engine, repo, rel, read, maxBytes);
		const settingsFile = isSettingsFileName(rel) && 'text' in read ? settingsFileFindings(rel, await this.settingsFileOf(folder), read.text, settings) : [];
		if (this.openPaths.has(file)) return;
		this.publish(uri, analysis ? [...analysis.findings, ...this.live.findings(folder, rel, analysis, engine, repo), ...settingsFile] : []);
	}

	private async filesChanged(params: DidChangeWatchedFilesParams): Promise<void> {
		const factsChanged = new Set<Folder>();
		const revalidate: { folder: Folder; rel: string }[] = [];
		const settingsFiles = new Set<Folder>();
		for (const change of params.changes) {
			const loc = this.folders.of(uriToPath(change.uri));
			if (!loc) continue;
			if (isSettingsFileName(loc.rel)) settingsFiles.add(loc.folder);
			const repo = await loc.folder.repo();
			const before = repo.version;
			if (change.type === FileChangeType.Deleted) {
				repo.removeFile(loc.rel);
				if (!this.openPaths.has(filePathOf(loc.folder, loc.rel))) this.publish(change.uri, []);
			} else {
				// Re-reads kustomizations (patch lists) and Namespace labels.
				await repo.updateFile(loc.rel);
				if (await this.workspaceValidated(loc.folder, loc.rel)) revalidate.push(loc);
			}
			// Flux/Argo objects, kustomizations and claims decide which clusters each file reaches.
			await loc.folder.refreshFleet([loc.rel]);
			// What the repository creates, for live checks ("missing in the cluster and not created by the repo").
			void this.guardAsync('live objects', () => this.live.fileChanged(loc.folder, loc.rel, change.type === FileChangeType.Deleted));
			if (repo.version !== before) factsChanged.add(loc.folder);
		}
		// A settings file created, saved or deleted: every file of its folder is judged by other settings.
		for (const folder of settingsFiles) {
			folder.reloadSettingsFile();
			factsChanged.add(folder);
		}
		if (factsChanged.size > 0) {
			// Paths, patch files or namespaces changed: any file may read differently now (partial
			// validation, Fleet paths, Pod Security levels). Re-validate open documents at once and
			// the rest in a new background scan, which covers the changed files too.
			for (const folder of factsChanged) this.revalidateOpen(folder);
			this.startScan();
			return;
		}
		// Render first: the changed files are then validated against what their clusters now receive.
		for (const folder of new Set(revalidate.map((r) => r.folder))) await this.refreshRendered(folder, true);
		for (const { folder, rel } of revalidate) await this.validateFromDisk(folder, rel);
	}

	/** A folder's settings file, said in the output once each time it is read. */
	private async settingsFileOf(folder: Folder): Promise<FolderSettingsFile | undefined> {
		const file = await folder.settingsFile();
		if (file && !this.settingsFilesSaid.has(file)) {
			this.settingsFilesSaid.add(file);
			this.connection.console.info(describeSettingsFile(folder.name, file));
		}
		return file;
	}

	/**
	 * A folder's settings file was created, changed, deleted, or edited in the editor: read it
	 * again and judge everything of the folder by the settings it now gives.
	 */
	private settingsFileChanged(folder: Folder): void {
		folder.reloadSettingsFile();
		this.revalidateOpen(folder);
		this.startScan();
	}

	/** An open settings file was edited: apply it once typing pauses (never per keystroke). */
	private scheduleSettingsFileEdit(uri: string): void {
		const loc = this.folders.of(uriToPath(uri));
		if (!loc || !isSettingsFileName(loc.rel)) return;
		this.settingsFileEdited.add(uri);
		clearTimeout(this.settingsFileEdits.get(loc.folder));
		this.settingsFileEdits.set(
			loc.folder,
			setTimeout(() => {
				this.settingsFileEdits.delete(loc.folder);
				this.guard('settings file', () => this.settingsFileChanged(loc.folder));
			}, FLEET_REFRESH_MS),
		);
	}

	private settingsChanged(pushed: unknown): void {
		this.settings.clear(pushed);
		this.revalidateOpen();
		this.startScan();
	}

	// ---- fleet model ------------------------------------------------------------------------

	/** The editor's text of a folder's file, when it is open. */
	private openTextOf(folder: Folder, rel: string): string | undefined {
		// Asked for every file discovery and rendering read: a set lookup first, a URI only for open files.
		if (this.openPaths.size === 0) return undefined;
		const uri = this.openPaths.get(filePathOf(folder, rel));
		return uri === undefined ? undefined : this.documents.get(uri)?.getText();
	}

	/**
	 * An open document that may change the fleet graph (a Flux or Argo object, a kustomization, a
	 * Fleet file or claim) was edited: rediscover the fleet shortly after typing stops, never per
	 * keystroke, and re-validate where the model changed.
	 */
	private scheduleFleetRefresh(uri: string, text: string): void {
		const loc = this.folders.of(uriToPath(uri));
		// Fleet objects shape the graph; any file a cluster receives shapes its render (and the versions).
		if (!loc || !(isKustomizationFile(loc.rel) || loc.folder.fleetNow()?.files[loc.rel] !== undefined || FLEET_KINDS.test(text))) return;
		this.fleetEdited.add(uri);
		const pending = this.fleetRefresh.get(loc.folder);
		if (pending) clearTimeout(pending.timer);
		const files = pending?.files ?? new Set<string>();
		files.add(loc.rel);
		const timer = setTimeout(() => {
			this.fleetRefresh.delete(loc.folder);
			void this.guardAsync('fleet refresh', async () => {
				const refresh = await loc.folder.refreshFleetScope([...files]);
				if (refresh.affected === 'all') {
					// The graph changed: any file may read differently.
					this.revalidateOpen(loc.folder);
					this.startScan();
					return;
				}
				// A version or a problem moved (a retag): those files, and what the renders change.
				if (refresh.changed) this.revalidateOpen(loc.folder);
				await this.refreshRendered(loc.folder, true);
				for (const rel of refresh.affected) if (await this.workspaceValidated(loc.folder, rel)) await this.validateFromDisk(loc.folder, rel);
			});
		}, FLEET_REFRESH_MS);
		this.fleetRefresh.set(loc.folder, { timer, files });
	}

	/**
	 * Renders the folder's clusters again where files changed, runs the compliance rules on them,
	 * and re-publishes the files whose rendered findings changed (open ones always; closed ones when
	 * asked: a workspace scan publishes them itself).
	 */
	private async refreshRendered(folder: Folder, republishClosed: boolean): Promise<void> {
		const settings = this.engines.get(await this.settings.get(folder.uri)).currentSettings;
		const started = Date.now();
		const outcome = await folder.evaluateRendered({ settings, today: this.engines.get(settings).today() }, () => this.backgroundPause());
		if (outcome.ran) {
			const heap = Math.round(process.memoryUsage().heapUsed / 1048576);
			this.connection.console.info(`Rendered ${outcome.clusters} clusters (${outcome.objects} objects) of ${folder.name} in ${Date.now() - started} ms; ${outcome.changed.length} files with changed findings; heap ${heap} MiB.`);
		}
		const changed = outcome.changed;
		if (changed.length === 0) return;
		const set = new Set(changed);
		for (const [uri, s] of this.open) {
			const loc = this.folders.of(uriToPath(uri));
			if (loc?.folder !== folder || !set.has(loc.rel)) continue;
			s.version = -1;
			this.schedule(uri);
		}
		if (!republishClosed) return;
		for (const rel of changed) if (await this.workspaceValidated(folder, rel)) await this.validateFromDisk(folder, rel);
	}

	/**
	 * A pause in background work: queued messages run first, and while the user is typing the work
	 * waits until they stop (one cluster's render or evaluation takes tens of milliseconds, too long
	 * to sit between two keystrokes and their diagnostics).
	 */
	private async backgroundPause(): Promise<void> {
		await new Promise<void>((resolve) => setImmediate(resolve));
		for (let quiet = Date.now() - this.lastEditAt; quiet < TYPING_QUIET_MS; quiet = Date.now() - this.lastEditAt) {
			await new Promise<void>((resolve) => setTimeout(resolve, TYPING_QUIET_MS - quiet));
		}
	}

	/** Resolves once no open document waits for validation. */
	private whenIdle(): Promise<void> {
		if (!this.draining && this.pendingStack.length === 0) return Promise.resolve();
		return new Promise<void>((resolve) => this.idleWaiters.push(resolve));
	}

	// ---- plumbing ---------------------------------------------------------------------------

	private status(uri: string | undefined): StatusResult {
		const s = uri ? this.open.get(uri) : undefined;
		return {
			folders: this.folders.all.map((f) => f.uri),
			scan: { ...this.scan },
			openDocuments: this.documents.keys().length,
			document: s && {
				version: s.version,
				documents: s.analysis.parsed.documents.length,
				reparsedDocuments: s.reparsed,
				findings: s.excluded ? 0 : s.analysis.findings.length,
				skipped: s.analysis.skipped,
			},
		};
	}

	private publish(uri: string, findings: Finding[], version?: number): void {
		void this.connection.sendDiagnostics({ uri, version, diagnostics: findings.map(toDiagnostic) });
	}

	/** Runs a handler, logging a failure instead of letting it take the server down. */
	private guard<T>(what: string, fn: () => T): T | undefined {
		try {
			return fn();
		} catch (e) {
			this.logError(what, e);
			return undefined;
		}
	}

	private async guardAsync<T>(what: string, fn: () => Promise<T> | T): Promise<T | null> {
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

/** A folder file's path as `uriToPath` gives it, without `path.join` (asked for every file read). */
function filePathOf(folder: Folder, rel: string): string {
	if (path.sep !== '/') return path.join(folder.root, ...rel.split('/'));
	return folder.root.endsWith('/') ? folder.root + rel : `${folder.root}/${rel}`;
}

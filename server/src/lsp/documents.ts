import * as path from 'node:path';
import type { Connection, TextDocuments } from 'vscode-languageserver';
import type { SegmentedDocument } from './text-document';
import type { FleetscopeSettings } from '../../../shared/settings';
import type { FileAnalysis } from '../engine/analysis/engine';
import type { ParsedSegment } from '../engine/core/parse';
import { EMPTY_REPO, type RepoContext } from '../engine/context/check-context';
import { isIncluded } from '../engine/core/paths';
import type { Finding } from '../engine/core/types';
import type { Folder } from '../workspace/folder';
import type { Workspace } from '../workspace/workspace';
import { toDiagnostic } from './convert';
import type { SettingsCache } from './settings';
import { uriToPath } from './uri';

/** The last analysis of an open document, and what it was computed from. */
export interface OpenState {
	version: number;
	analysis: FileAnalysis;
	/** Documents of the file parsed anew for this version (the rest came from the previous version). */
	reparsed: number;
	/** The include/exclude settings leave this file out: no diagnostics, hover or completion. */
	excluded: boolean;
	/** The repository snapshot and settings it was analysed with: an analysis is redone only when one of them changed. */
	repo: RepoContext;
	settings: FleetscopeSettings;
	/** Analyses of the document since it was opened. */
	analyses: number;
}

/** Open documents analysed together before yielding to the event loop. */
const BATCH = 8;
/** Open documents whose settings are asked for in one request. */
const SETTINGS_PREFETCH = 256;
/** Background work waits until the user has stopped typing this long (ms). */
const TYPING_QUIET_MS = 300;

/**
 * The open documents' queue: one analysis per edit, the document being typed in first. Changes
 * that arrive together are coalesced, the most recent first (the document being typed in beats a
 * thousand documents being opened), in small batches with a turn of the event loop between them so
 * that no burst blocks incoming messages. A document asked to be analysed again is analysed only if
 * its text, its repository snapshot or its settings changed since, so each change is analysed and
 * published once.
 */
export class OpenDocuments {
	private readonly states = new Map<string, OpenState>();
	/** The file path of every open document, with its URI (open documents win over the disk). */
	private readonly paths = new Map<string, string>();
	private readonly pending = new Set<string>();
	private readonly stack: string[] = [];
	private draining = false;
	private idleWaiters: (() => void)[] = [];
	/** Folders whose fleet discovery the open documents wait for (`reanalyzeWhenDiscovered`). */
	private readonly awaitingFleet = new Set<Folder>();
	/** When the user last edited an open document (background work waits for a pause in typing). */
	private lastEditAt = 0;

	constructor(
		private readonly connection: Connection,
		private readonly documents: TextDocuments<SegmentedDocument>,
		private readonly workspace: Workspace,
		private readonly settings: SettingsCache,
		private readonly logError: (what: string, e: unknown) => void,
	) {}

	opened(uri: string): void {
		const file = uriToPath(uri);
		if (file) this.paths.set(file, uri);
	}

	edited(): void {
		this.lastEditAt = Date.now();
	}

	/** The editor's text of a folder's file when it is open (asked for every file the fleet reads: a map lookup first). */
	openText(folder: Folder, rel: string): string | undefined {
		if (this.paths.size === 0) return undefined;
		const uri = this.paths.get(folder.fileOf(rel));
		return uri === undefined ? undefined : this.documents.get(uri)?.getText();
	}

	/** Queues an open document for analysis. */
	schedule(uri: string): void {
		this.pending.add(uri);
		this.stack.push(uri);
		if (this.draining) return;
		this.draining = true;
		setImmediate(() => void this.drain());
	}

	/** Open documents of a folder whose findings may have changed ('all', or these files): analysed again where their inputs changed. */
	reanalyze(folder: Folder | undefined, rels: ReadonlySet<string> | 'all'): void {
		for (const uri of this.states.keys()) {
			const loc = this.workspace.locate(uriToPath(uri));
			if (folder && loc?.folder !== folder) continue;
			if (rels !== 'all' && !(loc && rels.has(loc.rel))) continue;
			this.schedule(uri);
		}
	}

	/** Every open document's settings may differ now: ask the client again, then analyse them. */
	settingsChanged(): void {
		for (const uri of this.states.keys()) this.settings.delete(uri);
		this.reanalyze(undefined, 'all');
	}

	private async drain(): Promise<void> {
		try {
			while (this.stack.length > 0) {
				// One settings request for the documents about to be analysed next, not one each.
				await this.settings.prefetch(this.stack.slice(-SETTINGS_PREFETCH).filter((u) => this.pending.has(u)));
				const batch: string[] = [];
				while (batch.length < BATCH && this.stack.length > 0) {
					const uri = this.stack.pop()!;
					if (this.pending.delete(uri)) batch.push(uri);
				}
				await Promise.all(batch.map((uri) => this.analyzeIfStale(uri).catch((e) => this.logError('validate', e))));
				await new Promise<void>((resolve) => setImmediate(resolve));
			}
		} finally {
			this.draining = false;
			if (this.stack.length === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
		}
	}

	/**
	 * The analysis of an open document's current version, analysed (and published) now if its text,
	 * repository snapshot or settings changed since the last one. Undefined for excluded files.
	 */
	async analyzeIfStale(uri: string): Promise<OpenState | undefined> {
		const ctx = await this.contextOf(uri);
		const doc = this.documents.get(uri);
		if (!doc) return undefined;
		const s = this.states.get(uri);
		if (s && s.version === doc.version && s.repo === ctx.repo && s.settings === ctx.settings) return s.excluded ? undefined : s;
		const previous = s?.analysis;
		const analysis = this.workspace.engines.get(ctx.settings).analyze({ path: ctx.rel, text: doc.text }, ctx.repo, previous);
		const reparsed = reparsedDocuments(previous?.parsed.segmentList ?? [], analysis.parsed.segmentList);
		const state: OpenState = { version: doc.version, analysis, reparsed, excluded: ctx.excluded, repo: ctx.repo, settings: ctx.settings, analyses: (s?.analyses ?? 0) + 1 };
		this.states.set(uri, state);
		if (ctx.folder && !ctx.excluded) ctx.folder.findings.record(ctx.rel, analysis, true);
		this.publish(uri, ctx.excluded ? [] : analysis.findings, doc.version);
		return ctx.excluded ? undefined : state;
	}

	/** The last analysis of an open document, whatever its age (status). */
	last(uri: string): OpenState | undefined {
		return this.states.get(uri);
	}

	/** Settings, repository snapshot and repo-relative path of a document. */
	async contextOf(uri: string): Promise<{ settings: FleetscopeSettings; repo: RepoContext; rel: string; excluded: boolean; folder?: Folder }> {
		const file = uriToPath(uri);
		const loc = this.workspace.locate(file);
		const user = await this.settings.user(uri);
		if (!loc) return { settings: this.workspace.engines.get(user).currentSettings, repo: EMPTY_REPO, rel: path.posix.basename(file ?? uri.replace(/[?#].*$/, '')), excluded: false };
		// The files' facts suffice for a first analysis; once the fleet is discovered, again with it.
		await loc.folder.factsReady();
		this.reanalyzeWhenDiscovered(loc.folder);
		const settings = this.workspace.engines.get(await loc.folder.settingsOver(user)).currentSettings;
		return { settings, repo: loc.folder.snapshot, rel: loc.rel, excluded: !isIncluded(loc.rel, settings), folder: loc.folder };
	}

	/** Open documents analysed before their folder's fleet was discovered are analysed again once it is (one wait per folder). */
	private reanalyzeWhenDiscovered(folder: Folder): void {
		if (folder.fleetNow() !== undefined || this.awaitingFleet.has(folder)) return;
		this.awaitingFleet.add(folder);
		void folder.ready().then(
			() => this.reanalyze(folder, 'all'),
			(e) => this.logError('fleet discovery', e),
		).finally(() => this.awaitingFleet.delete(folder));
	}

	/** A document was closed: forget it; the workspace decides what its file shows now. */
	async closed(uri: string): Promise<void> {
		this.states.delete(uri);
		this.pending.delete(uri); // its stack entry is skipped when popped
		this.settings.delete(uri);
		const file = uriToPath(uri);
		if (file) this.paths.delete(file);
		const loc = this.workspace.locate(file);
		if (loc) await this.workspace.documentClosed(loc.folder, loc.rel);
		else this.publish(uri, []);
	}

	/** Resolves once no open document waits for its analysis. */
	idle(): Promise<void> {
		if (!this.draining && this.stack.length === 0) return Promise.resolve();
		return new Promise<void>((resolve) => this.idleWaiters.push(resolve));
	}

	/**
	 * A pause in background work: queued messages run first, and while the user is typing the work
	 * waits until they stop (one cluster's render or evaluation takes tens of milliseconds, too long
	 * to sit between two keystrokes and their diagnostics).
	 */
	async typingPause(): Promise<void> {
		await new Promise<void>((resolve) => setImmediate(resolve));
		for (let quiet = Date.now() - this.lastEditAt; quiet < TYPING_QUIET_MS; quiet = Date.now() - this.lastEditAt) {
			await new Promise<void>((resolve) => setTimeout(resolve, TYPING_QUIET_MS - quiet));
		}
	}

	publish(uri: string, findings: readonly Finding[], version?: number): void {
		void this.connection.sendDiagnostics({ uri, version, diagnostics: findings.map(toDiagnostic) });
	}
}

/**
 * The documents of segments parsed anew for a version: those neither in the unchanged run at the
 * start nor in the one at the end (an edit changes one stretch of a file). Counted without a set
 * of every segment per keystroke.
 */
function reparsedDocuments(before: readonly ParsedSegment[], after: readonly ParsedSegment[]): number {
	let head = 0;
	while (head < before.length && head < after.length && before[head] === after[head]) head++;
	let tail = 0;
	while (tail < before.length - head && tail < after.length - head && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail++;
	let n = 0;
	for (let i = head; i < after.length - tail; i++) n += after[i].documents.length;
	return n;
}

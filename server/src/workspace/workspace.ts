import type { FleetscopeSettings } from '../../../shared/settings';
import type { ResourceCheck } from '../engine/context/check-context';
import type { FactsCache } from '../engine/context/repo-snapshot';
import { isIncluded, isKustomizationFile, isYamlFile } from '../engine/core/paths';
import { isSettingsFileName } from '../engine/rules/settings-file';
import type { Finding } from '../engine/core/types';
import { someLineMatches, type SegmentedText } from '../engine/core/segmented-text';
import type { LiveSchemas, SchemaRegistry } from '../engine/schema/types';
import { EnginePool } from './engines';
import { Folder } from './folder';
import { DriftMonitor } from './drift';
import { LiveConnections, type LiveServiceOptions } from './live';

/** What the workspace asks of its host (the language server); the CLI drives folders directly. */
export interface WorkspaceHost {
	/** The user's own settings for a folder (the editor's, pulled from the client). */
	userSettings(folder: Folder): Promise<FleetscopeSettings>;
	/** The editor's text of an open file, or undefined. */
	openText(folder: Folder, rel: string): string | undefined;
	/** Findings of a file that is not open, validated in the background. */
	publish(folder: Folder, rel: string, findings: readonly Finding[]): void;
	/** Open documents whose findings may have changed: analyse them again ('all': every open document of the folder). */
	reanalyze(folder: Folder, rels: ReadonlySet<string> | 'all'): void;
	/** Resolves when no open document waits for its analysis. */
	idle(): Promise<void>;
	/** A pause in background work: queued messages run first, and while the user types the work waits. */
	typingPause(): Promise<void>;
	log(line: string): void;
	/** The fleet model of a folder changed (views refresh). */
	fleetChanged(folder: Folder): void;
	/** A cluster's status or state changed (views refresh). */
	clustersChanged(): void;
	/** A folder's drift report changed (views refresh). */
	driftChanged(folder: Folder): void;
	/** A round of background validation of a folder ended with changed findings (views refresh; never per keystroke). */
	findingsChanged?(folder: Folder): void;
}

export interface WorkspaceDeps {
	registry: SchemaRegistry;
	checks: ResourceCheck[];
	/** Compiles CRD schemas found in live clusters (`live-crd-schema`); without it that check is off. */
	liveSchemas?: LiveSchemas;
	live: LiveServiceOptions;
	/** The facts of a folder's files kept between runs, if the host keeps them. */
	factsCache?(root: string): FactsCache | undefined;
}

/** Quiet time after the last edit of a fleet-relevant document (or of a settings file) before it applies (ms). */
const EDIT_QUIET_MS = 300;
/** Validation rounds that end within this time of each other are announced once (ms). */
const FINDINGS_QUIET_MS = 150;
/** Documents whose kinds make up the fleet graph. */
const FLEET_KINDS = /^kind:\s*["']?(Fleet|ClusterClaim|Kustomization|HelmRelease|GitRepository|OCIRepository|ArtifactGenerator|Application|ApplicationSet)["']?\s*$/m;

/**
 * The workspace layer: the folders of a workspace, what is re-validated after what, and the
 * background work (the workspace scan, rediscovery and rendering, files whose live view changed),
 * cancellable and yielding to typing. The language server drives it and keeps only the open
 * documents' queue and the protocol; the CLI uses its folders directly.
 */
export class Workspace {
	readonly engines: EnginePool;
	readonly live: LiveConnections;
	readonly drift: DriftMonitor;
	private list: Folder[] = [];
	private scanGeneration = 0;
	private disposed = false;
	/** `folderUri|cluster` of the clusters the user disconnected for this session (Fleetscope: Disconnect Cluster). */
	readonly disconnected = new Set<string>();
	/** Progress of the workspace scan (the status request shows it). */
	scanProgress = { running: false, validated: 0, total: 0 };
	/** Closed files to validate again, per folder (a live change, a render, a file event). */
	private readonly queue = new Map<Folder, Set<string>>();
	private draining = false;
	/** The folder whose queued files are being validated now. */
	private drainingFolder?: Folder;
	/** Folders whose fleet is rediscovered soon, after edits to fleet-relevant open documents. */
	private readonly rediscoveries = new Map<Folder, { timer: NodeJS.Timeout; files: Set<string> }>();
	private readonly settingsFileEdits = new Map<Folder, NodeJS.Timeout>();
	/** Open documents edited while they held fleet objects, or the settings file: closing them applies the disk's text again. */
	private readonly editedOpen = new Map<Folder, Map<string, 'fleet' | 'settings-file'>>();
	/** Per folder: the findings version last announced, and a pending announcement. */
	private readonly announced = new Map<Folder, { version: number; timer?: NodeJS.Timeout }>();

	constructor(
		private readonly host: WorkspaceHost,
		private readonly deps: WorkspaceDeps,
	) {
		this.engines = new EnginePool(deps.registry, deps.checks);
		this.live = new LiveConnections(
			{
				folders: () => this.list,
				settings: (folder) => this.settings(folder),
				changed: (folder, files) => this.changed(folder, files),
				log: (line) => host.log(line),
				clustersChanged: () => host.clustersChanged(),
				reconciled: () => {
					for (const folder of this.list) void this.guard('drift', () => this.drift.refresh(folder));
				},
			},
			{ ...deps.live, schemas: deps.liveSchemas, paused: (folderUri, cluster) => this.disconnected.has(`${folderUri}|${cluster}`) },
		);
		this.drift = new DriftMonitor({
			settings: (folder) => this.settings(folder),
			connected: (folder) => this.live.connected(folder),
			changed: (folder, files) => this.changed(folder, files),
			driftChanged: (folder) => host.driftChanged(folder),
			log: (line) => host.log(line),
		});
	}

	get folders(): readonly Folder[] {
		return this.list;
	}

	addFolder(uri: string, root: string, name: string): Folder | undefined {
		if (this.list.some((f) => f.root === root)) return undefined;
		const folder: Folder = new Folder(uri, root, name, { openText: (rel: string): string | undefined => this.host.openText(folder, rel), engines: this.engines, log: (line) => this.host.log(line), keepFindings: true, factsCache: this.deps.factsCache });
		this.list.push(folder);
		// Innermost first: a file of a nested folder belongs to that folder (and its settings).
		this.list.sort((a, b) => b.root.length - a.root.length);
		return folder;
	}

	removeFolder(uri: string): void {
		this.list = this.list.filter((f) => f.uri !== uri);
	}

	/** The folder holding a file path, and the file's repo-relative path. */
	locate(file: string | undefined): { folder: Folder; rel: string } | undefined {
		if (!file) return undefined;
		for (const folder of this.list) {
			const rel = folder.rel(file);
			if (rel !== undefined) return { folder, rel };
		}
		return undefined;
	}

	/** The settings a folder's files are judged by: the user's, with the folder's settings file over them. */
	async settings(folder: Folder): Promise<FleetscopeSettings> {
		return this.engines.get(await folder.settingsOver(await this.host.userSettings(folder))).currentSettings;
	}

	/** Whether a file of a folder gets diagnostics without being open. */
	async validatesInBackground(folder: Folder, rel: string): Promise<boolean> {
		const settings = await this.settings(folder);
		return settings.validateWorkspace && isYamlFile(rel) && isIncluded(rel, settings) && this.owns(folder, rel);
	}

	/** Files of a nested workspace folder belong to that folder. */
	private owns(folder: Folder, rel: string): boolean {
		return this.locate(folder.fileOf(rel))?.folder === folder;
	}

	// ---- the workspace scan ----------------------------------------------------------------

	/** Validates every included file of every folder in the background, cancelling a scan still running. */
	scan(): void {
		const generation = ++this.scanGeneration;
		void this.guard('workspace scan', () => this.runScan(generation));
	}

	private async runScan(generation: number): Promise<void> {
		const started = Date.now();
		this.scanProgress = { running: true, validated: 0, total: 0 };
		const live = () => generation === this.scanGeneration && !this.disposed;
		for (const folder of this.list) {
			const settings = await this.settings(folder);
			await folder.ready();
			if (!live()) return;
			if (!settings.validateWorkspace) {
				// Open documents first (an editor opening many files at once): render once they are all published.
				await this.host.idle();
				this.changed(folder, await this.render(folder), false);
				continue;
			}
			const mine = folder.snapshot.validatedFiles(settings).filter((rel) => this.owns(folder, rel));
			// Open files are the open documents' business (the editor's text wins): counted, not validated again.
			const files = mine.filter((rel) => this.host.openText(folder, rel) === undefined);
			this.scanProgress.total += mine.length;
			this.scanProgress.validated += mine.length - files.length;
			const done = await folder.validateAll(files, settings, (f) => {
				this.scanProgress.validated++;
				if (f.internalError) this.host.log(`validating ${f.rel} failed: ${f.internalError}`);
				// The editor's text wins: a file opened meanwhile is the open documents' business.
				if (this.host.openText(folder, f.rel) === undefined) this.host.publish(folder, f.rel, f.analysis?.findings ?? []);
			}, live);
			if (!done) return;
			// Then what each cluster receives (seconds in a big fleet: files first, raw), re-publishing what it changes.
			this.changed(folder, await this.render(folder));
			if (!live()) return;
		}
		this.scanProgress.running = false;
		for (const folder of this.list) this.findingsSettled(folder);
		this.host.log(`Validated ${this.scanProgress.validated} workspace files in ${Date.now() - started} ms.`);
		// The fleet model is known and static diagnostics are out: connect (or re-target) the clusters.
		this.live.refresh();
	}

	/** Renders a folder's clusters again where files changed and judges them; returns the files whose rendered findings changed. */
	private async render(folder: Folder): Promise<Set<string>> {
		const settings = await this.settings(folder);
		const started = Date.now();
		const outcome = await folder.render({ settings, today: this.engines.get(settings).today() }, () => this.host.typingPause(), () => this.host.typingPause());
		if (outcome.ran) {
			const heap = Math.round(process.memoryUsage().heapUsed / 1048576);
			this.host.log(`Rendered ${outcome.clusters} clusters (${outcome.objects} objects) of ${folder.name} in ${Date.now() - started} ms; ${outcome.changed.length} files with changed findings; heap ${heap} MiB.`);
			// What each cluster receives changed: so does what it should run.
			void this.guard('drift', () => this.drift.refresh(folder));
		}
		return new Set(outcome.changed);
	}

	// ---- what is validated again after what ---------------------------------------------------

	/**
	 * These files of a folder may read differently now: open ones are analysed again at once, closed
	 * ones queued for the background (with `closed`), a round at a time.
	 */
	changed(folder: Folder, files: ReadonlySet<string>, closed = true): void {
		if (files.size === 0 || this.disposed) return;
		this.host.reanalyze(folder, files);
		if (!closed) return;
		const pending = this.queue.get(folder) ?? new Set<string>();
		for (const f of files) if (this.host.openText(folder, f) === undefined) pending.add(f);
		if (pending.size > 0) this.queue.set(folder, pending);
		if (!this.draining) void this.drain();
	}

	/**
	 * Validates queued closed files and publishes them. A change during a round queues the next
	 * round, after a pause as long as the round took (at most 1 s), so that a cluster whose objects
	 * change all the time cannot keep the CPU busy.
	 */
	private async drain(): Promise<void> {
		this.draining = true;
		try {
			while (this.queue.size > 0 && !this.disposed) {
				const [folder, files] = this.queue.entries().next().value as [Folder, Set<string>];
				this.queue.delete(folder);
				this.drainingFolder = folder;
				const started = Date.now();
				const settings = await this.settings(folder);
				const rels = [...files].filter((rel) => settings.validateWorkspace && isYamlFile(rel) && isIncluded(rel, settings) && this.owns(folder, rel));
				await folder.validateAll(rels, settings, (f) => {
					if (f.internalError) this.host.log(`validating ${f.rel} failed: ${f.internalError}`);
					if (this.host.openText(folder, f.rel) === undefined) this.host.publish(folder, f.rel, f.analysis?.findings ?? []);
				}, () => !this.disposed && this.list.includes(folder));
				this.drainingFolder = undefined;
				this.findingsSettled(folder);
				if (this.queue.size > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, Date.now() - started)));
			}
		} finally {
			this.draining = false;
			this.drainingFolder = undefined;
		}
	}

	/** Files changed on disk (watched files): new snapshots, a rediscovery, and what they change validated again. */
	async filesChanged(changes: readonly { file: string; deleted: boolean }[]): Promise<void> {
		const byFolder = new Map<Folder, { rel: string; deleted: boolean }[]>();
		for (const c of changes) {
			const loc = this.locate(c.file);
			if (!loc) continue;
			const list = byFolder.get(loc.folder) ?? [];
			list.push({ rel: loc.rel, deleted: c.deleted });
			byFolder.set(loc.folder, list);
		}
		let rescan = false;
		for (const [folder, list] of byFolder) {
			// A deleted file that is not open shows nothing any more.
			for (const c of list) if (c.deleted && this.host.openText(folder, c.rel) === undefined) this.host.publish(folder, c.rel, []);
			const settingsFile = list.some((c) => isSettingsFileName(c.rel));
			if (settingsFile) await folder.reloadSettingsFile();
			const { factsChanged, rediscovery } = await folder.filesChanged(list);
			// What the repository creates, for live checks ("missing in the cluster and not created by the repo").
			for (const c of list) void this.guard('live objects', () => this.live.fileChanged(folder, c.rel, c.deleted));
			if (rediscovery.affected.length > 0) this.host.fleetChanged(folder);
			if (factsChanged || settingsFile || rediscovery.affected === 'all') {
				// Paths, patch files, namespaces or the graph changed: any file may read differently now
				// (partial validation, Fleet paths, Pod Security levels). Open documents at once, the rest in a new scan.
				this.host.reanalyze(folder, 'all');
				rescan = true;
				continue;
			}
			// Render first: the changed files are then validated against what their clusters now receive.
			const rendered = await this.render(folder);
			this.changed(folder, new Set([...list.filter((c) => !c.deleted).map((c) => c.rel), ...rediscovery.affected, ...rendered]));
		}
		if (rescan) this.scan();
	}

	/**
	 * An open document was edited. A Flux or Argo object, a kustomization, a Fleet file, a claim or
	 * any file a cluster receives changes the fleet: rediscover shortly after typing stops, never per
	 * keystroke. A settings file applies once typing pauses too.
	 */
	documentEdited(folder: Folder, rel: string, text: string | SegmentedText): void {
		if (isSettingsFileName(rel)) {
			this.markEdited(folder, rel, 'settings-file');
			clearTimeout(this.settingsFileEdits.get(folder));
			this.settingsFileEdits.set(folder, setTimeout(() => {
				this.settingsFileEdits.delete(folder);
				void this.guard('settings file', () => this.settingsFileChanged(folder));
			}, EDIT_QUIET_MS));
			return;
		}
		if (!(isKustomizationFile(rel) || folder.fleetNow()?.files[rel] !== undefined || someLineMatches(text, FLEET_KINDS))) return;
		this.markEdited(folder, rel, 'fleet');
		const pending = this.rediscoveries.get(folder);
		if (pending) clearTimeout(pending.timer);
		const files = pending?.files ?? new Set<string>();
		files.add(rel);
		const timer = setTimeout(() => {
			this.rediscoveries.delete(folder);
			void this.guard('fleet refresh', () => this.rediscover(folder, [...files]));
		}, EDIT_QUIET_MS);
		this.rediscoveries.set(folder, { timer, files });
	}

	/**
	 * An open document was closed: its unsaved edits are gone, so what it changed (the fleet, the
	 * settings) reads the disk again; a file validated in the background shows the disk's findings.
	 */
	async documentClosed(folder: Folder, rel: string): Promise<void> {
		const edited = this.editedOpen.get(folder)?.get(rel);
		this.editedOpen.get(folder)?.delete(rel);
		if (edited === 'settings-file') return this.settingsFileChanged(folder);
		if (edited === 'fleet' && (await this.rediscover(folder, [rel])) === 'all') return;
		if (await this.validatesInBackground(folder, rel)) {
			const f = await folder.validate(rel, await this.settings(folder));
			if (this.host.openText(folder, rel) === undefined) this.host.publish(folder, rel, f.analysis?.findings ?? []);
		} else {
			folder.findings.forget(rel);
			this.host.publish(folder, rel, []);
		}
		this.findingsSettled(folder);
	}

	/** The user's settings changed: everything is judged again. */
	settingsChanged(): void {
		for (const folder of this.list) this.host.reanalyze(folder, 'all');
		this.scan();
	}

	/** A folder's settings file was created, changed, deleted, or edited in the editor: judge the folder by what it now says. */
	private async settingsFileChanged(folder: Folder): Promise<void> {
		await folder.reloadSettingsFile();
		this.host.reanalyze(folder, 'all');
		this.scan();
	}

	private markEdited(folder: Folder, rel: string, what: 'fleet' | 'settings-file'): void {
		let m = this.editedOpen.get(folder);
		if (!m) this.editedOpen.set(folder, (m = new Map()));
		m.set(rel, what);
	}

	/**
	 * Rediscovers a folder's fleet after edits: where the graph changed every file may read
	 * differently; else render, and analyse again only the files whose versions, problems or rendered
	 * findings changed (a retag), once.
	 */
	private async rediscover(folder: Folder, files: readonly string[]): Promise<'all' | 'some'> {
		const found = folder.rediscover(files);
		const said = `Rediscovered the fleet of ${folder.name} after changes to ${files.join(', ')}${found.versionsOnly ? ' (versions only)' : ''}`;
		if (found.affected.length > 0) this.host.fleetChanged(folder);
		if (found.affected === 'all') {
			this.host.log(`${said}: the graph changed, every file is judged again.`);
			this.host.reanalyze(folder, 'all');
			this.scan();
			return 'all';
		}
		const rendered = await this.render(folder);
		const changed = new Set([...found.affected, ...rendered]);
		this.host.log(`${said}: ${changed.size === 0 ? 'nothing it decides changed' : `${changed.size} file${changed.size > 1 ? 's' : ''} judged again`}.`);
		this.changed(folder, changed);
		return 'some';
	}

	/**
	 * A round of background validation of a folder ended: tell the host once its findings changed,
	 * unless more work for the folder is queued or the scan still runs (they end in a round too).
	 */
	private findingsSettled(folder: Folder): void {
		if (this.disposed || this.queue.has(folder) || this.drainingFolder === folder || this.scanProgress.running) return;
		const a = this.announced.get(folder) ?? { version: -1 };
		this.announced.set(folder, a);
		clearTimeout(a.timer);
		a.timer = setTimeout(() => {
			a.timer = undefined;
			if (this.disposed || a.version === folder.findings.version || !this.list.includes(folder)) return;
			a.version = folder.findings.version;
			this.host.findingsChanged?.(folder);
		}, FINDINGS_QUIET_MS);
	}

	/** Runs background work, logging a failure instead of letting it take the server down. */
	private async guard<T>(what: string, fn: () => Promise<T> | T): Promise<T | undefined> {
		try {
			return await fn();
		} catch (e) {
			this.host.log(`${what} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
			return undefined;
		}
	}

	/** Stops background work and every cluster connection (their states are written to the cache). */
	async dispose(): Promise<void> {
		this.disposed = true;
		this.scanGeneration++;
		for (const { timer } of this.rediscoveries.values()) clearTimeout(timer);
		for (const timer of this.settingsFileEdits.values()) clearTimeout(timer);
		this.drift.dispose();
		for (const a of this.announced.values()) clearTimeout(a.timer);
		await this.live.dispose();
	}
}

import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FleetscopeSettings } from '../../../shared/settings';
import type { Engine, FileAnalysis } from '../engine/analysis/engine';
import type { DriftView, LiveView } from '../engine/context/check-context';
import { RepoSnapshot, type FactsCache, type FileChange } from '../engine/context/repo-snapshot';
import { isYamlFile } from '../engine/core/paths';
import { parseSettingsFile, SETTINGS_FILES, withSettingsFile, type SettingsFileResult } from '../engine/rules/settings-file';
import { sizeNote } from '../engine/core/skip';
import type { FleetModel } from '../engine/fleet/types';
import { nodeFileSystem, readFileForValidation } from '../host/node-fs';
import type { EnginePool } from './engines';
import { FolderFindings } from './findings';
import { FleetState, type Rediscovery, type RenderOutcome, type RenderSettings } from './fleet-state';

/** A folder's settings file: where it is, and what it sets or its first mistake. */
export interface FolderSettingsFile extends SettingsFileResult {
	/** Repo-relative path (one of SETTINGS_FILES). */
	rel: string;
}

/** What a folder is given by its host: the editor's open documents, the engines, a log. */
export interface FolderEnv {
	/** The editor's text of an open file (wins over the disk), or undefined. */
	openText(rel: string): string | undefined;
	engines: EnginePool;
	log(line: string): void;
	/** Keep every validated file's findings (the editor's explorer counts them); a one-shot CLI run does not. */
	keepFindings?: boolean;
	/** The facts of the folder's files kept from earlier runs (host/facts-cache.ts), if the host keeps them. */
	factsCache?(root: string): FactsCache | undefined;
}

/** The outcome of validating one file of `Folder.validateAll`. */
export interface ValidatedFile {
	rel: string;
	/** Undefined: the file could not be read (deleted meanwhile; `readError` says why); nothing to show. */
	analysis: FileAnalysis | undefined;
	readError?: string;
	/** The engine failed on this file (a bug): its analysis says so, the others go on. */
	internalError?: string;
}

/** Absolute paths kept by `fileOf` before the table starts again. */
const MAX_KEPT_PATHS = 100_000;

/** The validate-everything loop yields to other work at least this often (ms). */
const SLICE_MS = 8;

/**
 * One repository on disk: its current snapshot (files, facts, fleet model, renders, live view), its
 * fleet state, its settings file, and the one loop that validates its files. Every change makes a
 * new snapshot; readers take `snapshot` once and use it to the end of their work.
 */
export class Folder {
	private current = RepoSnapshot.empty();
	private reading?: Promise<void>;
	private loading?: Promise<void>;
	private fleetState?: FleetState;
	/** Texts read while building the snapshot, handed once to the first validation of each file. */
	private readonly prefetched = new Map<string, string>();
	private settingsFileRead?: Promise<FolderSettingsFile | undefined>;
	/** Absolute paths of repo-relative ones (`fileOf`). */
	private readonly absolute = new Map<string, string>();
	/** The findings of its files as last validated (kept when the env says so). */
	readonly findings = new FolderFindings();

	constructor(
		/** The folder's `file:` URI (what the editor and the protocol name it by). */
		readonly uri: string,
		readonly root: string,
		readonly name: string,
		private readonly env: FolderEnv,
	) {}

	/**
	 * Lists and reads the repository on first use: the snapshot of its files and their facts (patch
	 * files, Namespace labels, the objects cross-resource rules read), before the fleet is discovered.
	 * A document opened as the editor starts is analysed against it at once (`ready` would make it
	 * wait for fleet discovery, half a second in a fleet of 2,000 files); what the fleet adds comes
	 * when `ready` resolves.
	 */
	factsReady(): Promise<void> {
		this.reading ??= (async () => {
			const built = await RepoSnapshot.build(nodeFileSystem(this.root), (rel, text) => this.prefetched.set(rel, text), this.env.factsCache?.(this.root));
			const settingsFile = (await this.settingsFile())?.rel;
			this.current = built.withSettingsFile(settingsFile);
		})();
		return this.reading;
	}

	/** Builds the snapshot and discovers the fleet on first use. */
	ready(): Promise<void> {
		this.loading ??= (async () => {
			await this.factsReady();
			// The analyses waiting for the facts run first, and what they publish is written out (the
			// LSP connection writes on the next turn of the event loop): discovery then blocks a while.
			for (let turn = 0; turn < 2; turn++) await new Promise<void>((resolve) => setImmediate(resolve));
			this.fleetState = new FleetState(this.root, this.current.files(), (rel) => this.env.openText(rel), (rel) => this.prefetched.get(rel));
			this.current = this.current.withFleet(this.fleetState.model);
		})();
		return this.loading;
	}

	/** The repository as it is now (empty until `ready` resolved). */
	get snapshot(): RepoSnapshot {
		return this.current;
	}

	/** The fleet model as last discovered, without waiting (undefined until ready). */
	fleetNow(): FleetModel | undefined {
		return this.fleetState ? this.current.fleet : undefined;
	}

	/** The fleet state (model, documents, renders), once ready. */
	async fleet(): Promise<FleetState> {
		await this.ready();
		return this.fleetState!;
	}

	/** The engine for these settings (shared by every folder with equal settings). */
	engine(settings: FleetscopeSettings): Engine {
		return this.env.engines.get(settings);
	}

	/**
	 * The folder's settings file (`.fleetscope.yaml`, `.yml` or `.json` at its root, the first that
	 * exists, as the CLI picks it), read once and again after `reloadSettingsFile`; the editor's text
	 * wins over the disk's. Undefined when there is none.
	 */
	settingsFile(): Promise<FolderSettingsFile | undefined> {
		this.settingsFileRead ??= (async () => {
			for (const rel of SETTINGS_FILES) {
				const text = this.env.openText(rel) ?? (await readFile(path.join(this.root, rel), 'utf8').catch(() => undefined));
				if (text === undefined) continue;
				let file: FolderSettingsFile;
				try {
					file = { rel, ...parseSettingsFile(text) };
				} catch (e) {
					// A bug must not take every settings lookup of the folder down with it.
					file = { rel, settings: {}, problem: { message: `could not be read (${e instanceof Error ? e.message : String(e)})`, span: { start: 0, end: 0 } } };
				}
				this.env.log(describeSettingsFile(this.name, file));
				return file;
			}
			return undefined;
		})();
		return this.settingsFileRead;
	}

	/** The settings file changed (on disk or in the editor): read it again. */
	async reloadSettingsFile(): Promise<FolderSettingsFile | undefined> {
		this.settingsFileRead = undefined;
		const file = await this.settingsFile();
		this.current = this.current.withSettingsFile(file?.rel);
		return file;
	}

	/** The user's settings with what the settings file sets applied over them (a file with a mistake sets nothing). */
	async settingsOver(user: FleetscopeSettings): Promise<FleetscopeSettings> {
		const file = await this.settingsFile();
		return withSettingsFile(user, file && !file.problem ? file.settings : undefined);
	}

	/** One analysis of a text of this folder against the current snapshot. */
	analyzeText(rel: string, text: string, settings: FleetscopeSettings, previous?: FileAnalysis): FileAnalysis {
		return this.engine(settings).analyze({ path: rel, text }, this.current, previous);
	}

	/**
	 * Validates these files, one at a time, yielding to other work every few milliseconds: open files
	 * from the editor's text, the others from disk (a file over the size limit gets the size note).
	 * Stops early when `live` says the run is moot. The one loop behind the workspace scan, the
	 * compliance report and the CLI's check and report.
	 */
	async validateAll(rels: readonly string[], settings: FleetscopeSettings, onFile: (file: ValidatedFile) => void | Promise<void>, live: () => boolean = () => true): Promise<boolean> {
		await this.ready();
		let slice = Date.now();
		for (const rel of rels) {
			if (Date.now() - slice >= SLICE_MS) {
				await new Promise<void>((resolve) => setImmediate(resolve));
				slice = Date.now();
			}
			if (!live()) return false;
			const file = await this.validate(rel, settings);
			if (!live()) return false;
			await onFile(file);
		}
		return true;
	}

	/** Validates one file of the folder: the editor's text where it is open, else the disk's. */
	async validate(rel: string, settings: FleetscopeSettings): Promise<ValidatedFile> {
		const file = await this.validateNow(rel, settings);
		if (this.env.keepFindings) this.findings.record(rel, file.analysis);
		return file;
	}

	private async validateNow(rel: string, settings: FleetscopeSettings): Promise<ValidatedFile> {
		const engine = this.engine(settings);
		try {
			const open = this.env.openText(rel);
			if (open !== undefined) return { rel, analysis: engine.analyze({ path: rel, text: open }, this.current) };
			const maxBytes = settings.maxFileSizeKb * 1024;
			const loaded = await this.load(rel, maxBytes);
			if ('error' in loaded) return { rel, analysis: undefined, readError: loaded.error };
			if ('tooLarge' in loaded) return { rel, analysis: engine.skipped(rel, sizeNote(loaded.tooLarge, maxBytes)) };
			return { rel, analysis: engine.analyze({ path: rel, text: loaded.text }, this.current) };
		} catch (e) {
			// A bug in a check must not hide the other files' findings: say so on this file.
			const internalError = e instanceof Error ? (e.stack ?? e.message) : String(e);
			return { rel, analysis: engine.skipped(rel, 'Fleetscope failed on this file (an internal error, please report it), so it is not validated.'), internalError };
		}
	}

	/** A file's text as the editor or the snapshot's build has it, without reading the disk (undefined: not at hand). */
	peekText(rel: string): string | undefined {
		return this.env.openText(rel) ?? this.prefetched.get(rel);
	}

	/** A file's text for validation: the one read while building the snapshot (once), else the disk's, size-checked first. */
	private async load(rel: string, maxBytes: number): Promise<{ text: string } | { tooLarge: number } | { error: string }> {
		const prefetched = this.prefetched.get(rel);
		this.prefetched.delete(rel);
		if (prefetched !== undefined && prefetched.length <= maxBytes) return { text: prefetched };
		return readFileForValidation(this.fileOf(rel), maxBytes);
	}

	/**
	 * Files changed on disk (created, changed or deleted): a new snapshot with their facts, and a
	 * rediscovery of the fleet. Returns whether the repository's facts changed (every file may then
	 * read differently) and what the rediscovery found.
	 */
	async filesChanged(changes: readonly { rel: string; deleted: boolean }[]): Promise<{ factsChanged: boolean; rediscovery: Rediscovery }> {
		await this.ready();
		const read: FileChange[] = [];
		for (const c of changes) {
			this.prefetched.delete(c.rel);
			if (c.deleted) this.findings.forget(c.rel);
			if (c.deleted) read.push({ path: c.rel, deleted: true });
			else read.push({ path: c.rel, text: isYamlFile(c.rel) ? this.env.openText(c.rel) ?? (await readFile(this.fileOf(c.rel), 'utf8').catch(() => undefined)) : undefined });
		}
		const before = this.current.version;
		this.current = this.current.withFiles(read);
		const factsChanged = this.current.version !== before;
		return { factsChanged, rediscovery: this.rediscover(changes.map((c) => c.rel)) };
	}

	/** Discovers the fleet again after these files changed (on disk or in the editor). */
	rediscover(changed: readonly string[]): Rediscovery {
		const found = this.fleetState!.rediscover(changed, this.current.files());
		this.current = this.current.withFleet(found.model);
		return found;
	}

	/** Renders what each cluster receives and judges it (see `FleetState.evaluate`); the snapshot then carries the findings. */
	async render(run: RenderSettings, pause?: () => Promise<void>, within?: () => Promise<void>): Promise<RenderOutcome> {
		await this.ready();
		const outcome = await this.fleetState!.evaluate(this.current, run, pause, within);
		if (outcome.ran || outcome.changed.length > 0) this.current = this.current.withRendered(outcome.view);
		return outcome;
	}

	/** The live view of the clusters this folder's files reach (undefined: none). */
	setLive(view: LiveView | undefined): void {
		this.current = this.current.withLive(view);
	}

	/** Where the folder's clusters differ from Git (undefined: not known). */
	setDrift(view: DriftView | undefined): void {
		this.current = this.current.withDrift(view);
	}

	/** A repo-relative path of this folder, or undefined for a path outside it. */
	rel(file: string): string | undefined {
		const rel = path.relative(this.root, file);
		if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
		return rel.split(path.sep).join('/');
	}

	/** The absolute path of a repo-relative one (asked for every file the fleet reads, to find open documents: kept per path). */
	fileOf(rel: string): string {
		let abs = this.absolute.get(rel);
		if (abs === undefined) {
			abs = path.join(this.root, ...rel.split('/'));
			if (this.absolute.size >= MAX_KEPT_PATHS) this.absolute.clear();
			this.absolute.set(rel, abs);
		}
		return abs;
	}

	/** The `file:` URI of a file of this folder. */
	uriOfFile(rel: string): string {
		return pathToFileURL(this.fileOf(rel)).href;
	}
}

/** One line for the output when a folder's settings file is read. */
function describeSettingsFile(folderName: string, file: FolderSettingsFile): string {
	if (file.problem) return `${folderName}: ${file.rel} has a mistake (${file.problem.message}); using your editor settings until it is fixed.`;
	const keys = Object.keys(file.settings);
	return keys.length === 0
		? `${folderName}: ${file.rel} sets nothing.`
		: `${folderName}: settings from ${file.rel} apply over your editor settings: ${keys.join(', ')}.`;
}

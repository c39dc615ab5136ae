import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { WorkspaceFolder } from 'vscode-languageserver';
import { RepoIndex } from '../engine/context/repo-index';
import { FleetService, type FleetRefresh, type RenderOutcome, type RenderSettings } from '../host/fleet';
import type { FleetModel } from '../engine/fleet/types';
import { nodeFileSystem } from '../host/node-fs';
import { parseSettingsFile, SETTINGS_FILES, type SettingsFileResult } from '../engine/core/settings-file';
import { pathToUri, relativeTo, uriToPath } from './uri';

/** The text of an open document of a folder, by repo-relative path (the editor's text wins over the disk). */
export type OpenText = (folder: Folder, rel: string) => string | undefined;

/** A workspace folder on disk, with its repository index and fleet model (built lazily, in the background). */
export class Folder {
	private index?: Promise<RepoIndex>;
	private fleetService?: FleetService;
	private settingsFileRead?: Promise<FolderSettingsFile | undefined>;

	constructor(
		readonly uri: string,
		readonly root: string,
		readonly name: string,
		private readonly openText: OpenText = () => undefined,
	) {}

	/**
	 * The repository index, with the fleet model set; built on first use, then kept current by
	 * `didChangeWatchedFiles` and `refreshFleet`.
	 */
	repo(): Promise<RepoIndex> {
		this.index ??= RepoIndex.build(nodeFileSystem(this.root)).then((repo) => {
			this.fleetService = new FleetService(this.root, repo, (rel) => this.openText(this, rel));
			this.fleetService.refresh();
			return repo;
		});
		return this.index;
	}

	/**
	 * The folder's settings file (`.fleetscope.yaml`, `.yml` or `.json` at its root, the first that
	 * exists, as the CLI picks it), read once and again after `reloadSettingsFile`; the editor's text
	 * wins over the disk's. Undefined when there is none.
	 */
	settingsFile(): Promise<FolderSettingsFile | undefined> {
		this.settingsFileRead ??= (async () => {
			for (const rel of SETTINGS_FILES) {
				const text = this.openText(this, rel) ?? (await readFile(path.join(this.root, rel), 'utf8').catch(() => undefined));
				if (text === undefined) continue;
				try {
					return { rel, ...parseSettingsFile(text) };
				} catch (e) {
					// A bug must not take every settings lookup of the folder down with it.
					return { rel, settings: {}, problem: { message: `could not be read (${e instanceof Error ? e.message : String(e)})`, span: { start: 0, end: 0 } } };
				}
			}
			return undefined;
		})();
		return this.settingsFileRead;
	}

	/** The settings file changed (on disk or in the editor): read it again on next use. */
	reloadSettingsFile(): void {
		this.settingsFileRead = undefined;
	}

	/** The folder's fleet model and document store (what navigation reads), once the index is built. */
	async fleet(): Promise<FleetService> {
		await this.repo();
		return this.fleetService!;
	}

	/** Rediscovers the fleet after these files changed (on disk or in the editor); true when the model changed. */
	async refreshFleet(changed: readonly string[]): Promise<boolean> {
		return (await this.refreshFleetScope(changed)).changed;
	}

	/** The same, saying which files the change can affect (`FleetRefresh.affected`). */
	async refreshFleetScope(changed: readonly string[]): Promise<FleetRefresh> {
		await this.repo();
		return this.fleetService!.refresh(changed);
	}

	/**
	 * Renders what each cluster receives and runs the compliance rules on it (only what changed
	 * since the last time is rendered again). Returns the files whose rendered findings changed.
	 */
	async evaluateRendered(run: RenderSettings, pause: () => Promise<void> = () => new Promise<void>((resolve) => setImmediate(resolve))): Promise<RenderOutcome> {
		await this.repo();
		// Between clusters, let queued messages (typing above all) run.
		return this.fleetService!.evaluate(run, pause);
	}

	/** The fleet model as last discovered, without waiting (undefined until the index is built). */
	fleetNow(): FleetModel | undefined {
		return this.fleetService?.model;
	}

	rel(file: string): string | undefined {
		return relativeTo(this.root, file);
	}

	uriOf(rel: string): string {
		return pathToUri(path.join(this.root, ...rel.split('/')));
	}
}

/** A folder's settings file: where it is, and what it sets or its first mistake. */
export interface FolderSettingsFile extends SettingsFileResult {
	/** Repo-relative path (one of SETTINGS_FILES). */
	rel: string;
}

/** The workspace folders, innermost first when they nest. */
export class Folders {
	private list: Folder[] = [];

	constructor(private readonly openText: OpenText = () => undefined) {}

	get all(): readonly Folder[] {
		return this.list;
	}

	add(wf: WorkspaceFolder): Folder | undefined {
		const root = uriToPath(wf.uri);
		if (!root || this.list.some((f) => f.root === root)) return undefined;
		const folder = new Folder(wf.uri, root, wf.name, this.openText);
		this.list.push(folder);
		this.list.sort((a, b) => b.root.length - a.root.length);
		return folder;
	}

	remove(uri: string): void {
		const root = uriToPath(uri);
		this.list = this.list.filter((f) => f.root !== root);
	}

	/** The folder holding a file path, and the file's repo-relative path. */
	of(file: string | undefined): { folder: Folder; rel: string } | undefined {
		if (!file) return undefined;
		for (const folder of this.list) {
			const rel = folder.rel(file);
			if (rel !== undefined) return { folder, rel };
		}
		return undefined;
	}
}

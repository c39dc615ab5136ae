import * as path from 'node:path';
import type { WorkspaceFolder } from 'vscode-languageserver';
import { RepoIndex } from '../engine/repo';
import { nodeFileSystem } from '../host/node-fs';
import { pathToUri, relativeTo, uriToPath } from './uri';

/** A workspace folder on disk, with its repository index (built lazily, in the background). */
export class Folder {
	private index?: Promise<RepoIndex>;

	constructor(
		readonly uri: string,
		readonly root: string,
		readonly name: string,
	) {}

	/** The repository index; built on first use, then kept current by `didChangeWatchedFiles`. */
	repo(): Promise<RepoIndex> {
		this.index ??= RepoIndex.build(nodeFileSystem(this.root));
		return this.index;
	}

	rel(file: string): string | undefined {
		return relativeTo(this.root, file);
	}

	uriOf(rel: string): string {
		return pathToUri(path.join(this.root, ...rel.split('/')));
	}
}

/** The workspace folders, innermost first when they nest. */
export class Folders {
	private list: Folder[] = [];

	get all(): readonly Folder[] {
		return this.list;
	}

	add(wf: WorkspaceFolder): Folder | undefined {
		const root = uriToPath(wf.uri);
		if (!root || this.list.some((f) => f.root === root)) return undefined;
		const folder = new Folder(wf.uri, root, wf.name);
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

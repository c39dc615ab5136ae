import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { RepoReader } from '../engine/fleet/reader';
import { decodeUtf8 } from './node-fs';

/** Files larger than this are not read for the fleet model (no GitOps object is that large). */
export const FLEET_READ_MAX_BYTES = 1024 * 1024;

/**
 * A RepoReader over a directory on disk: the file list given (from the repository index), texts
 * read on first use and kept. `overlay` wins over the disk (the editor's unsaved documents, asked
 * at every read). `known` gives texts already read from the disk by someone else (the folder's
 * snapshot build): kept like the disk's, so that the fleet and the renders hold the same string,
 * not a second copy read again once the other owner let go of it.
 */
export class NodeRepoReader implements RepoReader {
	private readonly texts = new Map<string, string | undefined>();
	private list: readonly string[];

	constructor(
		private readonly root: string,
		files: readonly string[],
		private readonly overlay: (rel: string) => string | undefined = () => undefined,
		private readonly known: (rel: string) => string | undefined = () => undefined,
	) {
		this.list = files;
	}

	files(): readonly string[] {
		return this.list;
	}

	/** Replaces the file list (files were created or deleted). */
	setFiles(files: readonly string[]): void {
		this.list = files;
		const present = new Set(files);
		for (const k of this.texts.keys()) if (!present.has(k)) this.texts.delete(k);
	}

	/** Forgets the cached text of a file that changed on disk. */
	invalidate(rel: string): void {
		this.texts.delete(rel);
	}

	/** Follows symbolic links, as kustomize and Flux do; the listing does not (a link cycle cannot hang it). */
	probe(rel: string): 'file' | 'directory' | undefined {
		if (rel.split('/').includes('..')) return undefined;
		try {
			const st = statSync(path.join(this.root, ...rel.split('/')));
			return st.isDirectory() ? 'directory' : st.isFile() ? 'file' : undefined;
		} catch {
			return undefined;
		}
	}

	read(rel: string): string | undefined {
		const open = this.overlay(rel);
		if (open !== undefined) return open;
		if (this.texts.has(rel)) return this.texts.get(rel);
		const known = this.known(rel);
		const text = known !== undefined && Buffer.byteLength(known) <= FLEET_READ_MAX_BYTES ? usable(known) : this.readDisk(rel);
		this.texts.set(rel, text);
		return text;
	}

	private readDisk(rel: string): string | undefined {
		try {
			const file = path.join(this.root, ...rel.split('/'));
			return statSync(file).size <= FLEET_READ_MAX_BYTES ? usable(decodeUtf8(readFileSync(file))) : undefined;
		} catch {
			return undefined;
		}
	}
}

/** A text the fleet reads: not a binary file's. */
function usable(text: string): string | undefined {
	return text.includes('\u0000') ? undefined : text;
}

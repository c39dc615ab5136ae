import { parseFile, type ParsedFile } from '../core/parse';
import { dirName as dirname, isWithin } from '../core/paths';
import type { Res } from './resource';
import type { KustomizeFs, RenderNote, RenderResult } from './types';

/**
 * What a render depends on: files read (or probed and found missing) and directories probed or
 * listed. A cached render stays valid until one of them changes.
 */
export interface Deps {
	files: Set<string>;
	dirs: Set<string>;
}

export function newDeps(): Deps {
	return { files: new Set(), dirs: new Set() };
}

export function addDeps(into: Deps, from: Deps): void {
	for (const f of from.files) into.files.add(f);
	for (const d of from.dirs) into.dirs.add(d);
}

/** The accumulated resources of one kustomization directory, before the final steps of a build (hashes, name references, order). */
export interface DirRender {
	resources: Res[];
	notes: RenderNote[];
	deps: Deps;
}

interface FileEntry {
	text: string | undefined;
	parsed?: ParsedFile;
}

export type Change = 'changed' | 'created' | 'deleted';

/**
 * Caches file texts, their parses, directory probes, and the render of every kustomization
 * directory, so rendering again after an edit reads and parses only the edited file and
 * re-renders only the kustomizations that include it. The host tells the cache what changed
 * (`invalidate`); the cache never re-reads a file on its own.
 *
 * One cache serves one repository (one `KustomizeFs`).
 */
export class RenderCache {
	/** @internal */ readonly files = new Map<string, FileEntry>();
	/** @internal */ readonly stale = new Map<string, ParsedFile>();
	/** @internal */ readonly dirs = new Map<string, boolean>();
	/** @internal */ readonly listings = new Map<string, string[]>();
	/** @internal */ readonly renders = new Map<string, DirRender>();
	/** @internal */ readonly results = new Map<string, { result: RenderResult; deps: Deps }>();

	/**
	 * Forgets what depends on `path`: its text and parse, and every render that read it. Use
	 * `created` or `deleted` when a file or directory appeared or went away (directory probes and
	 * listings around it are forgotten too).
	 */
	invalidate(path: string, change: Change = 'changed'): void {
		const entry = this.files.get(path);
		if (entry?.parsed) this.stale.set(path, entry.parsed);
		this.files.delete(path);
		const structural = change !== 'changed';
		if (structural) {
			for (const key of [...this.files.keys()]) if (isWithin(key, path)) this.files.delete(key);
			for (const map of [this.dirs, this.listings]) {
				for (const key of [...map.keys()]) if (isWithin(key, path) || isWithin(path, key)) map.delete(key);
			}
		}
		const hit = (deps: Deps) => {
			if (deps.files.has(path)) return true;
			if (!structural) return false;
			for (const f of deps.files) if (isWithin(f, path)) return true;
			for (const d of deps.dirs) if (isWithin(d, path) || isWithin(path, d) || d === dirname(path)) return true;
			return false;
		};
		for (const [key, r] of this.renders) if (hit(r.deps)) this.renders.delete(key);
		for (const [key, r] of this.results) if (hit(r.deps)) this.results.delete(key);
	}

	/** Forgets everything. */
	clear(): void {
		this.files.clear();
		this.stale.clear();
		this.dirs.clear();
		this.listings.clear();
		this.renders.clear();
		this.results.clear();
	}
}

/**
 * The file system as one render sees it: reads through the cache, and records every file and
 * directory it touches into the dependency frames of the kustomizations being rendered.
 */
export class Reader {
	private readonly frames: Deps[] = [newDeps()];

	constructor(
		private readonly fs: KustomizeFs,
		readonly cache: RenderCache,
	) {}

	get deps(): Deps {
		return this.frames[0];
	}

	push(): void {
		this.frames.push(newDeps());
	}

	/** Ends the innermost frame; its dependencies also count for the enclosing ones. */
	pop(): Deps {
		const d = this.frames.pop()!;
		addDeps(this.frames[this.frames.length - 1], d);
		return d;
	}

	/** Records dependencies of a cached render in the current frame. */
	record(deps: Deps): void {
		addDeps(this.frames[this.frames.length - 1], deps);
	}

	private top(): Deps {
		return this.frames[this.frames.length - 1];
	}

	private entry(path: string): FileEntry {
		this.top().files.add(path);
		let e = this.cache.files.get(path);
		if (!e) {
			let text: string | undefined;
			try {
				text = this.fs.readFile(path);
			} catch {
				text = undefined;
			}
			e = { text: typeof text === 'string' ? text : undefined };
			this.cache.files.set(path, e);
		}
		return e;
	}

	read(path: string): string | undefined {
		return this.entry(path).text;
	}

	parse(path: string): ParsedFile | undefined {
		const e = this.entry(path);
		if (e.text === undefined) return undefined;
		if (!e.parsed) {
			const previous = this.cache.stale.get(path);
			this.cache.stale.delete(path);
			e.parsed = parseFile(e.text, previous);
		}
		return e.parsed;
	}

	isDirectory(path: string): boolean {
		this.top().dirs.add(path);
		let v = this.cache.dirs.get(path);
		if (v === undefined) {
			try {
				v = this.fs.isDirectory(path) === true;
			} catch {
				v = false;
			}
			this.cache.dirs.set(path, v);
		}
		return v;
	}

	list(path: string): string[] {
		this.top().dirs.add(path);
		let v = this.cache.listings.get(path);
		if (v === undefined) {
			try {
				const got = this.fs.listDirectory(path);
				v = Array.isArray(got) ? got.filter((x) => typeof x === 'string') : [];
			} catch {
				v = [];
			}
			this.cache.listings.set(path, v);
		}
		return v;
	}
}

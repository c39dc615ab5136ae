import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { FactsCache, FileFacts } from '../engine/context/repo-snapshot';
import { fleetscopeCacheDir, privateCacheDir, readPrivateFile, writePrivateFile } from './cache-dir';

/** The layout of a cache file; another is not read. */
const FORMAT = 2;

/** A larger cache file is neither written nor read (a repository of a few hundred thousand files). */
export const MAX_FACTS_CACHE_BYTES = 64 * 1024 * 1024;

/** Folders whose facts are kept (per build), and their size in all; the least recently written go first. */
export const MAX_FOLDERS = 64;
export const MAX_TOTAL_BYTES = 256 * 1024 * 1024;

/** How many folders keep their facts, and how many bytes they may take in all. */
export interface CacheLimits {
	folders: number;
	bytes: number;
}

type Entries = Map<string, readonly [hash: string, facts: FileFacts]>;

/**
 * The facts of a folder's files between runs (engine/context/repo-snapshot.ts `FactsCache`):
 * `facts/<build>/<sha256 of the folder's path>.bin` in Fleetscope's cache directory, the user's alone
 * (0700, files 0600) like the compiled code beside it. Each file's facts are kept with the SHA-256 of
 * the text they were found in, so an edited file is read again whatever its times say; `<build>`
 * names the program's bundle (size and time), as the facts depend on the code that finds them, and a
 * new build starts afresh and removes the old one's files. Only a bundle names its build: run from
 * the TypeScript sources (tests, tsx) there is no cache unless `program` names one.
 *
 * Nothing is read before the first file is asked for, and the file is written once the snapshot is
 * built, when anything changed; the folders written last keep theirs (MAX_FOLDERS of them, up to
 * MAX_TOTAL_BYTES in all). A file that cannot be read or does not deserialise to this layout is
 * ignored; one that cannot be written costs the next start its time. `FLEETSCOPE_FACTS_CACHE=off`
 * turns it off.
 */
export function nodeFactsCache(root: string, env: NodeJS.ProcessEnv = process.env, program = __filename, limits: CacheLimits = { folders: MAX_FOLDERS, bytes: MAX_TOTAL_BYTES }): FactsCache | undefined {
	if (env.FLEETSCOPE_FACTS_CACHE === 'off' || !program.endsWith('-program.js')) return undefined;
	let dir: string;
	let top: string;
	try {
		const build = statSync(program);
		top = join(fleetscopeCacheDir(env), 'facts');
		dir = join(top, `${basename(program, '.js')}-${build.size}-${Math.floor(build.mtimeMs)}`.replace(/[^A-Za-z0-9._-]/g, '_'));
	} catch {
		return undefined;
	}
	const file = join(dir, `${createHash('sha256').update(root).digest('hex')}.bin`);
	let kept: Entries | undefined;
	const next: Entries = new Map();
	let changed = false;
	// `set` follows `get` for the same text: its hash is not taken twice.
	let last: { text: string; hash: string } | undefined;
	const hashOf = (text: string) => {
		if (last?.text !== text) last = { text, hash: createHash('sha256').update(text).digest('base64') };
		return last.hash;
	};
	return {
		get(path, text) {
			kept ??= readEntries(file, root);
			const entry = kept.get(path);
			if (entry === undefined || entry[0] !== hashOf(text)) return undefined;
			next.set(path, entry);
			return entry[1];
		},
		set(path, text, facts) {
			next.set(path, [hashOf(text), facts]);
			changed = true;
		},
		done(paths) {
			last = undefined;
			const removed = [...(kept ?? new Map()).keys()].some((p) => !paths.has(p));
			kept = undefined;
			if (!changed && !removed) return;
			// Written after the turn that finished the build: the analyses waiting for it go first.
			setImmediate(() => writeEntries(dir, top, file, root, next, limits));
		},
	};
}

function readEntries(file: string, root: string): Entries {
	try {
		// Written by this user alone (0600): anything else is not read.
		const bytes = readPrivateFile(file);
		if (bytes === undefined || bytes.length > MAX_FACTS_CACHE_BYTES) return new Map();
		const data = deserialize(bytes) as { format?: unknown; root?: unknown; entries?: unknown };
		if (data?.format !== FORMAT || data.root !== root || !(data.entries instanceof Map)) return new Map();
		return data.entries as Entries;
	} catch {
		return new Map();
	}
}

function writeEntries(dir: string, top: string, file: string, root: string, entries: Entries, limits: CacheLimits): void {
	try {
		if (!privateCacheDir(top)) return;
		mkdirSync(dir, { recursive: true, mode: 0o700 });
		const bytes = serialize({ format: FORMAT, root, entries });
		if (bytes.length > MAX_FACTS_CACHE_BYTES) return;
		writePrivateFile(file, bytes);
		// Another build's facts are never read again.
		const prefix = basename(dir).replace(/-\d+-\d+$/, '-');
		for (const other of readdirSync(top)) if (other.startsWith(prefix) && other !== basename(dir)) rmSync(join(top, other), { recursive: true, force: true });
		// One file per folder ever opened: the least recently written go beyond the limits.
		const kept = readdirSync(dir)
			.filter((f) => f.endsWith('.bin'))
			.map((f) => ({ f, st: statSync(join(dir, f)) }))
			.sort((a, b) => b.st.mtimeMs - a.st.mtimeMs);
		let total = 0;
		kept.forEach(({ f, st }, i) => {
			total += st.size;
			if (i >= limits.folders || (i > 0 && total > limits.bytes)) rmSync(join(dir, f), { force: true });
		});
	} catch {
		// Found again next time.
	}
}

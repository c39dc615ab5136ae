import { closeSync, openSync, readSync, readdirSync, statSync, unlinkSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import Module from 'node:module';
import { basename, dirname, join } from 'node:path';
import { Script, constants as vmConstants } from 'node:vm';
import { fleetscopeCacheDir, privateCacheDir, readPrivateFile, writePrivateFile } from '../host/cache-dir';

/**
 * Runs a bundle (`dist/cli-program.js`, `dist/server-program.js`) as Node would `require` it, with
 * V8's code cache: the first run compiles the 5 MB bundle and, as it exits, saves the compiled code of
 * every function it ran; later runs load that instead of parsing and compiling again. On this
 * machine `fleetscope --version` goes from 240 ms and 108 MB to 130 ms and 92 MB, and a check of
 * the Kyverno library from 2.6 to 2.35 s. It is what Node 22's `module.enableCompileCache()` does,
 * on Node 20 too.
 *
 * The cache is `v8/` in Fleetscope's cache directory (host/cache-dir.ts), one file per bundle,
 * Node and V8 version, and build (its size and time); V8 itself refuses a cache that does not
 * match the source or its flags, and the file is then written again. A cache made by a short run
 * (`--version`) is replaced once by the next run of a second or more. The directory is the user's
 * alone (0700, and not used when another user owns it): compiled code is code. Any failure to
 * read or write the cache only costs the time it would have saved. `FLEETSCOPE_COMPILE_CACHE=off`
 * turns it off; `=debug` says on stderr whether the cache was used.
 */
export function runBundle(bundle: string, env: NodeJS.ProcessEnv = process.env): void {
	const setting = env.FLEETSCOPE_COMPILE_CACHE;
	const debug = setting === 'debug' ? (s: string) => process.stderr.write(`fleetscope: compile cache: ${s}\n`) : () => undefined;
	let source = readInPieces(bundle);
	// A `#!` line is a comment to Node's loader, not to V8.
	if (source.startsWith('#!')) source = `//${source.slice(2)}`;
	const file = setting === 'off' ? undefined : cacheFile(bundle, env);
	const cached = file === undefined ? undefined : readCache(file);
	const script = new Script(Module.wrap(source), {
		filename: bundle,
		cachedData: cached?.data,
		// `import()` inside the bundle resolves as in any CommonJS module.
		...(vmConstants?.USE_MAIN_CONTEXT_DEFAULT_LOADER ? { importModuleDynamically: vmConstants.USE_MAIN_CONTEXT_DEFAULT_LOADER as never } : {}),
	});
	const used = cached !== undefined && !script.cachedDataRejected;
	debug(file === undefined ? 'unavailable (no directory of this user to keep it in)' : used ? `used ${file}` : cached ? `rejected ${file}` : `none at ${file}`);
	if (file !== undefined && !(used && cached.fromLongRun)) {
		// At exit every function the run needed is compiled: the cache holds them all. A cache made
		// by a short run (`--version`) lacks most of them: the next long run replaces it, once.
		const started = performance.now();
		process.once('exit', () => {
			const long = performance.now() - started >= LONG_RUN_MS;
			if (used && !long) return;
			writeCache(file, `${basename(bundle, '.js')}-`, script.createCachedData(), long, debug);
		});
	}
	const mod = new Module(bundle, undefined);
	mod.filename = bundle;
	mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(dirname(bundle));
	const req = ((id: string) => mod.require(id)) as NodeJS.Require;
	Object.assign(req, { main: mod, resolve: (id: string) => (Module as unknown as { _resolveFilename(id: string, parent: Module): string })._resolveFilename(id, mod), cache: require.cache });
	(script.runInThisContext() as (...args: unknown[]) => void).call(mod.exports, mod.exports, req, mod, bundle, dirname(bundle));
}

/**
 * A file's text, read 64 KB at a time. `readFileSync(file, 'utf8')` reads a 5 MB bundle into a
 * buffer it doubles up to 8 MB and then frees, and glibc's malloc answers the free of a block that
 * large by raising its mmap threshold to it: every later allocation below 8 MB (V8's compiler
 * zones, file buffers) then came from heaps it hardly ever returns, 8-35 MiB more resident memory
 * for the rest of the run (shared/server-node.ts).
 */
function readInPieces(file: string): string {
	const fd = openSync(file, 'r');
	try {
		const chunk = Buffer.allocUnsafe(64 * 1024);
		const decoder = new StringDecoder('utf8');
		const parts: string[] = [];
		for (let n; (n = readSync(fd, chunk, 0, chunk.length, null)) > 0; ) parts.push(decoder.write(chunk.subarray(0, n)));
		parts.push(decoder.end());
		return parts.join('');
	} finally {
		closeSync(fd);
	}
}

/** A run this long has compiled what a check or an editor session needs. */
const LONG_RUN_MS = 1000;

/** The cache file of this bundle's build under this Node, or undefined when no safe directory is at hand. */
function cacheFile(bundle: string, env: NodeJS.ProcessEnv): string | undefined {
	try {
		const dir = join(fleetscopeCacheDir(env), 'v8');
		if (!privateCacheDir(dir)) return undefined;
		const build = statSync(bundle);
		const name = `${basename(bundle, '.js')}-${build.size}-${Math.floor(build.mtimeMs)}-node${process.versions.node}-v8${process.versions.v8}-${process.arch}.bin`;
		return join(dir, name.replace(/[^A-Za-z0-9._-]/g, '_'));
	} catch {
		return undefined;
	}
}

/**
 * The cache file's header: 8 bytes, so V8's data after it stays 8-byte aligned. V8 copies cached
 * data that is not aligned (4-5 MB for these bundles), and freeing that copy made glibc's malloc
 * raise its mmap threshold to its size: from then on every allocation below it came from the heap
 * it hardly ever returns (see `readInPieces`). A file of the one-byte header that came before is
 * not read as cache (its bytes after the first are V8's, not zero) and is written again.
 */
const HEADER = 8;

function readCache(file: string): { data: Buffer; fromLongRun: boolean } | undefined {
	// Written by this user alone (0600): anything else is not loaded as code.
	const bytes = readPrivateFile(file);
	// A header of ours (its first byte 1: written by a long run, the others 0), then V8's data.
	if (bytes === undefined || bytes.length <= HEADER || bytes[0] > 1 || bytes.subarray(1, HEADER).some((b) => b !== 0)) return undefined;
	return { data: bytes.subarray(HEADER), fromLongRun: bytes[0] === 1 };
}

/** Writes the cache atomically and removes this bundle's caches of other builds. */
function writeCache(file: string, prefix: string, data: Buffer, fromLongRun: boolean, debug: (s: string) => void): void {
	try {
		const header = Buffer.alloc(HEADER);
		header[0] = fromLongRun ? 1 : 0;
		writePrivateFile(file, Buffer.concat([header, data]));
		for (const old of readdirSync(dirname(file))) {
			if (old.startsWith(prefix) && /^\d/.test(old.slice(prefix.length)) && old !== basename(file) && old.endsWith('.bin')) unlinkSync(join(dirname(file), old));
		}
		debug(`wrote ${file}`);
	} catch (e) {
		debug(`not written: ${e instanceof Error ? e.message : String(e)}`);
	}
}

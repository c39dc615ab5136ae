import { readdirSync, readFileSync, statSync, unlinkSync } from 'node:fs';
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
	let source = readFileSync(bundle, 'utf8');
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

function readCache(file: string): { data: Buffer; fromLongRun: boolean } | undefined {
	// Written by this user alone (0600): anything else is not loaded as code.
	const bytes = readPrivateFile(file);
	// One byte of ours (1: written by a long run), then V8's data.
	if (bytes === undefined || bytes.length < 2 || bytes[0] > 1) return undefined;
	return { data: bytes.subarray(1), fromLongRun: bytes[0] === 1 };
}

/** Writes the cache atomically and removes this bundle's caches of other builds. */
function writeCache(file: string, prefix: string, data: Buffer, fromLongRun: boolean, debug: (s: string) => void): void {
	try {
		writePrivateFile(file, Buffer.concat([Buffer.from([fromLongRun ? 1 : 0]), data]));
		for (const old of readdirSync(dirname(file))) {
			if (old.startsWith(prefix) && /^\d/.test(old.slice(prefix.length)) && old !== basename(file) && old.endsWith('.bin')) unlinkSync(join(dirname(file), old));
		}
		debug(`wrote ${file}`);
	} catch (e) {
		debug(`not written: ${e instanceof Error ? e.message : String(e)}`);
	}
}

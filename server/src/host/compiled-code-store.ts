import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { CompiledCodeStore } from '../engine/schema/compiled-code';
import { fleetscopeCacheDir, privateCacheDir, readPrivateFile, writePrivateFile } from './cache-dir';

/**
 * The validators compiled from the bundled CRD schemas, on disk between runs (engine/schema/
 * compiled-code.ts): `ajv/<build>/<sha256>.js` in Fleetscope's cache directory, the user's alone
 * like the V8 code cache (bin/compile-cache.ts). `<build>` names the program's bundle (size and
 * time), so a new build starts afresh and removes the old one's files. Reads and writes that fail
 * cost only the compile time; `FLEETSCOPE_COMPILE_CACHE=off` turns it off with the V8 cache.
 */
export function nodeCompiledCodeStore(env: NodeJS.ProcessEnv = process.env, program = __filename): CompiledCodeStore | undefined {
	if (env.FLEETSCOPE_COMPILE_CACHE === 'off') return undefined;
	let dir: string;
	try {
		const build = statSync(program);
		const root = join(fleetscopeCacheDir(env), 'ajv');
		dir = join(root, `${basename(program, '.js')}-${build.size}-${Math.floor(build.mtimeMs)}`.replace(/[^A-Za-z0-9._-]/g, '_'));
		if (!privateCacheDir(root)) return undefined;
	} catch {
		return undefined;
	}
	const fileOf = (identity: string) => join(dir, `${createHash('sha256').update(identity).digest('hex')}.js`);
	let prepared = false;
	return {
		read(identity) {
			// Written by this user alone (0600): anything else is not run.
			return readPrivateFile(fileOf(identity))?.toString('utf8');
		},
		write(identity, code) {
			try {
				if (!prepared) {
					prepared = true;
					mkdirSync(dir, { recursive: true, mode: 0o700 });
					// Another build's validators are never read again.
					const root = join(dir, '..');
					const prefix = `${basename(program, '.js')}-`;
					for (const other of readdirSync(root)) if (other.startsWith(prefix) && join(root, other) !== dir) rmSync(join(root, other), { recursive: true, force: true });
				}
				writePrivateFile(fileOf(identity), code);
			} catch {
				// Compiled again next time.
			}
		},
	};
}

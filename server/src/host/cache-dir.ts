import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Fleetscope's directory in the OS cache: `FLEETSCOPE_CACHE_DIR` when set, else XDG on Linux,
 * ~/Library/Caches on macOS, %LOCALAPPDATA% on Windows. What lives there can be deleted at any time:
 * live states seen last (`live/`), compiled code (`v8/`) and generated validators (`ajv/`).
 */
export function fleetscopeCacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = homedir()): string {
	if (env.FLEETSCOPE_CACHE_DIR) return env.FLEETSCOPE_CACHE_DIR;
	if (platform === 'win32') return join(env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'), 'fleetscope', 'cache');
	if (platform === 'darwin') return join(home, 'Library', 'Caches', 'fleetscope');
	return join(env.XDG_CACHE_HOME || join(home, '.cache'), 'fleetscope');
}

/**
 * Code kept in the cache directory (compiled code, generated validators) is run: only what this user
 * alone could have written is. On Windows, modes say nothing (a user's %LOCALAPPDATA% is theirs by
 * its ACL), so only the owner is checked where the platform has one.
 */
export function isPrivateFile(st: Pick<Stats, 'mode' | 'uid'>, platform: NodeJS.Platform = process.platform): boolean {
	if (typeof process.getuid === 'function' && st.uid !== process.getuid()) return false;
	return platform === 'win32' || (st.mode & 0o077) === 0;
}

/**
 * Creates a directory of the cache for code (0700) and says whether it is this user's alone: owned by
 * them and writable by nobody else (else nothing in it is used, so nobody else can plant a file or a
 * link there).
 */
export function privateCacheDir(dir: string, platform: NodeJS.Platform = process.platform): boolean {
	try {
		mkdirSync(dir, { recursive: true, mode: 0o700 });
		const st = statSync(dir);
		if (typeof process.getuid === 'function' && st.uid !== process.getuid()) return false;
		return platform === 'win32' || (st.mode & 0o022) === 0;
	} catch {
		return false;
	}
}

/** A file of the cache for code, if this user alone could have written it (checked on the file opened, not on its name). */
export function readPrivateFile(file: string): Buffer | undefined {
	let fd: number | undefined;
	try {
		fd = openSync(file, 'r');
		return isPrivateFile(fstatSync(fd)) ? readFileSync(fd) : undefined;
	} catch {
		return undefined;
	} finally {
		if (fd !== undefined) closeSync(fd);
	}
}

/** Writes a file of the cache for code: 0600, atomically (readers see the old file or the new one). Throws on failure. */
export function writePrivateFile(file: string, data: string | Uint8Array): void {
	const tmp = `${file}.${process.pid}.tmp`;
	writeFileSync(tmp, data, { mode: 0o600 });
	renameSync(tmp, file);
}

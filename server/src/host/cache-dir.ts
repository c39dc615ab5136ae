import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Fleetscope's directory in the OS cache: `FLEETSCOPE_CACHE_DIR` when set, else XDG on Linux,
 * ~/Library/Caches on macOS, %LOCALAPPDATA% on Windows. What lives there can be deleted at any time:
 * live states seen last (`live/`), compiled code (`v8/`).
 */
export function fleetscopeCacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = homedir()): string {
	if (env.FLEETSCOPE_CACHE_DIR) return env.FLEETSCOPE_CACHE_DIR;
	if (platform === 'win32') return join(env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'), 'fleetscope', 'cache');
	if (platform === 'darwin') return join(home, 'Library', 'Caches', 'fleetscope');
	return join(env.XDG_CACHE_HOME || join(home, '.cache'), 'fleetscope');
}

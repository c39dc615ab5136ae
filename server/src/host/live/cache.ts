import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { sanitizeState } from '../../engine/live/sanitize';
import type { ClusterState } from '../../engine/live/state';
import { fleetscopeCacheDir } from '../cache-dir';

/**
 * The last state seen per kubeconfig context, on disk, so Fleetscope keeps working offline: one
 * JSON file per context (the model only: metadata, never Secret data or annotations; no
 * credentials), written atomically, readable by the user alone.
 */

/** The OS cache directory for Fleetscope's live states: XDG on Linux, ~/Library/Caches on macOS, %LOCALAPPDATA% on Windows. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = homedir()): string {
	return join(fleetscopeCacheDir(env, platform, home), 'live');
}

export class StateCache {
	constructor(readonly dir: string) {}

	/** File of a context: a readable prefix and a hash (context names are ARNs with `:` and `/`). */
	fileFor(context: string): string {
		const safe = context.replace(/[^A-Za-z0-9._-]+/g, '_').slice(-60);
		const hash = createHash('sha256').update(context).digest('hex').slice(0, 12);
		return join(this.dir, `${safe}-${hash}.json`);
	}

	load(context: string): ClusterState | undefined {
		let text: string;
		try {
			text = readFileSync(this.fileFor(context), 'utf8');
		} catch {
			return undefined;
		}
		try {
			const state = sanitizeState(JSON.parse(text), 'cache');
			return state && state.context === context ? state : undefined;
		} catch {
			return undefined; // a torn or foreign file: as if there were none
		}
	}

	save(state: ClusterState): void {
		if (!state.context) return;
		const clean = sanitizeState({ ...state, origin: 'cache' }, 'cache');
		if (!clean) return;
		mkdirSync(this.dir, { recursive: true, mode: 0o700 });
		const file = this.fileFor(state.context);
		const tmp = `${file}.${process.pid}.tmp`;
		writeFileSync(tmp, JSON.stringify(clean), { mode: 0o600 });
		renameSync(tmp, file);
	}
}

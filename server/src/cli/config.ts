import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { FleetscopeSettings } from '../../../shared/settings';
import { parseSettingsFile, SETTINGS_FILES } from '../engine/rules/settings-file';
import { UsageError } from './args';

/**
 * The CLI's settings file: `--config FILE`, else the first of `SETTINGS_FILES` in the checked
 * root (the editor reads the same file, see `engine/settings-file.ts`).
 */
export const CONFIG_FILES = SETTINGS_FILES;

/** Settings a config file sets, validated, with the file they came from. */
export interface LoadedConfig {
	/** Absolute path of the file. */
	file: string;
	settings: Partial<FleetscopeSettings>;
}

/** The config file the CLI uses for this root: `--config` if given, else the first of CONFIG_FILES present. */
export function findConfig(root: string, explicit: string | undefined, cwd: string): string | undefined {
	if (explicit !== undefined) {
		const file = path.resolve(cwd, explicit);
		if (!existsSync(file)) throw new UsageError(`--config ${explicit}: no such file`);
		return file;
	}
	return CONFIG_FILES.map((name) => path.join(root, name)).find((f) => existsSync(f));
}

/** Reads and validates a config file. Any mistake in it is a usage error (exit 2): CI must not silently run with other settings. */
export function loadConfig(file: string, root: string): LoadedConfig {
	const name = path.relative(root, file).split(path.sep).join('/') || path.basename(file);
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (e) {
		throw new UsageError(`${name}: ${e instanceof Error ? e.message : String(e)}`);
	}
	const { settings, problem } = parseSettingsFile(text);
	if (problem) throw new UsageError(`${name}: ${problem.message}`);
	return { file, settings };
}

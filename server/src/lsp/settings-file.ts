import type { FleetscopeSettings } from '../../../shared/settings';
import { parseSettingsFile } from '../engine/core/settings-file';
import { LineIndex } from '../engine/core/text';
import type { Finding } from '../engine/core/types';
import type { FolderSettingsFile } from './workspace';

/**
 * The repository's settings file in the editor: what it sets applies over the user's settings for
 * every file of its folder (as in CI, so the editor reports what CI will), and a mistake in it is
 * a diagnostic on the file, while the folder falls back to the user's settings.
 */

/** The diagnostic of a settings file's mistake, from its current text (an open editor's, unsaved). */
export function settingsFileFindings(rel: string, used: FolderSettingsFile | undefined, text: string, settings: FleetscopeSettings): Finding[] {
	// Only the file the folder uses (`.fleetscope.yml` beside a `.fleetscope.yaml` is not read).
	if (used?.rel !== rel) return [];
	const { problem } = parseSettingsFile(text);
	if (!problem) return [];
	const severity = settings.severity['settings-file'];
	if (severity === 'off') return [];
	const sentence = /[.?!]$/.test(problem.message) ? problem.message : `${problem.message}.`;
	return [
		{
			ruleId: 'settings-file',
			severity: severity ?? 'error',
			message: `${sentence} Until it is fixed, Fleetscope ignores this file and uses your editor settings (the CLI stops with exit code 2).`,
			range: new LineIndex(text).rangeOf(problem.span),
		},
	];
}

/** One line for the output channel when a folder's settings file is read. */
export function describeSettingsFile(folderName: string, file: FolderSettingsFile): string {
	if (file.problem) return `${folderName}: ${file.rel} has a mistake (${file.problem.message}); using your editor settings until it is fixed.`;
	const keys = Object.keys(file.settings);
	return keys.length === 0
		? `${folderName}: ${file.rel} sets nothing.`
		: `${folderName}: settings from ${file.rel} apply over your editor settings: ${keys.join(', ')}.`;
}

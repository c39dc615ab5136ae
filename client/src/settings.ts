import * as vscode from 'vscode';
import { normaliseSettings, SETTINGS, SETTINGS_SECTION, type FleetscopeSettings } from '../../shared/settings';

/**
 * The settings of one resource, typed, as the server receives them. The server asks for them
 * per document (`workspace/configuration` with a scopeUri); the client's middleware answers here.
 */
export function readSettings(scope: vscode.Uri | undefined): FleetscopeSettings {
	const config = vscode.workspace.getConfiguration(SETTINGS_SECTION, scope);
	const raw: Record<string, unknown> = {};
	for (const key of Object.keys(SETTINGS)) raw[key] = config.get(key);
	return normaliseSettings(raw);
}

import type { Connection } from 'vscode-languageserver';
import { defaultSettings, normaliseSettings as normalise, SETTINGS_SECTION, type FleetscopeSettings } from '../../../shared/settings';
import { SharedValues } from '../engine/core/shared-values';

/**
 * The user's settings per resource, pulled from the client with `workspace/configuration`
 * (scopeUri) and cached as promises, so concurrent validations of one file ask once. Never a
 * global: folders of a multi-root workspace may differ. Cleared on `workspace/didChangeConfiguration`.
 * (What a folder's settings file sets applies over them: `Folder.settingsOver`.)
 */
export class SettingsCache {
	private readonly cache = new Map<string, Promise<FleetscopeSettings>>();
	/** Settings pushed with didChangeConfiguration, for clients that cannot be asked. */
	private pushed: FleetscopeSettings = defaultSettings();
	/** One object per distinct value: a thousand open files of one folder have the same settings, not a thousand copies. */
	private readonly distinct = new SharedValues<FleetscopeSettings>(64);

	constructor(
		private readonly connection: Connection,
		private readonly canPull: () => boolean,
	) {}

	/** The client's settings of a resource. */
	user(scopeUri: string): Promise<FleetscopeSettings> {
		if (!this.canPull()) return Promise.resolve(this.pushed);
		let p = this.cache.get(scopeUri);
		if (!p) {
			p = this.connection.workspace.getConfiguration({ scopeUri, section: SETTINGS_SECTION }).then(
				(raw) => this.normaliseSettings(raw),
				(e) => {
					this.connection.console.warn(`Could not read settings for ${scopeUri}: ${String(e)}; using defaults.`);
					return defaultSettings();
				},
			);
			this.cache.set(scopeUri, p);
		}
		return p;
	}

	/**
	 * Asks for the settings of many resources in one `workspace/configuration` request (opening a
	 * thousand files must not cost a thousand round trips). Resources already cached are skipped.
	 */
	prefetch(scopeUris: readonly string[]): Promise<unknown> {
		if (!this.canPull()) return Promise.resolve();
		const missing = [...new Set(scopeUris)].filter((u) => !this.cache.has(u));
		if (missing.length === 0) return Promise.resolve();
		const all = this.connection.workspace.getConfiguration(missing.map((scopeUri) => ({ scopeUri, section: SETTINGS_SECTION }))).then(
			(raw: unknown[]) => raw,
			(e) => {
				this.connection.console.warn(`Could not read settings: ${String(e)}; using defaults.`);
				return [] as unknown[];
			},
		);
		missing.forEach((uri, i) => this.cache.set(uri, all.then((raw) => (i < raw.length ? this.normaliseSettings(raw[i]) : defaultSettings()))));
		return all;
	}

	/** Forgets everything (settings changed); `pushed` is the `settings` of didChangeConfiguration, if any. */
	clear(pushed?: unknown): void {
		this.cache.clear();
		const section = pushed && typeof pushed === 'object' ? (pushed as Record<string, unknown>)[SETTINGS_SECTION] : undefined;
		if (section !== undefined) this.pushed = this.normaliseSettings(section);
	}

	private normaliseSettings(raw: unknown): FleetscopeSettings {
		const settings = normalise(raw);
		return this.distinct.share(JSON.stringify(settings), settings);
	}

	delete(scopeUri: string): void {
		this.cache.delete(scopeUri);
	}
}

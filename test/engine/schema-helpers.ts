import { Engine } from '../../server/src/engine/analysis/engine';
import { type RepoContext } from '../../server/src/engine/context/check-context';
import type { Finding } from '../../server/src/engine/core/types';
import { createNodeRegistry } from '../../server/src/host/registry';
import { apiVersionChecks } from '../../server/src/engine/rules/checks';
import { defaultSettings, type FleetscopeSettings } from '../../shared/settings';

/** One registry for all schema tests of a process: schemas are compiled once, as in the server. */
export const registry = createNodeRegistry();

export function schemaEngine(settings: Partial<FleetscopeSettings> = {}): Engine {
	return new Engine(registry, { ...defaultSettings(), ...settings }, apiVersionChecks);
}

const engine = schemaEngine();

export const PATCH_REPO: RepoContext = { isPatchFile: () => true, exists: () => true };

/** Findings as `line:col-line:col rule message` (zero-based), what a user sees in the Problems panel. */
export function check(text: string, opts: { path?: string; repo?: RepoContext; engine?: Engine } = {}): string[] {
	const findings = (opts.engine ?? engine).analyze({ path: opts.path ?? 'manifest.yaml', text }, opts.repo).findings;
	return findings.map(show);
}

export function show(f: Finding): string {
	const r = f.range;
	return `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character} ${f.ruleId} ${f.message}`;
}

/** Joins lines into a YAML text (keeps the fixtures readable with exact line numbers). */
export function yaml(...lines: string[]): string {
	return lines.join('\n') + '\n';
}

import { Engine } from '../../server/src/engine/analysis/engine';
import { type RepoContext } from '../../server/src/engine/context/check-context';
import type { SchemaRegistry } from '../../server/src/engine/schema/types';
import type { Finding } from '../../server/src/engine/core/types';
import { defaultSettings, type FleetscopeSettings } from '../../shared/settings';

/** A registry with no schemas: the engine's own checks (syntax, shape, limits) only. */
export const NO_SCHEMAS: SchemaRegistry = { lookup: () => undefined, kinds: () => [] };

export function bareEngine(settings: Partial<FleetscopeSettings> = {}): Engine {
	return new Engine(NO_SCHEMAS, { ...defaultSettings(), ...settings });
}

/** A finding as `line:col-line:col rule` (zero-based), compact for assertions. */
export function brief(f: Finding): string {
	const r = f.range;
	return `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character} ${f.ruleId}`;
}

export function analyze(text: string, opts: { path?: string; repo?: RepoContext; engine?: Engine } = {}): Finding[] {
	const engine = opts.engine ?? bareEngine();
	return engine.analyze({ path: opts.path ?? 'file.yaml', text }, opts.repo).findings;
}

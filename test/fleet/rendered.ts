import { Engine } from '../../server/src/engine/analysis/engine';
import { complianceChecks, complianceRules } from '../../server/src/engine/rules/compliance';
import { discoverFleet } from '../../server/src/engine/fleet/discover';
import { DocumentStore } from '../../server/src/engine/fleet/reader';
import { RenderedEvaluator } from '../../server/src/engine/rules/compliance/rendered';
import { type RenderedView } from '../../server/src/engine/context/check-context';
import { TargetRenderer } from '../../server/src/engine/fleet/targets';
import { RepoSnapshot } from '../../server/src/engine/context/repo-snapshot';
import type { Finding } from '../../server/src/engine/core/types';
import { defaultSettings, type FleetscopeSettings } from '../../shared/settings';
import { NO_SCHEMAS } from '../engine/helpers';
import { memoryRepo } from './helpers';

/**
 * A repository in memory set up as the hosts set it up: the repository index, fleet discovery,
 * each cluster rendered and the compliance rules run on the renders; then files are analysed by
 * the real Engine (compliance checks, no schemas) against it.
 */
export async function renderedRepo(files: Record<string, string>, settings: Partial<FleetscopeSettings> = {}) {
	const store = new DocumentStore(memoryRepo(files));
	const model = discoverFleet(store);
	const unrendered = (await RepoSnapshot.build({ listFiles: async () => Object.keys(files), readFile: async (p) => files[p] })).withFleet(model);
	const renderer = new TargetRenderer(store);
	const full = { ...defaultSettings(), ...settings };
	const renders = renderer.renderAll(model);
	const view: RenderedView = new RenderedEvaluator(complianceRules).evaluate(renders, model, { repo: unrendered, settings: full, today: '2026-12-01' });
	const repo = unrendered.withRendered(view);
	const engine = new Engine(NO_SCHEMAS, full, [...complianceChecks], () => new Date('2026-12-01T12:00:00Z'));
	return {
		repo,
		model,
		renders,
		view,
		analyze: (path: string): Finding[] => engine.analyze({ path, text: files[path] }, repo).findings,
	};
}

/** `line:col rule severity` (1-based line), compact for assertions. */
export const brief = (f: Finding) => `${f.range.start.line + 1}:${f.range.start.character + 1} ${f.ruleId} ${f.severity}`;

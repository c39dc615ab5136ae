import { Engine } from '../../server/src/engine/analysis/engine';
import { RepoSnapshot } from '../../server/src/engine/context/repo-snapshot';
import type { Finding } from '../../server/src/engine/core/types';
import type { FleetModel } from '../../server/src/engine/fleet/types';
import { createPolicyChecks } from '../../server/src/engine/rules/policy';
import { createNodeRegistry } from '../../server/src/host/registry';
import { defaultSettings } from '../../shared/settings';

/** An engine with the bundled schemas and the policy checks only (the other checks stay out of the assertions). */
const registry = createNodeRegistry();
export const policyEngine = (): Engine => new Engine(registry, defaultSettings(), createPolicyChecks(registry));

/** Analyses `file` of an in-memory repository (optionally with a fleet model) and returns its findings. */
export async function findingsOf(files: Record<string, string>, file: string, fleet?: FleetModel, engine = policyEngine()): Promise<Finding[]> {
	const built = await RepoSnapshot.build({ listFiles: async () => Object.keys(files), readFile: async (p: string) => files[p] });
	const repo = fleet ? built.withFleet(fleet) : built;
	return engine.analyze({ path: file, text: files[file] }, repo).findings;
}

export const policyFindings = (fs: Finding[]) => fs.filter((f) => f.ruleId === 'policy');

/** The text a finding's range covers. */
export function covered(text: string, f: Finding): string {
	const lines = text.split('\n');
	const { start, end } = f.range;
	if (start.line === end.line) return lines[start.line].slice(start.character, end.character);
	return [lines[start.line].slice(start.character), ...lines.slice(start.line + 1, end.line), lines[end.line].slice(0, end.character)].join('\n');
}

/** A fleet where `files` maps repo files to the clusters they reach. */
export function fleetWith(files: Record<string, string[]>): FleetModel {
	const clusters = [...new Set(Object.values(files).flat())];
	return {
		environments: [{ name: 'production', order: 0, promotesFrom: [], production: true, source: 'declared' }],
		clusters: clusters.map((name) => ({ name, environment: 'production', labels: {}, syncs: [], source: 'declared', inferred: [] })),
		apps: [],
		files,
		problems: [],
	} as unknown as FleetModel;
}

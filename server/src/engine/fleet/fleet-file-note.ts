import { isProductionEnvironment, type FleetCluster, type FleetEnvironment, type FleetProblem, type SourceLocation } from './types';

/**
 * A repository without a Fleet file has no record of who owns an app, how critical it is or
 * whether it is exposed to the internet: the DORA rules that need those facts say nothing there
 * (a finding per Namespace that "belongs to no app of the Fleet file" would be noise), and this
 * one information note, on the object that makes the first production cluster known, suggests
 * writing one. Nothing is said where no cluster runs production: DORA judges production only.
 */
export const FLEET_FILE_NOTE_RULE = 'dora-fleet-file';

export function fleetFileNote(clusters: readonly FleetCluster[], environments: FleetEnvironment[]): FleetProblem | undefined {
	const model = { environments, clusters: [], apps: [], files: {}, problems: [] };
	const production = clusters.filter((c) => isProductionEnvironment(model, c.environment));
	for (const c of production) {
		const place = [c.location, ...c.syncs.map((s) => s.location)].map(placeOf).find((p) => p !== undefined);
		if (!place) continue;
		const names = production.map((x) => `"${x.name}"`).join(', ');
		return {
			ruleId: FLEET_FILE_NOTE_RULE,
			severity: 'info',
			message: `This repository deploys to production (${names}) but has no Fleet file, so the DORA checks that need its facts (who owns each app, how critical it is, whether it is exposed to the internet) are not made. Add a platform.gitops.io/v1alpha1 Fleet file that lists the environments and the apps with their owner and criticality (docs/dora.md).`,
			...place,
			target: 'value',
		};
	}
	return undefined;
}

/** The document and path a location's anchor (`file#document/json/path`, see `DocumentStore`) names. */
function placeOf(location: SourceLocation | undefined): { location: SourceLocation; documentIndex: number; path: (string | number)[] } | undefined {
	const m = location?.anchor ? /#(\d+)\/([^#]*?)!?$/.exec(location.anchor) : null;
	if (!location || !m) return undefined;
	const path = m[2] === '' ? [] : m[2].split('/').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
	return { location, documentIndex: Number(m[1]), path };
}

import type { FileReachResult } from '../../../../shared/protocol';
import type { FleetModel } from '../../engine/fleet/types';
import { clustersReached } from '../live-view';

/** Which clusters and environments a repository file reaches (Reveal File in Fleet, the first-line CodeLens). */
export function fileReach(fleet: FleetModel, rel: string): Pick<FileReachResult, 'clusters' | 'environments'> {
	const reached = clustersReached(fleet, rel);
	// In the fleet's order: environments in promotion order.
	const clusters = fleet.clusters.filter((c) => reached.has(c.name)).map((c) => ({ name: c.name, ...(c.environment ? { environment: c.environment } : {}) }));
	const environments = [...new Set(clusters.flatMap((c) => (c.environment ? [c.environment] : [])))];
	return { clusters, environments };
}

/** The CodeLens title: `reaches 3 clusters: staging-eu-west-1, prod-eu-west-1, prod-us-east-1`. */
export function reachTitle(reach: Pick<FileReachResult, 'clusters'>): string | undefined {
	const n = reach.clusters.length;
	if (n === 0) return undefined;
	const names = reach.clusters.map((c) => c.name);
	const shown = names.length > 4 ? `${names.slice(0, 4).join(', ')}, …` : names.join(', ');
	return `reaches ${n} cluster${n === 1 ? '' : 's'}: ${shown}`;
}

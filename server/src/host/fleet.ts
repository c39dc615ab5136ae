import type { RepoContext } from '../engine/engine';
import { EMPTY_FLEET, type FleetModel } from '../engine/fleet/types';
import type { RepoIndex } from '../engine/repo';

/**
 * The fleet model of a repository, for the compliance report (CLI and language server).
 * SEAM: fleet discovery (`discoverFleet`) is being built; until it lands this returns the model the
 * repository index carries, if any, else the empty fleet, and the report then counts the
 * repository as a whole ("not deployed to a known cluster"). Replace the body with the discovery
 * call; the callers need no change.
 */
export async function fleetFor(root: string, repo: RepoIndex): Promise<FleetModel> {
	void root;
	return (repo as RepoContext).fleet ?? EMPTY_FLEET;
}

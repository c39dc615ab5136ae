import type { ResourceCheck } from '../engine';
import { clusterClaimCheck } from './cluster-claim';
import { fleetCheck } from './fleet';

/** Semantic checks of our own kinds (Fleet, ClusterClaim), run after their JSON schemas. */
export const ownKindChecks: ResourceCheck[] = [fleetCheck, clusterClaimCheck];

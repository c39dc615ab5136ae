import type { ResourceCheck } from '../../context/check-context';
import { apiRemovedCheck } from './api-removed';
import { clusterClaimCheck } from './cluster-claim';
import { fleetCheck } from './fleet';
import { metadataNameCheck, metadataNameCheckFor } from './metadata-name';

/** Semantic checks of our own kinds (Fleet, ClusterClaim), run after their JSON schemas. */
export const ownKindChecks: ResourceCheck[] = [fleetCheck, clusterClaimCheck];

/** Checks every resource gets, whatever its kind. */
export const resourceChecks: ResourceCheck[] = [metadataNameCheck];

/** The same, knowing which kinds have a schema (`SchemaRegistry.lookup`): a known custom resource is an object wherever it lies. */
export function resourceChecksFor(registry: { lookup(apiVersion: string, kind: string): unknown }): ResourceCheck[] {
	return [metadataNameCheckFor((apiVersion, kind) => registry.lookup(apiVersion, kind) !== undefined)];
}

/** Checks of a resource's apiVersion against the target Kubernetes version. */
export const apiVersionChecks: ResourceCheck[] = [apiRemovedCheck];

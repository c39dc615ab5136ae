import { isPlainObject, type Resource } from '../core/resource';
import { isProductionEnvironment, type FleetModel, type TargetCluster } from './types';

/** The clusters of the fleet model as rules see them: which a file reaches, which a ClusterClaim declares. */

/** The clusters a repo-relative file reaches, as rules see them. */
export function targetsOf(fleet: FleetModel, path: string): TargetCluster[] {
	const names = fleet.files[path];
	if (!names || names.length === 0) return [];
	return names.flatMap((name) => targetCluster(fleet, name) ?? []);
}

/** A cluster of the fleet model as rules see it, or undefined when the model has no such cluster. */
export function targetCluster(fleet: FleetModel, name: string): TargetCluster | undefined {
	const c = fleet.clusters.find((x) => x.name === name);
	if (!c) return undefined;
	return { name: c.name, environment: c.environment, region: c.region, provider: c.provider, kubernetesVersion: c.kubernetesVersion, production: isProductionEnvironment(fleet, c.environment) };
}

/** The API of our ClusterClaim (schemas/own/platform.gitops.io/clusterclaim_v1alpha1.json). */
export const CLAIM_API_VERSION = 'platform.gitops.io/v1alpha1';

export type Provider = 'aws' | 'gcp' | 'azure';

export const SERVICE: Record<Provider, string> = { aws: 'EKS', gcp: 'GKE', azure: 'AKS' };

export function isClaim(resource: Pick<Resource, 'apiVersion' | 'kind'>): boolean {
	return resource.apiVersion === CLAIM_API_VERSION && resource.kind === 'ClusterClaim';
}

/**
 * The clusters a ClusterClaim declares, as rules see deployment targets: the Fleet's clusters
 * whose `claim` is this file (one claim may serve several), else the claim itself (its name,
 * environment and region). Empty for any other resource.
 */
export function declaredClusters(resource: Resource, fleet: FleetModel, path: string): TargetCluster[] {
	if (!isClaim(resource)) return [];
	const spec = isPlainObject(resource.value.spec) ? resource.value.spec : {};
	const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
	const version = isPlainObject(spec.kubernetes) ? str(spec.kubernetes.version) : undefined;
	const fromFleet = fleet.clusters.filter((c) => c.claim === path);
	if (fromFleet.length > 0) {
		return fromFleet.map((c) => {
			const environment = c.environment ?? str(spec.environment);
			return { name: c.name, environment, region: c.region ?? str(spec.region), provider: c.provider ?? str(spec.cloudProvider), kubernetesVersion: c.kubernetesVersion ?? version, production: isProductionEnvironment(fleet, environment) };
		});
	}
	const environment = str(spec.environment);
	return [{ name: resource.name ?? '(unnamed claim)', environment, region: str(spec.region), provider: str(spec.cloudProvider), kubernetesVersion: version, production: isProductionEnvironment(fleet, environment) }];
}


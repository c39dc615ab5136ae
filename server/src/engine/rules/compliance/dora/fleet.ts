import { isPlainObject, type Resource } from '../../../core/resource';
import { looksLikeProduction, type FleetApp, type FleetCluster, type FleetModel } from '../../../fleet/types';
import type { ComplianceContext } from '../rule';

/** Fleet-model helpers of the DORA rules: production environments and clusters, the clusters an app runs on. */

export function isProductionEnv(fleet: FleetModel, env: string | undefined): boolean {
	if (env === undefined) return false;
	const e = fleet.environments.find((x) => x.name === env);
	return e ? e.production : looksLikeProduction(env);
}

export function productionClusters(fleet: FleetModel): FleetCluster[] {
	return fleet.clusters.filter((c) => isProductionEnv(fleet, c.environment));
}

function covers(syncPath: string, appPath: string): boolean {
	const norm = (p: string) => p.replace(/^\.?\/+/, '').replace(/\/+$/, '');
	const s = norm(syncPath);
	const a = norm(appPath);
	return s === '' || s === a || a.startsWith(`${s}/`) || s.startsWith(`${a}/`);
}

/**
 * The production clusters an app runs on: those its versions name, and those of its production
 * environments whose synced paths cover the app's paths there; when no cluster of an environment
 * declares what it syncs, every cluster of that environment.
 */
export function appProductionClusters(app: FleetApp, fleet: FleetModel): FleetCluster[] {
	const out = new Set<FleetCluster>();
	const byName = new Map(fleet.clusters.map((c) => [c.name, c]));
	for (const v of app.versions) {
		if (!isProductionEnv(fleet, v.environment)) continue;
		for (const n of v.clusters) {
			const c = byName.get(n);
			if (c) out.add(c);
		}
	}
	for (const [env, paths] of Object.entries(app.paths)) {
		if (!isProductionEnv(fleet, env) || paths.length === 0) continue;
		const envClusters = fleet.clusters.filter((c) => c.environment === env);
		const known = envClusters.filter((c) => c.syncs.length > 0);
		const matching = known.filter((c) => c.syncs.some((s) => paths.some((p) => covers(s.path, p))));
		for (const c of known.length > 0 ? matching : envClusters) out.add(c);
	}
	return [...out];
}

/** Whether the app has a path or version in a production environment. */
export function runsInProduction(app: FleetApp, fleet: FleetModel): boolean {
	return Object.entries(app.paths).some(([env, ps]) => ps.length > 0 && isProductionEnv(fleet, env)) || app.versions.some((v) => isProductionEnv(fleet, v.environment));
}

/** The index of the Fleet file entry `spec.<list>[]` whose name is `name`, or -1. */
export function entryIndex(resource: Resource, list: 'apps' | 'clusters', name: string): number {
	const spec = resource.value.spec;
	const items = isPlainObject(spec) && Array.isArray(spec[list]) ? spec[list] : [];
	return items.findIndex((i) => isPlainObject(i) && i.name === name);
}

/** The Fleet file entries of `spec.<list>[]` with a string name, with their index. */
export function entries(resource: Resource, list: 'apps' | 'clusters'): { index: number; name: string; value: Record<string, unknown> }[] {
	const spec = resource.value.spec;
	const items = isPlainObject(spec) && Array.isArray(spec[list]) ? spec[list] : [];
	const out: { index: number; name: string; value: Record<string, unknown> }[] = [];
	items.forEach((value, index) => {
		if (isPlainObject(value) && typeof value.name === 'string') out.push({ index, name: value.name, value });
	});
	return out;
}

/** Whether a Fleet resource is the platform.gitops.io Fleet. */
export function isFleet(r: Pick<Resource, 'group' | 'kind'>): boolean {
	return r.kind === 'Fleet' && r.group === 'platform.gitops.io';
}

export function isClaim(r: Pick<Resource, 'group' | 'kind'>): boolean {
	return r.kind === 'ClusterClaim' && r.group === 'platform.gitops.io';
}

/** The cluster a ClusterClaim provisions, from the fleet model (by claim path, else by name). */
export function clusterOfClaim(resource: Resource, ctx: ComplianceContext): FleetCluster | undefined {
	return ctx.fleet.clusters.find((c) => c.claim === ctx.path) ?? ctx.fleet.clusters.find((c) => c.name === resource.name);
}

/** The environment of a ClusterClaim (the fleet model's cluster, else the claim's own spec.environment). */
export function claimEnvironment(resource: Resource, ctx: ComplianceContext): string | undefined {
	const spec = resource.value.spec;
	const own = isPlainObject(spec) && typeof spec.environment === 'string' ? spec.environment : undefined;
	return clusterOfClaim(resource, ctx)?.environment ?? own;
}

export function isProductionClaim(resource: Resource, ctx: ComplianceContext): boolean {
	return isProductionEnv(ctx.fleet, claimEnvironment(resource, ctx));
}

import { createHash } from 'node:crypto';
import type { LiveView } from '../engine/context/check-context';
import type { ObjectIndex } from '../engine/core/objects';
import type { Resource } from '../engine/core/resource';
import { isProductionEnvironment, type FleetCluster, type FleetModel, type TargetCluster } from '../engine/fleet/types';
import { indexState, stateAge, type ClusterState, type StateIndex } from '../engine/live/state';
import { liveProblems } from '../engine/rules/live';
import type { InstalledSchemas } from '../engine/rules/live/crd-schema';
import type { SchemaProblem } from '../engine/schema/types';

/** One cluster's state as the live checks see it, with its lookups and what identifies its content. */
export interface LiveCluster {
	target: TargetCluster;
	state: ClusterState;
	index: StateIndex;
	/** Equal for states whose checked content is equal (see `contentKey`). */
	key: string;
}

/** What the live checks know of a cluster a file reaches: the fleet's facts, the version the cluster runs. */
export function targetOf(cluster: Pick<FleetCluster, 'name' | 'environment' | 'region' | 'provider' | 'kubernetesVersion'>, state: ClusterState, fleet: FleetModel): TargetCluster {
	const minor = state.version.minor.replace(/\D+$/, '');
	return {
		name: cluster.name,
		environment: cluster.environment,
		region: cluster.region,
		provider: cluster.provider,
		kubernetesVersion: state.version.major && minor ? `${state.version.major}.${minor}` : cluster.kubernetesVersion,
		...(cluster.kubernetesVersion !== undefined ? { declaredKubernetesVersion: cluster.kubernetesVersion } : {}),
		production: isProductionEnvironment(fleet, cluster.environment),
	};
}

/**
 * What the live checks can see of a state, as a key. A watched cluster makes a new state object for
 * every event, also when only an object's status or annotations changed (Argo CD updates its
 * Applications every few seconds), which the kept metadata does not show: equal content, equal key,
 * so nothing is validated again.
 */
export class StateKeys {
	private readonly keys = new WeakMap<ClusterState, string>();
	private readonly ids = new WeakMap<object, number>();
	private next = 1;

	contentKey(state: ClusterState): string {
		let key = this.keys.get(state);
		if (key !== undefined) return key;
		const id = (o: object) => {
			let n = this.ids.get(o);
			if (n === undefined) this.ids.set(o, (n = this.next++));
			return n;
		};
		const objects = createHash('sha1').update(JSON.stringify(state.objects)).digest('base64');
		key = `${state.origin}|${state.version.gitVersion}|s${id(state.served)}|c${state.crds.map(id).join('.')}|a${(state.apiSchemas ?? []).map((a) => id(a.schema)).join('.')}|${(state.discoveryFailed ?? []).join(',')}|${objects}`;
		this.keys.set(state, key);
		return key;
	}

	/** The cluster with its lookups and key, reusing the lookups while the state object is the same. */
	cluster(target: TargetCluster, state: ClusterState, previous?: LiveCluster): LiveCluster {
		const index = previous && previous.state === state ? previous.index : indexState(state);
		return { target, state, index, key: this.contentKey(state) };
	}
}

/**
 * The live view of one repository: for each file, the clusters it reaches whose state is known
 * (the fleet's clusters it is synced to, a ClusterClaim's own cluster, and any cluster the fleet
 * model does not know, which every file is checked against), and their live problems. Its key
 * names every state's content and age and the repository objects' version: the engine re-runs the
 * live checks of a document only when it changes.
 */
export function liveView(clusters: readonly LiveCluster[], fleet: FleetModel, objects: ObjectIndex, objectsVersion: number, options: { schemas?: InstalledSchemas; clock?: () => Date; kubernetesVersion?: string } = {}): LiveView | undefined {
	if (clusters.length === 0) return undefined;
	const clock = options.clock ?? (() => new Date());
	return {
		// The age in messages is part of the key: a cached state's findings say how old it is now. So are
		// the declared and default versions the live `schema-version` check judges against.
		get key() {
			const now = clock();
			return `${clusters.map((c) => `${c.target.name}=${c.key}:${stateAge(c.state, now)}:d${c.target.declaredKubernetesVersion ?? ''}`).join(',')}|o${objectsVersion}|k${options.kubernetesVersion ?? ''}`;
		},
		problems(resource: Resource, path: string, partial: boolean): SchemaProblem[] {
			const reached = liveClustersOf(path, clusters, fleet);
			if (reached.length === 0) return [];
			const now = clock();
			return reached.flatMap((c) => liveProblems(resource, c.target, c.state, objects, { now, schemas: options.schemas, partial, index: c.index, settingVersion: options.kubernetesVersion }));
		},
	};
}

/**
 * The clusters with a live state a file is checked against: those of the fleet model that the file
 * reaches (a ClusterClaim: the cluster it declares), plus any the fleet model does not know (a context
 * or snapshot of a cluster no Fleet, Flux or Argo CD object names: every file is checked against it).
 */
export function liveClustersOf<C extends { target: { name: string } }>(path: string, clusters: readonly C[], fleet: FleetModel): C[] {
	const known = new Set(fleet.clusters.map((c) => c.name));
	const reached = clustersReached(fleet, path);
	return clusters.filter((c) => !known.has(c.target.name) || reached.has(c.target.name));
}

/** The clusters a file reaches: those the fleet model syncs it to, and for a ClusterClaim the cluster it declares. */
export function clustersReached(fleet: FleetModel, rel: string): Set<string> {
	const out = new Set(fleet.files[rel] ?? []);
	for (const c of fleet.clusters) if (c.claim === rel) out.add(c.name);
	return out;
}

/** The files that reach a cluster (its claim included). */
export function filesReaching(fleet: FleetModel, cluster: string): Set<string> {
	const out = new Set<string>();
	for (const [rel, names] of Object.entries(fleet.files)) if (names.includes(cluster)) out.add(rel);
	const claim = fleet.clusters.find((c) => c.name === cluster)?.claim;
	if (claim) out.add(claim);
	return out;
}

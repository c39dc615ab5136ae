import type { TargetCluster } from '../../fleet/types';
import type { ObjectIndex } from '../../core/objects';
import type { Resource } from '../../core/resource';
import type { LiveSchemas, SchemaProblem } from '../../schema/types';

export type { LiveSchemas } from '../../schema/types';
import { indexState, stateAge, type ClusterState, type StateIndex } from '../../live/state';

/** Everything one live check sees: one resource and the state of ONE cluster it is deployed to. */
export interface LiveContext {
	resource: Resource;
	target: TargetCluster;
	state: ClusterState;
	index: StateIndex;
	/** What the repository creates (for "missing, and not created by the repo either"). */
	objects: ObjectIndex;
	now: Date;
	schemas?: LiveSchemas;
	/** Kustomize patch files are partial by design: no missing-required problems. */
	partial?: boolean;
	/** `cluster prod-us-east-1 (cached, 2 h old)`: appended to every message. */
	where: string;
	/** `fleetscope.kubernetesVersion`, where the host gives it. */
	settingVersion?: string;
}

export interface LiveCheck {
	readonly id: string;
	check(ctx: LiveContext): SchemaProblem[];
}

export interface LiveOptions {
	/** The clock for the state's age in messages (injected by tests). */
	now?: Date;
	/** To validate custom resources against the CRD schemas installed in the cluster, and aggregated APIs' objects against the schemas it publishes; without it `live-crd-schema` and `live-api-schema` are off. */
	schemas?: LiveSchemas;
	/** The file is a kustomize patch (partial by design). */
	partial?: boolean;
	/** The state's lookups, where its holder keeps them (else built for this call). */
	index?: StateIndex;
	/** `fleetscope.kubernetesVersion`: what the static checks judged a cluster that declares no version at. */
	settingVersion?: string;
}

export function liveContext(resource: Resource, target: TargetCluster, state: ClusterState, objects: ObjectIndex, options: LiveOptions = {}): LiveContext {
	const now = options.now ?? new Date();
	return {
		resource,
		target,
		state,
		index: options.index ?? indexState(state),
		objects,
		now,
		schemas: options.schemas,
		partial: options.partial ?? false,
		where: `cluster ${target.name} (${stateAge(state, now)})`,
		settingVersion: options.settingVersion,
	};
}

/** Kinds that never go to a cluster's API server: our own planning kinds, kustomize's build files, kubectl's List. */
export function isClusterObject(r: Pick<Resource, 'group' | 'kind' | 'apiVersion'>): boolean {
	if (r.group === 'platform.gitops.io' && (r.kind === 'Fleet' || r.kind === 'ClusterClaim')) return false;
	if (r.group === 'kustomize.config.k8s.io') return false;
	if (r.apiVersion === 'v1' && r.kind === 'List') return false;
	if (r.group === 'config.kubernetes.io' || r.group === 'kpt.dev') return false;
	return true;
}

import type { DocumentStore } from '../fleet/reader';
import type { ClusterRender } from '../fleet/targets';
import type { FleetModel } from '../fleet/types';
import type { LiveObjects } from '../live/full-objects';
import type { DriftClusterInput } from './engine';
import { ownersOf } from './owners';

/**
 * The inputs of `computeDrift` for the clusters of a fleet model: each cluster's render, the
 * GitOps objects that sync to it, and its live objects (by cluster name) where a host has them.
 */

export interface LiveFor {
	objects?: LiveObjects;
	/** The context or snapshot directory. */
	context?: string;
	/** Why there are no objects (unreachable, never cached). */
	unavailable?: string;
	dryRun?: DriftClusterInput['dryRun'];
}

export function driftInputs(model: FleetModel, renders: readonly ClusterRender[], store: DocumentStore, live: ReadonlyMap<string, LiveFor>): DriftClusterInput[] {
	const out: DriftClusterInput[] = [];
	for (const [name, l] of live) {
		const cluster = model.clusters.find((c) => c.name === name);
		out.push({
			cluster: name,
			context: l.context,
			render: renders.find((r) => r.cluster === name),
			owners: cluster ? ownersOf(cluster, store) : [],
			live: l.objects,
			unavailable: l.unavailable,
			dryRun: l.dryRun,
		});
	}
	return out;
}

import type { ClusterRender } from '../../engine/fleet/targets';
import { groupOf, objectKey, type DriftProjection } from '../../engine/drift';
import type { LiveObjects } from '../../engine/live/full-objects';
import { KubeRequestError } from './errors';
import type { FullObjectsSource } from './full-objects';

/**
 * The optional server-side apply dry-run (`fleetscope.drift.serverSideDryRun`, off by default):
 * for each object Git sends that the cluster has, `PATCH ?dryRun=All&fieldManager=fleetscope`
 * asks the API server what an apply would leave, defaults and webhooks included, without changing
 * anything. The only request other than GET, LIST and WATCH that Fleetscope may send to a cluster.
 * Never for Secrets (the answer would carry their data). A refusal (no `patch` permission, a
 * webhook rejecting) is kept per object: drift then compares Git's text and says so.
 */

export type DryRunResults = Map<string, { predicted?: Record<string, unknown>; error?: string }>;

export async function dryRunObjects(source: FullObjectsSource, render: ClusterRender, live: LiveObjects, projection: DriftProjection, enabled: boolean): Promise<DryRunResults> {
	const out: DryRunResults = new Map();
	// The setting is checked here as well as by callers: nothing but GET, LIST and WATCH leaves without it.
	if (!enabled) return out;
	for (const { object } of render.objects) {
		const v = object.value;
		const meta = (v.metadata ?? {}) as { name?: string; namespace?: string };
		if (typeof v.apiVersion !== 'string' || typeof v.kind !== 'string' || !meta.name) continue;
		const group = groupOf(v.apiVersion);
		if (group === '' && v.kind === 'Secret') continue;
		const kind = live.kinds[`${group}|${v.kind}`];
		if (!kind || kind.coverage !== 'complete') continue;
		const ns = kind.namespaced ? (meta.namespace ?? 'default') : undefined;
		const key = objectKey(group, v.kind, ns, meta.name);
		if (!kind.items.some((o) => o.metadata.name === meta.name && (o.metadata.namespace ?? undefined) === ns)) continue;
		const path = source.objectPath(group, v.kind, ns, meta.name);
		if (!path) continue;
		try {
			const predicted = await source.kubeClient.dryRunApply<Record<string, unknown>>(path, { ...v, metadata: { ...meta, ...(ns ? { namespace: ns } : {}) } });
			const projected = projection.project(predicted);
			if (projected) out.set(key, { predicted: projected as unknown as Record<string, unknown> });
		} catch (e) {
			out.set(key, { error: e instanceof KubeRequestError ? e.message : e instanceof Error ? e.message : String(e) });
		}
	}
	return out;
}

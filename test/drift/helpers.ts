import { discoverFleet } from '../../server/src/engine/fleet/discover';
import { DocumentStore } from '../../server/src/engine/fleet/reader';
import { TargetRenderer, type ClusterRender } from '../../server/src/engine/fleet/targets';
import type { LiveKindObjects, LiveObjects } from '../../server/src/engine/live/full-objects';
import { builtinResources } from '../../server/src/engine/live/builtin-apis';
import { computeClusterDrift, DriftProjection, ownersOf, storeLocator, type DriftOptions, type DriftOwner } from '../../server/src/engine/drift';
import { groupOf } from '../../server/src/engine/drift/identity';
import type { DriftCluster, DriftObject } from '../../shared/protocol';
import { serverApply, withFluxOwner } from '../../tools/kube-sim/writes';
import type { Obj } from '../../tools/kube-sim/store';
import { memoryRepo } from '../fleet/helpers';

export { yaml } from '../fleet/helpers';

const NAMESPACED = new Map(builtinResources(30).map((d) => [`${d.group}|${d.kind}`, d.namespaced]));

/** Live objects of one cluster as a host keeps them: grouped by kind, projected to what the repository declares. */
export function liveObjects(cluster: string, raw: Obj[], projection: DriftProjection, overrides: Record<string, Partial<LiveKindObjects>> = {}): LiveObjects {
	const kinds: Record<string, LiveKindObjects> = {};
	const entry = (group: string, kind: string) => (kinds[`${group}|${kind}`] ??= { group, kind, namespaced: NAMESPACED.get(`${group}|${kind}`) ?? true, coverage: 'complete', items: [], ...(kind === 'Secret' && group === '' ? { metadataOnly: true } : {}) });
	for (const k of projection.kinds()) entry(k.group, k.kind);
	for (const o of raw) entry(groupOf(o.apiVersion), o.kind).items.push(projection.project(o)!);
	for (const [k, o] of Object.entries(overrides)) {
		const [group, kind] = k.split('|');
		kinds[k] = { ...entry(group, kind), ...o };
	}
	return { cluster, origin: 'snapshot', fetchedAt: '2026-05-01T12:00:00Z', kinds };
}

/** A repository in memory, discovered and rendered as the hosts do it. */
export function driftRepo(files: Record<string, string>) {
	const store = new DocumentStore(memoryRepo(files));
	const model = discoverFleet(store);
	const renders = new TargetRenderer(store).renderAll(model);
	const projection = DriftProjection.fromRenders(renders);
	const render = (cluster: string): ClusterRender => {
		const r = renders.find((x) => x.cluster === cluster);
		if (!r) throw new Error(`no render of ${cluster}: ${renders.map((x) => x.cluster).join(', ')}`);
		return r;
	};
	const owners = (cluster: string): DriftOwner[] => ownersOf(model.clusters.find((c) => c.name === cluster)!, store);
	return {
		store,
		model,
		renders,
		projection,
		/** What the cluster holds once kustomize-controller applied every rendered object (defaults, quantities, managedFields, ownership labels). */
		deployed(cluster: string, time = '2026-05-01T10:00:00Z'): Obj[] {
			const ks = owners(cluster).filter((o) => o.kind === 'flux-kustomization');
			return render(cluster).objects.map(({ object, via }) => {
				const owner = ks.find((k) => k.path === via);
				const sent = owner ? withFluxOwner(object.value, { name: owner.name, namespace: owner.namespace ?? 'flux-system' }) : structuredClone(object.value);
				if (sent.metadata && !sent.metadata.namespace && NAMESPACED.get(`${groupOf(sent.apiVersion)}|${sent.kind}`)) sent.metadata.namespace = owner?.targetNamespace ?? 'default';
				return serverApply(undefined, sent, { manager: 'kustomize-controller', time });
			});
		},
		drift(cluster: string, raw: Obj[] | undefined, options: DriftOptions & { kinds?: Record<string, Partial<LiveKindObjects>>; owners?: DriftOwner[] } = {}): DriftCluster {
			return computeClusterDrift(
				{ cluster, render: render(cluster), owners: options.owners ?? owners(cluster), live: raw ? liveObjects(cluster, raw, projection, options.kinds) : undefined, unavailable: raw ? undefined : 'unreachable' },
				{ locate: storeLocator(store), ...options },
			);
		},
	};
}

/** Replaces the object of that kind and name in a list of live objects. */
export function edit(objs: Obj[], kind: string, name: string, change: (o: Obj) => Obj): Obj[] {
	return objs.map((o) => (o.kind === kind && o.metadata.name === name ? change(o) : o));
}

/** `state kind/name` per object, compact for assertions. */
export const states = (c: DriftCluster) => c.objects.map((o) => `${o.state} ${o.kind}/${o.namespace ? `${o.namespace}/` : ''}${o.name}`);

export function find(c: DriftCluster, kind: string, name: string): DriftObject {
	const o = c.objects.find((x) => x.kind === kind && x.name === name);
	if (!o) throw new Error(`no ${kind}/${name} in ${states(c).join('; ')}`);
	return o;
}

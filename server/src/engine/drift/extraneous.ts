import { isPlainObject } from '../core/resource';
import type { LiveObject, LiveObjects } from '../live/full-objects';
import type { DriftObject } from '../../../../shared/protocol';
import { groupOf, objectKey } from './identity';
import type { DriftOwner } from './owners';

/**
 * Live objects Git no longer sends. `extraneous`: the object carries this repository's GitOps
 * ownership (Flux's `kustomize.toolkit.fluxcd.io/name` and `/namespace` labels of one of this
 * cluster's Kustomizations, Argo CD's tracking annotation or `app.kubernetes.io/instance` label of
 * one of its Applications): it will be pruned, or stays orphaned where pruning is off. Where the
 * Kustomization's `status.inventory` is readable, the inventory decides. An object a controller
 * owns through an `ownerReference` (EndpointSlices copy their Service's labels) is never
 * extraneous. Objects a HelmRelease of this repository installed are `skipped` (charts are not
 * rendered locally). `unmanaged` (opt-in): in a namespace the repository deploys to, owned by nothing.
 */

const FLUX_NAME = 'kustomize.toolkit.fluxcd.io/name';
const FLUX_NS = 'kustomize.toolkit.fluxcd.io/namespace';
const HELM_NAME = 'helm.toolkit.fluxcd.io/name';
const HELM_NS = 'helm.toolkit.fluxcd.io/namespace';
const ARGO_TRACKING = 'argocd.argoproj.io/tracking-id';
const ARGO_LABEL = 'app.kubernetes.io/instance';

/** Objects every namespace has that nobody declares (Argo CD's orphaned-resources exceptions). */
function builtIn(o: LiveObject): boolean {
	const ns = o.metadata.namespace;
	return (
		(o.kind === 'ServiceAccount' && o.metadata.name === 'default') ||
		(o.kind === 'ConfigMap' && o.metadata.name === 'kube-root-ca.crt') ||
		(o.kind === 'Service' && o.metadata.name === 'kubernetes' && ns === 'default') ||
		(o.kind === 'Secret' && typeof o.type === 'string' && o.type === 'kubernetes.io/service-account-token')
	);
}

interface Inventory {
	owner: DriftOwner;
	ids: Set<string>;
}

/** The inventories of this cluster's Flux Kustomizations that the live state carries. */
function inventories(live: LiveObjects, owners: readonly DriftOwner[]): Inventory[] {
	const ks = live.kinds['kustomize.toolkit.fluxcd.io|Kustomization']?.items ?? [];
	const out: Inventory[] = [];
	for (const owner of owners) {
		if (owner.kind !== 'flux-kustomization') continue;
		const k = ks.find((x) => x.metadata.name === owner.name && x.metadata.namespace === owner.namespace);
		const inv = k && isPlainObject(k.status) && isPlainObject(k.status.inventory) ? k.status.inventory : undefined;
		if (!inv || !Array.isArray(inv.entries)) continue;
		out.push({ owner, ids: new Set(inv.entries.filter(isPlainObject).map((e) => String(e.id))) });
	}
	return out;
}

function pruneText(owner: DriftOwner): string {
	return owner.prune ? 'it will be deleted at the next reconciliation (prune is on)' : 'pruning is off, so it stays on the cluster, orphaned';
}

/** The owner of this repository whose marks the object carries, and how it is marked. */
function repoOwner(o: LiveObject, owners: readonly DriftOwner[]): { owner: DriftOwner; how: 'flux' | 'argo' | 'helm' } | undefined {
	const labels = o.metadata.labels ?? {};
	const annotations = o.metadata.annotations ?? {};
	if (labels[FLUX_NAME] !== undefined) {
		const owner = owners.find((w) => w.kind === 'flux-kustomization' && w.name === labels[FLUX_NAME] && (w.namespace ?? 'flux-system') === (labels[FLUX_NS] ?? w.namespace));
		if (owner) return { owner, how: 'flux' };
	}
	if (labels[HELM_NAME] !== undefined) {
		const owner = owners.find((w) => w.kind === 'flux-helmrelease' && w.name === labels[HELM_NAME] && (labels[HELM_NS] === undefined || w.namespace === labels[HELM_NS]));
		if (owner) return { owner, how: 'helm' };
	}
	const argo = owners.filter((w) => w.kind === 'argo-application' || w.kind === 'argo-applicationset');
	const tracking = annotations[ARGO_TRACKING];
	if (tracking !== undefined) {
		const app = tracking.split(':')[0];
		const owner = argo.find((w) => w.name === app || `${w.namespace}_${w.name}` === app);
		if (owner) return { owner, how: 'argo' };
	}
	if (labels[ARGO_LABEL] !== undefined) {
		const owner = argo.find((w) => w.name === labels[ARGO_LABEL]);
		if (owner) return { owner, how: 'argo' };
	}
	return undefined;
}

function anyOwnerMark(o: LiveObject): boolean {
	const labels = o.metadata.labels ?? {};
	const annotations = o.metadata.annotations ?? {};
	return labels[FLUX_NAME] !== undefined || labels[HELM_NAME] !== undefined || annotations[ARGO_TRACKING] !== undefined || labels['app.kubernetes.io/managed-by'] !== undefined;
}

export interface LeftoverOptions {
	/** Report `unmanaged` objects too. */
	unmanaged: boolean;
	/** Namespaces the repository deploys to on this cluster (where `unmanaged` looks). */
	namespaces: ReadonlySet<string>;
}

/** The live objects of the listed kinds that Git does not send, with their state (extraneous, skipped, unmanaged); others are left out. */
export function leftoverObjects(live: LiveObjects, desiredKeys: ReadonlySet<string>, owners: readonly DriftOwner[], options: LeftoverOptions): DriftObject[] {
	const invs = inventories(live, owners);
	const out: DriftObject[] = [];
	for (const kind of Object.values(live.kinds)) {
		if (kind.coverage !== 'complete' && kind.coverage !== 'partial') continue;
		for (const o of kind.items) {
			const group = groupOf(o.apiVersion);
			const ns = kind.namespaced ? o.metadata.namespace : undefined;
			if (desiredKeys.has(objectKey(group, o.kind, ns, o.metadata.name))) continue;
			if (o.metadata.ownerReferences?.some((r) => r.controller)) continue;
			const base: DriftObject = { apiVersion: o.apiVersion, kind: o.kind, namespace: ns ?? null, name: o.metadata.name, state: 'extraneous', source: null, fields: [], reason: null };
			const id = `${ns ?? ''}_${o.metadata.name}_${group}_${o.kind}`;
			const inInventory = invs.find((i) => i.ids.has(id));
			if (inInventory) {
				out.push({ ...base, reason: `Listed in the inventory of the Flux Kustomization ${inInventory.owner.namespace}/${inInventory.owner.name}, but no longer in Git: ${pruneText(inInventory.owner)}.` });
				continue;
			}
			const mark = repoOwner(o, owners);
			if (mark?.how === 'helm') {
				out.push({ ...base, state: 'skipped', reason: `Installed by the HelmRelease ${mark.owner.namespace}/${mark.owner.name}: Fleetscope does not render Helm charts, so it cannot compare the chart's objects.` });
				continue;
			}
			if (mark?.how === 'flux') {
				// With an inventory, the inventory decides: marked but not inventoried is not Flux's to prune.
				if (invs.some((i) => i.owner === mark.owner)) continue;
				out.push({ ...base, reason: `Carries the ownership labels of the Flux Kustomization ${mark.owner.namespace}/${mark.owner.name}, which no longer renders it: ${pruneText(mark.owner)}.` });
				continue;
			}
			if (mark?.how === 'argo') {
				out.push({ ...base, reason: `Tracked by the Argo CD Application ${mark.owner.namespace}/${mark.owner.name}, which no longer renders it: ${mark.owner.prune ? 'automated sync will delete it (prune is on)' : 'Argo CD shows it as requiring pruning'}.` });
				continue;
			}
			if (options.unmanaged && ns !== undefined && options.namespaces.has(ns) && !anyOwnerMark(o) && !o.metadata.ownerReferences?.length && !builtIn(o)) {
				out.push({ ...base, state: 'unmanaged', reason: `In the namespace ${ns}, which this repository deploys to, but neither Git nor any GitOps object or owner reference manages it.` });
			}
		}
	}
	return out.sort((a, b) => `${a.kind}|${a.namespace ?? ''}|${a.name}`.localeCompare(`${b.kind}|${b.namespace ?? ''}|${b.name}`));
}

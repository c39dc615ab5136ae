import { curId, type Gvk, type Res, type ResId } from './resource';

/**
 * Kustomize's legacy output order (SortOrderTransformer, the default of `kubectl kustomize` and
 * Flux): namespaces, CRDs, RBAC, config and services first, webhooks last, everything else by
 * group, version and kind; within a kind by namespace and name. `sortOptions` can change the
 * lists or keep the input order (fifo).
 */

export const ORDER_FIRST = [
	'Namespace', 'ResourceQuota', 'StorageClass', 'CustomResourceDefinition', 'ServiceAccount', 'PodSecurityPolicy', 'Role', 'ClusterRole',
	'RoleBinding', 'ClusterRoleBinding', 'ConfigMap', 'Secret', 'Endpoints', 'Service', 'LimitRange', 'PriorityClass', 'PersistentVolume',
	'PersistentVolumeClaim', 'Deployment', 'StatefulSet', 'CronJob', 'PodDisruptionBudget',
];
export const ORDER_LAST = ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'];

function gvkString(g: Gvk): string {
	return `${g.group || '~G'}_${g.version || '~V'}_${g.kind || '~K'}`;
}

function idString(id: ResId): string {
	return `${gvkString(id)}|${id.namespace || '~X'}|${id.name || '~N'}`;
}

// Go compares strings bytewise; the sort keys here are ASCII in practice, where that is JS's order too.
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function legacySort(resources: Res[], first = ORDER_FIRST, last = ORDER_LAST): Res[] {
	const rank = new Map<string, number>();
	first.forEach((k, i) => rank.set(k, -first.length + i));
	last.forEach((k, i) => rank.set(k, 1 + i));
	const keyed = resources.map((r) => ({ r, id: curId(r) }));
	keyed.sort((a, b) => {
		const ga = a.id;
		const gb = b.id;
		if (ga.group !== gb.group || ga.version !== gb.version || ga.kind !== gb.kind) {
			const ra = rank.get(ga.kind) ?? 0;
			const rb = rank.get(gb.kind) ?? 0;
			if (ra !== rb) return ra - rb;
			return cmp(gvkString(ga), gvkString(gb));
		}
		return cmp(idString(a.id), idString(b.id));
	});
	return keyed.map((k) => k.r);
}

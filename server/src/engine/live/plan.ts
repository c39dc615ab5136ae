import type { ObjectIndex } from '../core/objects';

/**
 * What a host must fetch from a cluster for the live checks of a repository: the kinds the
 * checks look objects up in (references and the generators that create them), and the namespaces
 * the repository deploys to (listed one by one where a cluster-wide list is forbidden).
 */

export interface FetchKind {
	group: string;
	kind: string;
}

/** Kinds `live-missing-reference` looks up, and the generators whose presence it checks. */
export const LIVE_FETCH_KINDS: readonly FetchKind[] = [
	{ group: '', kind: 'Namespace' },
	{ group: '', kind: 'Secret' },
	{ group: '', kind: 'ConfigMap' },
	{ group: '', kind: 'ServiceAccount' },
	{ group: '', kind: 'PersistentVolumeClaim' },
	{ group: 'storage.k8s.io', kind: 'StorageClass' },
	{ group: 'networking.k8s.io', kind: 'IngressClass' },
	{ group: 'networking.k8s.io', kind: 'Ingress' },
	{ group: 'scheduling.k8s.io', kind: 'PriorityClass' },
	{ group: 'external-secrets.io', kind: 'ExternalSecret' },
	{ group: 'cert-manager.io', kind: 'Certificate' },
	{ group: 'bitnami.com', kind: 'SealedSecret' },
	{ group: 'helm.toolkit.fluxcd.io', kind: 'HelmRelease' },
	{ group: 'argoproj.io', kind: 'Application' },
];

export function liveFetchPlan(objects: ObjectIndex): { kinds: FetchKind[]; namespaces: string[] } {
	const namespaces = new Set<string>();
	for (const o of objects.all()) {
		if (o.namespace) namespaces.add(o.namespace);
		if (o.kind === 'Namespace' && o.name) namespaces.add(o.name);
	}
	return { kinds: [...LIVE_FETCH_KINDS], namespaces: [...namespaces].sort() };
}

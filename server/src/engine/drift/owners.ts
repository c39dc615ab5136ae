import { isPlainObject } from '../core/resource';
import type { DocRef, DocumentStore } from '../fleet/reader';
import type { FleetCluster, SyncKind, SyncSource } from '../fleet/types';
import { argoRules, helmReleaseRules, type IgnoreRule } from './ignore';

/**
 * The GitOps objects of this repository that sync paths to one cluster (Flux Kustomizations, Argo
 * CD Applications, HelmReleases): what their ownership marks look like on live objects, whether
 * they prune, and the ignore rules they carry. Built from the fleet model and the documents.
 */

export interface DriftOwner {
	kind: SyncKind;
	name: string;
	/** The namespace of the syncing object (Flux Kustomization, HelmRelease, Argo Application). */
	namespace?: string;
	/** The synced path: rendered objects whose `via` is this path belong to this owner. */
	path: string;
	/** Objects without a namespace land here (Flux `targetNamespace`, Argo `destination.namespace`); default `default`. */
	targetNamespace?: string;
	/** Whether objects removed from Git are deleted from the cluster (Flux `prune`, Argo `syncPolicy.automated.prune`). */
	prune?: boolean;
	rules: IgnoreRule[];
}

function docOf(store: DocumentStore, s: SyncSource, kinds: string[]): DocRef | undefined {
	if (s.object) return store.documents(s.object.file).find((d) => d.documentIndex === s.object!.documentIndex);
	const file = s.location?.file ?? (s.kind === 'flux-helmrelease' ? s.path : undefined);
	if (!file) return undefined;
	const anchorDoc = s.location?.anchor ? Number(/#(\d+)\//.exec(s.location.anchor)?.[1]) : NaN;
	const docs = store.documents(file).filter((d) => kinds.includes(d.kind));
	return docs.find((d) => d.documentIndex === anchorDoc) ?? docs.find((d) => d.name === s.name) ?? (docs.length === 1 ? docs[0] : undefined);
}

function bool(v: unknown): boolean | undefined {
	return typeof v === 'boolean' ? v : undefined;
}

export function ownersOf(cluster: FleetCluster, store: DocumentStore): DriftOwner[] {
	const out: DriftOwner[] = [];
	for (const s of cluster.syncs) {
		const base = { kind: s.kind, name: s.name, path: s.path, ...(s.targetNamespace ? { targetNamespace: s.targetNamespace } : {}), rules: [] as IgnoreRule[] };
		switch (s.kind) {
			case 'flux-kustomization': {
				const d = docOf(store, s, ['Kustomization']);
				const spec = isPlainObject(d?.value.spec) ? d!.value.spec : {};
				out.push({ ...base, namespace: d?.namespace ?? 'flux-system', prune: bool(spec.prune) ?? false });
				break;
			}
			case 'flux-helmrelease': {
				const d = docOf(store, s, ['HelmRelease']);
				const ns = d?.namespace ?? 'flux-system';
				out.push({ ...base, namespace: ns, rules: helmReleaseRules(d?.value.spec, `HelmRelease ${ns}/${s.name}`) });
				break;
			}
			case 'argo-application':
			case 'argo-applicationset': {
				const d = docOf(store, s, ['Application', 'ApplicationSet']);
				let spec: unknown = d?.value.spec;
				// An ApplicationSet's Applications come from its template.
				if (d?.kind === 'ApplicationSet' && isPlainObject(spec) && isPlainObject(spec.template)) spec = spec.template.spec;
				const sp = isPlainObject(spec) ? spec : {};
				const automated = isPlainObject(sp.syncPolicy) && isPlainObject(sp.syncPolicy.automated) ? sp.syncPolicy.automated : undefined;
				const ns = d?.namespace ?? 'argocd';
				out.push({ ...base, namespace: ns, prune: bool(automated?.prune) ?? false, rules: argoRules(sp, `Application ${ns}/${s.name}`) });
				break;
			}
			default:
				out.push(base);
		}
	}
	return out;
}

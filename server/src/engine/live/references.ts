import { containersOf, podSpecOf } from '../core/pod-spec';
import type { NodePath } from '../core/parse';
import { isPlainObject, type Resource } from '../core/resource';
import type { Severity } from '../core/types';

/**
 * The objects a resource needs to exist in its cluster: Secrets and ConfigMaps it mounts or reads
 * through env/envFrom, image pull Secrets, its ServiceAccount, claims, and the StorageClass,
 * IngressClass and PriorityClass it names. Optional references (`optional: true`) are left out:
 * the pod starts without them.
 */

export interface Reference {
	group: string;
	kind: string;
	name: string;
	/** Namespaced references live in the resource's namespace. */
	namespaced: boolean;
	/** Path of the name's value inside the resource. */
	path: NodePath;
	/** How the resource uses it, for the message: `volume "db-credentials"`, `env DATABASE_URL of container "api"`. */
	use: string;
	/** What goes wrong while it is missing. */
	consequence: string;
	severity?: Severity;
}

const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v !== '';
const optional = (o: Record<string, unknown>) => o.optional === true;

const POD_START = 'the pods stay in ContainerCreating until it exists';
const CONTAINER_START = 'the containers fail with CreateContainerConfigError until it exists';

function podReferences(r: Resource, out: Reference[]): void {
	const pod = podSpecOf(r);
	if (!pod) return;
	const spec = pod.spec;
	const at = (...rest: NodePath) => [...pod.path, ...rest];
	const sa = nonEmpty(spec.serviceAccountName) ? 'serviceAccountName' : nonEmpty(spec.serviceAccount) ? 'serviceAccount' : undefined;
	// Every namespace gets its `default` ServiceAccount from the controller manager.
	if (sa && spec[sa] !== 'default') {
		out.push({ group: '', kind: 'ServiceAccount', name: spec[sa] as string, namespaced: true, path: at(sa), use: 'the pods\' service account', consequence: 'the controller cannot create the pods (error looking up service account)' });
	}
	if (nonEmpty(spec.priorityClassName)) {
		out.push({ group: 'scheduling.k8s.io', kind: 'PriorityClass', name: spec.priorityClassName, namespaced: false, path: at('priorityClassName'), use: 'the pods\' priority class', consequence: 'the API server rejects the pods (no PriorityClass with that name was found)' });
	}
	if (Array.isArray(spec.imagePullSecrets)) {
		spec.imagePullSecrets.forEach((s, i) => {
			if (isPlainObject(s) && nonEmpty(s.name)) {
				out.push({ group: '', kind: 'Secret', name: s.name, namespaced: true, path: at('imagePullSecrets', i, 'name'), use: 'an image pull secret', consequence: 'pulls from a private registry fail (ImagePullBackOff)', severity: 'warning' });
			}
		});
	}
	if (Array.isArray(spec.volumes)) {
		spec.volumes.forEach((v, i) => {
			if (!isPlainObject(v)) return;
			const use = nonEmpty(v.name) ? `volume "${v.name}"` : `volume #${i + 1}`;
			if (isPlainObject(v.secret) && nonEmpty(v.secret.secretName) && !optional(v.secret)) {
				out.push({ group: '', kind: 'Secret', name: v.secret.secretName, namespaced: true, path: at('volumes', i, 'secret', 'secretName'), use, consequence: POD_START });
			}
			if (isPlainObject(v.configMap) && nonEmpty(v.configMap.name) && !optional(v.configMap)) {
				out.push({ group: '', kind: 'ConfigMap', name: v.configMap.name, namespaced: true, path: at('volumes', i, 'configMap', 'name'), use, consequence: POD_START });
			}
			if (isPlainObject(v.persistentVolumeClaim) && nonEmpty(v.persistentVolumeClaim.claimName)) {
				out.push({ group: '', kind: 'PersistentVolumeClaim', name: v.persistentVolumeClaim.claimName, namespaced: true, path: at('volumes', i, 'persistentVolumeClaim', 'claimName'), use, consequence: 'the pods stay Pending until it exists' });
			}
			if (isPlainObject(v.projected) && Array.isArray(v.projected.sources)) {
				v.projected.sources.forEach((s, j) => {
					if (!isPlainObject(s)) return;
					for (const [key, kind] of [['secret', 'Secret'], ['configMap', 'ConfigMap']] as const) {
						const src = s[key];
						if (isPlainObject(src) && nonEmpty(src.name) && !optional(src)) {
							out.push({ group: '', kind, name: src.name, namespaced: true, path: at('volumes', i, 'projected', 'sources', j, key, 'name'), use, consequence: POD_START });
						}
					}
				});
			}
		});
	}
	for (const c of containersOf(pod)) {
		const label = c.label.charAt(0).toLowerCase() + c.label.slice(1);
		const env = c.container.env;
		if (Array.isArray(env)) {
			env.forEach((e, i) => {
				if (!isPlainObject(e) || !isPlainObject(e.valueFrom)) return;
				for (const [key, kind] of [['secretKeyRef', 'Secret'], ['configMapKeyRef', 'ConfigMap']] as const) {
					const ref = e.valueFrom[key];
					if (isPlainObject(ref) && nonEmpty(ref.name) && !optional(ref)) {
						const name = nonEmpty(e.name) ? `env ${e.name}` : `env #${i + 1}`;
						out.push({ group: '', kind, name: ref.name, namespaced: true, path: [...c.path, 'env', i, 'valueFrom', key, 'name'], use: `${name} of ${label}`, consequence: CONTAINER_START });
					}
				}
			});
		}
		const envFrom = c.container.envFrom;
		if (Array.isArray(envFrom)) {
			envFrom.forEach((e, i) => {
				if (!isPlainObject(e)) return;
				for (const [key, kind] of [['secretRef', 'Secret'], ['configMapRef', 'ConfigMap']] as const) {
					const ref = e[key];
					if (isPlainObject(ref) && nonEmpty(ref.name) && !optional(ref)) {
						out.push({ group: '', kind, name: ref.name, namespaced: true, path: [...c.path, 'envFrom', i, key, 'name'], use: `envFrom of ${label}`, consequence: CONTAINER_START });
					}
				}
			});
		}
	}
}

function storageClass(name: unknown, path: NodePath, use: string, out: Reference[]): void {
	// `storageClassName: ""` asks for no class (static provisioning).
	if (nonEmpty(name)) out.push({ group: 'storage.k8s.io', kind: 'StorageClass', name, namespaced: false, path, use, consequence: 'the claim stays Pending (no provisioner serves it)' });
}

export function referencesOf(r: Resource): Reference[] {
	const out: Reference[] = [];
	podReferences(r, out);
	const spec = r.value.spec;
	if (!isPlainObject(spec)) return out;
	if (r.group === '' && r.kind === 'PersistentVolumeClaim') storageClass(spec.storageClassName, ['spec', 'storageClassName'], 'this claim', out);
	if (r.group === 'apps' && r.kind === 'StatefulSet' && Array.isArray(spec.volumeClaimTemplates)) {
		spec.volumeClaimTemplates.forEach((t, i) => {
			if (isPlainObject(t) && isPlainObject(t.spec)) storageClass(t.spec.storageClassName, ['spec', 'volumeClaimTemplates', i, 'spec', 'storageClassName'], `volume claim template #${i + 1}`, out);
		});
	}
	if (r.group === 'networking.k8s.io' && r.kind === 'Ingress') {
		if (nonEmpty(spec.ingressClassName)) {
			out.push({ group: 'networking.k8s.io', kind: 'IngressClass', name: spec.ingressClassName, namespaced: false, path: ['spec', 'ingressClassName'], use: 'this Ingress\'s class', consequence: 'no ingress controller serves this Ingress' });
		}
		if (Array.isArray(spec.tls)) {
			spec.tls.forEach((t, i) => {
				if (isPlainObject(t) && nonEmpty(t.secretName)) {
					out.push({ group: '', kind: 'Secret', name: t.secretName, namespaced: true, path: ['spec', 'tls', i, 'secretName'], use: `TLS entry #${i + 1}`, consequence: 'the ingress controller serves its default certificate for these hosts' });
				}
			});
		}
	}
	return out;
}

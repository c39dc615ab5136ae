/**
 * Strategic-merge metadata of the built-in Kubernetes types: which lists merge (and by which
 * keys) instead of being replaced by a patch.
 *
 * Source: the `patchStrategy`/`patchMergeKey` struct tags of k8s.io/api (core/v1, apps/v1,
 * batch/v1, admissionregistration/v1), which the API server publishes as
 * `x-kubernetes-patch-strategy`, `x-kubernetes-patch-merge-key` and `x-kubernetes-list-map-keys`
 * in its OpenAPI document, for the Kubernetes v1.21 schema kustomize v5.5 embeds. No installed
 * package carries these extensions (kubernetes-models and @kubernetes/client-node drop them), so
 * the table is written out here. Like kyaml, a list whose schema names several list-map keys is
 * merged on all of them (ports on `containerPort` and `protocol`).
 *
 * Only paths that lead to patch metadata are listed; a field not listed here has no strategy
 * (maps merge, lists are replaced), which is also what kustomize does for kinds it has no schema
 * for, such as custom resources.
 */

export interface PatchSchema {
	/** `x-kubernetes-patch-strategy`, e.g. `merge` or `merge,retainKeys`. */
	strategy?: string;
	/** The merge keys of an associative list; empty for a primitive list with a merge strategy (finalizers). */
	keys?: string[];
	fields?: Record<string, PatchSchema>;
	/** Schema of a list's elements. */
	elements?: PatchSchema;
}

const mergeList = (keys: string[], elements?: PatchSchema, strategy = 'merge'): PatchSchema => ({ strategy, keys, elements });

const objectMeta: PatchSchema = {
	fields: {
		finalizers: { strategy: 'merge', keys: [] },
		ownerReferences: mergeList(['uid']),
	},
};

const container: PatchSchema = {
	fields: {
		ports: mergeList(['containerPort', 'protocol']),
		env: mergeList(['name']),
		volumeMounts: mergeList(['mountPath']),
		volumeDevices: mergeList(['devicePath']),
	},
};

const podSpec: PatchSchema = {
	fields: {
		containers: mergeList(['name'], container),
		initContainers: mergeList(['name'], container),
		ephemeralContainers: mergeList(['name'], container),
		volumes: mergeList(['name'], undefined, 'merge,retainKeys'),
		imagePullSecrets: mergeList(['name']),
		hostAliases: mergeList(['ip']),
		topologySpreadConstraints: mergeList(['topologyKey', 'whenUnsatisfiable']),
	},
};

const conditions = mergeList(['type']);
const podTemplateSpec: PatchSchema = { fields: { metadata: objectMeta, spec: podSpec } };
const withTemplate = (extraStatus: Record<string, PatchSchema> = { conditions }): PatchSchema => ({
	fields: { metadata: objectMeta, spec: { fields: { template: podTemplateSpec } }, status: { fields: extraStatus } },
});
const jobSpec: PatchSchema = { fields: { template: podTemplateSpec } };
const cronJob: PatchSchema = {
	fields: { metadata: objectMeta, spec: { fields: { jobTemplate: { fields: { metadata: objectMeta, spec: jobSpec } } } } },
};
const webhooks: PatchSchema = { fields: { metadata: objectMeta, webhooks: mergeList(['name']) } };
const metaOnly: PatchSchema = { fields: { metadata: objectMeta } };

const SCHEMAS: Record<string, PatchSchema> = {
	'v1/Pod': { fields: { metadata: objectMeta, spec: podSpec, status: { fields: { conditions } } } },
	'v1/PodTemplate': { fields: { metadata: objectMeta, template: podTemplateSpec } },
	'v1/ReplicationController': withTemplate(),
	'apps/v1/Deployment': withTemplate(),
	'apps/v1/StatefulSet': withTemplate(),
	'apps/v1/DaemonSet': withTemplate(),
	'apps/v1/ReplicaSet': withTemplate(),
	'batch/v1/Job': { fields: { metadata: objectMeta, spec: jobSpec, status: { fields: { conditions } } } },
	'batch/v1/CronJob': cronJob,
	'batch/v1beta1/CronJob': cronJob,
	'v1/Service': { fields: { metadata: objectMeta, spec: { fields: { ports: mergeList(['port', 'protocol']) } } } },
	'v1/ServiceAccount': { fields: { metadata: objectMeta, secrets: mergeList(['name']) } },
	'v1/Node': {
		fields: { metadata: objectMeta, spec: { fields: { podCIDRs: { strategy: 'merge', keys: [] } } }, status: { fields: { conditions, addresses: mergeList(['type']) } } },
	},
	'v1/Namespace': { fields: { metadata: objectMeta, status: { fields: { conditions } } } },
	'v1/PersistentVolumeClaim': { fields: { metadata: objectMeta, status: { fields: { conditions } } } },
	'admissionregistration.k8s.io/v1/MutatingWebhookConfiguration': webhooks,
	'admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration': webhooks,
	'admissionregistration.k8s.io/v1beta1/MutatingWebhookConfiguration': webhooks,
	'admissionregistration.k8s.io/v1beta1/ValidatingWebhookConfiguration': webhooks,
};

/** Built-in kinds with no list metadata of their own: only ObjectMeta's finalizers and ownerReferences merge. */
const META_ONLY = [
	'v1/ConfigMap', 'v1/Secret', 'v1/Endpoints', 'v1/Event', 'v1/LimitRange', 'v1/ResourceQuota', 'v1/PersistentVolume',
	'networking.k8s.io/v1/Ingress', 'networking.k8s.io/v1/IngressClass', 'networking.k8s.io/v1/NetworkPolicy',
	'policy/v1/PodDisruptionBudget', 'policy/v1beta1/PodDisruptionBudget', 'policy/v1beta1/PodSecurityPolicy',
	'rbac.authorization.k8s.io/v1/Role', 'rbac.authorization.k8s.io/v1/ClusterRole', 'rbac.authorization.k8s.io/v1/RoleBinding',
	'rbac.authorization.k8s.io/v1/ClusterRoleBinding', 'storage.k8s.io/v1/StorageClass', 'storage.k8s.io/v1/CSIDriver',
	'storage.k8s.io/v1/CSINode', 'storage.k8s.io/v1/VolumeAttachment', 'scheduling.k8s.io/v1/PriorityClass',
	'apiextensions.k8s.io/v1/CustomResourceDefinition', 'apiregistration.k8s.io/v1/APIService', 'coordination.k8s.io/v1/Lease',
	'node.k8s.io/v1/RuntimeClass', 'discovery.k8s.io/v1/EndpointSlice', 'autoscaling/v1/HorizontalPodAutoscaler',
	'autoscaling/v2beta1/HorizontalPodAutoscaler', 'autoscaling/v2beta2/HorizontalPodAutoscaler', 'certificates.k8s.io/v1/CertificateSigningRequest',
];
for (const k of META_ONLY) SCHEMAS[k] ??= metaOnly;

/** The patch schema of a kind, or undefined when kustomize has none (custom resources, unknown versions). */
export function schemaFor(apiVersion: string, kind: string): PatchSchema | undefined {
	return SCHEMAS[`${apiVersion}/${kind}`];
}

export function fieldSchema(s: PatchSchema | undefined, key: string): PatchSchema | undefined {
	return s?.fields?.[key];
}

/** Whether a list merges by key (kyaml's `IsAssociative` without inference: the schema must say `merge`). */
export function isAssociative(s: PatchSchema | undefined): boolean {
	return s?.strategy !== undefined && s.strategy.split(',').includes('merge');
}

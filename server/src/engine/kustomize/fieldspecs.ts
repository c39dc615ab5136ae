/**
 * Kustomize's built-in field specs (sigs.k8s.io/kustomize/api/konfig/builtinpluginconsts): which
 * fields of which kinds the labels, annotations, namespace, replicas and name-reference
 * transformers touch. Paths are kustomize's: `/`-separated, `[]` marks a list, `\/` escapes a
 * slash inside a key.
 */

export interface FieldSpec {
	path: string;
	group?: string;
	version?: string;
	kind?: string;
	create?: boolean;
}

type Row = [path: string, kind?: string, group?: string, create?: boolean, version?: string];
const specs = (rows: Row[]): FieldSpec[] => rows.map(([path, kind, group, create, version]) => ({ path, kind, group, create, version }));

const affinity = (kind: string): Row[] => [
	['spec/template/spec/affinity/podAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels', kind, 'apps', false],
	['spec/template/spec/affinity/podAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels', kind, 'apps', false],
	['spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels', kind, 'apps', false],
	['spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels', kind, 'apps', false],
	['spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels', kind, 'apps', false],
];

/** `commonLabels` and `labels` with `includeSelectors`: metadata, selectors and templates. */
export const COMMON_LABELS = specs([
	['metadata/labels', undefined, undefined, true],
	['spec/selector', 'Service', undefined, true, 'v1'],
	['spec/selector', 'ReplicationController', undefined, true, 'v1'],
	['spec/template/metadata/labels', 'ReplicationController', undefined, true, 'v1'],
	['spec/selector/matchLabels', 'Deployment', undefined, true],
	['spec/template/metadata/labels', 'Deployment', undefined, true],
	...affinity('Deployment'),
	['spec/selector/matchLabels', 'ReplicaSet', undefined, true],
	['spec/template/metadata/labels', 'ReplicaSet', undefined, true],
	['spec/selector/matchLabels', 'DaemonSet', undefined, true],
	['spec/template/metadata/labels', 'DaemonSet', undefined, true],
	['spec/selector/matchLabels', 'StatefulSet', 'apps', true],
	['spec/template/metadata/labels', 'StatefulSet', 'apps', true],
	...affinity('StatefulSet'),
	['spec/volumeClaimTemplates[]/metadata/labels', 'StatefulSet', 'apps', true],
	['spec/selector/matchLabels', 'Job', 'batch', false],
	['spec/template/metadata/labels', 'Job', 'batch', true],
	['spec/jobTemplate/spec/selector/matchLabels', 'CronJob', 'batch', false],
	['spec/jobTemplate/metadata/labels', 'CronJob', 'batch', true],
	['spec/jobTemplate/spec/template/metadata/labels', 'CronJob', 'batch', true],
	['spec/selector/matchLabels', 'PodDisruptionBudget', 'policy', false],
	['spec/podSelector/matchLabels', 'NetworkPolicy', 'networking.k8s.io', false],
	['spec/ingress/from/podSelector/matchLabels', 'NetworkPolicy', 'networking.k8s.io', false],
	['spec/egress/to/podSelector/matchLabels', 'NetworkPolicy', 'networking.k8s.io', false],
]);

/** `labels` with `includeTemplates` (and without `includeSelectors`): metadata and templates only. */
export const TEMPLATE_LABELS = specs([
	['spec/template/metadata/labels', 'ReplicationController', undefined, true, 'v1'],
	['spec/template/metadata/labels', 'Deployment', undefined, true],
	['spec/template/metadata/labels', 'ReplicaSet', undefined, true],
	['spec/template/metadata/labels', 'DaemonSet', undefined, true],
	['spec/template/metadata/labels', 'StatefulSet', 'apps', true],
	['spec/volumeClaimTemplates[]/metadata/labels', 'StatefulSet', 'apps', true],
	['spec/template/metadata/labels', 'Job', 'batch', true],
	['spec/jobTemplate/metadata/labels', 'CronJob', 'batch', true],
	['spec/jobTemplate/spec/template/metadata/labels', 'CronJob', 'batch', true],
]);

export const METADATA_LABELS: FieldSpec[] = [{ path: 'metadata/labels', create: true }];

export const COMMON_ANNOTATIONS = specs([
	['metadata/annotations', undefined, undefined, true],
	['spec/template/metadata/annotations', 'ReplicationController', undefined, true, 'v1'],
	['spec/template/metadata/annotations', 'Deployment', undefined, true],
	['spec/template/metadata/annotations', 'ReplicaSet', undefined, true],
	['spec/template/metadata/annotations', 'DaemonSet', undefined, true],
	['spec/template/metadata/annotations', 'StatefulSet', undefined, true],
	['spec/template/metadata/annotations', 'Job', 'batch', true],
	['spec/jobTemplate/metadata/annotations', 'CronJob', 'batch', true],
	['spec/jobTemplate/spec/template/metadata/annotations', 'CronJob', 'batch', true],
]);

/** Besides metadata/namespace (set on every namespaced object) and RoleBinding subjects (special-cased). */
export const NAMESPACE = specs([
	['metadata/name', 'Namespace', undefined, true],
	['spec/service/namespace', 'APIService', 'apiregistration.k8s.io', true],
	['spec/conversion/webhook/clientConfig/service/namespace', 'CustomResourceDefinition', 'apiextensions.k8s.io', false],
]);

export const REPLICAS = specs([
	['spec/replicas', 'Deployment', undefined, true],
	['spec/replicas', 'ReplicationController', undefined, true],
	['spec/replicas', 'ReplicaSet', undefined, true],
	['spec/replicas', 'StatefulSet', undefined, true],
]);

export interface NameBackRef {
	/** The kind whose name is referred to. */
	target: { group?: string; version?: string; kind: string };
	referrers: FieldSpec[];
}

const WORKLOADS = ['Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet', 'Job'];

function podRefs(podPaths: string[], extraCronJob = true): Row[] {
	const rows: Row[] = podPaths.map((p) => [`spec/${p}`, 'Pod', undefined, false, 'v1']);
	for (const k of WORKLOADS) for (const p of podPaths) rows.push([`spec/template/spec/${p}`, k]);
	if (extraCronJob) for (const p of podPaths) rows.push([`spec/jobTemplate/spec/template/spec/${p}`, 'CronJob']);
	return rows;
}

const CONFIGMAP_POD = [
	'volumes/configMap/name',
	'containers/env/valueFrom/configMapKeyRef/name',
	'initContainers/env/valueFrom/configMapKeyRef/name',
	'containers/envFrom/configMapRef/name',
	'initContainers/envFrom/configMapRef/name',
	'volumes/projected/sources/configMap/name',
];
const SECRET_POD = [
	'volumes/secret/secretName',
	'containers/env/valueFrom/secretKeyRef/name',
	'initContainers/env/valueFrom/secretKeyRef/name',
	'containers/envFrom/secretRef/name',
	'initContainers/envFrom/secretRef/name',
	'imagePullSecrets/name',
	'volumes/projected/sources/secret/name',
];

const serviceAccountRows: Row[] = [
	['subjects', 'RoleBinding', 'rbac.authorization.k8s.io'],
	['subjects', 'ClusterRoleBinding', 'rbac.authorization.k8s.io'],
	['spec/serviceAccountName', 'Pod'],
	...['StatefulSet', 'Deployment', 'ReplicationController', 'Job', 'DaemonSet'].map((k): Row => ['spec/template/spec/serviceAccountName', k]),
	['spec/jobTemplate/spec/template/spec/serviceAccountName', 'CronJob'],
];

const templated = (field: string, kinds: string[]): Row[] => [
	[`spec/${field}`, 'Pod'],
	...kinds.map((k): Row => [`spec/template/spec/${field}`, k]),
	[`spec/jobTemplate/spec/template/spec/${field}`, 'CronJob'],
];

export const NAME_REFERENCES: NameBackRef[] = [
	...['Deployment', 'ReplicationController', 'ReplicaSet', 'StatefulSet'].map((kind) => ({
		target: { kind },
		referrers: specs([['spec/scaleTargetRef/name', 'HorizontalPodAutoscaler']]),
	})),
	{
		target: { version: 'v1', kind: 'ConfigMap' },
		referrers: specs([
			...podRefs(CONFIGMAP_POD),
			['spec/configSource/configMap', 'Node'],
			['rules/resourceNames', 'Role'],
			['rules/resourceNames', 'ClusterRole'],
			['metadata/annotations/nginx.ingress.kubernetes.io\\/fastcgi-params-configmap', 'Ingress'],
			['spec/template/spec/containers/env/valueFrom/configMapKeyRef/name', 'Service', 'serving.knative.dev', false, 'v1'],
			['spec/template/spec/containers/envFrom/configMapRef/name', 'Service', 'serving.knative.dev', false, 'v1'],
		]),
	},
	{
		target: { version: 'v1', kind: 'Secret' },
		referrers: specs([
			...podRefs(SECRET_POD),
			['spec/tls/secretName', 'Ingress'],
			['metadata/annotations/ingress.kubernetes.io\\/auth-secret', 'Ingress'],
			['metadata/annotations/nginx.ingress.kubernetes.io\\/auth-secret', 'Ingress'],
			['metadata/annotations/nginx.ingress.kubernetes.io\\/auth-tls-secret', 'Ingress'],
			['imagePullSecrets/name', 'ServiceAccount'],
			['parameters/secretName', 'StorageClass'],
			['parameters/adminSecretName', 'StorageClass'],
			['parameters/userSecretName', 'StorageClass'],
			['parameters/secretRef', 'StorageClass'],
			['rules/resourceNames', 'Role'],
			['rules/resourceNames', 'ClusterRole'],
			['spec/template/spec/containers/env/valueFrom/secretKeyRef/name', 'Service', 'serving.knative.dev', false, 'v1'],
			['spec/azureFile/secretName', 'PersistentVolume'],
		]),
	},
	{
		target: { version: 'v1', kind: 'Service' },
		referrers: specs([
			['spec/serviceName', 'StatefulSet', 'apps'],
			['spec/rules/http/paths/backend/serviceName', 'Ingress'],
			['spec/backend/serviceName', 'Ingress'],
			['spec/rules/http/paths/backend/service/name', 'Ingress'],
			['spec/defaultBackend/service/name', 'Ingress'],
			['spec/service/name', 'APIService', 'apiregistration.k8s.io'],
			['webhooks/clientConfig/service', 'ValidatingWebhookConfiguration', 'admissionregistration.k8s.io'],
			['webhooks/clientConfig/service', 'MutatingWebhookConfiguration', 'admissionregistration.k8s.io'],
		]),
	},
	{ target: { group: 'rbac.authorization.k8s.io', kind: 'Role' }, referrers: specs([['roleRef/name', 'RoleBinding', 'rbac.authorization.k8s.io']]) },
	{
		target: { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
		referrers: specs([
			['roleRef/name', 'RoleBinding', 'rbac.authorization.k8s.io'],
			['roleRef/name', 'ClusterRoleBinding', 'rbac.authorization.k8s.io'],
		]),
	},
	{ target: { version: 'v1', kind: 'ServiceAccount' }, referrers: specs(serviceAccountRows) },
	{
		target: { version: 'v1', kind: 'PersistentVolumeClaim' },
		referrers: specs(templated('volumes/persistentVolumeClaim/claimName', ['StatefulSet', 'Deployment', 'ReplicationController', 'Job', 'DaemonSet'])),
	},
	{
		target: { version: 'v1', kind: 'PersistentVolume' },
		referrers: specs([
			['spec/volumeName', 'PersistentVolumeClaim'],
			['rules/resourceNames', 'ClusterRole'],
		]),
	},
	{
		target: { group: 'storage.k8s.io', version: 'v1', kind: 'StorageClass' },
		referrers: specs([
			['spec/storageClassName', 'PersistentVolume'],
			['spec/storageClassName', 'PersistentVolumeClaim'],
			['spec/volumeClaimTemplates/spec/storageClassName', 'StatefulSet'],
		]),
	},
	{
		target: { group: 'scheduling.k8s.io', version: 'v1', kind: 'PriorityClass' },
		referrers: specs(templated('priorityClassName', ['StatefulSet', 'Deployment', 'ReplicationController', 'Job', 'DaemonSet'])),
	},
	{ target: { group: 'networking.k8s.io/v1', version: 'v1', kind: 'IngressClass' }, referrers: specs([['spec/ingressClassName', 'Ingress']]) },
];

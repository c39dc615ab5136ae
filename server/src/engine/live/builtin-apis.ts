import { REMOVED_APIS } from '../schema/api-versions';

/**
 * The built-in API resources a kube-apiserver of a given minor version serves, as discovery lists
 * them: what a `kubectl get -o yaml` snapshot (which has no discovery) is assumed to serve, and what
 * the API simulator serves. Where a version was removed comes from the removal table of
 * `api-removed` (one source of truth); where one appeared follows the upstream release notes. Only
 * what GitOps repositories commonly use is listed.
 */

export interface ResourceDef {
	group: string;
	version: string;
	kind: string;
	plural: string;
	namespaced: boolean;
	/** First minor version that serves it. */
	since?: number;
	/** First minor version that no longer serves it (from REMOVED_APIS). */
	removed?: number;
	verbs?: string[];
}

const V = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

const r = (group: string, version: string, kind: string, plural: string, namespaced: boolean, since?: number): ResourceDef => ({
	group,
	version,
	kind,
	plural,
	namespaced,
	since,
	removed: REMOVED_APIS.get(`${group ? `${group}/` : ''}${version}|${kind}`)?.removedIn,
});

const BUILTIN: ResourceDef[] = [
	r('', 'v1', 'Namespace', 'namespaces', false),
	r('', 'v1', 'Node', 'nodes', false),
	r('', 'v1', 'PersistentVolume', 'persistentvolumes', false),
	r('', 'v1', 'Pod', 'pods', true),
	r('', 'v1', 'PodTemplate', 'podtemplates', true),
	r('', 'v1', 'ReplicationController', 'replicationcontrollers', true),
	r('', 'v1', 'Service', 'services', true),
	r('', 'v1', 'Endpoints', 'endpoints', true),
	r('', 'v1', 'ConfigMap', 'configmaps', true),
	r('', 'v1', 'Secret', 'secrets', true),
	r('', 'v1', 'ServiceAccount', 'serviceaccounts', true),
	r('', 'v1', 'PersistentVolumeClaim', 'persistentvolumeclaims', true),
	r('', 'v1', 'LimitRange', 'limitranges', true),
	r('', 'v1', 'ResourceQuota', 'resourcequotas', true),
	r('', 'v1', 'Event', 'events', true),
	r('apps', 'v1', 'Deployment', 'deployments', true),
	r('apps', 'v1', 'StatefulSet', 'statefulsets', true),
	r('apps', 'v1', 'DaemonSet', 'daemonsets', true),
	r('apps', 'v1', 'ReplicaSet', 'replicasets', true),
	r('apps', 'v1', 'ControllerRevision', 'controllerrevisions', true),
	r('batch', 'v1', 'Job', 'jobs', true),
	r('batch', 'v1', 'CronJob', 'cronjobs', true, 21),
	r('batch', 'v1beta1', 'CronJob', 'cronjobs', true),
	r('autoscaling', 'v1', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', true),
	r('autoscaling', 'v2', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', true, 23),
	r('autoscaling', 'v2beta1', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', true),
	r('autoscaling', 'v2beta2', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', true),
	r('policy', 'v1', 'PodDisruptionBudget', 'poddisruptionbudgets', true, 21),
	r('policy', 'v1beta1', 'PodDisruptionBudget', 'poddisruptionbudgets', true),
	r('policy', 'v1beta1', 'PodSecurityPolicy', 'podsecuritypolicies', false),
	r('networking.k8s.io', 'v1', 'NetworkPolicy', 'networkpolicies', true),
	r('networking.k8s.io', 'v1', 'Ingress', 'ingresses', true, 19),
	r('networking.k8s.io', 'v1', 'IngressClass', 'ingressclasses', false, 19),
	r('networking.k8s.io', 'v1beta1', 'Ingress', 'ingresses', true),
	r('rbac.authorization.k8s.io', 'v1', 'Role', 'roles', true),
	r('rbac.authorization.k8s.io', 'v1', 'RoleBinding', 'rolebindings', true),
	r('rbac.authorization.k8s.io', 'v1', 'ClusterRole', 'clusterroles', false),
	r('rbac.authorization.k8s.io', 'v1', 'ClusterRoleBinding', 'clusterrolebindings', false),
	r('storage.k8s.io', 'v1', 'StorageClass', 'storageclasses', false),
	r('storage.k8s.io', 'v1', 'CSIDriver', 'csidrivers', false, 18),
	r('storage.k8s.io', 'v1', 'CSINode', 'csinodes', false, 17),
	r('storage.k8s.io', 'v1', 'VolumeAttachment', 'volumeattachments', false),
	r('storage.k8s.io', 'v1', 'CSIStorageCapacity', 'csistoragecapacities', true, 24),
	r('storage.k8s.io', 'v1beta1', 'CSIStorageCapacity', 'csistoragecapacities', true, 21),
	r('scheduling.k8s.io', 'v1', 'PriorityClass', 'priorityclasses', false),
	r('coordination.k8s.io', 'v1', 'Lease', 'leases', true),
	r('discovery.k8s.io', 'v1', 'EndpointSlice', 'endpointslices', true, 21),
	r('events.k8s.io', 'v1', 'Event', 'events', true, 19),
	r('node.k8s.io', 'v1', 'RuntimeClass', 'runtimeclasses', false, 20),
	r('certificates.k8s.io', 'v1', 'CertificateSigningRequest', 'certificatesigningrequests', false, 19),
	r('admissionregistration.k8s.io', 'v1', 'MutatingWebhookConfiguration', 'mutatingwebhookconfigurations', false),
	r('admissionregistration.k8s.io', 'v1', 'ValidatingWebhookConfiguration', 'validatingwebhookconfigurations', false),
	r('admissionregistration.k8s.io', 'v1', 'ValidatingAdmissionPolicy', 'validatingadmissionpolicies', false, 30),
	r('admissionregistration.k8s.io', 'v1', 'ValidatingAdmissionPolicyBinding', 'validatingadmissionpolicybindings', false, 30),
	r('apiextensions.k8s.io', 'v1', 'CustomResourceDefinition', 'customresourcedefinitions', false),
	r('apiregistration.k8s.io', 'v1', 'APIService', 'apiservices', false),
	r('flowcontrol.apiserver.k8s.io', 'v1', 'FlowSchema', 'flowschemas', false, 29),
	r('flowcontrol.apiserver.k8s.io', 'v1', 'PriorityLevelConfiguration', 'prioritylevelconfigurations', false, 29),
	r('flowcontrol.apiserver.k8s.io', 'v1beta3', 'FlowSchema', 'flowschemas', false, 26),
	r('flowcontrol.apiserver.k8s.io', 'v1beta3', 'PriorityLevelConfiguration', 'prioritylevelconfigurations', false, 26),
	r('flowcontrol.apiserver.k8s.io', 'v1beta2', 'FlowSchema', 'flowschemas', false, 23),
	r('flowcontrol.apiserver.k8s.io', 'v1beta2', 'PriorityLevelConfiguration', 'prioritylevelconfigurations', false, 23),
];

/** The built-in resources served by Kubernetes 1.`minor`. */
export function builtinResources(minor: number): ResourceDef[] {
	return BUILTIN.filter((d) => (d.since === undefined || minor >= d.since) && (d.removed === undefined || minor < d.removed)).map((d) => ({ ...d, verbs: d.verbs ?? V }));
}

/** The groups Kubernetes serves first in discovery order (the rest sort by name). */
export const GROUP_ORDER = ['', 'apps', 'batch', 'autoscaling', 'policy', 'networking.k8s.io', 'rbac.authorization.k8s.io', 'storage.k8s.io'];

export const ALL_VERBS = V;

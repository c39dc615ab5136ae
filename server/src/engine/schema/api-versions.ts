/**
 * API versions each Kubernetes release stopped serving, with their replacements. Source: the
 * official Deprecated API Migration Guide, https://kubernetes.io/docs/reference/using-api/deprecation-guide/
 */

export interface Removal {
	/** Minor version of Kubernetes 1.x that stopped serving it. */
	removedIn: number;
	/** Replacement apiVersions, best first, with the minor version that introduced each. */
	use: { apiVersion: string; since: number }[];
	/** Said instead of a replacement when there is none. */
	note?: string;
}

const R = (removedIn: number, use: [string, number][], note?: string): Removal => ({ removedIn, use: use.map(([apiVersion, since]) => ({ apiVersion, since })), note });

const APPS_V1: [string, number][] = [['apps/v1', 9]];

/** `apiVersion|kind` → removal. */
export const REMOVED_APIS: ReadonlyMap<string, Removal> = new Map<string, Removal>([
	// v1.16
	['extensions/v1beta1|NetworkPolicy', R(16, [['networking.k8s.io/v1', 8]])],
	['extensions/v1beta1|PodSecurityPolicy', R(16, [['policy/v1beta1', 10]])],
	['extensions/v1beta1|DaemonSet', R(16, APPS_V1)],
	['extensions/v1beta1|Deployment', R(16, APPS_V1)],
	['extensions/v1beta1|ReplicaSet', R(16, APPS_V1)],
	['apps/v1beta1|Deployment', R(16, APPS_V1)],
	['apps/v1beta1|StatefulSet', R(16, APPS_V1)],
	['apps/v1beta1|ControllerRevision', R(16, APPS_V1)],
	['apps/v1beta2|DaemonSet', R(16, APPS_V1)],
	['apps/v1beta2|Deployment', R(16, APPS_V1)],
	['apps/v1beta2|ReplicaSet', R(16, APPS_V1)],
	['apps/v1beta2|StatefulSet', R(16, APPS_V1)],
	['apps/v1beta2|ControllerRevision', R(16, APPS_V1)],
	// v1.22
	['admissionregistration.k8s.io/v1beta1|MutatingWebhookConfiguration', R(22, [['admissionregistration.k8s.io/v1', 16]])],
	['admissionregistration.k8s.io/v1beta1|ValidatingWebhookConfiguration', R(22, [['admissionregistration.k8s.io/v1', 16]])],
	['apiextensions.k8s.io/v1beta1|CustomResourceDefinition', R(22, [['apiextensions.k8s.io/v1', 16]])],
	['apiregistration.k8s.io/v1beta1|APIService', R(22, [['apiregistration.k8s.io/v1', 10]])],
	['authentication.k8s.io/v1beta1|TokenReview', R(22, [['authentication.k8s.io/v1', 6]])],
	['authorization.k8s.io/v1beta1|SubjectAccessReview', R(22, [['authorization.k8s.io/v1', 6]])],
	['authorization.k8s.io/v1beta1|LocalSubjectAccessReview', R(22, [['authorization.k8s.io/v1', 6]])],
	['authorization.k8s.io/v1beta1|SelfSubjectAccessReview', R(22, [['authorization.k8s.io/v1', 6]])],
	['authorization.k8s.io/v1beta1|SelfSubjectRulesReview', R(22, [['authorization.k8s.io/v1', 6]])],
	['certificates.k8s.io/v1beta1|CertificateSigningRequest', R(22, [['certificates.k8s.io/v1', 19]])],
	['coordination.k8s.io/v1beta1|Lease', R(22, [['coordination.k8s.io/v1', 14]])],
	['extensions/v1beta1|Ingress', R(22, [['networking.k8s.io/v1', 19]])],
	['networking.k8s.io/v1beta1|Ingress', R(22, [['networking.k8s.io/v1', 19]])],
	['networking.k8s.io/v1beta1|IngressClass', R(22, [['networking.k8s.io/v1', 19]])],
	['rbac.authorization.k8s.io/v1beta1|ClusterRole', R(22, [['rbac.authorization.k8s.io/v1', 8]])],
	['rbac.authorization.k8s.io/v1beta1|ClusterRoleBinding', R(22, [['rbac.authorization.k8s.io/v1', 8]])],
	['rbac.authorization.k8s.io/v1beta1|Role', R(22, [['rbac.authorization.k8s.io/v1', 8]])],
	['rbac.authorization.k8s.io/v1beta1|RoleBinding', R(22, [['rbac.authorization.k8s.io/v1', 8]])],
	['scheduling.k8s.io/v1beta1|PriorityClass', R(22, [['scheduling.k8s.io/v1', 14]])],
	['storage.k8s.io/v1beta1|CSIDriver', R(22, [['storage.k8s.io/v1', 19]])],
	['storage.k8s.io/v1beta1|CSINode', R(22, [['storage.k8s.io/v1', 17]])],
	['storage.k8s.io/v1beta1|StorageClass', R(22, [['storage.k8s.io/v1', 6]])],
	['storage.k8s.io/v1beta1|VolumeAttachment', R(22, [['storage.k8s.io/v1', 13]])],
	// v1.25
	['batch/v1beta1|CronJob', R(25, [['batch/v1', 21]])],
	['discovery.k8s.io/v1beta1|EndpointSlice', R(25, [['discovery.k8s.io/v1', 21]])],
	['events.k8s.io/v1beta1|Event', R(25, [['events.k8s.io/v1', 19]])],
	['autoscaling/v2beta1|HorizontalPodAutoscaler', R(25, [['autoscaling/v2', 23]])],
	['policy/v1beta1|PodDisruptionBudget', R(25, [['policy/v1', 21]])],
	['policy/v1beta1|PodSecurityPolicy', R(25, [], 'PodSecurityPolicy has no replacement API: enforce Pod Security Standards with Pod Security Admission (namespace labels) or a policy engine such as Kyverno.')],
	['node.k8s.io/v1beta1|RuntimeClass', R(25, [['node.k8s.io/v1', 20]])],
	// v1.26
	['flowcontrol.apiserver.k8s.io/v1beta1|FlowSchema', R(26, [['flowcontrol.apiserver.k8s.io/v1', 29], ['flowcontrol.apiserver.k8s.io/v1beta3', 26], ['flowcontrol.apiserver.k8s.io/v1beta2', 23]])],
	['flowcontrol.apiserver.k8s.io/v1beta1|PriorityLevelConfiguration', R(26, [['flowcontrol.apiserver.k8s.io/v1', 29], ['flowcontrol.apiserver.k8s.io/v1beta3', 26], ['flowcontrol.apiserver.k8s.io/v1beta2', 23]])],
	['autoscaling/v2beta2|HorizontalPodAutoscaler', R(26, [['autoscaling/v2', 23]])],
	// v1.27
	['storage.k8s.io/v1beta1|CSIStorageCapacity', R(27, [['storage.k8s.io/v1', 24]])],
	// v1.29
	['flowcontrol.apiserver.k8s.io/v1beta2|FlowSchema', R(29, [['flowcontrol.apiserver.k8s.io/v1', 29], ['flowcontrol.apiserver.k8s.io/v1beta3', 26]])],
	['flowcontrol.apiserver.k8s.io/v1beta2|PriorityLevelConfiguration', R(29, [['flowcontrol.apiserver.k8s.io/v1', 29], ['flowcontrol.apiserver.k8s.io/v1beta3', 26]])],
	// v1.32
	['flowcontrol.apiserver.k8s.io/v1beta3|FlowSchema', R(32, [['flowcontrol.apiserver.k8s.io/v1', 29]])],
	['flowcontrol.apiserver.k8s.io/v1beta3|PriorityLevelConfiguration', R(32, [['flowcontrol.apiserver.k8s.io/v1', 29]])],
]);

/** The minor version of a `1.x` Kubernetes version string, or undefined. */
export function kubernetesMinor(version: string): number | undefined {
	const m = /^v?1\.(\d+)(?:\.\d+)?$/.exec(version.trim());
	return m ? Number(m[1]) : undefined;
}


import { flag, managedRule, missingAt, section, type Provider } from './claim';

const DEFAULT: Record<Provider, string> = {
	aws: 'EKS gives pods no AWS identity of their own unless IAM roles for service accounts (an OIDC provider) or EKS Pod Identity is set up, and this claim sets neither identity.workloadIdentity nor the eks-pod-identity-agent add-on',
	gcp: 'GKE Standard clusters run without Workload Identity Federation (and so without the GKE metadata server) unless it is enabled, and this claim does not set identity.workloadIdentity',
	azure: 'AKS runs without Microsoft Entra Workload ID unless the OIDC issuer and workload identity are enabled, and this claim does not set identity.workloadIdentity',
};

const FALLBACK: Record<Provider, string> = {
	aws: 'pods that call AWS use the node\'s IAM role, so every pod on a node has the permissions all of them need',
	gcp: 'pods that call Google Cloud use the node\'s service account and can read the node\'s metadata, so every pod on a node has the permissions all of them need',
	azure: 'pods that call Azure use the kubelet\'s managed identity or stored credentials, so every pod on a node shares them',
};

/**
 * Workload identity: a cloud identity per Kubernetes ServiceAccount instead of the node's. Off by
 * default on all three (GKE Autopilot always has it: a GKE claim without node groups is not
 * reported). Info: the benchmarks word it as "prefer".
 */
export const workloadIdentity = managedRule({
	id: 'cis-managed-workload-identity',
	title: 'No workload identity: pods use the node\'s cloud identity',
	severity: 'info',
	rationale:
		'Without workload identity, pods that call cloud APIs use the node\'s identity, so the node must hold the union of every workload\'s permissions and any compromised pod gets all of them. Workload identity gives each ServiceAccount its own cloud role, scoped to what that workload needs and audited per workload.',
	remediation: 'Set identity.workloadIdentity: true (EKS: IAM roles for service accounts or EKS Pod Identity; GKE: Workload Identity Federation; AKS: Microsoft Entra Workload ID) and give each workload its own cloud role.',
	controls: { aws: ['5.2.1'], gcp: ['5.2.2', '5.4.1'], azure: ['5.2.1'] },
	reads: ['identity', 'nodeGroups', 'addons'],
	evaluate({ spec, provider, nodeGroups }) {
		const v = flag(section(spec, 'identity'), 'workloadIdentity');
		if (v === true) return [];
		if (v === false) {
			return [{ path: ['spec', 'identity', 'workloadIdentity'], target: 'value', message: `identity.workloadIdentity: false: ${FALLBACK[provider]}. Set it to true and give each workload its own cloud role.` }];
		}
		if (section(spec, 'identity')?.workloadIdentity !== undefined) return []; // a schema finding already
		if (provider === 'aws' && Array.isArray(spec.addons) && spec.addons.includes('eks-pod-identity-agent')) return [];
		if (provider === 'gcp' && nodeGroups.length === 0) return [];
		return [{ ...missingAt(spec, ['identity', 'workloadIdentity']), message: `${DEFAULT[provider]}: ${FALLBACK[provider]}. Set identity.workloadIdentity: true and give each workload its own cloud role.` }];
	},
});

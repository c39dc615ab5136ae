import { managedRule, missingAt, section, type Provider } from './claim';

const DEFAULT: Record<Provider, string> = {
	aws: 'EKS does not enforce NetworkPolicies by default (the Amazon VPC CNI does so only with its network policy agent enabled)',
	gcp: 'GKE Standard clusters enforce NetworkPolicies only with network policy enforcement or GKE Dataplane V2 enabled',
	azure: 'AKS creates clusters without a network policy engine unless one is chosen',
};

const ENGINES: Record<Provider, string> = { aws: 'vpc-cni, calico or cilium', gcp: 'cilium (GKE Dataplane V2) or calico', azure: 'azure, calico or cilium' };

/**
 * A NetworkPolicy engine: `network.policy` other than none. Absent is reported on EKS and AKS
 * (no engine by default) and on GKE claims with node groups (Standard clusters; Autopilot, which
 * has no node groups to declare, always enforces NetworkPolicies through Dataplane V2).
 */
export const networkPolicy = managedRule({
	id: 'cis-managed-network-policy',
	title: 'NetworkPolicies not enforced',
	severity: 'warning',
	rationale:
		'Without an engine that enforces them, NetworkPolicy objects are accepted by the API server and have no effect: every pod can reach every other pod, so one compromised pod can reach every database and internal service of the cluster. Default-deny NetworkPolicies only protect a cluster that enforces them.',
	remediation: 'Set network.policy to an engine that enforces NetworkPolicies (EKS: vpc-cni, calico or cilium; GKE: cilium for Dataplane V2, or calico; AKS: azure, calico or cilium).',
	controls: { aws: ['5.4.4'], gcp: ['4.3.1'], azure: ['5.4.4'] },
	reads: ['network', 'nodeGroups'],
	alsoControls: ['CIS-K8S-5.3.1'],
	evaluate({ spec, provider, nodeGroups }) {
		const policy = section(spec, 'network')?.policy;
		const effect = 'NetworkPolicy objects are accepted but have no effect, so every pod can reach every other pod';
		if (policy === 'none') {
			return [{ path: ['spec', 'network', 'policy'], target: 'value', message: `network.policy: none leaves NetworkPolicies unenforced: ${effect}. Choose an engine (${ENGINES[provider]}).` }];
		}
		if (policy !== undefined) return [];
		if (provider === 'gcp' && nodeGroups.length === 0) return [];
		return [{ ...missingAt(spec, ['network', 'policy']), message: `${DEFAULT[provider]}, and this claim does not set network.policy: ${effect}. Set network.policy (${ENGINES[provider]}).` }];
	},
});

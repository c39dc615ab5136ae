import { flag, managedRule, missingAt, section } from './claim';

/**
 * Nodes without public IP addresses: `network.privateNodes`. false is always reported; absent
 * only on GKE, whose nodes get public IPs unless private nodes are enabled. AKS nodes get no
 * public IP by default, and on EKS it depends on the subnets (unknown here), so absent is not
 * reported there.
 */
export const privateNodes = managedRule({
	id: 'cis-managed-private-nodes',
	title: 'Nodes with public IP addresses',
	severity: 'warning',
	rationale:
		'A node with a public IP address can be reached from the internet directly: a kubelet, SSH or NodePort misconfiguration is then exposed to everyone rather than to the cluster\'s network only. Private nodes force an attacker to get into the network first.',
	remediation: 'Set network.privateNodes: true and give the nodes outbound access through a NAT gateway (Cloud NAT on GKE).',
	controls: { aws: ['5.4.3'], gcp: ['5.6.5'], azure: ['5.4.3'] },
	reads: ['network'],
	evaluate({ spec, provider }) {
		const v = flag(section(spec, 'network'), 'privateNodes');
		if (v === true) return [];
		if (v === false) {
			return [
				{
					path: ['spec', 'network', 'privateNodes'],
					target: 'value',
					message: 'network.privateNodes: false gives the nodes public IP addresses, so each of them can be reached from the internet directly. Set it to true and give the nodes outbound access through NAT.',
				},
			];
		}
		if (provider !== 'gcp' || section(spec, 'network')?.privateNodes !== undefined) return [];
		return [
			{
				...missingAt(spec, ['network', 'privateNodes']),
				message: 'GKE gives nodes public IP addresses unless private nodes are enabled, and this claim does not set network.privateNodes: each node can be reached from the internet directly. Set network.privateNodes: true (the nodes then reach the internet through Cloud NAT).',
			},
		];
	},
});

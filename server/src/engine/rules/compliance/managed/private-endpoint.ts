import { managedRule, missingAt, section, type Provider } from './claim';

const DEFAULT: Record<Provider, string> = {
	aws: 'EKS creates the API server endpoint public, with private access off, by default',
	gcp: 'GKE creates the control plane endpoint public by default',
	azure: 'AKS creates a public API server by default (a private cluster must be chosen at creation)',
};

/**
 * Private endpoint only: `controlPlane.endpointAccess: private`. A public endpoint limited to
 * CIDRs passes cis-managed-endpoint-access but not this stricter control, hence info.
 */
export const privateEndpoint = managedRule({
	id: 'cis-managed-private-endpoint',
	title: 'API server endpoint not private',
	severity: 'info',
	rationale:
		'With the public endpoint off, the API server can be reached only from inside the cluster\'s network, so neither a leaked kubeconfig nor an API server vulnerability can be used from the internet. Authorized CIDRs narrow a public endpoint but still depend on those networks staying trustworthy.',
	remediation: 'Set controlPlane.endpointAccess: private and reach the API through the private network (VPN, bastion, or CI runners inside it).',
	controls: { aws: ['5.4.2'], gcp: ['5.6.4'], azure: ['5.4.2'] },
	reads: ['controlPlane'],
	evaluate({ spec, provider }) {
		const access = section(spec, 'controlPlane')?.endpointAccess;
		if (access === 'private') return [];
		if (access === undefined) {
			return [{ ...missingAt(spec, ['controlPlane', 'endpointAccess']), message: `${DEFAULT[provider]}, and this claim does not set controlPlane.endpointAccess: the API server is reachable from the internet. Set endpointAccess: private.` }];
		}
		if (access !== 'public' && access !== 'public-and-private') return []; // a schema finding already
		return [
			{
				path: ['spec', 'controlPlane', 'endpointAccess'],
				target: 'value',
				message: `controlPlane.endpointAccess is ${access}: the API server stays reachable from the internet, limited at best to publicAccessCidrs. Set it to private and reach the API through the private network.`,
			},
		];
	},
});

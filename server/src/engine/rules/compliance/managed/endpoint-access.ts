import { managedRule, missingAt, section, type ClaimViolation, type Provider } from './claim';

/** What a public endpoint accepts by default (kube-bench EKS/AKS 5.4.1 remediation; GKE 5.6.3: authorized networks off by default). */
const OPEN_BY_DEFAULT: Record<Provider, string> = {
	aws: 'EKS makes the API server endpoint public by default and, without CIDRs, open to 0.0.0.0/0',
	gcp: 'GKE makes the control plane endpoint public by default, with control plane authorized networks off',
	azure: 'AKS makes the API server public by default, with no authorized IP ranges',
};

const OPEN = new Set(['0.0.0.0/0', '::/0']);

/**
 * A public API server endpoint (explicit, or the providers' default when endpointAccess is not
 * set) must be limited to listed CIDRs, none of which is the whole internet.
 */
export const endpointAccess = managedRule({
	id: 'cis-managed-endpoint-access',
	title: 'API server endpoint open to the internet',
	severity: 'warning',
	rationale:
		'An API server endpoint reachable from the whole internet can be probed and attacked by anyone: credential stuffing, stolen kubeconfigs and every API server vulnerability are one request away. Limiting it to known networks removes that exposure even when a credential leaks.',
	remediation: 'Set controlPlane.endpointAccess: private, or keep it public and list the networks that may reach it in controlPlane.publicAccessCidrs (never 0.0.0.0/0 or ::/0).',
	controls: { aws: ['5.4.1'], gcp: ['5.6.3'], azure: ['5.4.1'] },
	reads: ['controlPlane'],
	evaluate({ spec, provider }) {
		const cp = section(spec, 'controlPlane');
		const access = cp?.endpointAccess;
		if (access === 'private') return [];
		if (access !== undefined && access !== 'public' && access !== 'public-and-private') return []; // a schema finding already
		const cidrs = cp?.publicAccessCidrs;
		const listed = Array.isArray(cidrs) ? cidrs.map((c, i) => ({ c, i })).filter((x): x is { c: string; i: number } => typeof x.c === 'string' && x.c.trim() !== '') : [];
		if (listed.length === 0) {
			const where = access === undefined ? missingAt(spec, ['controlPlane', 'endpointAccess']) : { path: ['spec', 'controlPlane', 'endpointAccess'], target: 'value' as const };
			const message =
				access === undefined
					? `${OPEN_BY_DEFAULT[provider]}, and this claim sets neither controlPlane.endpointAccess nor publicAccessCidrs: the API server accepts connections from the whole internet. Set endpointAccess: private, or list the networks that may reach it in publicAccessCidrs.`
					: `controlPlane.endpointAccess is ${access} and publicAccessCidrs lists no network, so the API server accepts connections from the whole internet (${OPEN_BY_DEFAULT[provider]}). List the networks that may reach it in publicAccessCidrs, or set endpointAccess: private.`;
			return [{ ...where, message }];
		}
		const out: ClaimViolation[] = [];
		for (const { c, i } of listed) {
			if (!OPEN.has(c.trim())) continue;
			out.push({
				path: ['spec', 'controlPlane', 'publicAccessCidrs', i],
				target: 'value',
				message: `controlPlane.publicAccessCidrs includes ${c.trim()}, which is the whole internet: the API server accepts connections from anywhere. List only the networks that need it (office, VPN, CI runners), or set endpointAccess: private.`,
			});
		}
		return out;
	},
});

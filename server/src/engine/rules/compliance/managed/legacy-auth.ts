import { flag, managedRule, missingAt, section, type ClaimViolation } from './claim';

/**
 * Legacy authentication and authorization. GKE: client certificates and legacy ABAC are off by
 * default (1.12 and 1.8 on), so only `true` is reported, as an error. AKS: Microsoft Entra ID
 * integration is off and local accounts are on by default, so both are reported when not set.
 * EKS always authenticates through IAM: nothing to check on the claim.
 */
export const legacyAuth = managedRule({
	id: 'cis-managed-legacy-auth',
	title: 'Legacy authentication or authorization enabled',
	severity: 'warning',
	rationale:
		'Client certificates and local admin accounts are credentials that cannot be revoked one by one and do not expire with an employee\'s access; legacy ABAC grants permissions outside RBAC, where reviews and audit do not see them. Central identity (Google groups, Microsoft Entra ID) with RBAC keeps every access personal, reviewable and revocable.',
	remediation: 'GKE: remove access.clientCertificates: true and access.legacyAbac: true. AKS: set access.entraId: true and access.localAccounts: false.',
	controls: { gcp: ['5.8.1', '5.8.3'], azure: ['5.5.1'] },
	reads: ['access'],
	evaluate({ spec, provider }) {
		const access = section(spec, 'access');
		const out: ClaimViolation[] = [];
		if (provider === 'gcp') {
			if (flag(access, 'clientCertificates') === true) {
				out.push({
					path: ['spec', 'access', 'clientCertificates'],
					target: 'value',
					controls: ['5.8.1'],
					severity: 'error',
					message: 'access.clientCertificates: true issues a client certificate for the cluster: a credential that cannot be revoked before it expires and outlives anyone\'s employment. Remove it and authenticate through Google identities.',
				});
			}
			if (flag(access, 'legacyAbac') === true) {
				out.push({
					path: ['spec', 'access', 'legacyAbac'],
					target: 'value',
					controls: ['5.8.3'],
					severity: 'error',
					message: 'access.legacyAbac: true turns on legacy attribute-based authorization, which grants permissions outside RBAC, where reviews and audits do not see them. Remove it.',
				});
			}
			return out;
		}
		const entra = flag(access, 'entraId');
		if (entra !== true) {
			out.push({
				...(entra === false ? { path: ['spec', 'access', 'entraId'], target: 'value' as const } : missingAt(spec, ['access', 'entraId'])),
				message: `${entra === false ? 'access.entraId: false leaves' : 'AKS creates clusters without Microsoft Entra ID integration unless it is enabled, and this claim does not set access.entraId, leaving'} cluster access to certificates and Kubernetes-local accounts that no central identity controls. Set access.entraId: true and bind Entra ID groups with RBAC.`,
			});
			return out; // local accounts can be disabled only with Entra ID on
		}
		const local = flag(access, 'localAccounts');
		if (local !== false) {
			out.push({
				...(local === true ? { path: ['spec', 'access', 'localAccounts'], target: 'value' as const } : missingAt(spec, ['access', 'localAccounts'])),
				message: `${local === true ? 'access.localAccounts: true keeps' : 'AKS keeps local accounts enabled unless they are disabled, and this claim does not set access.localAccounts:'} az aks get-credentials --admin still hands out a certificate-based cluster-admin kubeconfig that bypasses Microsoft Entra ID and cannot be revoked per user. Set access.localAccounts: false.`,
			});
		}
		return out;
	},
});

import { managedRule, missingAt, section, type Provider } from './claim';

/** What each provider does without a key of the customer's (checked against the provider docs). */
const DEFAULT: Record<Provider, string> = {
	aws: 'EKS envelope-encrypts Secrets (from Kubernetes 1.28) only with an AWS-owned key by default, which you cannot control, audit in CloudTrail or revoke',
	gcp: 'GKE encrypts Secrets only at the storage layer with Google-managed keys by default: application-layer Secrets encryption with a Cloud KMS key you control is off',
	azure: 'AKS encrypts etcd only with platform-managed keys by default: KMS etcd encryption with an Azure Key Vault key you control is off',
};

const KEY: Record<Provider, string> = {
	aws: 'a customer-managed AWS KMS key (its ARN)',
	gcp: 'a Cloud KMS key (projects/…/locations/…/keyRings/…/cryptoKeys/…)',
	azure: 'an Azure Key Vault key (its key ID)',
};

/** Kubernetes Secrets envelope-encrypted with a key the customer manages: `encryption.secretsKmsKey`. */
export const secretsEncryption = managedRule({
	id: 'cis-managed-secrets-encryption',
	title: 'Secrets not encrypted with a customer-managed KMS key',
	severity: 'warning',
	rationale:
		'Secrets are stored in etcd. With a key you manage in the provider\'s KMS, their encryption is under your control: every use of the key is logged, access to it is governed by your key policy, and disabling the key makes the stored Secrets unreadable. Provider-managed keys give none of this.',
	remediation: 'Set encryption.secretsKmsKey to a key you manage in the provider\'s KMS (AWS KMS, Cloud KMS, Azure Key Vault).',
	controls: { aws: ['5.3.1'], gcp: ['5.3.1'], azure: ['5.3.1'] },
	// DORA Art 9(2) and 9(4)(d) (data protected at rest by encryption) ask the same of production clusters.
	productionControls: ['DORA-Art9(2)', 'DORA-Art9(4)(d)'],
	reads: ['encryption'],
	evaluate({ spec, provider }) {
		const key = section(spec, 'encryption')?.secretsKmsKey;
		if (typeof key === 'string' && key.trim() !== '') return [];
		if (key !== undefined && typeof key !== 'string') return []; // a schema finding already
		const where = key === undefined ? missingAt(spec, ['encryption', 'secretsKmsKey']) : { path: ['spec', 'encryption', 'secretsKmsKey'], target: 'value' as const };
		return [{ ...where, message: `${DEFAULT[provider]}, and this claim sets no encryption.secretsKmsKey. Set it to ${KEY[provider]}.` }];
	},
});

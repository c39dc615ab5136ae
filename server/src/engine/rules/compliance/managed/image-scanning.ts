import { flag, managedRule, section, type Provider } from './claim';

const SCANNER: Record<Provider, string> = {
	aws: 'Amazon ECR scanning (scan on push, or Amazon Inspector enhanced scanning)',
	gcp: 'Artifact Analysis container scanning',
	azure: 'Microsoft Defender for Containers',
};

/**
 * Image vulnerability scanning: `security.imageScanning: false` is reported. Scanning is a
 * property of the registry and the cloud account rather than of the cluster and its default
 * differs per account, so an absent setting is not.
 */
export const imageScanning = managedRule({
	id: 'cis-managed-image-scanning',
	title: 'Image vulnerability scanning turned off',
	severity: 'warning',
	rationale:
		'Images pick up known vulnerabilities after they are built, as new CVEs are published. Without continuous scanning of the images the cluster pulls, nobody learns that a running image has become exploitable.',
	remediation: 'Remove security.imageScanning: false and enable the provider\'s registry scanning (or a third-party scanner that covers the same images).',
	controls: { aws: ['5.1.1'], gcp: ['5.1.1'], azure: ['5.1.1'] },
	reads: ['security'],
	evaluate({ spec, provider }) {
		if (flag(section(spec, 'security'), 'imageScanning') !== false) return [];
		return [
			{
				path: ['spec', 'security', 'imageScanning'],
				target: 'value',
				message: `security.imageScanning: false: the images this cluster runs are not scanned for known vulnerabilities, so nobody learns when one becomes exploitable. Enable ${SCANNER[provider]}, or a third-party scanner, and remove the setting.`,
			},
		];
	},
});

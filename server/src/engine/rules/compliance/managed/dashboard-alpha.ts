import { managedRule, section, type ClaimViolation } from './claim';

/** How the Kubernetes Dashboard add-on is spelled (GKE: KubernetesDashboard; the upstream chart: kubernetes-dashboard). */
function isDashboard(addon: string): boolean {
	const a = addon.toLowerCase().replace(/[^a-z]/g, '');
	return a === 'kubernetesdashboard' || a === 'kubedashboard' || a === 'dashboard';
}

/**
 * GKE 5.10.1 (Kubernetes Dashboard add-on) and 5.10.2 (alpha clusters for production workloads,
 * reported only where the claim is for a production environment).
 */
export const dashboardAlpha = managedRule({
	id: 'cis-managed-dashboard-alpha',
	title: 'Kubernetes Dashboard add-on or alpha cluster in production',
	severity: 'warning',
	rationale:
		'The Kubernetes Dashboard is a web UI acting with its own service account\'s permissions, a well-known path to cluster takeover when exposed, and GKE deprecated the add-on. Alpha clusters enable unsupported APIs, are not covered by the GKE SLA, cannot be upgraded and are deleted after 30 days: no place for production workloads.',
	remediation: 'Remove the dashboard from spec.addons (use the Cloud console or kubectl), and keep kubernetes.alphaFeatures off for production clusters.',
	controls: { gcp: ['5.10.1', '5.10.2'] },
	reads: ['addons', 'kubernetes'],
	evaluate({ spec, production }) {
		const out: ClaimViolation[] = [];
		if (Array.isArray(spec.addons)) {
			spec.addons.forEach((a, i) => {
				if (typeof a !== 'string' || !isDashboard(a)) return;
				out.push({
					path: ['spec', 'addons', i],
					target: 'value',
					controls: ['5.10.1'],
					message: `The ${a} add-on is the Kubernetes Dashboard: a web UI acting with its service account's permissions, a well-known path to cluster takeover, and deprecated on GKE. Remove it and use the Cloud console or kubectl.`,
				});
			});
		}
		if (production && section(spec, 'kubernetes')?.alphaFeatures === true) {
			out.push({
				path: ['spec', 'kubernetes', 'alphaFeatures'],
				target: 'value',
				controls: ['5.10.2'],
				message: 'kubernetes.alphaFeatures: true makes this production cluster a GKE alpha cluster: its alpha APIs are unsupported, it is not covered by the SLA, cannot be upgraded and is deleted after 30 days. Use alpha clusters only for tests.',
			});
		}
		return out;
	},
});

import type { ComplianceProblem, ComplianceRule } from '../rule';
import { productionAppEntries } from './apps';
import { FACTS } from './facts';
import { appProductionClusters, isFleet } from './fleet';

const CLOUDS: Record<string, string> = { aws: 'AWS', gcp: 'Google Cloud', azure: 'Azure' };

/**
 * DORA Art 28(8): a critical or important app that runs in production on a cloud provider's
 * managed clusters references its exit strategy (`exitPlan`: a document or ticket).
 */
export const exitStrategy: ComplianceRule = {
	id: 'dora-exit-strategy',
	title: 'Critical app on a cloud provider without exit plan',
	severity: 'info',
	kinds: ['Fleet'],
	rationale:
		'DORA Art 28(8) asks for exit strategies for ICT services that support critical or important functions, so that the entity can leave a provider without disruption. A managed Kubernetes service of one cloud is such a service.',
	remediation: 'Write the exit plan (how the app moves to another provider or on premises, and how long it takes) and reference it with exitPlan in the Fleet file.',
	controls: ['DORA-Art28(8)'],
	appliesTo: isFleet,
	check(resource, ctx): ComplianceProblem[] {
		const out: ComplianceProblem[] = [];
		for (const e of productionAppEntries(resource, ctx)) {
			if (!e.critical || e.fact('exitPlan')) continue;
			const providers = [...new Set(appProductionClusters(e.app, ctx.fleet).map((c) => c.provider).filter((p): p is string => !!p && p in CLOUDS))];
			if (providers.length === 0) continue;
			out.push({
				path: e.at('criticality'),
				target: 'value',
				message: `App "${e.name}" is ${e.fact('criticality')}, a critical or important function in DORA's terms, and runs in production on ${providers.map((p) => CLOUDS[p]).join(' and ')} managed clusters, but references no exit strategy: DORA Art 28(8) asks for one for ICT services supporting critical functions. Add \`${FACTS.exitPlan.key}: <link to the plan>\` to this entry. (DORA Art 28(8))`,
			});
		}
		return out;
	},
};

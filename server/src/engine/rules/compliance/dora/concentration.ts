import type { ComplianceProblem, ComplianceRule } from '../rule';
import { entries, isFleet, productionClusters } from './fleet';
import { regionZone } from './regions';

const NAMES: Record<string, string> = { aws: 'AWS', gcp: 'Google Cloud', azure: 'Azure', onprem: 'on-premises' };

/**
 * DORA Art 29(1): every production cluster of the fleet runs on one cloud provider. An evidence
 * signal for the entity's concentration-risk assessment, not a breach: info.
 */
export const providerConcentration: ComplianceRule = {
	id: 'dora-provider-concentration',
	title: 'All production on one cloud provider',
	severity: 'info',
	kinds: ['Fleet'],
	rationale:
		'DORA Art 29(1) asks financial entities to assess ICT concentration risk before contracting, including whether a provider is easily substitutable and whether several arrangements depend on the same provider. A fleet whose production runs entirely on one cloud concentrates on that provider.',
	remediation: 'Record the concentration-risk assessment (and exit plans of critical apps); if the risk is not accepted, run production on a second provider. Accept it with an exemption in spec.compliance.exemptions giving the assessment as the reason.',
	controls: ['DORA-Art29(1)'],
	appliesTo: isFleet,
	check(resource, ctx): ComplianceProblem[] {
		const prod = productionClusters(ctx.fleet);
		if (prod.length === 0 || prod.some((c) => !c.provider)) return [];
		const providers = new Set(prod.map((c) => c.provider!));
		if (providers.size !== 1 || providers.has('onprem')) return [];
		const p = [...providers][0];
		const spec = resource.value.spec as Record<string, unknown> | undefined;
		return [
			{
				path: spec && 'clusters' in spec ? ['spec', 'clusters'] : ['kind'],
				target: spec && 'clusters' in spec ? 'key' : 'value',
				message: `All ${prod.length} production cluster${prod.length === 1 ? '' : 's'} (${prod.map((c) => `"${c.name}"`).join(', ')}) run on ${NAMES[p] ?? p}: DORA Art 29(1) asks for the concentration risk of depending on one ICT provider to be assessed. Record that assessment (an exemption of this rule with the assessment as its reason), or run production on a second provider. (DORA Art 29(1))`,
			},
		];
	},
};

/**
 * DORA Art 29: all production clusters in one region (concentration), and production clusters in a
 * region outside the EU/EEA (Art 29(2): third-country law, data protection and insolvency must be
 * weighed). Info: these are inputs to the entity's assessment.
 */
export const regionConcentration: ComplianceRule = {
	id: 'dora-region-concentration',
	title: 'Production in one region or outside the EU/EEA',
	severity: 'info',
	kinds: ['Fleet'],
	rationale:
		'DORA Art 29 asks for concentration risk to be assessed, and Art 29(2) to weigh, for providers and processing in third countries, data protection, the enforcement of the law and insolvency rules. All production in one region concentrates on it; a production region outside the EU/EEA puts data under another jurisdiction.',
	remediation: 'Record the assessment; spread production over regions, and keep data of EU customers in EU/EEA regions unless the assessment accepts otherwise.',
	controls: ['DORA-Art29(1)', 'DORA-Art29(2)'],
	appliesTo: isFleet,
	check(resource, ctx): ComplianceProblem[] {
		const prod = productionClusters(ctx.fleet);
		if (prod.length === 0) return [];
		const out: ComplianceProblem[] = [];
		const spec = resource.value.spec as Record<string, unknown> | undefined;
		if (prod.length > 1 && prod.every((c) => c.region) && new Set(prod.map((c) => c.region)).size === 1) {
			out.push({
				path: spec && 'clusters' in spec ? ['spec', 'clusters'] : ['kind'],
				target: spec && 'clusters' in spec ? 'key' : 'value',
				message: `All ${prod.length} production clusters run in region ${prod[0].region}: one regional outage stops all of production. DORA Art 29(1) asks for such concentration to be assessed. Record the assessment, or run production in a second region. (DORA Art 29(1))`,
			});
		}
		const listed = new Map(entries(resource, 'clusters').map((e) => [e.name, e]));
		for (const c of prod) {
			if (regionZone(c.provider, c.region) !== 'outside') continue;
			const e = listed.get(c.name);
			out.push({
				path: e ? ['spec', 'clusters', e.index, 'region' in e.value ? 'region' : 'name'] : spec && 'clusters' in spec ? ['spec', 'clusters'] : ['kind'],
				target: e ? 'value' : 'key',
				message: `Production cluster "${c.name}" runs in ${c.region}, outside the EU/EEA: DORA Art 29(2) asks for data protection, the enforcement of the law and insolvency rules of that jurisdiction to be weighed for what runs there. Record that assessment (an exemption of this rule with it as the reason), or move the cluster to an EU/EEA region. (DORA Art 29(2))`,
			});
		}
		return out;
	},
};

import type { ComplianceProblem, ComplianceRule } from '../rule';
import { productionAppEntries } from './apps';
import { FACTS } from './facts';
import { appProductionClusters, isFleet } from './fleet';

/**
 * DORA Art 11(1)/(6): a critical or important app whose production clusters all run in one region
 * and that names no DR cluster (`drCluster`) in another region: a regional outage stops it, with
 * nowhere to switch over to. Apps whose clusters' regions are not all known are not reported.
 */
export const geographicRedundancy: ComplianceRule = {
	id: 'dora-geographic-redundancy',
	title: 'Critical app in one region only',
	severity: 'warning',
	kinds: ['Fleet'],
	rationale:
		'DORA Art 11 asks for ICT business continuity of critical or important functions, and Art 11(6) for tests that include switchovers between the primary ICT infrastructure and redundant capacity. A critical app that runs in one region, without a declared DR cluster elsewhere, has no redundant capacity to switch over to when the region fails.',
	remediation: 'Run the app in production clusters of at least two regions, or name a DR cluster of another region with drCluster in the Fleet file.',
	controls: ['DORA-Art11(1)', 'DORA-Art11(6)'],
	appliesTo: isFleet,
	check(resource, ctx): ComplianceProblem[] {
		const out: ComplianceProblem[] = [];
		for (const e of productionAppEntries(resource, ctx)) {
			if (!e.critical) continue;
			const clusters = appProductionClusters(e.app, ctx.fleet);
			if (clusters.length === 0 || clusters.some((c) => !c.region)) continue;
			const regions = new Set(clusters.map((c) => c.region!));
			if (regions.size > 1) continue;
			const region = [...regions][0];
			const dr = e.fact('drCluster');
			const drCluster = dr ? ctx.fleet.clusters.find((c) => c.name === dr) : undefined;
			if (drCluster?.region && drCluster.region !== region) continue;
			const names = clusters.map((c) => `"${c.name}"`).join(', ');
			const drNote = dr
				? drCluster
					? `, and its drCluster "${dr}" ${drCluster.region ? 'is in the same region' : 'has no known region'}`
					: `, and its drCluster "${dr}" is not a cluster of the fleet`
				: '';
			out.push({
				path: e.at(dr ? 'drCluster' : 'criticality'),
				target: 'value',
				message: `App "${e.name}" is ${e.fact('criticality')}, a critical or important function in DORA's terms, and runs in production only in region ${region} (${names})${drNote}: a regional outage stops it with no redundant capacity to switch over to. DORA Art 11 asks for continuity of critical functions and switchover tests (Art 11(6)). Deploy it to a production cluster of another region, or name one with \`${FACTS.drCluster.key}: <cluster>\` in this entry. (DORA Art 11(1), Art 11(6))`,
			});
		}
		return out;
	},
};

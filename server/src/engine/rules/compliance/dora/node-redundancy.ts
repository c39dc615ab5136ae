import { isPlainObject } from '../../../core/resource';
import type { ComplianceProblem, ComplianceRule } from '../rule';
import { claimFacts, claimName } from './claim';
import { isClaim, isProductionClaim } from './fleet';

/**
 * DORA Art 10(1)/11: a production ClusterClaim whose general-purpose (untainted) node groups
 * together keep fewer than two nodes at minimum, or span fewer than two zones where every one of
 * them lists its zones. Tainted groups serve special workloads (GPU, batch) and are not counted.
 */
export const nodeRedundancy: ComplianceRule = {
	id: 'dora-node-redundancy',
	title: 'Production cluster without node redundancy',
	severity: 'warning',
	kinds: ['ClusterClaim'],
	rationale:
		'DORA Art 10(1) asks for potential material single points of failure to be identified and Art 11 for continuity of critical functions. A production cluster that can shrink to one node, or whose nodes all sit in one availability zone, loses every workload with that node or zone.',
	remediation: 'Give the general-purpose node groups minSize 2 or more in total, spread over at least two zones.',
	controls: ['DORA-Art10(1)', 'DORA-Art11(1)'],
	appliesTo: isClaim,
	check(resource, ctx): ComplianceProblem[] {
		if (!isProductionClaim(resource, ctx)) return [];
		const c = claimFacts(resource, ctx);
		const groups = Array.isArray(c.spec.nodeGroups) ? c.spec.nodeGroups : [];
		const general = groups.map((g, i) => ({ g, i })).filter(({ g }) => isPlainObject(g) && !(Array.isArray(g.taints) && g.taints.length > 0)) as { g: Record<string, unknown>; i: number }[];
		if (general.length === 0) return [];
		const out: ComplianceProblem[] = [];
		const name = claimName(resource);
		if (general.every(({ g }) => typeof g.minSize === 'number')) {
			const total = general.reduce((n, { g }) => n + (g.minSize as number), 0);
			if (total < 2) {
				const first = general[0];
				out.push({
					path: ['spec', 'nodeGroups', first.i, 'minSize'],
					target: 'value',
					message: `${name} is a production cluster whose general-purpose node groups keep ${total} node${total === 1 ? '' : 's'} at minimum: one node failure or upgrade stops every workload on it. DORA Art 10(1) asks for single points of failure to be identified and removed. Set minSize so that at least two nodes always run. (DORA Art 10(1), Art 11(1))`,
				});
			}
		}
		if (general.every(({ g }) => Array.isArray(g.zones))) {
			const zones = new Set(general.flatMap(({ g }) => (g.zones as unknown[]).filter((z): z is string => typeof z === 'string')));
			if (zones.size < 2) {
				const first = general[0];
				out.push({
					path: ['spec', 'nodeGroups', first.i, 'zones'],
					target: 'key',
					message: `${name} is a production cluster whose general-purpose nodes all run in ${zones.size === 0 ? 'no listed zone' : `one zone (${[...zones][0]})`}: an outage of that zone stops every workload. DORA Art 10(1) asks for single points of failure to be identified and removed. Spread the node groups over at least two zones. (DORA Art 10(1), Art 11(1))`,
				});
			}
		}
		return out;
	},
};

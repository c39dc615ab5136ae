import { parseMinor } from '../context';
import type { ComplianceProblem, ComplianceRule } from '../rule';
import { claimFacts, claimName } from './claim';
import { isClaim, isProductionClaim } from './fleet';
import { pastSupport } from './unsupported-kubernetes';

/** How many minors a production cluster may trail the fleet's newest before it is reported. */
export const MAX_MINORS_BEHIND = 1;

/**
 * DORA Art 9(4)(f): a production ClusterClaim two or more Kubernetes minors behind the newest
 * minor the fleet already runs (one behind is a rollout in progress). Not reported when the version
 * is past its end of support: dora-unsupported-kubernetes says so already.
 */
export const patchCurrency: ComplianceRule = {
	id: 'dora-patch-currency',
	title: 'Production cluster behind the fleet',
	severity: 'warning',
	kinds: ['ClusterClaim'],
	rationale:
		'DORA Art 9(4)(f) asks for documented policies on patches and updates. A production cluster several Kubernetes minors behind clusters the fleet already runs misses their fixes, and the upgrade gets larger and riskier the longer it waits.',
	remediation: 'Upgrade the production cluster towards the minor the rest of the fleet runs, one minor at a time.',
	controls: ['DORA-Art9(4)(f)'],
	appliesTo: isClaim,
	check(resource, ctx): ComplianceProblem[] {
		if (!isProductionClaim(resource, ctx)) return [];
		const c = claimFacts(resource, ctx);
		if (c.minor === undefined || pastSupport(c.provider, c.minor, ctx.today)) return [];
		let newest: { minor: number; cluster: string } | undefined;
		for (const cl of ctx.fleet.clusters) {
			const m = cl.kubernetesVersion ? parseMinor(cl.kubernetesVersion) : undefined;
			if (m !== undefined && (!newest || m > newest.minor)) newest = { minor: m, cluster: cl.name };
		}
		if (!newest || newest.minor - c.minor <= MAX_MINORS_BEHIND) return [];
		return [
			{
				path: ['spec', 'kubernetes', 'version'],
				target: 'value',
				message: `${claimName(resource)} is a production cluster on Kubernetes ${c.version}, ${newest.minor - c.minor} minors behind the fleet's newest (1.${newest.minor} on "${newest.cluster}"): DORA Art 9(4)(f) asks for patches and updates to be applied under a documented policy. Plan its upgrade towards 1.${newest.minor}. (DORA Art 9(4)(f))`,
			},
		];
	},
};

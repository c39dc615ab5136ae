import type { ComplianceProblem, ComplianceRule } from '../rule';
import { claimFacts, claimName } from './claim';
import { isClaim, isProductionClaim } from './fleet';
import { supportOf } from './kubernetes-support';

const PROVIDER: Record<string, string> = { aws: 'EKS', gcp: 'GKE', azure: 'AKS', onprem: 'upstream Kubernetes' };

/** Whether a claim's version is past the end of standard support today (for patch currency, which then stays quiet). */
export function pastSupport(provider: string | undefined, minor: number | undefined, today: string): boolean {
	if (!provider || minor === undefined) return false;
	const w = supportOf(provider, minor);
	return w === 'older' || (w !== undefined && w.end < today);
}

/**
 * DORA Art 8(7): a cluster whose Kubernetes minor is past its provider's end of standard support
 * (table in kubernetes-support.ts) is a legacy ICT system: no more security fixes, or only as paid
 * extended support. Warning; error for production claims.
 */
export const unsupportedKubernetes: ComplianceRule = {
	id: 'dora-unsupported-kubernetes',
	title: 'Kubernetes version past end of support',
	severity: 'warning',
	kinds: ['ClusterClaim'],
	rationale:
		'A Kubernetes minor past its end of support gets no security fixes from its provider. DORA Art 8(7) asks for a specific risk assessment of such legacy ICT systems, and Art 9(4)(f) for patches and updates; the RTS 2024/1774 Art 4 asset records hold the end dates of supplier support.',
	remediation: 'Upgrade the cluster to a supported Kubernetes minor (spec.kubernetes.version), one minor at a time.',
	controls: ['DORA-Art8(7)'],
	appliesTo: isClaim,
	check(resource, ctx): ComplianceProblem[] {
		const c = claimFacts(resource, ctx);
		if (!c.provider || c.minor === undefined) return [];
		const w = supportOf(c.provider, c.minor);
		if (w === undefined) return [];
		const who = PROVIDER[c.provider] ?? c.provider;
		const prod = isProductionClaim(resource, ctx);
		const severity = prod ? ('error' as const) : undefined;
		const path = ['spec', 'kubernetes', 'version'];
		if (w === 'older') {
			return [{ path, target: 'value', severity, message: `${claimName(resource)} runs Kubernetes ${c.version}, older than every minor ${who} still lists: it gets no security fixes. DORA Art 8(7) treats it as a legacy ICT system. Upgrade spec.kubernetes.version to a supported minor. (DORA Art 8(7))` }];
		}
		if (w.end >= ctx.today) return [];
		const extended = w.extendedEnd && w.extendedEnd >= ctx.today ? ` ${who} extended support (at extra cost) ends ${w.extendedEnd}.` : w.extendedEnd ? ` Its extended support ended ${w.extendedEnd} too.` : '';
		return [
			{
				path,
				target: 'value',
				severity,
				message: `${claimName(resource)} runs Kubernetes ${c.version}, whose ${who} standard support ended ${w.end}: no more regular security fixes.${extended} DORA Art 8(7) asks for a risk assessment of such legacy ICT systems${prod ? ', and this is a production cluster' : ''}. Upgrade spec.kubernetes.version to a supported minor. (DORA Art 8(7))`,
			},
		];
	},
};

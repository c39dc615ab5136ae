import { isPlainObject } from '../../../core/resource';
import type { IndexedObject } from '../../../core/objects';
import type { ComplianceProblem, ComplianceRule } from '../rule';
import { inCluster, scopesOf, SYSTEM_NAMESPACES, hasIndex } from '../cross';
import { policiesFor } from '../cis/namespace-network-policy';

type Direction = 'Ingress' | 'Egress';

function emptySelector(s: unknown): boolean {
	if (s === undefined || s === null) return false;
	if (!isPlainObject(s)) return false;
	const ml = s.matchLabels;
	const me = s.matchExpressions;
	return (ml === undefined || (isPlainObject(ml) && Object.keys(ml).length === 0)) && (me === undefined || (Array.isArray(me) && me.length === 0));
}

/** The directions a Kubernetes NetworkPolicy denies by default for every pod of its namespace. */
export function defaultDenies(o: IndexedObject): Direction[] {
	if (o.apiVersion !== 'networking.k8s.io/v1' || !isPlainObject(o.value.spec)) return [];
	const spec = o.value.spec;
	if (!emptySelector(spec.podSelector)) return [];
	const types = Array.isArray(spec.policyTypes) ? spec.policyTypes : ['Ingress', ...(spec.egress !== undefined ? ['Egress'] : [])];
	const out: Direction[] = [];
	for (const d of ['Ingress', 'Egress'] as const) {
		const rules = spec[d === 'Ingress' ? 'ingress' : 'egress'];
		if (types.includes(d) && (rules === undefined || (Array.isArray(rules) && rules.length === 0))) out.push(d);
	}
	return out;
}

/**
 * DORA Art 9(4)(b) (RTS 2024/1774 Art 13(a)): a production Namespace has a default-deny
 * NetworkPolicy (`podSelector: {}`, no rules) for ingress and for egress, so that only the traffic
 * its policies allow flows. A namespace with no policy at all is reported by cis-namespace-network-policy
 * while the cis profile is on, by this rule otherwise. Not reported where the index cannot tell: a raw policy without a
 * namespace, Cilium/Calico policies (their semantics are not evaluated), or cluster-wide policies.
 */
export const segmentation: ComplianceRule = {
	id: 'dora-segmentation',
	title: 'Production namespace without default deny',
	severity: 'warning',
	kinds: ['Namespace'],
	rationale:
		'DORA Art 9(4)(b) asks for network management that can isolate affected assets, and the RTS 2024/1774 Art 13(a) for segmentation of networks by criticality. Without a default deny, any workload of the cluster reaches a production namespace and its pods reach anything, so one compromised pod spreads.',
	remediation: 'Add a NetworkPolicy with podSelector: {} and policyTypes [Ingress, Egress] and no rules to the namespace, then allow only the traffic its workloads need.',
	controls: ['DORA-Art9(4)(b)'],
	appliesTo: (r) => r.group === '' && !!r.name && !SYSTEM_NAMESPACES.has(r.name),
	check(resource, ctx): ComplianceProblem[] {
		if (!ctx.production || !hasIndex(ctx)) return [];
		const ns = resource.name!;
		const gaps: string[] = [];
		const cisOn = (ctx.settings['compliance.profiles'] as string[]).includes('cis');
		for (const scope of scopesOf(ctx)) {
			if (scope.cluster && !ctx.targets.some((t) => t.name === scope.cluster && t.production)) continue;
			const p = policiesFor(scope, ns, ctx.objects.complete);
			if (p.maybe || p.clusterWide.length > 0 || p.yes.some((o) => o.kind !== 'NetworkPolicy' || o.apiVersion !== 'networking.k8s.io/v1')) continue;
			// A namespace with no policy at all is one finding: CIS 5.3.2's while the cis profile is on.
			if (p.yes.length === 0 && cisOn) continue;
			const denied = new Set(p.yes.flatMap(defaultDenies));
			const missing = (['Ingress', 'Egress'] as const).filter((d) => !denied.has(d));
			if (missing.length > 0) gaps.push(`${missing.join(' and ').toLowerCase()}${inCluster(scope)}`);
		}
		if (gaps.length === 0) return [];
		return [
			{
				path: ['metadata', 'name'],
				target: 'value',
				message: `Production namespace "${ns}" has no default-deny NetworkPolicy for ${gaps.join('; ')}: traffic no policy names is still allowed, so a compromised pod elsewhere can reach it (or it can reach anything). DORA Art 9(4)(b) asks for segmented networks that can isolate affected assets. Add a NetworkPolicy with podSelector: {} and policyTypes: [Ingress, Egress] and no rules. (DORA Art 9(4)(b))`,
			},
		];
	},
};

import type { IndexedObject } from '../../../core/objects';
import type { ComplianceProblem, ComplianceRule } from '../rule';
import { inCluster, inNamespace, scopesOf, SYSTEM_NAMESPACES, type Scope, hasIndex } from '../cross';

/** Namespaced kinds that define network policies for their namespace (Kubernetes, Calico, Cilium). */
export const NAMESPACED_POLICY_KINDS = ['NetworkPolicy', 'CiliumNetworkPolicy'];
/** Cluster-wide policies that may cover every namespace; their selectors are not evaluated. */
export const CLUSTER_POLICY_KINDS = ['CiliumClusterwideNetworkPolicy', 'GlobalNetworkPolicy', 'AdminNetworkPolicy', 'BaselineAdminNetworkPolicy'];

/** Whether a network policy of the scope is, or may be, in namespace `ns` (`maybe`: raw object without a namespace). */
export function policiesFor(scope: Scope, ns: string, complete: boolean): { yes: IndexedObject[]; maybe: boolean; clusterWide: IndexedObject[] } {
	const yes: IndexedObject[] = [];
	let maybe = false;
	for (const kind of NAMESPACED_POLICY_KINDS) {
		for (const o of scope.objects(kind)) {
			const where = inNamespace(o, ns, complete);
			if (where === 'yes') yes.push(o);
			else if (where === 'maybe') maybe = true;
		}
	}
	const clusterWide = CLUSTER_POLICY_KINDS.flatMap((k) => scope.objects(k));
	return { yes, maybe, clusterWide };
}

/**
 * CIS 5.3.2: a Namespace of the repository with no NetworkPolicy in it, in the same cluster when
 * the fleet model knows where they go. Not reported where a raw policy without a namespace could
 * still be put there (kustomize, Flux targetNamespace, Argo CD), or where a cluster-wide policy
 * (Cilium, Calico, AdminNetworkPolicy) exists, whose selectors are not evaluated.
 */
export const namespaceNetworkPolicy: ComplianceRule = {
	id: 'cis-namespace-network-policy',
	title: 'Namespace without a NetworkPolicy',
	severity: 'warning',
	kinds: ['Namespace'],
	rationale:
		'Without a NetworkPolicy, every pod of a namespace accepts traffic from every pod of the cluster and can reach every other one: one compromised workload can then probe and attack all the others.',
	remediation: 'Add a NetworkPolicy to the namespace, at least a default-deny policy (podSelector: {}) plus the traffic the workloads need.',
	controls: ['CIS-K8S-5.3.2'],
	appliesTo: (r) => r.group === '' && !!r.name && !SYSTEM_NAMESPACES.has(r.name),
	check(resource, ctx): ComplianceProblem[] {
		if (!hasIndex(ctx)) return [];
		const ns = resource.name!;
		const missing: string[] = [];
		for (const scope of scopesOf(ctx)) {
			const p = policiesFor(scope, ns, ctx.objects.complete);
			if (p.yes.length > 0 || p.maybe || p.clusterWide.length > 0) continue;
			missing.push(inCluster(scope));
		}
		if (missing.length === 0) return [];
		const where = missing.filter((m) => m !== '').map((m) => m.trim());
		const place = where.length > 0 ? ` (${where.join(', ')})` : '';
		return [
			{
				path: ['metadata', 'name'],
				target: 'value',
				message: `Namespace "${ns}" has no NetworkPolicy${place}: its pods accept traffic from every pod of the cluster and can reach all of them. Add a NetworkPolicy with namespace: ${ns}, at least a default deny (podSelector: {}) plus what its workloads need. (CIS 5.3.2)`,
			},
		];
	},
};

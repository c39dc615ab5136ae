import { isPlainObject } from '../../../core/resource';
import { ENFORCE_LABEL } from '../context';
import type { ComplianceProblem, ComplianceRule } from '../rule';
import { inCluster, scopesOf, SYSTEM_NAMESPACES, hasIndex } from '../cross';
import { podSecurityPolicies } from './pod-security-policies';

/**
 * CIS 5.2.1: a non-system Namespace without a `pod-security.kubernetes.io/enforce` label while its
 * cluster (or, without a fleet model, the repository) has no enforcing Kyverno, Gatekeeper or
 * ValidatingAdmissionPolicy that enforces Pod Security for its pods (see pod-security-policies.ts:
 * a policy on labels or registries, or one that excludes the namespace, does not count): nothing
 * then stops a privileged pod from being admitted there.
 */
export const policyControl: ComplianceRule = {
	id: 'cis-policy-control',
	title: 'Namespace without an active policy control',
	severity: 'warning',
	kinds: ['Namespace'],
	rationale:
		'Pod Security admission only acts on namespaces that carry its enforce label, and a cluster without an enforcing policy engine admits any pod. With neither, privileged or host-namespace pods are accepted in the namespace without question.',
	remediation:
		'Label the namespace with pod-security.kubernetes.io/enforce: baseline (or restricted), or deploy an enforcing policy engine (Kyverno validationFailureAction: Enforce, Gatekeeper constraints with enforcementAction: deny) to its cluster.',
	controls: ['CIS-K8S-5.2.1'],
	appliesTo: (r) => r.group === '' && !!r.name && !SYSTEM_NAMESPACES.has(r.name),
	check(resource, ctx): ComplianceProblem[] {
		const meta = isPlainObject(resource.value.metadata) ? resource.value.metadata : {};
		const labels = isPlainObject(meta.labels) ? meta.labels : undefined;
		if (labels && typeof labels[ENFORCE_LABEL] === 'string') return [];
		if (!hasIndex(ctx)) return [];
		const ns = resource.name!;
		const facts = { name: ns, labels: Object.fromEntries(Object.entries(labels ?? {}).filter((e): e is [string, string] => typeof e[1] === 'string')) };
		const bare = scopesOf(ctx).filter((s) => podSecurityPolicies(s, facts, ctx.objects.complete).length === 0);
		if (bare.length === 0) return [];
		const where = bare.map(inCluster).filter((w) => w !== '').map((w) => w.trim());
		const scope = where.length > 0 ? `no admission policy of its cluster enforces Pod Security for its pods (${where.join(', ')})` : 'no admission policy of the repository (Kyverno, Gatekeeper or ValidatingAdmissionPolicy) enforces Pod Security for its pods';
		return [
			{
				path: labels ? ['metadata', 'labels'] : ['metadata'],
				target: 'key',
				message: `Namespace "${ns}" has no ${ENFORCE_LABEL} label and ${scope}, so nothing stops privileged or host-namespace pods from being admitted there. Add ${ENFORCE_LABEL}: baseline (or restricted) to its labels. (CIS 5.2.1)`,
			},
		];
	},
};

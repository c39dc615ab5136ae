import { isPlainObject } from '../../../core/resource';
import type { IndexedObject } from '../../../core/objects';
import { ENFORCE_LABEL } from '../context';
import { isGatekeeperConstraint } from '../../../context/repo-objects';
import type { ComplianceProblem, ComplianceRule } from '../rule';
import { inCluster, scopesOf, SYSTEM_NAMESPACES, type Scope, hasIndex } from '../cross';

function enforcingKyverno(o: IndexedObject): boolean {
	if (!o.apiVersion.startsWith('kyverno.io/') || !isPlainObject(o.value.spec)) return false;
	const spec = o.value.spec;
	const rules = Array.isArray(spec.rules) ? spec.rules.filter(isPlainObject) : [];
	const validating = rules.filter((r) => isPlainObject(r.validate));
	if (validating.length === 0) return false;
	const enforce = (v: unknown) => typeof v === 'string' && v.toLowerCase() === 'enforce';
	// Kyverno 1.13+ moved the action into each rule (validate.failureAction); the policy-wide field is the default.
	return validating.some((r) => enforce((r.validate as Record<string, unknown>).failureAction) || (!('failureAction' in (r.validate as object)) && enforce(spec.validationFailureAction)));
}

function enforcingValidatingPolicy(o: IndexedObject): boolean {
	const spec = isPlainObject(o.value.spec) ? o.value.spec : undefined;
	if (!spec) return false;
	const actions = Array.isArray(spec.validationActions) ? spec.validationActions : undefined;
	// Kyverno ValidatingPolicy defaults to Deny; a native binding must say so.
	if (o.kind === 'ValidatingPolicy') return o.apiVersion.startsWith('policies.kyverno.io/') && (actions === undefined || actions.includes('Deny'));
	return o.apiVersion.startsWith('admissionregistration.k8s.io/') && !!actions?.includes('Deny');
}

function enforcingGatekeeper(o: IndexedObject): boolean {
	const spec = isPlainObject(o.value.spec) ? o.value.spec : {};
	return isGatekeeperConstraint(o.apiVersion) && (spec.enforcementAction === undefined || spec.enforcementAction === 'deny');
}

/** The enforcing admission policies of a scope that apply to namespace `ns` (a namespaced Kyverno Policy only to its own). */
export function enforcingPolicies(scope: Scope, ns: string, complete: boolean): IndexedObject[] {
	const kyverno = [...scope.objects('ClusterPolicy'), ...scope.objects('Policy').filter((p) => p.namespace === ns || (p.namespace === undefined && !complete))].filter(enforcingKyverno);
	const vap = [...scope.objects('ValidatingPolicy'), ...scope.objects('ValidatingAdmissionPolicyBinding')].filter(enforcingValidatingPolicy);
	// Constraints have a kind per template: look at every indexed object of the constraints group.
	const gatekeeper = scope.all().filter(enforcingGatekeeper);
	return [...kyverno, ...vap, ...gatekeeper];
}

/**
 * CIS 5.2.1: a non-system Namespace without a `pod-security.kubernetes.io/enforce` label while its
 * cluster (or, without a fleet model, the repository) has no enforcing Kyverno, Gatekeeper or
 * ValidatingAdmissionPolicy: nothing then stops a privileged pod from being admitted there.
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
		const bare = scopesOf(ctx).filter((s) => enforcingPolicies(s, ns, ctx.objects.complete).length === 0);
		if (bare.length === 0) return [];
		const where = bare.map(inCluster).filter((w) => w !== '').map((w) => w.trim());
		const scope = where.length > 0 ? `its cluster has no enforcing admission policy (${where.join(', ')})` : 'the repository deploys no enforcing admission policy (Kyverno, Gatekeeper or ValidatingAdmissionPolicy)';
		return [
			{
				path: labels ? ['metadata', 'labels'] : ['metadata'],
				target: 'key',
				message: `Namespace "${ns}" has no ${ENFORCE_LABEL} label and ${scope}, so nothing stops privileged or host-namespace pods from being admitted there. Add ${ENFORCE_LABEL}: baseline (or restricted) to its labels. (CIS 5.2.1)`,
			},
		];
	},
};

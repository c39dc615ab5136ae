import { complianceRules, type ComplianceRule } from './compliance';
import { PolicyChecker } from './policy';

/**
 * The repository's admission policies on what each cluster receives: a rule of the rendered
 * evaluation (`compliance/rendered.ts`) for every kind, where the cluster's render is the objects
 * around (its policies judge its objects, with their final namespaces and labels). Its findings
 * are the `policy` findings of the rendered objects, placed on the source that produced the value.
 * The rule owns its checker (the policies compiled per render).
 */
export function renderedPolicyRule(): ComplianceRule {
	const checker = new PolicyChecker();
	return {
		id: 'policy',
		title: 'Admission policy of the repository',
		severity: 'error',
		kinds: ['*'],
		rationale: "The repository's own admission policies judge what each cluster receives.",
		remediation: "Change the object so the policy's rule holds, or exempt it.",
		controls: [],
		// Enforce/Audit decide the severity: production does not raise it.
		productionOnly: true,
		evaluates: () => false,
		// The targets and the fleet are read only for objects outside a render (where a policy is deployed decides there).
		check: (resource, ctx) =>
			checker
				.problems(resource, {
					path: ctx.path,
					objects: ctx.objects,
					get targets() {
						return ctx.targets;
					},
					get fleet() {
						return ctx.fleet;
					},
					namespaceLabels: (n) => ctx.namespaceLabels(n),
					covered: false,
				})
				.map((p) => ({ path: p.path, target: p.target === 'parent' ? 'key' : p.target, message: p.message, severity: p.severity, ...(p.data?.policy ? { policy: p.data.policy } : {}) })),
	};
}

/** What the rendered evaluation runs: the compliance rules and the repository's admission policies (a new policy rule each time). */
export function renderedRules(): ComplianceRule[] {
	return [...complianceRules, renderedPolicyRule()];
}

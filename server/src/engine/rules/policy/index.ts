import type { CheckContext, ResourceCheck } from '../../context/check-context';
import { NO_OBJECTS } from '../../core/objects';
import type { RuleMeta } from '../../core/rule-meta';
import type { Resource } from '../../core/resource';
import type { SchemaProblem } from '../../schema/types';
import { CrdRuleValidator } from '../../cel/crd-rules';
import { PolicyChecker } from './checker';
import { CrdRulesCheck, type BundledSchemas } from './crd-cel/check';
import { ConstraintCheck, isConstraint, type SchemaCompiler } from './gatekeeper/constraint';
import { policyFileProblems } from './policy-file';
import { policyKindOf } from './policy-set';

/**
 * The repository's own admission policies, evaluated by the engine (`policy` findings): Kyverno
 * ClusterPolicy, Policy and ValidatingPolicy, ValidatingAdmissionPolicy with its bindings, the
 * validation rules of bundled CRD schemas, Gatekeeper Constraint parameters; plus diagnostics on
 * policy files themselves. See docs/policies.md for what is and is not evaluated.
 */

/** The rule the policy findings are reported under (in the catalog, `rules/catalog.ts`). */
export const POLICY_RULES: readonly RuleMeta[] = [
	{
		id: 'policy',
		title: 'Admission policy of the repository',
		defaultSeverity: 'error',
		rationale:
			"The repository's own admission policies (Kyverno, ValidatingAdmissionPolicy, a CRD's validation rules) reject or report this object when it is applied; Fleetscope evaluates them as you type instead of at apply time. Enforce/Deny is an error, Audit/Warn a warning, an audit-only ValidatingAdmissionPolicy information.",
		controls: [],
		remediation: "Change the object so the policy's rule holds, or exempt it where the policy allows (a PolicyException, the policy's exclusions, a binding's match).",
	},
];

/** What the checks need from the schema registry (bundled CRD schemas, compiling a Constraint's schema). */
export type PolicySchemas = BundledSchemas & SchemaCompiler;

export { PolicyChecker } from './checker';
export type { Surroundings } from './checker';

const POLICY_FILE_KINDS = new Set(['ClusterPolicy', 'Policy', 'ValidatingPolicy', 'ValidatingAdmissionPolicy', 'CustomResourceDefinition', 'ClusterCleanupPolicy', 'CleanupPolicy']);

/**
 * The policy checks as engine plugins: `policy` (the repository's policies judging each resource),
 * `policy-file` (a policy file's own diagnostics), `policy-crd-rules` (bundled CRD rules, with
 * `schemas`), `policy-gatekeeper` (Constraints). Each owns its caches.
 */
export function createPolicyChecks(schemas?: PolicySchemas): ResourceCheck[] {
	const checker = new PolicyChecker();
	const crd = schemas ? new CrdRulesCheck(schemas) : undefined;
	const constraints = new ConstraintCheck(schemas);
	const crdValidator = crd?.validator ?? new CrdRuleValidator();
	const checks: ResourceCheck[] = [
		{
		id: 'policy',
			appliesTo: () => true,
			// A kustomize patch is a fragment: no policy judges it (its rendered object is judged instead).
			check: (r: Resource, ctx: CheckContext): SchemaProblem[] =>
				ctx.repo.isPatchFile(ctx.path) ? [] : checker.problems(r, {
					path: ctx.path,
					objects: ctx.objects,
					targets: ctx.targets,
					fleet: ctx.fleet,
					namespaceLabels: ctx.repo.namespaceLabels ? (n) => ctx.repo.namespaceLabels!(n) : undefined,
					covered: ctx.repo.rendered?.covers(ctx.path, r.documentIndex) ?? false,
				}),
			// Whether the object passed the repository's policies is no compliance control of its own.
			evaluates: () => false,
		},
		{
			id: 'policy-file',
			appliesTo: (r) => POLICY_FILE_KINDS.has(r.kind),
			check: (r, ctx) => (policyKindOf(r.value) || r.kind === 'CustomResourceDefinition' || r.kind.endsWith('CleanupPolicy') ? policyFileProblems(r, checker.evaluator.cel, crdValidator, ctx.repo.objects ?? NO_OBJECTS) : []),
			evaluates: () => false,
		},
		{
			id: 'policy-gatekeeper',
			appliesTo: (r) => isConstraint(r),
			check: (r, ctx) => constraints.problems(r, ctx.repo.objects ?? ctx.objects, ctx.repo.isPatchFile(ctx.path)),
			evaluates: () => false,
		},
	];
	if (crd) checks.push({ id: 'policy-crd-rules', appliesTo: (r) => crd.schemaOf(r) !== undefined, check: (r, ctx) => (ctx.repo.isPatchFile(ctx.path) ? [] : crd.problems(r, ctx)), evaluates: () => false });
	return checks;
}

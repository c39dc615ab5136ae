import type { CheckContext, ResourceCheck } from '../../context/check-context';
import type { Resource } from '../../core/resource';
import type { RuleMeta } from '../../core/rule-meta';
import type { SchemaProblem } from '../../schema/types';
import { complianceContext, type NamespaceDirectory } from './context';
import { escalate, escalationOf } from './escalation';
import type { ComplianceRule } from './rule';

export interface ComplianceHostOptions {
	/**
	 * Where namespace labels come from. Without it, the engine's `RepoContext` is asked when it
	 * implements `namespaceLabels` (see `NamespaceDirectory`), else no namespace is known.
	 */
	namespaces?: NamespaceDirectory;
}

/** A compliance rule's metadata, as SARIF `rules[]`, the docs and hovers show it. */
export function complianceRuleMeta(rule: ComplianceRule): RuleMeta {
	return { id: rule.id, title: rule.title, defaultSeverity: rule.severity, rationale: rule.rationale, remediation: rule.remediation, controls: [...rule.controls] };
}

/**
 * Wraps a compliance rule as an engine plugin. Each
 * problem becomes one finding on the exact node; production escalation (opt-in, escalation.ts)
 * raises it one level (the message says why), and the engine applies the user's severity overrides.
 */
export function toResourceCheck(rule: ComplianceRule, options: ComplianceHostOptions = {}): ResourceCheck {
	const kinds = new Set(rule.kinds);
	return {
		id: rule.id,
		compliance: true,
		kinds,
		appliesTo: (r) => kinds.has(r.kind) && (rule.appliesTo?.(r) ?? true),
		check: (r: Resource, ctx: CheckContext): SchemaProblem[] => {
			// A kustomize patch or a test assertion names only some fields: what it lacks the base (or the cluster) may have.
			// What it sets is judged on what the clusters receive (the rendered findings placed on its lines).
			if (ctx.partial) return [];
			const cctx = complianceContext(r, ctx, options.namespaces);
			const problems = rule.check(r, cctx);
			if (problems.length === 0) return [];
			const escalation = rule.productionOnly ? { production: false } : escalationOf(rule.id, cctx);
			const out: SchemaProblem[] = new Array(problems.length);
			for (let i = 0; i < problems.length; i++) {
				const p = problems[i];
				const base = p.severity ?? rule.severity;
				// Most findings reach no production cluster: nothing to raise or say (escalation.ts).
				const { severity, message } = escalation.reason || escalation.production ? escalate(base, p.message, escalation) : { severity: base, message: p.message };
				const data: Record<string, unknown> = { path: p.path };
				if (p.missing) data.missing = [...p.missing];
				if (p.controls) data.controls = p.controls;
				out[i] = { ruleId: rule.id, path: p.path, target: p.target, message, severity, data };
			}
			return out;
		},
		// A kustomize patch is a fragment of a resource: finding nothing in it is no evidence of a pass.
		evaluates: (r: Resource, ctx: CheckContext): boolean => !ctx.partial && (rule.evaluates?.(r, complianceContext(r, ctx, options.namespaces)) ?? true),
	};
}

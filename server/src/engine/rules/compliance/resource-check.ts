import type { CheckContext, ResourceCheck } from '../../context/check-context';
import type { Resource } from '../../core/resource';
import type { RuleMeta } from '../../core/rule-meta';
import type { Severity } from '../../core/types';
import type { SchemaProblem } from '../../schema/types';
import { complianceContext, type NamespaceDirectory } from './context';
import type { ComplianceContext, ComplianceRule } from './rule';

export interface ComplianceHostOptions {
	/**
	 * Where namespace labels come from. Without it, the engine's `RepoContext` is asked when it
	 * implements `namespaceLabels` (see `NamespaceDirectory`), else no namespace is known.
	 */
	namespaces?: NamespaceDirectory;
}

/** One level up for production: hint stays hint (a hint is not a finding to act on), error stays error. */
const RAISED: Record<Severity, Severity> = { hint: 'hint', info: 'warning', warning: 'error', error: 'error' };

/** `a`, `a and b`, `a, b and c`. */
function names(list: string[]): string {
	return list.length <= 1 ? list.join('') : `${list.slice(0, -1).join(', ')} and ${list[list.length - 1]}`;
}

/**
 * Why this rule's findings are raised one level, or undefined: the resource reaches a production
 * cluster or is the ClusterClaim of one, the setting `compliance.productionEscalation` is on, and
 * the user has not set the rule's severity (an explicit `fleetscope.severity` entry is final).
 */
export function escalationReason(ruleId: string, ctx: ComplianceContext): string | undefined {
	if (ctx.settings['compliance.productionEscalation'] === false || ctx.settings.severity[ruleId] !== undefined) return undefined;
	const reached = [...new Set(ctx.targets.filter((t) => t.production).map((t) => t.name))];
	const declared = [...new Set(ctx.declared.filter((t) => t.production).map((t) => t.name))].filter((n) => !reached.includes(n));
	const parts = [
		...(reached.length > 0 ? [`it reaches the production cluster${reached.length > 1 ? 's' : ''} ${names(reached)}`] : []),
		...(declared.length > 0 ? [`it declares the production cluster${declared.length > 1 ? 's' : ''} ${names(declared)}`] : []),
	];
	return parts.length > 0 ? parts.join(' and ') : undefined;
}

/** A compliance rule's metadata, as SARIF `rules[]`, the docs and hovers show it. */
export function complianceRuleMeta(rule: ComplianceRule): RuleMeta {
	return { id: rule.id, title: rule.title, defaultSeverity: rule.severity, rationale: rule.rationale, remediation: rule.remediation, controls: [...rule.controls] };
}

/**
 * Wraps a compliance rule as an engine plugin. Each
 * problem becomes one finding on the exact node; production targets raise it one level (the
 * message says why), and the engine applies the user's severity overrides.
 */
export function toResourceCheck(rule: ComplianceRule, options: ComplianceHostOptions = {}): ResourceCheck {
	const kinds = new Set(rule.kinds);
	return {
		id: rule.id,
		compliance: true,
		appliesTo: (r) => kinds.has(r.kind) && (rule.appliesTo?.(r) ?? true),
		check: (r: Resource, ctx: CheckContext): SchemaProblem[] => {
			const cctx = complianceContext(r, ctx, options.namespaces);
			const problems = rule.check(r, cctx);
			if (problems.length === 0) return [];
			const reason = rule.productionOnly ? undefined : escalationReason(rule.id, cctx);
			return problems.map((p) => {
				const base = p.severity ?? rule.severity;
				const severity = reason ? RAISED[base] : base;
				const message = severity === base ? p.message : `${p.message} Raised from ${base} to ${severity} because ${reason}.`;
				const data = { path: p.path, ...(p.missing ? { missing: [...p.missing] } : {}), ...(p.controls ? { controls: p.controls } : {}) };
				return { ruleId: rule.id, path: p.path, target: p.target, message, severity, data };
			});
		},
		// A kustomize patch is a fragment of a resource: finding nothing in it is no evidence of a pass.
		evaluates: (r: Resource, ctx: CheckContext): boolean => !ctx.partial && (rule.evaluates?.(r, complianceContext(r, ctx, options.namespaces)) ?? true),
	};
}

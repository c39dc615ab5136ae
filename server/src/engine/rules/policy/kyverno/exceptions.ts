import { isPlainObject } from '../../../core/resource';
import { wildcardMatch } from '../resources';
import type { PolicyWorld } from '../types';
import type { KyvernoRuleEvaluator } from './validate';
import { blockMatches } from './match';
import type { VariableScope } from './variables';

/**
 * Kyverno PolicyExceptions (kyverno.io/v2, v2beta1, v2alpha1) the repository declares: an exception
 * names policies and rules (`policyName`, `ruleNames`, wildcards allowed), selects resources with
 * a match block and optional conditions; a resource it selects is exempt from those rules (the
 * rule's result is `skip`, naming the exception).
 */

export interface Exception {
	name: string;
	namespace?: string;
	value: Record<string, unknown>;
}

const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** The exception that exempts `resource` from `policy`/`rule`, if any. */
export function exceptionFor(exceptions: readonly Exception[], policy: string, rule: string, resource: Record<string, unknown>, world: PolicyWorld, evaluator: KyvernoRuleEvaluator, scope: VariableScope): Exception | undefined {
	for (const e of exceptions) {
		const spec = isPlainObject(e.value.spec) ? e.value.spec : undefined;
		if (!spec) continue;
		const named = arr(spec.exceptions).some(
			(x) => isPlainObject(x) && typeof x.policyName === 'string' && wildcardMatch(x.policyName, policy) && arr(x.ruleNames).some((r) => typeof r === 'string' && wildcardMatch(r, rule)),
		);
		if (!named) continue;
		if (blockMatches(spec.match, resource, { operation: world.operation ?? 'CREATE', namespaceLabels: (n) => world.namespaceLabels(n) }) !== true) continue;
		if (spec.conditions !== undefined) {
			try {
				if (!evaluator.conditions(spec.conditions, scope).ok) continue;
			} catch {
				continue;
			}
		}
		return e;
	}
	return undefined;
}

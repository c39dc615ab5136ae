import { CORE_RULES, type RuleMeta } from '../core/rule-meta';
import { complianceRules } from './compliance';
import { complianceRuleMeta } from './compliance/resource-check';
import { LIVE_RULES } from './live';
import { POLICY_RULES } from './policy';

/**
 * Every rule Fleetscope reports, in one explicit table: the engine's own, the compliance rules,
 * the live-state rules, the repository's admission policies (`policy`). What SARIF `rules[]`, the rule pages, hovers and the settings file's
 * `severity` keys are checked against. Nothing registers itself: a new rule family is added here.
 */
const RULES: ReadonlyMap<string, RuleMeta> = new Map([...CORE_RULES, ...complianceRules.map(complianceRuleMeta), ...LIVE_RULES, ...POLICY_RULES].map((r) => [r.id, r]));

export function ruleMeta(id: string): RuleMeta | undefined {
	return RULES.get(id);
}

export function allRules(): RuleMeta[] {
	return [...RULES.values()];
}

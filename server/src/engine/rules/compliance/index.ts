import type { ResourceCheck } from '../../context/check-context';
import { CIS_RULES } from './cis';
import { MANAGED_RULES } from './managed';
import { PSS_RULES } from './pss';
import { DORA_RULES } from './dora';
import { WORKLOAD_RULES } from './workload';
import { type ComplianceRule } from './rule';
import { toResourceCheck, type ComplianceHostOptions } from './resource-check';

export type { ComplianceContext, ComplianceProblem, ComplianceRule, PssLevel } from './rule';
export type { ComplianceHostOptions } from './resource-check';
export { InMemoryNamespaces, type NamespaceDirectory, ENFORCE_LABEL, ENFORCE_VERSION_LABEL } from './context';
export { PSS_RULES, PSS_BASELINE_RULES, PSS_RESTRICTED_RULES } from './pss';
export { CIS_RULES } from './cis';
export { DORA_RULES } from './dora';
export { MANAGED_RULES } from './managed';
export { WORKLOAD_RULES } from './workload';

/** Every compliance rule, for docs and reports. */
export const complianceRules: ComplianceRule[] = [...PSS_RULES, ...CIS_RULES, ...WORKLOAD_RULES, ...MANAGED_RULES, ...DORA_RULES];

/**
 * The compliance rules as engine plugins. Pass `namespaces` where the host keeps namespace labels
 * apart from its `RepoContext`; otherwise a `RepoContext` implementing `namespaceLabels` is used.
 */
export function createComplianceChecks(options: ComplianceHostOptions = {}): ResourceCheck[] {
	return complianceRules.map((r) => toResourceCheck(r, options));
}

/** The compliance rules as engine plugins: `new Engine(registry, settings, [...complianceChecks])`. */
export const complianceChecks: ResourceCheck[] = createComplianceChecks();

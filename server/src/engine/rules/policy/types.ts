/**
 * What policy evaluation produces, whatever the engine: one result per policy rule and resource,
 * as `kyverno test` reports them (pass, fail, skip, error) plus `not-evaluated` for what Fleetscope
 * does not evaluate (mutate and generate rules, functions that need a cluster), with the reason.
 */

export type PolicyEngineName = 'kyverno' | 'vap' | 'crd';
export type RuleStatus = 'pass' | 'fail' | 'skip' | 'error' | 'not-evaluated';
export type Path = (string | number)[];

export interface RuleResult {
	engine: PolicyEngineName;
	/** The policy's name (`namespace/name` for a namespaced Kyverno Policy). */
	policy: string;
	/** The rule's name; for a ValidatingPolicy or ValidatingAdmissionPolicy, the validation's index or name. */
	rule: string;
	status: RuleStatus;
	/** The policy's own message for a failure; otherwise why the rule passed, skipped or was not evaluated. */
	message: string;
	/** For a failure: the offending node of the resource (the failing pattern element, a CEL fieldPath). */
	path?: Path;
	/** What a failure means where it runs: Enforce/Deny = error, Audit/Warn = warning, Audit-only VAP = information. */
	severity?: 'error' | 'warning' | 'info';
	/** The ValidatingAdmissionPolicyBinding through which a VAP judged the resource. */
	binding?: string;
	/** Set when a policy's exception exempts the resource: the exception's name. */
	exception?: string;
}

/** What evaluation needs to know about the world around the resource (all optional: Git may not say). */
export interface PolicyWorld {
	/** Labels of a namespace, or undefined where the repository (or a test's values) does not say. */
	namespaceLabels(name: string): Record<string, string> | undefined;
	/** The Namespace object itself (`namespaceObject` in CEL), where known. */
	namespaceObject?(name: string): Record<string, unknown> | undefined;
	/** Objects of a kind the world holds (a render, the repository index; undefined: it cannot tell): ConfigMap lookups, params, apiCall GETs. */
	lookup?(apiVersion: string | undefined, kind: string, namespace: string | undefined, name: string | undefined): readonly Record<string, unknown>[] | undefined;
	/** Extra values a `kyverno test` provides (global values, per-policy/rule/resource values). */
	values?(policy: string, rule: string, resource: string): Record<string, unknown> | undefined;
	/** The admission operation (CREATE where Git says nothing else). */
	operation?: string;
	/** Today, for time functions. */
	now?: Date;
}

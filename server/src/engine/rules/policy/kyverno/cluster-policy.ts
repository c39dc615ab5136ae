import { isPlainObject } from '../../../core/resource';
import { CelValidator, namedExpressions, validations } from '../cel-validations';
import { isClusterScoped, gvkOf, nameOf, namespaceOf } from '../resources';
import type { RuleResult, PolicyWorld } from '../types';
import { rulesWithAutogen } from './autogen';
import { exceptionFor, type Exception } from './exceptions';
import { JmesPath } from './jmespath';
import { isUnknown, ruleApplies } from './match';
import { podSecurity } from './pod-security';
import { KyvernoRuleEvaluator } from './validate';
import type { VariableScope } from './variables';

/**
 * Kyverno ClusterPolicy and Policy (kyverno.io/v1, v2beta1): the rules (with the ones generated
 * for pod controllers) evaluated on a resource. Validate rules are evaluated (patterns, deny,
 * foreach, CEL, podSecurity); mutate, generate, verifyImages and manifest rules are reported as
 * not evaluated. A namespaced Policy judges its own namespace only. Enforce is an error, Audit a
 * warning (`validate.failureAction`, else `spec.validationFailureAction`, with namespace overrides).
 */

type Json = Record<string, unknown>;

export interface KyvernoPolicy {
	kind: 'ClusterPolicy' | 'Policy';
	/** `name`, or `namespace/name` for a Policy (as `kyverno test` and exceptions name it). */
	name: string;
	namespace?: string;
	value: Json;
	rules: Json[];
}

const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export function compileKyvernoPolicy(value: Json): KyvernoPolicy {
	const kind = value.kind === 'Policy' ? 'Policy' : 'ClusterPolicy';
	const name = nameOf(value);
	const namespace = kind === 'Policy' ? namespaceOf(value) || 'default' : undefined;
	return { kind, name: namespace ? `${namespace}/${name}` : name, namespace, value, rules: rulesWithAutogen(value) };
}

/** The kind of a rule: what Fleetscope evaluates, and what it says it does not. */
export function ruleKind(rule: Json): 'validate' | 'mutate' | 'generate' | 'verifyImages' | 'other' {
	if (isPlainObject(rule.validate)) return 'validate';
	if (rule.mutate !== undefined) return 'mutate';
	if (rule.generate !== undefined) return 'generate';
	if (rule.verifyImages !== undefined) return 'verifyImages';
	return 'other';
}

function failureAction(policy: KyvernoPolicy, rule: Json, resource: Json, world: PolicyWorld): 'error' | 'warning' {
	const spec = isPlainObject(policy.value.spec) ? policy.value.spec : {};
	const v = isPlainObject(rule.validate) ? rule.validate : {};
	let action = String(v.failureAction ?? spec.validationFailureAction ?? spec.failureAction ?? 'Audit');
	const ns = namespaceOf(resource) || 'default';
	for (const o of [...arr(v.failureActionOverrides), ...arr(spec.validationFailureActionOverrides)]) {
		if (!isPlainObject(o)) continue;
		const inNs = arr(o.namespaces).some((n) => n === ns);
		const bySelector = isPlainObject(o.namespaceSelector) ? (world.namespaceLabels(ns) ? true : false) : false;
		if (inNs || bySelector) {
			action = String(o.action ?? action);
			break;
		}
	}
	return action.toLowerCase() === 'enforce' ? 'error' : 'warning';
}

export class ClusterPolicyEvaluator {
	readonly jmes: JmesPath;
	private readonly rules: KyvernoRuleEvaluator;

	constructor(
		private readonly cel: CelValidator,
		now?: () => Date,
	) {
		this.jmes = new JmesPath(now);
		this.rules = new KyvernoRuleEvaluator(this.jmes);
	}

	/** The results of every rule of the policy that applies to the resource. */
	evaluate(policy: KyvernoPolicy, resource: Json, world: PolicyWorld, exceptions: readonly Exception[] = []): RuleResult[] {
		if (policy.namespace !== undefined && (isClusterScoped(gvkOf(resource).kind) || (namespaceOf(resource) || 'default') !== policy.namespace)) return [];
		const out: RuleResult[] = [];
		const operation = world.operation ?? 'CREATE';
		for (const rule of policy.rules) {
			const ruleName = String(rule.name ?? '');
			const base = { engine: 'kyverno' as const, policy: policy.name, rule: ruleName };
			const applies = ruleApplies(rule, resource, { operation, namespaceLabels: (n) => world.namespaceLabels(n) });
			if (applies.applies === false) continue;
			if (isUnknown(applies.applies)) {
				out.push({ ...base, status: 'not-evaluated', message: `Not evaluated: whether the rule applies depends on ${applies.applies.unknown}.` });
				continue;
			}
			const kind = ruleKind(rule);
			if (kind !== 'validate') {
				out.push({ ...base, status: 'not-evaluated', message: `${kind === 'other' ? 'This' : `A ${kind}`} rule is not evaluated by Fleetscope.` });
				continue;
			}
			const scope = this.scope(policy, ruleName, resource, world);
			const exception = exceptionFor(exceptions, policy.name, ruleName, resource, world, this.rules, scope);
			if (exception) {
				out.push({ ...base, status: 'skip', message: `Exempted by the PolicyException ${exception.namespace ? `${exception.namespace}/` : ''}${exception.name}.`, exception: exception.name });
				continue;
			}
			const result = this.validate(rule, resource, world, scope);
			const note = applies.note ? ` ${applies.note}` : '';
			out.push({ ...base, ...result, message: `${result.message}${note}`, ...(result.status === 'fail' ? { severity: failureAction(policy, rule, resource, world) } : {}) });
		}
		return out;
	}

	private scope(policy: KyvernoPolicy, rule: string, resource: Json, world: PolicyWorld): VariableScope {
		const gvk = gvkOf(resource);
		const request = {
			operation: world.operation ?? 'CREATE',
			object: resource,
			oldObject: null,
			userInfo: {},
			namespace: namespaceOf(resource),
			name: nameOf(resource),
			kind: { group: gvk.group, version: gvk.version, kind: gvk.kind },
		};
		const values = world.values?.(policy.name, rule, nameOf(resource)) ?? {};
		const data: Json = { request, ...values };
		if (isPlainObject(values.request)) data.request = { ...request, ...values.request };
		return { jmes: this.jmes, data };
	}

	private validate(rule: Json, resource: Json, world: PolicyWorld, scope: VariableScope): Pick<RuleResult, 'status' | 'message' | 'path'> {
		const v = rule.validate as Json;
		if (isPlainObject(v.cel)) return this.validateCel(rule, v.cel, resource, world);
		if (isPlainObject(v.podSecurity)) return podSecurity(v.podSecurity, resource, typeof v.message === 'string' ? v.message : undefined);
		if (v.manifests !== undefined) return { status: 'not-evaluated', message: 'Manifest signature verification is not evaluated by Fleetscope.' };
		if (v.assert !== undefined) return { status: 'not-evaluated', message: 'Assertion trees (validate.assert) are not evaluated by Fleetscope.' };
		const r = this.rules.validate({ rule, validate: v, scope, element: resource, elementPath: [], world, nesting: 0 });
		return { status: r.status, message: r.status === 'pass' ? `The rule ${String(rule.name ?? '')} passed.` : r.message, ...(r.status === 'fail' ? { path: r.path } : {}) };
	}

	private validateCel(rule: Json, cel: Json, resource: Json, world: PolicyWorld): Pick<RuleResult, 'status' | 'message' | 'path'> {
		if (cel.paramKind !== undefined || cel.paramRef !== undefined) return { status: 'not-evaluated', message: 'CEL rules with parameters (paramKind) are not evaluated by Fleetscope.' };
		const verdict = this.cel.evaluate({ matchConditions: namedExpressions(rule.celPreconditions), variables: namedExpressions(cel.variables), validations: validations(cel.expressions) }, resource, world);
		switch (verdict.status) {
			case 'pass':
				return { status: 'pass', message: `The rule ${String(rule.name ?? '')} passed.` };
			case 'fail':
				return { status: 'fail', message: verdict.failures[0].message, path: verdict.failures[0].path };
			case 'skip':
				return { status: 'skip', message: verdict.reason };
			case 'error':
				return { status: 'error', message: verdict.reason };
			default:
				return { status: 'not-evaluated', message: verdict.reason };
		}
	}
}

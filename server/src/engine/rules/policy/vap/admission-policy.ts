import { isPlainObject } from '../../../core/resource';
import { evaluateCelSpec } from '../cel-policy';
import type { CelValidator } from '../cel-validations';
import { nameOf, selectorMatches, labelsOf } from '../resources';
import type { PolicyWorld, RuleResult } from '../types';

/**
 * ValidatingAdmissionPolicy with its bindings (admissionregistration.k8s.io v1 and v1beta1): the
 * policy judges what a binding that names it selects (the binding's matchResources narrow the
 * policy's matchConstraints), with the binding's params (paramRef: the param objects the
 * repository declares) and validationActions. A policy no binding of the repository names judges
 * nothing, as in a cluster.
 */

type Json = Record<string, unknown>;

export interface AdmissionPolicy {
	name: string;
	value: Json;
}

export interface Binding {
	name: string;
	value: Json;
}

const spec = (v: Json): Json => (isPlainObject(v.spec) ? v.spec : {});

/** The bindings that name the policy. */
export function bindingsOf(policy: AdmissionPolicy, bindings: readonly Binding[]): Binding[] {
	return bindings.filter((b) => spec(b.value).policyName === policy.name);
}

function paramsFor(policy: AdmissionPolicy, binding: Binding, resource: Json, world: PolicyWorld): { params: readonly unknown[] } | { missing: string } {
	const kind = spec(policy.value).paramKind;
	if (!isPlainObject(kind)) return { params: [null] };
	const ref = spec(binding.value).paramRef;
	if (!isPlainObject(ref)) return { missing: `the binding ${binding.name} has no paramRef for the policy's paramKind` };
	const apiVersion = typeof kind.apiVersion === 'string' ? kind.apiVersion : undefined;
	const k = String(kind.kind ?? '');
	const ns = typeof ref.namespace === 'string' ? ref.namespace : typeof resource.metadata === 'object' && isPlainObject(resource.metadata) && typeof resource.metadata.namespace === 'string' ? resource.metadata.namespace : undefined;
	const found = world.lookup?.(apiVersion, k, ns, typeof ref.name === 'string' ? ref.name : undefined);
	if (found === undefined) return { missing: `the ${k} params cannot be read from the repository` };
	const params = typeof ref.name === 'string' ? found : found.filter((p) => selectorMatches(ref.selector, labelsOf(p)));
	if (params.length === 0) {
		if (ref.parameterNotFoundAction === 'Allow') return { params: [] };
		return { missing: `no ${k}${typeof ref.name === 'string' ? ` ${ref.name}` : ''} param object is in the repository` };
	}
	return { params };
}

export function evaluateAdmissionPolicy(cel: CelValidator, policy: AdmissionPolicy, bindings: readonly Binding[], resource: Json, world: PolicyWorld): RuleResult[] {
	const out: RuleResult[] = [];
	for (const binding of bindingsOf(policy, bindings)) {
		const b = spec(binding.value);
		const actions = b.validationActions ?? ['Deny'];
		const params = paramsFor(policy, binding, resource, world);
		const variant = { rule: '', spec: spec(policy.value) };
		if ('missing' in params) {
			const probe = evaluateCelSpec(cel, 'vap', policy.name, { rule: '', spec: { ...variant.spec, validations: [] } }, resource, world, { actions, extraMatch: b.matchResources });
			if (probe) out.push({ ...probe, status: 'not-evaluated', message: `Not evaluated through the binding ${binding.name}: ${params.missing}.` });
			continue;
		}
		if (params.params.length === 0) {
			// parameterNotFoundAction Allow: without params the binding admits the object.
			const probe = evaluateCelSpec(cel, 'vap', policy.name, { rule: '', spec: { ...variant.spec, validations: [] } }, resource, world, { actions, extraMatch: b.matchResources });
			if (probe) out.push({ ...probe, status: 'pass', message: `No param object for the binding ${binding.name}: its parameterNotFoundAction Allow admits the object.` });
			continue;
		}
		for (const p of params.params) {
			const r = evaluateCelSpec(cel, 'vap', policy.name, variant, resource, world, { actions, params: p, extraMatch: b.matchResources });
			if (!r) continue;
			out.push({ ...r, binding: `${binding.name}${p ? ` (params ${nameOf(p)})` : ''}` });
			if (r.status === 'fail') break;
		}
	}
	return out;
}

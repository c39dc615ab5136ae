import type { CelCompileError } from '../../cel';
import type { CrdRuleValidator } from '../../cel/crd-rules';
import { isPlainObject, type Resource } from '../../core/resource';
import type { ObjectIndex } from '../../core/objects';
import type { SchemaProblem } from '../../schema/types';
import type { CelValidator } from './cel-validations';
import { ruleKind } from './kyverno/cluster-policy';
import { policyKindOf } from './policy-set';

/**
 * Diagnostics on a policy file itself: CEL that does not compile (on the expression's exact
 * characters: the API server or Kyverno rejects the policy), what Fleetscope does not evaluate
 * (mutate, generate and image rules; cleanup policies), said once per policy as information, and
 * a ValidatingAdmissionPolicy no binding of the repository names (it judges nothing).
 */

type Json = Record<string, unknown>;
type Path = (string | number)[];

const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Every CEL expression of a policy: its path and its text. */
function celExpressions(value: Json): { path: Path; text: string }[] {
	const out: { path: Path; text: string }[] = [];
	const spec = isPlainObject(value.spec) ? value.spec : {};
	const list = (base: Path, items: unknown, fields: string[]) =>
		arr(items).forEach((x, i) => {
			if (isPlainObject(x)) for (const f of fields) if (typeof x[f] === 'string') out.push({ path: [...base, i, f], text: x[f] as string });
		});
	const kind = policyKindOf(value);
	if (kind === 'ClusterPolicy' || kind === 'Policy') {
		arr(spec.rules).forEach((r, i) => {
			if (!isPlainObject(r)) return;
			list(['spec', 'rules', i, 'celPreconditions'], r.celPreconditions, ['expression']);
			const cel = isPlainObject(r.validate) && isPlainObject(r.validate.cel) ? r.validate.cel : undefined;
			if (!cel) return;
			list(['spec', 'rules', i, 'validate', 'cel', 'expressions'], cel.expressions, ['expression', 'messageExpression']);
			list(['spec', 'rules', i, 'validate', 'cel', 'variables'], cel.variables, ['expression']);
			list(['spec', 'rules', i, 'validate', 'cel', 'auditAnnotations'], cel.auditAnnotations, ['valueExpression']);
		});
	} else if (kind === 'ValidatingPolicy' || kind === 'ValidatingAdmissionPolicy') {
		list(['spec', 'validations'], spec.validations, ['expression', 'messageExpression']);
		list(['spec', 'matchConditions'], spec.matchConditions, ['expression']);
		list(['spec', 'variables'], spec.variables, ['expression']);
		list(['spec', 'auditAnnotations'], spec.auditAnnotations, ['valueExpression']);
	}
	return out;
}

/** The CRD rules of a CustomResourceDefinition the repository declares. */
function crdRules(value: Json): { path: Path; text: string }[] {
	const out: { path: Path; text: string }[] = [];
	const walk = (node: unknown, path: Path) => {
		if (Array.isArray(node)) return node.forEach((n, i) => walk(n, [...path, i]));
		if (!isPlainObject(node)) return;
		for (const [k, v] of Object.entries(node)) {
			if (k === 'x-kubernetes-validations') arr(v).forEach((r, i) => isPlainObject(r) && typeof r.rule === 'string' && out.push({ path: [...path, k, i, 'rule'], text: r.rule }));
			else walk(v, [...path, k]);
		}
	};
	arr(isPlainObject(value.spec) ? value.spec.versions : undefined).forEach((v, i) => isPlainObject(v) && walk(v.schema, ['spec', 'versions', i, 'schema']));
	return out;
}

function compileProblems(exprs: { path: Path; text: string }[], compile: (t: string) => CelCompileError[]): SchemaProblem[] {
	const out: SchemaProblem[] = [];
	for (const e of exprs) {
		const errors = compile(e.text);
		if (errors.length === 0) continue;
		const first = errors[0];
		const more = errors.length > 1 ? ` (${errors.length - 1} more: ${errors.slice(1).map((x) => x.message).join(' ')})` : '';
		out.push({
			ruleId: 'policy',
			path: e.path,
			target: 'value',
			severity: 'error',
			message: `This CEL expression does not compile: ${first.message}${more} The API server (or Kyverno) rejects the policy until it does.`,
			within: { start: first.start, end: first.end },
			data: { path: e.path },
		});
	}
	return out;
}

export function policyFileProblems(resource: Resource, cel: CelValidator, crd: CrdRuleValidator, objects: ObjectIndex): SchemaProblem[] {
	const value = resource.value as Json;
	const kind = policyKindOf(value);
	const out: SchemaProblem[] = [];
	if (resource.kind === 'CustomResourceDefinition' && resource.group === 'apiextensions.k8s.io') return compileProblems(crdRules(value), (t) => {
			const c = crd.env.compile(t);
			return c.ok ? [] : c.errors;
		});
	if ((resource.kind === 'ClusterCleanupPolicy' || resource.kind === 'CleanupPolicy') && resource.group === 'kyverno.io') {
		return [{ ruleId: 'policy', path: ['kind'], target: 'value', severity: 'info', message: 'Fleetscope does not evaluate Kyverno cleanup policies: they delete objects in the cluster on a schedule, which Git does not show.', data: { path: ['kind'] } }];
	}
	if (!kind || kind === 'PolicyException' || kind === 'ValidatingAdmissionPolicyBinding') return out;
	out.push(...compileProblems(celExpressions(value), (t) => cel.compileErrors(t)));
	if (kind === 'ClusterPolicy' || kind === 'Policy') {
		const rules = arr(isPlainObject(value.spec) ? value.spec.rules : undefined).filter(isPlainObject);
		const skipped = rules.filter((r) => ruleKind(r) !== 'validate');
		if (skipped.length > 0) {
			const kinds = [...new Set(skipped.map((r) => ruleKind(r)))].join(', ');
			const names = skipped.map((r) => `"${String(r.name ?? '')}"`).join(', ');
			out.push({ ruleId: 'policy', path: ['metadata', 'name'], target: 'value', severity: 'info', message: `Fleetscope does not evaluate ${kinds} rules (${names}): only validate rules judge the repository's objects.`, data: { path: ['metadata', 'name'] } });
		}
	}
	if (kind === 'ValidatingAdmissionPolicy') {
		const name = isPlainObject(value.metadata) ? value.metadata.name : undefined;
		const bound = objects.ofKind('ValidatingAdmissionPolicyBinding').some((b) => isPlainObject(b.value.spec) && b.value.spec.policyName === name);
		if (!bound) out.push({ ruleId: 'policy', path: ['metadata', 'name'], target: 'value', severity: 'info', message: 'No ValidatingAdmissionPolicyBinding of the repository names this policy, so it judges nothing here (as in a cluster): add a binding to have Fleetscope evaluate it.', data: { path: ['metadata', 'name'] } });
	}
	return out;
}

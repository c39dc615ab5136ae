import { isPlainObject } from '../../core/resource';
import { CelValidator } from './cel-validations';
import { ClusterPolicyEvaluator, compileKyvernoPolicy, type KyvernoPolicy } from './kyverno/cluster-policy';
import type { Exception } from './kyverno/exceptions';
import { compileValidatingPolicy, evaluateValidatingPolicy, type ValidatingPolicy } from './kyverno/validating-policy';
import { gvkOf, nameOf, namespaceOf, resourceOf } from './resources';
import type { PolicyWorld, RuleResult } from './types';
import { evaluateAdmissionPolicy, type AdmissionPolicy, type Binding } from './vap/admission-policy';

/**
 * The admission policies of a set of objects (a repository, a cluster's render, a `kyverno test`),
 * compiled, and evaluated on a resource. The `PolicyEvaluator` owns everything compiled: CEL
 * programs and JMESPath queries by text, and each policy by its object (a policy whose object is
 * unchanged is never compiled again).
 */

type Json = Record<string, unknown>;

/** A policy object and where it is declared (for findings, hovers and the fleet scope). */
export interface PolicySource {
	value: Json;
	file?: string;
	documentIndex?: number;
}

export type AnyPolicy =
	| { engine: 'kyverno'; kind: 'ClusterPolicy' | 'Policy'; compiled: KyvernoPolicy; source: PolicySource }
	| { engine: 'kyverno'; kind: 'ValidatingPolicy'; compiled: ValidatingPolicy; source: PolicySource }
	| { engine: 'vap'; kind: 'ValidatingAdmissionPolicy'; compiled: AdmissionPolicy; source: PolicySource };

/** The kinds that hold admission policies or their companions. */
export const POLICY_KINDS = ['ClusterPolicy', 'Policy', 'ValidatingPolicy', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'PolicyException'] as const;

export function policyKindOf(value: Json): (typeof POLICY_KINDS)[number] | undefined {
	const { group, kind } = gvkOf(value);
	if ((kind === 'ClusterPolicy' || kind === 'Policy' || kind === 'PolicyException') && group === 'kyverno.io') return kind;
	if (kind === 'ValidatingPolicy' && group === 'policies.kyverno.io') return kind;
	if ((kind === 'ValidatingAdmissionPolicy' || kind === 'ValidatingAdmissionPolicyBinding') && group === 'admissionregistration.k8s.io') return kind;
	return undefined;
}

export class PolicySet {
	/** Kinds some policy may apply to ('*' where a policy matches any kind). */
	private readonly kinds = new Set<string>();
	/** The policies that may judge each kind, computed on first use of the kind. */
	private readonly byKind = new Map<string, readonly AnyPolicy[]>();

	constructor(
		private readonly evaluator: PolicyEvaluator,
		readonly policies: readonly AnyPolicy[],
		readonly bindings: readonly Binding[],
		readonly exceptions: readonly Exception[],
		/** Evaluate ValidatingAdmissionPolicies without a binding as if bound (a `kyverno test`). */
		private readonly implicitBindings = false,
	) {
		for (const p of policies) for (const k of kindsOf(p)) this.kinds.add(k);
	}

	/** The policies that may judge objects of a kind (a fast filter: matching decides). */
	candidates(kind: string): readonly AnyPolicy[] {
		let list = this.byKind.get(kind);
		if (!list) {
			const resource = resourceOf(kind);
			list = this.policies.filter((p) => {
				if (p.kind === 'ClusterPolicy' || p.kind === 'Policy') {
					const ks = kindsOf(p);
					return ks.includes('*') || ks.includes(kind);
				}
				const rs = resourcesOf(p);
				return rs.has('*') || rs.has(resource);
			});
			this.byKind.set(kind, list);
		}
		return list;
	}

	get size(): number {
		return this.policies.length;
	}

	/** Whether some policy might judge this kind (a fast filter before evaluating). */
	mayApply(kind: string): boolean {
		return this.kinds.has('*') || this.kinds.has(kind);
	}

	evaluate(resource: Json, world: PolicyWorld, only?: (p: AnyPolicy) => boolean): RuleResult[] {
		const kind = gvkOf(resource).kind;
		if (!this.mayApply(kind)) return [];
		const out: RuleResult[] = [];
		for (const p of this.candidates(kind)) {
			if (only && !only(p)) continue;
			out.push(...this.evaluateOne(p, resource, world));
		}
		return out;
	}

	evaluateOne(p: AnyPolicy, resource: Json, world: PolicyWorld): RuleResult[] {
		switch (p.kind) {
			case 'ClusterPolicy':
			case 'Policy':
				return this.evaluator.kyverno.evaluate(p.compiled, resource, world, this.exceptions);
			case 'ValidatingPolicy':
				return evaluateValidatingPolicy(this.evaluator.cel, p.compiled, resource, world);
			default: {
				const bound = this.bindings.filter((b) => isPlainObject(b.value.spec) && b.value.spec.policyName === p.compiled.name);
				const bindings = bound.length === 0 && this.implicitBindings ? [{ name: `${p.compiled.name} (implicit)`, value: { spec: { policyName: p.compiled.name, validationActions: ['Deny'] } } }] : bound;
				return evaluateAdmissionPolicy(this.evaluator.cel, p.compiled, bindings, resource, world);
			}
		}
	}
}

/** The resources (plural) the match constraints of a VAP or ValidatingPolicy name, autogen variants included. */
function resourcesOf(p: AnyPolicy): Set<string> {
	const out = new Set<string>();
	const specs = p.kind === 'ValidatingPolicy' ? p.compiled.variants.map((v) => v.spec) : [isPlainObject(p.source.value.spec) ? p.source.value.spec : {}];
	for (const spec of specs) {
		const mc = isPlainObject(spec.matchConstraints) ? spec.matchConstraints : undefined;
		const rules = mc && Array.isArray(mc.resourceRules) ? mc.resourceRules : [];
		if (rules.length === 0) out.add('*');
		for (const r of rules) for (const res of isPlainObject(r) && Array.isArray(r.resources) ? r.resources : ['*']) out.add(String(res).split('/')[0]);
	}
	return out;
}

/** The kinds a policy's match names (autogen included), or '*' where it cannot be narrowed. */
function kindsOf(p: AnyPolicy): string[] {
	if (p.kind === 'ClusterPolicy' || p.kind === 'Policy') {
		const kinds: string[] = [];
		const collect = (block: unknown) => {
			if (!isPlainObject(block)) return;
			const filters = [block, ...(Array.isArray(block.any) ? block.any : []), ...(Array.isArray(block.all) ? block.all : [])];
			for (const f of filters) if (isPlainObject(f) && isPlainObject(f.resources) && Array.isArray(f.resources.kinds)) for (const k of f.resources.kinds) kinds.push(String(k).split('/').filter((x) => /^[A-Z*]/.test(x))[0] ?? '*');
		};
		for (const r of p.compiled.rules) collect(r.match);
		return kinds.length === 0 || kinds.some((k) => k.includes('*')) ? ['*'] : kinds;
	}
	// Admission rules name resources, not kinds: any kind may match.
	return ['*'];
}

export class PolicyEvaluator {
	readonly cel = new CelValidator();
	readonly kyverno: ClusterPolicyEvaluator;
	private readonly compiled = new WeakMap<object, AnyPolicy>();

	constructor(now?: () => Date) {
		this.kyverno = new ClusterPolicyEvaluator(this.cel, now);
	}

	/** The policy of an object (compiled once per object), or undefined for other kinds. */
	compile(source: PolicySource): AnyPolicy | undefined {
		const hit = this.compiled.get(source.value);
		if (hit) return hit.source === source ? hit : { ...hit, source } as AnyPolicy;
		const kind = policyKindOf(source.value);
		let p: AnyPolicy | undefined;
		if (kind === 'ClusterPolicy' || kind === 'Policy') p = { engine: 'kyverno', kind, compiled: compileKyvernoPolicy(source.value), source };
		else if (kind === 'ValidatingPolicy') p = { engine: 'kyverno', kind, compiled: compileValidatingPolicy(source.value), source };
		else if (kind === 'ValidatingAdmissionPolicy') p = { engine: 'vap', kind, compiled: { name: nameOf(source.value), value: source.value }, source };
		if (p) this.compiled.set(source.value, p);
		return p;
	}

	/** The policy set of a list of objects (other kinds are ignored). */
	set(sources: readonly PolicySource[], options: { implicitBindings?: boolean } = {}): PolicySet {
		const policies: AnyPolicy[] = [];
		const bindings: Binding[] = [];
		const exceptions: Exception[] = [];
		for (const s of sources) {
			const kind = policyKindOf(s.value);
			if (kind === 'ValidatingAdmissionPolicyBinding') bindings.push({ name: nameOf(s.value), value: s.value });
			else if (kind === 'PolicyException') exceptions.push({ name: nameOf(s.value), namespace: namespaceOf(s.value) || undefined, value: s.value });
			else {
				const p = this.compile(s);
				if (p) policies.push(p);
			}
		}
		return new PolicySet(this, policies, bindings, exceptions, options.implicitBindings ?? false);
	}
}

import { CrdRuleValidator, type CrdRuleOutcome } from '../../../cel/crd-rules';
import type { Resource } from '../../../core/resource';
import type { SchemaProblem } from '../../../schema/types';
import { resourceOf } from '../resources';

/**
 * The validation rules (`x-kubernetes-validations`) of the CRD schemas Fleetscope bundles, on the
 * custom resources of the repository: a rule that does not hold is an error on the node its
 * fieldPath or schema position names (the API server rejects the object). Transition rules
 * (`oldSelf`) are skipped, said once per file and kind.
 */

type Json = Record<string, unknown>;

/** Where the bundled schemas come from (the schema registry). */
export interface BundledSchemas {
	bundledJson(apiVersion: string, kind: string): Record<string, unknown> | undefined;
}

/** The CRD's name, as `kubectl get crd` shows it. */
export const crdName = (r: Pick<Resource, 'kind' | 'group'>) => `${resourceOf(r.kind)}.${r.group}`;

/** The findings of one outcome of CRD rules (shared by the bundled and the live CRD checks). */
export function crdRuleProblems(outcome: CrdRuleOutcome, crd: string, where: string, firstOfKind: boolean): SchemaProblem[] {
	const out: SchemaProblem[] = [];
	for (const v of outcome.violations) {
		const path = v.path.length > 0 ? v.path : ['kind'];
		out.push({
			ruleId: 'policy',
			path,
			target: 'key',
			severity: 'error',
			message: `${v.message}${/[.!?]$/.test(v.message) ? '' : '.'} The ${crd} CRD${where} has this validation rule (${v.reason}: ${v.rule}), so the API server rejects the object.`,
			data: { path, policy: { engine: 'crd', policy: crd, rule: v.rule } },
		});
	}
	if (outcome.transitionRules > 0 && firstOfKind) {
		out.push({
			ruleId: 'policy',
			path: ['kind'],
			target: 'value',
			severity: 'info',
			message: `${outcome.transitionRules} transition rule${outcome.transitionRules > 1 ? 's' : ''} (using oldSelf) of the ${crd} CRD${where} ${outcome.transitionRules > 1 ? 'are' : 'is'} not evaluated: ${outcome.transitionRules > 1 ? 'they compare' : 'it compares'} an update with the object's previous version, which Git does not have.`,
			data: { path: ['kind'], policy: { engine: 'crd', policy: crd, rule: 'transition rules' } },
		});
	}
	return out;
}

export class CrdRulesCheck {
	readonly validator = new CrdRuleValidator();
	/** Per bundled schema object: whether it has rules at all. */
	private readonly withRules = new WeakMap<object, boolean>();

	constructor(private readonly schemas: BundledSchemas) {}

	schemaOf(r: Resource): Json | undefined {
		const schema = this.schemas.bundledJson(r.apiVersion, r.kind);
		if (!schema) return undefined;
		let has = this.withRules.get(schema);
		if (has === undefined) this.withRules.set(schema, (has = CrdRuleValidator.hasRules(schema)));
		return has ? schema : undefined;
	}

	/**
	 * The CRD rules' problems of one resource. `analysis` is the file's check context: its
	 * per-analysis memo remembers the kinds already told about transition rules in this file.
	 */
	problems(r: Resource, analysis: { readonly perResource: WeakMap<object, unknown> }): SchemaProblem[] {
		const schema = this.schemaOf(r);
		if (!schema) return [];
		const outcome = this.validator.validate(schema, r.value);
		let told = analysis.perResource.get(this) as Set<string> | undefined;
		if (!told) analysis.perResource.set(this, (told = new Set()));
		const first = !told.has(r.kind);
		if (outcome.transitionRules > 0) told.add(r.kind);
		return crdRuleProblems(outcome, crdName(r), '', first);
	}
}

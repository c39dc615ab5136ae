import { CrdRuleValidator } from '../../cel/crd-rules';
import type { SchemaProblem } from '../../schema/types';
import { isClusterObject, type LiveCheck, type LiveContext } from './context';

/**
 * The validation rules (`x-kubernetes-validations`) of the CRD installed in the target cluster, on
 * a custom resource: `policy` findings (engine `crd`) where the installed CRD's rules differ from
 * the bundled schema's (those are the static check's, rules/policy/crd-cel). Transition rules
 * (`oldSelf`) are not evaluated (Git has no previous version).
 */

class CrdRulesLiveCheck implements LiveCheck {
	readonly id = 'policy';
	/** Owns the compiled rules (one CEL environment, compile cache by rule text). */
	private readonly validator = new CrdRuleValidator();

	check(ctx: LiveContext): SchemaProblem[] {
		const { resource: r } = ctx;
		if (!isClusterObject(r) || ctx.partial) return [];
		const crd = ctx.index.crd(r.group, r.kind);
		const installed = crd?.versions.find((v) => v.name === r.version && v.served);
		if (!crd || !installed?.schema || !CrdRuleValidator.hasRules(installed.schema)) return [];
		const live = this.validator.validate(installed.schema, r.value);
		if (live.violations.length === 0) return [];
		const bundled = ctx.schemas?.bundledJson(r.apiVersion, r.kind);
		const known = new Set(bundled ? this.validator.validate(bundled, r.value).violations.map((v) => `${v.rule}|${v.path.join('/')}`) : []);
		return live.violations
			.filter((v) => !known.has(`${v.rule}|${v.path.join('/')}`))
			.map((v) => {
				const path = v.path.length > 0 ? v.path : ['kind'];
				return {
					ruleId: 'policy',
					path,
					target: 'key' as const,
					severity: 'error' as const,
					message: `${v.message}${/[.!?]$/.test(v.message) ? '' : '.'} The ${crd.name} CRD installed in ${ctx.where} has this validation rule (${v.reason}: ${v.rule}), so the API server there rejects the object.`,
					data: { path, policy: { engine: 'crd' as const, policy: crd.name, rule: v.rule } },
				};
			});
	}
}

export const crdRulesLiveCheck: LiveCheck = new CrdRulesLiveCheck();

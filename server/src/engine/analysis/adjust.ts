import type { FleetscopeSettings } from '../../../../shared/settings';
import { applyInlineExemptions } from '../core/inline-exemptions';
import { frameworksOf } from '../core/rule-meta';
import { ruleMeta } from '../rules/catalog';
import { LineIndex } from '../core/text';
import type { Finding } from '../core/types';
import type { LocalFinding } from './placement';

/**
 * The one place where findings of every source (syntax, schema, checks, fleet, rendered, live,
 * settings file) become what the user sees: the user's severity per rule (`off` drops it), the
 * compliance frameworks that are on, and the inline exemptions of the text they sit in.
 */

const NO_FRAMEWORKS: readonly string[] = [];
const frameworksByRule = new Map<string, readonly string[]>();

/** The frameworks a rule evidences (none for a rule the catalog does not know), read once per rule. */
function frameworksOfRule(ruleId: string): readonly string[] {
	let out = frameworksByRule.get(ruleId);
	if (out === undefined) {
		const meta = ruleMeta(ruleId);
		out = meta ? frameworksOf(meta) : NO_FRAMEWORKS;
		// Rule ids a repository invents (policy rules) are not kept: the map stays the catalog's size.
		if (meta) frameworksByRule.set(ruleId, out);
	}
	return out;
}

/** Applies the severity settings and the frameworks filter to one finding; undefined when it is not reported. */
export function adjust(lf: LocalFinding, settings: FleetscopeSettings, lines: LineIndex, base = 0): Finding | undefined {
	const override = settings.severity[lf.ruleId];
	if (override === 'off') return undefined;
	// A compliance finding is reported while any framework it evidences is enabled.
	const frameworks = frameworksOfRule(lf.ruleId);
	if (frameworks.length > 0 && !frameworks.some((f) => (settings['compliance.profiles'] as string[]).includes(f))) return undefined;
	return {
		ruleId: lf.ruleId,
		severity: override ?? lf.severity,
		message: lf.message,
		range: lines.rangeOf({ start: lf.span.start + base, end: lf.span.end + base }),
		data: lf.data,
	};
}

/**
 * The findings of one text (a YAML segment, or a whole file): adjusted, placed in the text's lines,
 * and exempted by its `fleetscope-ignore` comments. The comments' own findings (a directive without
 * a reason) come with the first source of a text only (`directives`), so each is reported once.
 */
export function adjustText(text: string, local: readonly LocalFinding[], settings: FleetscopeSettings, directives: boolean): Finding[] {
	if (local.length === 0 && !directives) return [];
	const lines = new LineIndex(text);
	const placed: Finding[] = [];
	for (const lf of local) {
		const f = adjust(lf, settings, lines);
		if (f) placed.push(f);
	}
	const exempted = applyInlineExemptions(text, placed);
	if (!directives) {
		const ids = new Set(placed.map((f) => f.ruleId));
		return exempted.filter((f) => ids.has(f.ruleId));
	}
	const out: Finding[] = [];
	for (const f of exempted) {
		// Findings the exemptions add still obey the severity settings.
		const override = f.ruleId === 'exemption-invalid' ? settings.severity[f.ruleId] : undefined;
		if (override !== 'off') out.push(override ? { ...f, severity: override } : f);
	}
	return out;
}

import type { FleetscopeSettings } from '../../../../shared/settings';
import type { FileAnalysis } from '../engine';
import { applyInlineExemptions } from '../exemptions';
import { keyNodeAt, nodeAt, spanOf } from '../parse';
import { ruleMeta } from '../rules';
import type { SchemaProblem } from '../schema/types';
import type { Finding } from '../types';

/**
 * Places live problems of one document in its file, the way the engine places schema problems
 * (`key`: the field's key, `value`: its value, falling back to the nearest existing ancestor),
 * with the severity settings and inline exemptions applied. Used by the CLI until the engine runs
 * live checks itself (the LSP integration), and then replaceable by the engine's own placement.
 */
export function placeLiveProblems(analysis: FileAnalysis, documentIndex: number, problems: readonly SchemaProblem[], settings: FleetscopeSettings): Finding[] {
	const d = analysis.parsed.documents[documentIndex];
	if (!d || problems.length === 0) return [];
	const out: Finding[] = [];
	for (const p of problems) {
		const override = settings.severity[p.ruleId];
		if (override === 'off') continue;
		let node = p.target === 'key' ? (keyNodeAt(d.doc, p.path) ?? nodeAt(d.doc, p.path)) : p.target === 'value' ? (nodeAt(d.doc, p.path) ?? keyNodeAt(d.doc, p.path)) : p.path.length > 0 ? keyNodeAt(d.doc, p.path) : undefined;
		for (let i = p.path.length - 1; !node && i > 0; i--) node = keyNodeAt(d.doc, p.path.slice(0, i));
		const local = spanOf(node) ?? { start: d.span.start, end: d.span.start };
		const span = { start: local.start + d.base, end: local.end + d.base };
		out.push({
			ruleId: p.ruleId,
			severity: override ?? p.severity ?? ruleMeta(p.ruleId)?.defaultSeverity ?? 'error',
			message: p.message,
			range: analysis.lines.rangeOf(span),
			...(p.data ? { data: p.data } : {}),
		});
	}
	// Inline `# fleetscope-ignore` directives cover live findings too; the directives' own findings are the engine's.
	const ids = new Set(out.map((f) => f.ruleId));
	return applyInlineExemptions(analysis.parsed.text, out).filter((f) => ids.has(f.ruleId));
}

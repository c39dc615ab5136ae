import type { Finding } from './types';
import { LineIndex } from './text';

/**
 * Inline exemptions: `# fleetscope-ignore RULE[,RULE...] -- reason`, at the end of the line that
 * has the finding or alone on the line above it. The reason is mandatory: an auditor must be able
 * to read why. An exempted finding stays visible, as a hint that says it is exempted and why
 * (the CLI reports it as suppressed); a directive without a reason exempts nothing and is itself
 * reported.
 */

const DIRECTIVE = /#\s*fleetscope-ignore\b([^\n]*)/g;

/** One `fleetscope-ignore` comment. Lines are zero-based, in the text it was read from. */
export interface Directive {
	line: number;
	/** True when the comment is alone on its line (it then covers the next line). */
	own: boolean;
	rules: string[];
	reason?: string;
	start: number;
	end: number;
}

/** The `fleetscope-ignore` comments of a text (with or without a reason). */
export function inlineDirectives(text: string, lines: LineIndex = new LineIndex(text)): Directive[] {
	const out: Directive[] = [];
	DIRECTIVE.lastIndex = 0;
	let m: RegExpExecArray | null;
	while ((m = DIRECTIVE.exec(text)) !== null) {
		const pos = lines.positionAt(m.index);
		const before = text.slice(lines.lineStart(pos.line), m.index);
		// A `#` inside a quoted value is not a comment.
		if (/["']/.test(before) && (before.split('"').length % 2 === 0 || before.split("'").length % 2 === 0)) continue;
		const [spec, reason] = m[1].split(/\s--\s?/, 2) as [string, string | undefined];
		const rules = spec.split(/[\s,]+/).filter(Boolean);
		out.push({ line: pos.line, own: before.trim() === '', rules, reason: reason?.trim() || undefined, start: m.index, end: m.index + m[0].length });
	}
	return out;
}

/** Applies the exemptions written in `text` (segment-local lines) to its findings. */
export function applyInlineExemptions(text: string, findings: Finding[]): Finding[] {
	if (!text.includes('fleetscope-ignore')) return findings;
	const lines = new LineIndex(text);
	const found = inlineDirectives(text, lines);
	const out: Finding[] = [];
	for (const f of findings) {
		const d = coveringDirective(found, f);
		if (d) out.push({ ...f, severity: 'hint', message: `Exempted (${d.reason}): ${f.message}`, data: { ...f.data, exempted: d.reason } });
		else out.push(f);
	}
	for (const d of found) {
		if (d.reason && d.rules.length > 0) continue;
		out.push({
			ruleId: 'exemption-invalid',
			severity: 'warning',
			message:
				d.rules.length === 0
					? 'This fleetscope-ignore names no rule: write `# fleetscope-ignore RULE-ID -- reason`.'
					: `This fleetscope-ignore has no reason, so it exempts nothing: write \`# fleetscope-ignore ${d.rules.join(',')} -- why this is acceptable\`.`,
			range: lines.rangeOf({ start: d.start, end: d.end }),
		});
	}
	return out;
}

/** The directive with a reason that exempts a finding: on its line, or alone on the line above. */
export function coveringDirective<D extends Pick<Directive, 'line' | 'own' | 'rules' | 'reason'>>(found: readonly D[], f: Pick<Finding, 'ruleId' | 'range'>): D | undefined {
	const line = f.range.start.line;
	return found.find((x) => x.reason && x.rules.includes(f.ruleId) && (x.own ? x.line === line - 1 : x.line === line));
}

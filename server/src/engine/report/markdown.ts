import { FRAMEWORK_NAMES, type ComplianceReport, type ControlCounts, type ReportSection } from './model';
import {
	cellLabel,
	clusterFacts,
	exemptionStatus,
	exemptionWhere,
	findingStatus,
	formatTimestamp,
	matchLabel,
	percentLabel,
	versionsLabel,
	plural,
	reachLabel,
	resourceLabel,
	rootName,
	sectionNote,
	sectionTitle,
} from './text';

/**
 * The report as GitHub-flavoured Markdown, for a pull request or a wiki page. Everything that comes
 * from the repository (paths, names, messages, reasons) is escaped: it is plain text, never markup.
 */

/**
 * Markdown-inert text for a table cell or paragraph: the characters that start inline markup
 * (emphasis, code, links, raw HTML, entities, table cells, strikethrough, math, mentions) are
 * backslash-escaped, as CommonMark allows for any ASCII punctuation; newlines become spaces.
 */
export function mdText(s: string): string {
	return s.replace(/\r?\n|\r/g, ' ').replace(/[\\`*_[\]<>|~&$@]/g, (c) => `\\${c}`);
}

function table(head: string[], align: ('l' | 'r')[], rows: string[][]): string {
	const sep = align.map((a) => (a === 'r' ? '---:' : '---'));
	return [head, sep, ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

function controlRows(controls: ControlCounts[], report: ComplianceReport): string[][] {
	return controls.map((c) => [
		mdText(c.control),
		mdText(c.rules.map((r) => `${r} (${report.rules[r]?.title ?? r})`).join(', ')),
		String(c.evaluated),
		String(c.passed),
		String(c.exempted),
		String(c.failed),
		percentLabel(c),
	]);
}

function section(s: ReportSection, report: ComplianceReport): string {
	const out: string[] = [`## ${mdText(sectionTitle(s))}`, '', mdText(sectionNote(s, report))];
	if (s.clusters.length > 0) {
		out.push('', `Clusters: ${s.clusters.map((c) => `${mdText(c.name)}${clusterFacts(c) ? ` (${mdText(clusterFacts(c))})` : ''}`).join(', ')}`);
	}
	out.push('', `Score **${percentLabel(s.summary)}**: ${plural(s.resources, 'resource')}, ${s.summary.evaluated} evaluated, ${s.summary.passed} passed, ${s.summary.exempted} exempted, ${s.summary.failed} failed.`);
	if (s.controls.length === 0) return [...out, '', 'No control was evaluated here.'].join('\n');
	out.push('', table(['Control', 'Evidenced by', 'Evaluated', 'Passed', 'Exempted', 'Failed', 'Score'], ['l', 'l', 'r', 'r', 'r', 'r', 'r'], controlRows(s.controls, report)));
	if (s.clusters.length > 1) {
		// One column per cluster: identical columns show at a glance that the clusters get the same manifests.
		const rows = s.controls.map((c) => [mdText(c.control), ...s.clusters.map((cl) => cellLabel(cl.controls.find((x) => x.control === c.control) ?? { evaluated: 0, passed: 0, failed: 0, exempted: 0, score: null }))]);
		out.push('', `### Per cluster`, '', 'Cells: passed (with exemptions) / evaluated resources, then failed and exempted counts.', '');
		out.push(table(['Control', ...s.clusters.map((c) => mdText(c.name))], ['l', ...s.clusters.map(() => 'r' as const)], rows));
		out.push('', table(['Cluster', 'Resources', 'Evaluated', 'Passed', 'Exempted', 'Failed', 'Score'], ['l', 'r', 'r', 'r', 'r', 'r', 'r'], s.clusters.map((c) => [mdText(c.name), String(c.resources), String(c.summary.evaluated), String(c.summary.passed), String(c.summary.exempted), String(c.summary.failed), percentLabel(c.summary)])));
	}
	return out.join('\n');
}

export function reportMarkdown(report: ComplianceReport): string {
	const enabled = report.frameworks.filter((f) => f.enabled);
	const out: string[] = [
		`# Compliance report: ${mdText(rootName(report.root))}`,
		'',
		`Generated ${formatTimestamp(report.generatedAt)} by Fleetscope ${mdText(report.tool.version)} from ${mdText(report.root)}${report.settingsFile ? ` with settings from ${mdText(report.settingsFile)}` : ''}.`,
		`Frameworks: ${enabled.length > 0 ? enabled.map((f) => mdText(f.name)).join(', ') : 'none enabled'}. Judged at ${mdText(versionsLabel(report))}; Pod Security level ${mdText(report.settings.podSecurityLevel)} where no namespace label says.`,
		'',
		'## Score',
		'',
		table(
			['Section', 'Resources', 'Evaluated', 'Passed', 'Exempted', 'Failed', 'Score'],
			['l', 'r', 'r', 'r', 'r', 'r', 'r'],
			report.sections.map((s) => [mdText(sectionTitle(s)), String(s.resources), String(s.summary.evaluated), String(s.summary.passed), String(s.summary.exempted), String(s.summary.failed), percentLabel(s.summary)]),
		),
		'',
		mdText(report.scoring),
		'',
		'## Frameworks',
		'',
		table(
			['Framework', 'Enabled', 'Controls evaluated', 'Rules'],
			['l', 'l', 'r', 'r'],
			report.frameworks.map((f) => [mdText(FRAMEWORK_NAMES[f.id]), f.enabled ? 'yes' : 'no (compliance.profiles)', String(f.controls), f.rules === 0 ? 'none yet' : String(f.rules)]),
		),
	];
	for (const s of report.sections) out.push('', section(s, report));
	out.push('', '## Findings', '');
	if (report.findings.length === 0) out.push('No compliance finding.');
	else {
		const fleet = report.fleet.clusters > 0;
		out.push(
			table(
				['Location', 'Rule', 'Controls', 'Severity', 'Status', 'Resource', ...(fleet ? ['Deployed to'] : []), 'Message'],
				['l', 'l', 'l', 'l', 'l', 'l', ...(fleet ? ['l' as const] : []), 'l'],
				report.findings.map((f) => [
					mdText(`${f.file}:${f.line}`),
					mdText(f.ruleId),
					mdText(f.controls.join(', ')),
					f.severity,
					mdText(findingStatus(f, report)),
					mdText(resourceLabel(f)),
					...(fleet ? [mdText(reachLabel(f, report))] : []),
					mdText(f.message),
				]),
			),
		);
	}
	out.push('', '## Exemptions', '');
	if (report.exemptions.length === 0) out.push('No exemption is declared.');
	else {
		out.push(
			table(
				['Declared at', 'Rules', 'Applies to', 'Reason', 'Expires', 'Status', 'Findings'],
				['l', 'l', 'l', 'l', 'l', 'l', 'r'],
				report.exemptions.map((e) => [
					mdText(exemptionWhere(e)),
					mdText(e.rules.join(', ')),
					mdText(matchLabel(e)),
					mdText(e.reason),
					e.expires ? mdText(e.expires) : 'never',
					e.status === 'expired' ? `**${mdText(exemptionStatus(e))}**` : mdText(exemptionStatus(e)),
					String(e.findings),
				]),
			),
		);
	}
	const c = report.coverage;
	out.push('', '## Coverage', '', `- ${plural(c.files, 'file')} checked, ${plural(c.resources, 'resource')}, ${c.resourcesEvaluated} of them evaluated for at least one control.`);
	if (c.otherFindings > 0) out.push(`- ${plural(c.otherFindings, 'other finding')} (schema, syntax) evidence no control: \`fleetscope check\` lists them.`);
	if (c.skipped.length > 0) {
		out.push(`- ${plural(c.skipped.length, 'file')} not validated, so evidence neither way:`);
		for (const s of c.skipped) out.push(`  - ${mdText(s.file)}: ${mdText(s.reason)}`);
	}
	if (c.internalErrors.length > 0) out.push(`- **Fleetscope failed on ${plural(c.internalErrors.length, 'file')}** (an internal error): ${c.internalErrors.map((e) => mdText(e.split('\n')[0])).join('; ')}`);
	return `${out.join('\n')}\n`;
}

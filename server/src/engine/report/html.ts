import { FRAMEWORK_NAMES, scorePercent, type ComplianceReport, type ControlCounts, type Counts, type ReportSection } from './model';
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
 * The report as ONE self-contained HTML file: inline CSS, the score chart as inline SVG, no script,
 * no font, no image, no link to anything outside the file. It opens the same in a VS Code webview
 * with scripts off and a strict CSP, in a browser, and as a mail attachment, and it prints.
 * Everything that comes from the repository is untrusted text and goes through `esc`.
 */

/** The CSP the file carries itself: nothing may load, inline styles and data: images only. */
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for HTML content or a double-quoted attribute value. */
export function esc(s: string | number): string {
	return String(s).replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** Bar colours (SVG attributes take no CSS variables); the CSS uses the same ones. */
const PASS = '#1a7f37';
const EXEMPT = '#8fd19e';
const FAIL = '#cf222e';
const NONE = '#d0d7de';

/** Light, like the printed page, whatever the editor's theme (a webview injects theme colours for body, a and code: all overridden). */
const CSS = `
:root { color-scheme: light; --pass: #1a7f37; --exempt: #8fd19e; --fail: #cf222e; --none: #d0d7de; --muted: #57606a; --line: #d0d7de; --head: #f6f8fa; }
* { box-sizing: border-box; }
html, body { background: #fff; color: #1f2328; }
body { margin: 0; padding: 0; font: 14px/1.5 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 32px 48px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 36px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 16px; margin: 20px 0 6px; }
p { margin: 6px 0; }
.muted, .note { color: var(--muted); }
.note { font-size: 13px; max-width: 80ch; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 12px 0 0; }
dl.meta dt { color: var(--muted); }
dl.meta dd { margin: 0; overflow-wrap: anywhere; }
nav.toc ol { margin: 4px 0; padding-left: 22px; columns: 2; }
a { color: #0969da; }
table { border-collapse: collapse; margin: 8px 0 4px; width: 100%; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: var(--head); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.msg { overflow-wrap: anywhere; min-width: 24ch; }
td.loc { white-space: nowrap; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; color: inherit; background: none; padding: 0; }
.wide { overflow-x: auto; }
.badge { display: inline-block; padding: 0 8px; border-radius: 10px; font-size: 12px; border: 1px solid var(--line); color: var(--muted); margin-left: 8px; vertical-align: middle; font-weight: 400; }
.badge.prod { border-color: var(--fail); color: var(--fail); }
.fail { color: var(--fail); font-weight: 600; }
.exempted { color: #1a7f37; }
.expired { color: var(--fail); font-weight: 700; }
tr.row-fail td:first-child { border-left: 3px solid var(--fail); }
tr.row-exempted td:first-child { border-left: 3px solid var(--exempt); }
td.cell-fail { background: #ffebe9; }
td.cell-ok { background: #dafbe1; }
.chart { margin: 8px 0 0; max-width: 760px; }
.chart svg { width: 100%; height: auto; display: block; }
.score { font-size: 20px; font-weight: 700; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { font-size: 11px; }
  main { max-width: none; padding: 0; }
  nav.toc { display: none; }
  h2 { break-after: avoid; page-break-after: avoid; }
  h3 { break-after: avoid; }
  tr, .chart { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  .wide { overflow: visible; }
  a { color: inherit; text-decoration: none; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;

function countsCells(c: Counts): string {
	return `<td class="num">${c.evaluated}</td><td class="num">${c.passed}</td><td class="num">${c.exempted}</td><td class="num${c.failed > 0 ? ' fail' : ''}">${c.failed}</td><td class="num">${esc(percentLabel(c))}</td>`;
}

const COUNT_HEADS = '<th class="num">Evaluated</th><th class="num">Passed</th><th class="num">Exempted</th><th class="num">Failed</th><th class="num">Score</th>';

/** The score chart: one horizontal bar per section, passed / exempted / failed shares, the score as its label. */
export function scoreChart(report: ComplianceReport): string {
	const rows = report.sections;
	const labelW = 230;
	const barW = 420;
	const pctW = 70;
	const rowH = 34;
	const top = 8;
	const width = labelW + barW + pctW;
	const height = top + rows.length * rowH + 30;
	const bars = rows.map((s, i) => {
		const y = top + i * rowH;
		const c = s.summary;
		const pct = scorePercent(c);
		const w = (n: number) => (c.evaluated === 0 ? 0 : (barW * n) / c.evaluated);
		const parts: string[] = [];
		if (c.evaluated === 0) parts.push(`<rect class="seg-none" x="${labelW}" y="${y}" width="${barW}" height="22" fill="${NONE}"/>`);
		else {
			let x = labelW;
			for (const [cls, n, fill] of [
				['seg-pass', c.passed, PASS],
				['seg-exempt', c.exempted, EXEMPT],
				['seg-fail', c.failed, FAIL],
			] as const) {
				if (n === 0) continue;
				parts.push(`<rect class="${cls}" x="${x.toFixed(2)}" y="${y}" width="${w(n).toFixed(2)}" height="22" fill="${fill}"/>`);
				x += w(n);
			}
		}
		const title = `${sectionTitle(s)}: ${c.passed} passed, ${c.exempted} exempted, ${c.failed} failed of ${c.evaluated} evaluated`;
		return `<g class="bar" data-section="${esc(s.id)}" data-score="${pct === null ? '' : pct}"><title>${esc(title)}</title><text x="${labelW - 10}" y="${y + 16}" text-anchor="end" font-size="14">${esc(sectionTitle(s))}</text>${parts.join('')}<text class="pct" x="${labelW + barW + 10}" y="${y + 16}" font-size="14" font-weight="700">${esc(percentLabel(c))}</text></g>`;
	});
	const ly = top + rows.length * rowH + 12;
	const legend = (
		[
			[PASS, 'passed', 0],
			[EXEMPT, 'exempted (live waiver)', 90],
			[FAIL, 'failed', 270],
		] as const
	)
		.map(([fill, label, dx]) => `<rect x="${labelW + dx}" y="${ly}" width="12" height="12" fill="${fill}"/><text x="${labelW + dx + 18}" y="${ly + 11}" font-size="12">${label}</text>`)
		.join('');
	return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" role="img" aria-label="Score per section" font-family="-apple-system, Segoe UI, Helvetica, Arial, sans-serif" fill="#1f2328">${bars.join('')}<g class="legend">${legend}</g></svg>`;
}

function controlsTable(controls: ControlCounts[], report: ComplianceReport): string {
	const rows = controls.map(
		(c) =>
			`<tr${c.failed > 0 ? ' class="row-fail"' : ''}><td class="mono">${esc(c.control)}</td><td>${c.rules.map((r) => `<span class="mono">${esc(r)}</span> <span class="muted">${esc(report.rules[r]?.title ?? '')}</span>`).join('<br>')}</td>${countsCells(c)}</tr>`,
	);
	return `<table class="controls"><thead><tr><th>Control</th><th>Evidenced by</th>${COUNT_HEADS}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function clusterMatrix(s: ReportSection): string {
	const head = s.clusters.map((c) => `<th class="num">${esc(c.name)}</th>`).join('');
	const rows = s.controls.map((ctl) => {
		const cells = s.clusters.map((cl) => {
			const c = cl.controls.find((x) => x.control === ctl.control);
			if (!c) return '<td class="num muted">—</td>';
			return `<td class="num ${c.failed > 0 ? 'cell-fail' : 'cell-ok'}">${esc(cellLabel(c))}</td>`;
		});
		return `<tr><td class="mono">${esc(ctl.control)}</td>${cells.join('')}</tr>`;
	});
	const summary = s.clusters.map((c) => `<tr><td>${esc(c.name)}</td><td class="muted">${esc(clusterFacts(c))}</td><td class="num">${c.resources}</td>${countsCells(c.summary)}</tr>`);
	return `<h3>Per cluster</h3>
<table class="clusters"><thead><tr><th>Cluster</th><th>Where</th><th class="num">Resources</th>${COUNT_HEADS}</tr></thead><tbody>${summary.join('')}</tbody></table>
<p class="note">Each cell: resources that pass (exemptions included) / resources evaluated, then the failed and exempted counts.</p>
<div class="wide"><table class="matrix"><thead><tr><th>Control</th>${head}</tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

function sectionHtml(s: ReportSection, index: number, report: ComplianceReport): string {
	const badges = `${s.production ? ' <span class="badge prod">production</span>' : ''}${s.kind === 'environment' && !s.declared ? ' <span class="badge">not declared in the Fleet</span>' : ''}`;
	const clusters =
		s.clusters.length > 0
			? `<p>Clusters: ${s.clusters.map((c) => `<strong>${esc(c.name)}</strong>${clusterFacts(c) ? ` <span class="muted">(${esc(clusterFacts(c))})</span>` : ''}`).join(', ')}</p>`
			: '';
	const body =
		s.controls.length === 0
			? '<p class="muted">No control was evaluated here.</p>'
			: `${controlsTable(s.controls, report)}${s.clusters.length > 1 ? clusterMatrix(s) : s.clusters.length === 1 ? '<p class="note">One cluster: its counts are the environment\'s.</p>' : ''}`;
	return `<section class="env" id="section-${index + 1}" data-section="${esc(s.id)}">
<h2>${esc(sectionTitle(s))}${badges}</h2>
<p class="note">${esc(sectionNote(s, report))}</p>
${clusters}
<p><span class="score">${esc(percentLabel(s.summary))}</span> &nbsp;${esc(plural(s.resources, 'resource'))}, ${s.summary.evaluated} evaluated: ${s.summary.passed} passed, ${s.summary.exempted} exempted, <span class="${s.summary.failed > 0 ? 'fail' : ''}">${s.summary.failed} failed</span></p>
${body}
</section>`;
}

function findingsHtml(report: ComplianceReport): string {
	if (report.findings.length === 0) return '<p>No compliance finding.</p>';
	const fleet = report.fleet.clusters > 0;
	const rows = report.findings.map((f) => {
		const status = findingStatus(f, report);
		const cls = f.status === 'exempted' ? 'exempted' : 'fail';
		return `<tr class="row-${cls}"><td class="loc">${esc(`${f.file}:${f.line}`)}</td><td class="mono">${esc(f.ruleId)}</td><td class="mono">${f.controls.map(esc).join('<br>')}</td><td>${esc(f.severity)}</td><td class="${f.expiredExemption ? 'expired' : cls}">${esc(status)}</td><td>${esc(resourceLabel(f))}</td>${fleet ? `<td>${esc(reachLabel(f, report))}</td>` : ''}<td class="msg">${esc(f.message)}</td></tr>`;
	});
	return `<table class="findings"><thead><tr><th>Location</th><th>Rule</th><th>Controls</th><th>Severity</th><th>Status</th><th>Resource</th>${fleet ? '<th>Deployed to</th>' : ''}<th>Message</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function exemptionsHtml(report: ComplianceReport): string {
	if (report.exemptions.length === 0) return '<p>No exemption is declared.</p>';
	const rows = report.exemptions.map(
		(e) =>
			`<tr class="row-${e.status === 'expired' ? 'fail' : 'exempted'}"><td class="loc">${esc(exemptionWhere(e))}</td><td class="mono">${e.rules.map(esc).join('<br>')}</td><td>${esc(matchLabel(e))}</td><td class="msg reason">${esc(e.reason)}</td><td>${esc(e.expires ?? 'never')}</td><td class="${e.status === 'expired' ? 'expired' : ''}">${esc(exemptionStatus(e))}</td><td class="num">${e.findings}</td></tr>`,
	);
	return `<table class="exemptions"><thead><tr><th>Declared at</th><th>Rules</th><th>Applies to</th><th>Reason</th><th>Expires</th><th>Status</th><th class="num">Findings</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function coverageHtml(report: ComplianceReport): string {
	const c = report.coverage;
	const items = [`<li>${esc(plural(c.files, 'file'))} checked, ${esc(plural(c.resources, 'resource'))}, ${c.resourcesEvaluated} of them evaluated for at least one control.</li>`];
	if (c.otherFindings > 0) items.push(`<li>${esc(plural(c.otherFindings, 'other finding'))} (schema, syntax) evidence no control: <code>fleetscope check</code> lists them.</li>`);
	if (c.skipped.length > 0) items.push(`<li>${esc(plural(c.skipped.length, 'file'))} not validated, so evidence neither way:<ul>${c.skipped.map((s) => `<li><span class="mono">${esc(s.file)}</span>: ${esc(s.reason)}</li>`).join('')}</ul></li>`);
	if (c.internalErrors.length > 0) items.push(`<li class="fail">Fleetscope failed on ${esc(plural(c.internalErrors.length, 'file'))} (an internal error): ${c.internalErrors.map((e) => esc(e.split('\n')[0])).join('; ')}</li>`);
	return `<ul>${items.join('')}</ul>`;
}

export function reportHtml(report: ComplianceReport): string {
	const name = rootName(report.root);
	const enabled = report.frameworks.filter((f) => f.enabled);
	const frameworks = report.frameworks
		.map((f) => `<tr><td>${esc(FRAMEWORK_NAMES[f.id])}</td><td>${f.enabled ? 'yes' : '<span class="muted">no (compliance.profiles)</span>'}</td><td class="num">${f.controls}</td><td class="num">${f.rules === 0 ? '<span class="muted">none yet</span>' : f.rules}</td></tr>`)
		.join('');
	const summaryRows = report.sections.map((s, i) => `<tr><td><a href="#section-${i + 1}">${esc(sectionTitle(s))}</a></td><td class="num">${s.resources}</td>${countsCells(s.summary)}</tr>`).join('');
	const toc = [
		...report.sections.map((s, i) => `<li><a href="#section-${i + 1}">${esc(sectionTitle(s))}</a></li>`),
		'<li><a href="#findings">Findings</a></li>',
		'<li><a href="#exemptions">Exemptions</a></li>',
		'<li><a href="#coverage">Coverage</a></li>',
	].join('');
	return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${esc(REPORT_CSP)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Fleetscope ${esc(report.tool.version)}">
<title>Compliance report: ${esc(name)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<header>
<h1>Compliance report: ${esc(name)}</h1>
<dl class="meta">
<dt>Generated</dt><dd><time datetime="${esc(report.generatedAt)}">${esc(formatTimestamp(report.generatedAt))}</time> by Fleetscope ${esc(report.tool.version)}</dd>
<dt>Repository</dt><dd class="mono">${esc(report.root)}</dd>
${report.settingsFile ? `<dt>Settings</dt><dd class="mono">${esc(report.settingsFile)}</dd>` : ''}
<dt>Frameworks</dt><dd>${enabled.length > 0 ? enabled.map((f) => esc(f.name)).join(', ') : 'none enabled'}</dd>
<dt>Judged at</dt><dd>${esc(versionsLabel(report))}; Pod Security level ${esc(report.settings.podSecurityLevel)} where no namespace label says</dd>
<dt>Fleet</dt><dd>${report.fleet.clusters === 0 ? 'no fleet model (no clusters known): the repository is counted as a whole' : `${esc(plural(report.fleet.environments, 'environment'))}, ${esc(plural(report.fleet.clusters, 'cluster'))}`}</dd>
</dl>
</header>
<nav class="toc"><h2>Contents</h2><ol>${toc}</ol></nav>
<section id="score">
<h2>Score</h2>
<div class="chart">${scoreChart(report)}</div>
<p class="note scoring">${esc(report.scoring)}</p>
<table class="summary"><thead><tr><th>Section</th><th class="num">Resources</th>${COUNT_HEADS}</tr></thead><tbody>${summaryRows}</tbody></table>
<h3>Frameworks</h3>
<table class="frameworks"><thead><tr><th>Framework</th><th>Enabled</th><th class="num">Controls evaluated</th><th class="num">Rules</th></tr></thead><tbody>${frameworks}</tbody></table>
</section>
${report.sections.map((s, i) => sectionHtml(s, i, report)).join('\n')}
<section id="findings">
<h2>Findings</h2>
<p class="note">Every compliance finding, with its file and line (1-based). A finding fails its controls whatever its severity; an exempted one is covered by the exemption named.</p>
${findingsHtml(report)}
</section>
<section id="exemptions">
<h2>Exemptions</h2>
<p class="note">Inline <code>fleetscope-ignore</code> comments and the Fleet file's <code>spec.compliance.exemptions</code>. An expired exemption covers nothing: its findings fail again until it is renewed or removed.</p>
${exemptionsHtml(report)}
</section>
<section id="coverage">
<h2>Coverage</h2>
${coverageHtml(report)}
</section>
</main>
</body>
</html>
`;
}

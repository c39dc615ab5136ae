import type { ComplianceCounts, ComplianceFindingRow, ComplianceFolderRow } from '../../../../shared/protocol';
import type { FleetscopeSettings } from '../../../../shared/settings';
import { isoDay } from '../../engine/fleet/exemptions';
import { EMPTY_FLEET } from '../../engine/fleet/types';
import { buildReport, compareControls, FRAMEWORK_NAMES, type ComplianceReport, type Counts } from '../../engine/report/model';
import type { Folder } from '../folder';

/**
 * The Compliance view: frameworks, their controls with passed / failed / exempted counts per
 * environment, and each control's findings. Built by `buildReport`, the compliance report's own
 * model, over the findings the folder kept from its last validation of each file, so the view
 * shows the report's numbers without validating anything again.
 */

/** The compliance report of a folder's files as last validated (computed again only when findings, fleet, settings or the day changed). */
export function folderReport(folder: Folder, settings: FleetscopeSettings, now: Date, toolVersion: string): ComplianceReport {
	const snapshot = folder.snapshot;
	return folder.findings.derive(`${snapshot.version}|${isoDay(now)}|${JSON.stringify(settings)}`, () =>
		buildReport({
			files: folder.findings.reportFiles(),
			fleet: snapshot.fleet ?? EMPTY_FLEET,
			fleetExemptions: snapshot.fleetExemptions(),
			settings,
			generatedAt: now,
			version: toolVersion,
			root: folder.root,
		}),
	);
}

const counts = (c: Counts): ComplianceCounts => ({ evaluated: c.evaluated, passed: c.passed, failed: c.failed, exempted: c.exempted });

export function complianceView(report: ComplianceReport, folder: { uri: string; name: string }, complete: boolean): ComplianceFolderRow {
	const findingsPer = new Map<string, number>();
	for (const f of report.findings) for (const c of f.controls) findingsPer.set(c, (findingsPer.get(c) ?? 0) + 1);
	const controls = new Map<string, { framework: string; rules: Set<string>; sections: ({ id: string } & ComplianceCounts)[] }>();
	for (const s of report.sections) {
		for (const c of s.controls) {
			let entry = controls.get(c.control);
			if (!entry) controls.set(c.control, (entry = { framework: c.framework, rules: new Set(), sections: [] }));
			for (const r of c.rules) entry.rules.add(r);
			entry.sections.push({ id: s.id, ...counts(c) });
		}
	}
	return {
		folderUri: folder.uri,
		name: folder.name,
		complete,
		files: report.coverage.files,
		sections: report.sections.map((s) => ({ id: s.id, name: s.name, production: s.production, summary: counts(s.summary) })),
		frameworks: report.frameworks
			.filter((f) => f.enabled)
			.map((f) => ({
				id: f.id,
				name: FRAMEWORK_NAMES[f.id],
				controls: [...controls.entries()]
					.filter(([, c]) => c.framework === f.id)
					.sort(([a], [b]) => compareControls(a, b))
					.map(([control, c]) => ({
						control,
						rules: [...c.rules].sort().map((id) => ({ id, title: report.rules[id]?.title ?? id })),
						sections: c.sections,
						findings: findingsPer.get(control) ?? 0,
					})),
			})),
	};
}

/** The findings of one control, failing first, then by file and line. */
export function controlFindings(report: ComplianceReport, control: string): ComplianceFindingRow[] {
	return report.findings
		.filter((f) => f.controls.includes(control))
		.sort((a, b) => (a.status === b.status ? 0 : a.status === 'fail' ? -1 : 1))
		.map((f) => ({
			file: f.file,
			line: f.line,
			column: f.column,
			endLine: f.endLine,
			endColumn: f.endColumn,
			ruleId: f.ruleId,
			severity: f.severity,
			message: f.message,
			status: f.status,
			...(f.resource ? { resource: f.resource } : {}),
			environments: f.environments,
		}));
}

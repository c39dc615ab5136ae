import { version } from '../../../package.json';
import { reportHtml } from '../engine/report/html';
import { reportJson } from '../engine/report/json';
import { reportMarkdown } from '../engine/report/markdown';
import { buildReport, reportFile, type ComplianceReport, type ReportFile } from '../engine/report/model';
import { EMPTY_FLEET } from '../engine/fleet/types';
import type { Folder } from '../workspace/folder';
import type { FleetscopeSettings } from '../../../shared/settings';
import type { ReportFormat, ReportOptions } from './args';
import { runCheck } from './check';

/**
 * `fleetscope report`: the files `check` would check, validated the same way (`runCheck`), turned
 * into the compliance evidence report. Only what the report needs of each analysis is kept.
 */
export async function runReport(options: ReportOptions, cwd: string, now: () => Date = () => new Date()): Promise<ComplianceReport> {
	let run: { settings: FleetscopeSettings; folder: Folder } | undefined;
	const files: ReportFile[] = [];
	const check = await runCheck(options, cwd, {
		start: (r) => (run = r),
		file: (path, analysis) => files.push(reportFile(path, analysis)),
		// The findings are judged on the day the report says it was generated.
		now,
	});
	if (!run) throw new Error('the check did not start');
	return buildReport({
		files,
		fleet: run.folder.snapshot.fleet ?? EMPTY_FLEET,
		fleetExemptions: run.folder.snapshot.fleetExemptions(),
		settings: run.settings,
		generatedAt: now(),
		version,
		root: check.root,
		settingsFile: check.config,
		internalErrors: check.internalErrors,
	});
}

export function renderReport(report: ComplianceReport, format: ReportFormat): string {
	switch (format) {
		case 'html':
			return reportHtml(report);
		case 'md':
			return reportMarkdown(report);
		case 'json':
			return reportJson(report);
	}
}

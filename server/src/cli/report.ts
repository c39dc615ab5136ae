import { version } from '../../../package.json';
import type { Engine } from '../engine/analysis/engine';
import type { RepoIndex } from '../engine/context/repo-index';
import { reportHtml } from '../engine/report/html';
import { reportJson } from '../engine/report/json';
import { reportMarkdown } from '../engine/report/markdown';
import { buildReport, reportFile, type ComplianceReport, type ReportFile } from '../engine/report/model';
import { fleetFor } from '../host/fleet';
import type { FleetscopeSettings } from '../../../shared/settings';
import type { ReportFormat, ReportOptions } from './args';
import { runCheck } from './check';

/**
 * `fleetscope report`: the files `check` would check, validated the same way (`runCheck`), turned
 * into the compliance evidence report. Only what the report needs of each analysis is kept.
 */
export async function runReport(options: ReportOptions, cwd: string, now: () => Date = () => new Date()): Promise<ComplianceReport> {
	let run: { settings: FleetscopeSettings; repo: RepoIndex; engine: Engine } | undefined;
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
		fleet: await fleetFor(check.root, run.repo),
		fleetExemptions: run.repo.fleetExemptions(),
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

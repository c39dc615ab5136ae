import type { Severity } from '../../engine/core/types';
import type { CheckReport } from '../check';

/**
 * The JSON report (`--format json`), a stable shape: fields are only ever added.
 * Lines and columns are 1-based; `endColumn` is exclusive (the column just after the last
 * character), as in SARIF; columns count UTF-16 code units.
 */
export interface JsonReport {
	/** Version of this shape. */
	formatVersion: 1;
	tool: { name: 'fleetscope'; version: string };
	/** Absolute path of the checked root; every `file` is relative to it, with forward slashes. */
	root: string;
	/** The settings file used (`--config` or `.fleetscope.yaml` in the root), relative to the root when inside it; absent when none. */
	settingsFile?: string;
	findings: JsonFinding[];
	/** With `--context` / `--snapshot`: each cluster the files were checked against, its status and how current its state was. */
	live?: { cluster: string; source: string; status: string; message: string; fetchedAt?: string }[];
	summary: {
		/** Number of files checked (with or without findings). */
		files: number;
		findings: number;
		/** Findings per severity. */
		bySeverity: Record<Severity, number>;
		elapsedMs: number;
	};
}

export interface JsonFinding {
	file: string;
	line: number;
	column: number;
	endLine: number;
	endColumn: number;
	severity: Severity;
	ruleId: string;
	message: string;
}

export function jsonReport(report: CheckReport, version: string): JsonReport {
	const findings: JsonFinding[] = [];
	for (const file of report.files) {
		for (const f of file.findings) {
			findings.push({
				file: file.path,
				line: f.range.start.line + 1,
				column: f.range.start.character + 1,
				endLine: f.range.end.line + 1,
				endColumn: f.range.end.character + 1,
				severity: f.severity,
				ruleId: f.ruleId,
				message: f.message,
			});
		}
	}
	return {
		formatVersion: 1,
		tool: { name: 'fleetscope', version },
		root: report.root,
		...(report.config !== undefined ? { settingsFile: report.config } : {}),
		findings,
		...(report.live ? { live: report.live } : {}),
		summary: { files: report.files.length, findings: findings.length, bySeverity: report.counts, elapsedMs: Math.round(report.elapsedMs) },
	};
}

export function formatJson(report: CheckReport, version: string): string {
	return `${JSON.stringify(jsonReport(report, version), null, 2)}\n`;
}

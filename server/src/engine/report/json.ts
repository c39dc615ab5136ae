import type { ComplianceReport } from './model';

/** The JSON report (`fleetscope report --format json`): the model as it is; its shape is documented in docs/cli.md. */
export function reportJson(report: ComplianceReport): string {
	return `${JSON.stringify(report, null, 2)}\n`;
}

import { pathToFileURL } from 'node:url';
import type { Log, ReportingDescriptor, Result } from 'sarif';
import { helpUri } from '../../engine/core/rule-meta';
import { allRules, ruleMeta } from '../../engine/rules/catalog';
import type { Severity } from '../../engine/core/types';
import type { CheckReport } from '../check';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const INFORMATION_URI = 'https://github.com/fleetscope/fleetscope';

/** SARIF has three levels for problems: info and hint are notes. */
export function sarifLevel(severity: Severity): 'error' | 'warning' | 'note' {
	return severity === 'error' ? 'error' : severity === 'warning' ? 'warning' : 'note';
}

/** SARIF wants `name` to be an identifier, not a sentence: `schema-unknown-field` → `SchemaUnknownField`. */
function ruleName(id: string): string {
	return id.replace(/(^|[-_/.])([a-z0-9])/gi, (_m, _sep: string, c: string) => c.toUpperCase());
}

function descriptor(id: string): ReportingDescriptor {
	const meta = ruleMeta(id);
	if (!meta) return { id, name: ruleName(id), shortDescription: { text: id }, helpUri: helpUri(id), properties: { controls: [] } };
	return {
		id,
		name: ruleName(id),
		shortDescription: { text: meta.title },
		fullDescription: { text: meta.rationale },
		helpUri: helpUri(id),
		...(meta.remediation ? { help: { text: meta.remediation } } : {}),
		defaultConfiguration: { level: sarifLevel(meta.defaultSeverity) },
		properties: { controls: [...meta.controls] },
	};
}

/**
 * The SARIF 2.1.0 log: one run, every rule the engine knows in `rules[]` (so a viewer can show
 * rules with no results), one result per finding with one physical location relative to the
 * checked root (`%SRCROOT%`), 1-based regions with an exclusive end column.
 */
export function sarifLog(report: CheckReport, version: string): Log {
	const rules = allRules().map((r) => descriptor(r.id));
	const index = new Map(rules.map((r, i) => [r.id, i]));
	const results: Result[] = [];
	for (const file of report.files) {
		for (const f of file.findings) {
			let ruleIndex = index.get(f.ruleId);
			if (ruleIndex === undefined) {
				// A finding of a rule without metadata still gets a descriptor, never a dangling index.
				ruleIndex = rules.push(descriptor(f.ruleId)) - 1;
				index.set(f.ruleId, ruleIndex);
			}
			results.push({
				ruleId: f.ruleId,
				ruleIndex,
				level: sarifLevel(f.severity),
				message: { text: f.message },
				// An exempted finding is reported as suppressed in the source, with its reason (auditable).
				...(f.data?.exempted ? { suppressions: [{ kind: 'inSource' as const, justification: f.data.exempted }] } : {}),
				// A finding of the repository's own admission policies says which policy and rule.
				...(f.data?.policy ? { properties: { engine: f.data.policy.engine, policy: f.data.policy.policy, rule: f.data.policy.rule } } : {}),
				locations: [
					{
						physicalLocation: {
							artifactLocation: { uri: file.path.split('/').map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' },
							region: {
								startLine: f.range.start.line + 1,
								startColumn: f.range.start.character + 1,
								endLine: f.range.end.line + 1,
								endColumn: f.range.end.character + 1,
							},
						},
					},
				],
			});
		}
	}
	const rootUri = pathToFileURL(report.root).href;
	return {
		$schema: SARIF_SCHEMA,
		version: '2.1.0',
		runs: [
			{
				tool: { driver: { name: 'fleetscope', version, semanticVersion: version, informationUri: INFORMATION_URI, rules } },
				originalUriBaseIds: { '%SRCROOT%': { uri: rootUri.endsWith('/') ? rootUri : `${rootUri}/` } },
				columnKind: 'utf16CodeUnits',
				results,
			},
		],
	};
}

export function formatSarif(report: CheckReport, version: string): string {
	return `${JSON.stringify(sarifLog(report, version), null, 2)}\n`;
}

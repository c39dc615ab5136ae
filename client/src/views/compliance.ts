import type { ComplianceControlRow, ComplianceFindingRow, ComplianceFolderRow, FleetComplianceResult } from '../../../shared/protocol';
import { ICONS, md, plural, type ExplorerNode } from './nodes';

/**
 * The Compliance view: frameworks, then controls with passed / failed / exempted counts per
 * environment (the compliance report's numbers: the server builds them with the report's own
 * model), then, when a control is expanded, its findings (file and line; a click opens them).
 */

/** Asks the server for one control's findings. */
export type FindingsOf = (folderUri: string, control: string) => Promise<ComplianceFindingRow[]>;

export function complianceTree(result: FleetComplianceResult, findingsOf: FindingsOf): ExplorerNode[] {
	const folders = result.folders.filter((f) => f.frameworks.some((x) => x.controls.length > 0));
	if (folders.length === 1) return folderChildren(folders[0], findingsOf);
	return folders.map((f) => ({ id: `folder:${f.folderUri}`, label: f.name, description: coverage(f), icon: { id: 'root-folder' }, contextValue: 'folder', expanded: true, children: () => folderChildren(f, findingsOf) }));
}

function coverage(f: ComplianceFolderRow): string {
	return f.complete ? plural(f.files, 'file') : `${plural(f.files, 'file')} validated so far`;
}

/** The sections (environments) a control failed in. */
const failedIn = (f: ComplianceFolderRow, c: ComplianceControlRow) => c.sections.filter((s) => s.failed > 0).map((s) => f.sections.find((x) => x.id === s.id)?.name ?? s.id);

function folderChildren(f: ComplianceFolderRow, findingsOf: FindingsOf): ExplorerNode[] {
	return f.frameworks
		.filter((fw) => fw.controls.length > 0)
		.map((fw) => {
			const failing = fw.controls.filter((c) => c.sections.some((s) => s.failed > 0)).length;
			return {
				id: `framework:${f.folderUri}:${fw.id}`,
				label: fw.name,
				description: `${plural(fw.controls.length, 'control')} evaluated${failing > 0 ? ` · ${failing} failing` : ' · all passed'}${f.complete ? '' : ' · validating…'}`,
				tooltip: `**${md(fw.name)}**: ${fw.controls.length} controls evaluated in ${md(coverage(f))}, ${failing} with failures.`,
				icon: failing > 0 ? { id: 'shield', color: 'errorForeground' } : { id: 'shield', color: 'testing.iconPassed' },
				contextValue: 'framework',
				children: () => fw.controls.map((c) => controlNode(f, c, findingsOf)),
			};
		});
}

/** `production 2 failed · staging 1 failed`, or `passed in dev, staging` when nothing failed. */
export function controlDescription(f: ComplianceFolderRow, c: ComplianceControlRow): string {
	const failed = c.sections.filter((s) => s.failed > 0);
	if (failed.length > 0) return failed.map((s) => `${f.sections.find((x) => x.id === s.id)?.name ?? s.id} ${s.failed} failed`).join(' · ');
	const exempted = c.sections.filter((s) => s.exempted > 0);
	if (exempted.length > 0) return exempted.map((s) => `${f.sections.find((x) => x.id === s.id)?.name ?? s.id} ${s.exempted} exempted`).join(' · ');
	return `passed in ${c.sections.map((s) => f.sections.find((x) => x.id === s.id)?.name ?? s.id).join(', ')}`;
}

function controlNode(f: ComplianceFolderRow, c: ComplianceControlRow, findingsOf: FindingsOf): ExplorerNode {
	const failing = failedIn(f, c);
	const exempted = c.sections.some((s) => s.exempted > 0);
	const table = ['| Environment | Passed | Failed | Exempted |', '|---|---:|---:|---:|', ...c.sections.map((s) => `| ${md(f.sections.find((x) => x.id === s.id)?.name ?? s.id)} | ${s.passed} | ${s.failed} | ${s.exempted} |`)];
	return {
		id: `control:${f.folderUri}:${c.control}`,
		label: c.control,
		description: controlDescription(f, c),
		tooltip: [`**${md(c.control)}**`, '', ...table, '', `Evidenced by ${c.rules.map((r) => `${md(r.id)} (${md(r.title)})`).join(', ')}.`].join('\n'),
		icon: failing.length > 0 ? ICONS.failed : exempted ? ICONS.muted('circle-slash') : ICONS.passed,
		contextValue: 'control',
		...(c.findings > 0 ? { children: async () => (await findingsOf(f.folderUri, c.control)).map((x, i) => findingNode(f.folderUri, c.control, x, i)) } : {}),
	};
}

function findingNode(folderUri: string, control: string, x: ComplianceFindingRow, i: number): ExplorerNode {
	const where = x.resource ? `${x.resource.kind}${x.resource.name ? ` ${x.resource.namespace ? `${x.resource.namespace}/` : ''}${x.resource.name}` : ''}` : '';
	return {
		id: `finding:${folderUri}:${control}:${i}:${x.file}:${x.line}`,
		label: `${x.file}:${x.line}`,
		description: [x.status === 'exempted' ? 'exempted' : x.severity, where, x.ruleId].filter(Boolean).join(' · '),
		tooltip: `${md(x.message)}\n\n${md(x.ruleId)}${x.environments.length > 0 ? ` · ${md(x.environments.join(', '))}` : ''}`,
		icon: x.status === 'exempted' ? ICONS.muted('circle-slash') : x.severity === 'error' ? ICONS.failed : x.severity === 'warning' ? ICONS.warning : ICONS.info,
		contextValue: 'finding',
		file: { folderUri, path: x.file },
		open: { folderUri, path: x.file, line: x.line, column: x.column },
	};
}

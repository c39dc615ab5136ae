import type { PromotionArtifact, PromotionEdit, PromotionFinding, PromotionGate, PromotionStyle } from '../../../../shared/protocol';
import { promotionMarker } from './marker';

/**
 * The words of a promotion: the pull request's title and body, and the commit message. The body
 * is for reviewers and auditors: what changes per file (with links), which clusters it reaches,
 * each gate with its result, the compliance delta, overrides with their reasons, and the hidden
 * block by which Fleetscope recognises the pull request.
 */

/** Where the repository is browsed, for links (absent: no links). */
export interface RepositoryWeb {
	provider: 'github' | 'gitlab' | 'other';
	/** `https://github.com/acme/fleet`. */
	url: string;
}

export interface TextInput {
	app: string;
	from: string;
	to: string;
	style: PromotionStyle;
	branch: string;
	artifacts: PromotionArtifact[];
	edits: PromotionEdit[];
	changedFiles: string[];
	clusters: string[];
	gates: PromotionGate[];
	newFindings: PromotionFinding[];
	reviewers: string[];
	requiredApprovals: number;
	notes: string[];
	sourceDirectory?: string;
	targetDirectory?: string;
	web?: RepositoryWeb;
}

/** `Promote checkout 2.4.0 to production (from staging)`. */
export function promotionTitle(input: Pick<TextInput, 'app' | 'from' | 'to' | 'artifacts'>): string {
	const versions = [...new Set(input.artifacts.map((a) => a.to))];
	const version = versions.length === 1 ? ` ${versions[0]}` : '';
	return `Promote ${input.app}${version} to ${input.to} (from ${input.from})`;
}

/** A link to a line of a file on the promotion branch, or the path in backticks without a web URL. */
function fileLink(web: RepositoryWeb | undefined, ref: string, file: string, line?: number): string {
	const label = `\`${file}${line ? `:${line}` : ''}\``;
	if (!web || web.provider === 'other') return label;
	const path = file.split('/').map(encodeURIComponent).join('/');
	const refPath = ref.split('/').map(encodeURIComponent).join('/');
	const blob = web.provider === 'gitlab' ? `${web.url}/-/blob/${refPath}/${path}` : `${web.url}/blob/${refPath}/${path}`;
	return `[${label}](${blob}${line ? `#L${line}` : ''})`;
}

/** Text safe inside a Markdown table cell, on one line. */
function cell(s: string): string {
	return s.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|').replace(/<!--/g, '&lt;!--');
}

const ICON: Record<PromotionGate['status'], string> = { passed: '✅ passed', failed: '❌ failed', overridden: '⚠️ overridden', 'not-checked': '➖ not checked' };

export function promotionBody(input: TextInput): string {
	const out: string[] = [];
	const dir = input.style === 'directory' ? ` by making \`${input.targetDirectory}\` equal to \`${input.sourceDirectory}\`` : '';
	out.push(`Promotes **${input.app}** from **${input.from}** to **${input.to}**${dir}. Planned and checked by \`fleetscope promote\`.`);
	out.push('');
	out.push('### Versions');
	if (input.artifacts.length > 0) {
		out.push('', '| File | Artifact | From | To | Source |', '| --- | --- | --- | --- | --- |');
		for (const a of input.artifacts) {
			out.push(`| ${fileLink(input.web, input.branch, a.file, a.line)} | \`${cell(a.artifact)}\` | \`${cell(a.from)}\` | \`${cell(a.to)}\` | ${input.from}: ${fileLink(input.web, input.branch, a.sourceFile, a.sourceLine)} |`);
		}
	} else out.push('', 'No version line changes.');
	const valueFiles = new Set(input.artifacts.map((a) => a.file));
	const otherFiles = input.changedFiles.filter((f) => !valueFiles.has(f));
	if (otherFiles.length > 0) {
		out.push('', 'Files changed:');
		for (const f of otherFiles) out.push(`- ${fileLink(input.web, input.branch, f)}`);
	}
	for (const n of input.notes) out.push('', `> Note: ${n.replace(/\r?\n/g, ' ')}`);
	out.push('', '### Clusters affected', '', input.clusters.length > 0 ? input.clusters.map((c) => `\`${c}\``).join(', ') : `None of ${input.to}'s clusters is known to receive these files.`);
	out.push('', '### Gates', '', '| Gate | Result | Detail |', '| --- | --- | --- |');
	for (const g of input.gates) out.push(`| ${g.name} | ${ICON[g.status]} | ${cell(g.override ? g.detail.slice(0, g.detail.lastIndexOf(' Overridden: ')) : g.detail)} |`);
	out.push('', '### Compliance delta', '');
	if (input.newFindings.length === 0) out.push(`No new error-level finding for ${input.to}'s clusters.`);
	else {
		out.push(`${input.newFindings.length} new error-level finding${input.newFindings.length === 1 ? '' : 's'} for ${input.to}'s clusters:`, '');
		for (const f of input.newFindings) out.push(`- ${fileLink(input.web, input.branch, f.file, f.line)} \`${f.ruleId}\`: ${f.message.replace(/\r?\n/g, ' ')}`);
	}
	const overridden = input.gates.filter((g) => g.override);
	if (overridden.length > 0) {
		out.push('', '### Overrides', '', 'These gates failed and were overridden on purpose (recorded for change management, DORA Art. 9(4)(e)):', '');
		for (const g of overridden) out.push(`- **${g.name}**: ${g.override!.reason.replace(/\r?\n/g, ' ')}`);
	}
	out.push('', '### Review', '');
	const asked = input.reviewers.length > 0 ? `Reviewers asked: ${input.reviewers.map((r) => `@${r}`).join(', ')}.` : 'No reviewers are named in the Fleet file.';
	out.push(input.requiredApprovals > 0 ? `${input.to} requires **${input.requiredApprovals}** approval${input.requiredApprovals === 1 ? '' : 's'}. ${asked}` : `${input.to} requires no approval. ${asked}`);
	out.push(
		'',
		promotionMarker({
			version: 1,
			app: input.app,
			from: input.from,
			to: input.to,
			style: input.style,
			branch: input.branch,
			artifacts: input.artifacts.map((a) => ({ artifact: a.artifact, from: a.from, to: a.to })),
			gates: Object.fromEntries(input.gates.map((g) => [g.name, g.status])),
		}),
	);
	return `${out.join('\n')}\n`;
}

/** The commit message: the title, then what changes. */
export function commitMessage(input: Pick<TextInput, 'app' | 'from' | 'to' | 'artifacts' | 'changedFiles' | 'gates'>): string {
	const lines = [promotionTitle(input), ''];
	for (const a of input.artifacts) lines.push(`${a.file}: ${a.artifact} ${a.from} -> ${a.to}`);
	if (input.artifacts.length === 0) for (const f of input.changedFiles) lines.push(`${f}: as in ${input.from}`);
	const overridden = input.gates.filter((g) => g.override);
	if (overridden.length > 0) lines.push('', ...overridden.map((g) => `Gate ${g.name} overridden: ${g.override!.reason.replace(/\r?\n/g, ' ')}`));
	return `${lines.join('\n')}\n`;
}

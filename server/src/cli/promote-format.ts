import type { PromotionPlan, PromotionPullRequest } from '../../../shared/protocol';

/**
 * The output of `fleetscope promote`. JSON (pinned by tests): `{ app, from, to, edits: [{ file,
 * line, before, after }], gates: [{ name, passed, detail }], branch, title, body, pullRequest:
 * null | { url, number, created } }`, a projection of the plan the editor receives whole.
 */

export interface PromotionJson {
	app: string;
	from: string;
	to: string;
	edits: { file: string; line: number; before: string; after: string }[];
	gates: { name: string; passed: boolean; detail: string }[];
	branch: string;
	title: string;
	body: string;
	pullRequest: PromotionPullRequest | null;
}

export function promotionJson(plan: PromotionPlan, pullRequest: PromotionPullRequest | undefined): PromotionJson {
	return {
		app: plan.app,
		from: plan.from,
		to: plan.to,
		edits: plan.edits.map((e) => ({ file: e.file, line: e.line, before: e.before, after: e.after })),
		gates: plan.gates.map((g) => ({ name: g.name, passed: g.passed, detail: g.detail })),
		branch: plan.branch,
		title: plan.title,
		body: plan.body,
		pullRequest: pullRequest ? { url: pullRequest.url, number: pullRequest.number, created: pullRequest.created } : null,
	};
}

const MARK: Record<string, string> = { passed: '✔', failed: '✘', overridden: '!', 'not-checked': '–' };

/** One-line form of a value in the text output (long digests shortened, regions of lines counted). */
function short(v: string): string {
	if (v === '') return '(none)';
	if (v.includes('\n')) return `${v.split('\n').length} lines`;
	return v.length > 40 ? `${v.slice(0, 19)}…${v.slice(-8)}` : v;
}

export function promotionText(plan: PromotionPlan): string {
	const out: string[] = [plan.title, ''];
	if (plan.upToDate) out.push(`Nothing to promote: ${plan.to} already runs what ${plan.from} runs.`);
	else {
		out.push(plan.style === 'directory' ? 'Changes (directory promotion):' : 'Edits:');
		for (const c of plan.changes.filter((c) => c.action !== 'modify')) out.push(`  ${c.action === 'add' ? 'add   ' : 'delete'} ${c.file}`);
		for (const e of plan.edits) out.push(`  ${e.file}:${e.line}  ${short(e.before)} → ${short(e.after)}`);
		out.push(`Clusters: ${plan.clusters.join(', ') || 'none'}`);
	}
	for (const n of plan.notes) out.push(`Note: ${n}`);
	out.push('', 'Gates:');
	const width = Math.max(...plan.gates.map((g) => g.name.length));
	for (const g of plan.gates) out.push(`  ${MARK[g.status]} ${g.name.padEnd(width)}  ${g.detail}`);
	if (plan.compliance.newFindings.length > 0) {
		out.push('', 'New error-level findings:');
		for (const f of plan.compliance.newFindings) out.push(`  ${f.file}:${f.line} ${f.ruleId} ${f.message}`);
	}
	out.push('', `Branch: ${plan.branch}`);
	if (plan.reviewers.length > 0 || plan.requiredApprovals > 0) out.push(`Review: ${plan.requiredApprovals} approval(s) required; reviewers ${plan.reviewers.join(', ') || 'none named'}`);
	return `${out.join('\n')}\n`;
}

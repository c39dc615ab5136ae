import type { FleetPromotionResult, PromotionAppRow, PromotionEnvironmentRow, PromotionPullRequestStatus, PromotionVersionRow } from '../../../shared/protocol';
import { ICONS, md, type ExplorerNode } from './nodes';

/**
 * The Promotion view: apps, then one row per environment in promotion order with the version(s)
 * Git sets there (a click opens the line), a "behind" marker when the environment it is promoted
 * from runs newer versions, the gates of promoting into it, and its open promotion pull requests
 * when the server lists them. "Compare with previous environment" is the rows' inline action.
 */
export function promotionTree(result: FleetPromotionResult): ExplorerNode[] {
	const folders = result.folders.filter((f) => f.apps.length > 0);
	if (folders.length === 1) return folders[0].apps.map((a) => appNode(folders[0].folderUri, a));
	return folders.map((f) => ({ id: `folder:${f.folderUri}`, label: f.name, icon: { id: 'root-folder' }, contextValue: 'folder', expanded: true, children: () => f.apps.map((a) => appNode(f.folderUri, a)) }));
}

const versionsText = (versions: PromotionVersionRow[]) => [...new Set(versions.map((v) => v.version))].join(', ');

function appNode(folderUri: string, app: PromotionAppRow): ExplorerNode {
	const behind = app.environments.filter((e) => e.behind);
	return {
		id: `app:${folderUri}:${app.name}`,
		label: app.name,
		description: [app.environments.map((e) => `${e.name} ${versionsText(e.versions) || '?'}`).join(' → '), app.inferred ? 'inferred' : ''].filter(Boolean).join(' · '),
		tooltip: `**${md(app.name)}**${app.inferred ? ' (inferred from the layout)' : ''}, promoted by ${app.style === 'directory' ? 'copying its directory' : 'copying versions'}${behind.length > 0 ? `\n\nBehind: ${behind.map((e) => `${md(e.name)} (${md(e.behind!.of)} runs ${md(versionsText(e.behind!.versions))})`).join('; ')}` : ''}`,
		icon: behind.length > 0 ? { id: 'package', color: 'list.warningForeground' } : { id: 'package' },
		contextValue: 'app',
		expanded: !app.inferred,
		children: () => app.environments.map((e) => environmentNode(folderUri, app, e)),
	};
}

/** `production 2.14.0, staging runs 2.14.1`. */
export function behindText(e: PromotionEnvironmentRow): string | undefined {
	return e.behind ? `${e.name} ${versionsText(e.versions)}, ${e.behind.of} runs ${versionsText(e.behind.versions)}` : undefined;
}

function environmentNode(folderUri: string, app: PromotionAppRow, e: PromotionEnvironmentRow): ExplorerNode {
	const first = e.versions[0];
	const prs = e.pullRequests ?? [];
	return {
		id: `promotion:${folderUri}:${app.name}:${e.name}`,
		label: e.name,
		description: [versionsText(e.versions) || 'no version Fleetscope can read', e.behind ? `behind: ${e.behind.of} runs ${versionsText(e.behind.versions)}` : '', prs.length > 0 ? `${prs.length} open pull request${prs.length === 1 ? '' : 's'}` : ''].filter(Boolean).join(' · '),
		tooltip: [
			`**${md(app.name)} in ${md(e.name)}**${e.clusters.length > 0 ? ` (${md(e.clusters.join(', '))})` : ''}`,
			...e.versions.map((v) => `- ${md(v.artifact)} **${md(v.version)}** (${md(v.file)}:${v.line})`),
			...(e.behind ? ['', `Behind: ${md(behindText(e)!)}`] : []),
			...(e.gates.length > 0 ? ['', `Promoting into ${md(e.name)}: ${e.gates.map((g) => md(g.detail)).join('; ')}`] : []),
		].join('\n'),
		icon: e.behind ? ICONS.warning : { id: e.production ? 'rocket' : 'circle-filled', color: e.production ? undefined : 'testing.iconPassed' },
		contextValue: ['promotionEnvironment', e.promotesFrom ? 'compare' : '', e.behind ? 'behind' : ''].filter(Boolean).join(' '),
		...(first ? { open: { folderUri, path: first.file, line: first.line } } : {}),
		target: { kind: 'promotion', folderUri, app: app.name, environment: e.name, promotesFrom: e.promotesFrom, clusters: e.clusters },
		children: () => [
			...e.versions.map((v, i) => ({
				id: `promotion:${folderUri}:${app.name}:${e.name}:v${i}`,
				label: `${v.artifact} ${v.version}`,
				description: `${v.file}:${v.line}`,
				tooltip: `Set by ${md(v.file)}:${v.line} (${md(v.kind)})`,
				icon: { id: v.kind === 'chart' ? 'symbol-namespace' : v.kind === 'git' ? 'git-commit' : 'symbol-constant' },
				contextValue: 'version',
				file: { folderUri, path: v.file },
				open: { folderUri, path: v.file, line: v.line },
			})),
			...e.gates.map((g, i) => ({ id: `promotion:${folderUri}:${app.name}:${e.name}:g${i}`, label: `gate: ${g.name}`, description: g.detail, tooltip: `Promoting ${md(app.name)} into ${md(e.name)}: ${md(g.detail)} (the Fleet file's \`promotion\` of ${md(e.name)}).`, icon: { id: g.name === 'approvals' ? 'person' : g.name === 'soak' ? 'watch' : 'arrow-up' }, contextValue: 'gate' })),
			...prs.map((p, i) => pullRequestNode(folderUri, app.name, e.name, p, i)),
		],
	};
}

/** An open promotion pull request (rows the server adds once it lists them; see docs/explorer.md). */
function pullRequestNode(folderUri: string, app: string, env: string, p: PromotionPullRequestStatus, i: number): ExplorerNode {
	return {
		id: `promotion:${folderUri}:${app}:${env}:pr${i}`,
		label: `#${p.number} ${p.title}`,
		description: [p.draft ? 'draft' : '', `checks ${p.checks}`, `${p.approvals} approval${p.approvals === 1 ? '' : 's'}`, p.changesRequested > 0 ? 'changes requested' : ''].filter(Boolean).join(' · '),
		tooltip: `${md(p.url)}`,
		icon: p.checks === 'failure' ? ICONS.failed : p.checks === 'success' ? ICONS.passed : { id: 'git-pull-request' },
		contextValue: 'pullRequest',
		url: p.url,
	};
}

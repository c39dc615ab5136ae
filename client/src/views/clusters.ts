import type { FindingCounts, FleetClusterDetail, FleetClusterRow, FleetClustersFolder, FleetClustersResult, FleetEnvironmentRow, FleetSourceRow, SyncStatusRow } from '../../../shared/protocol';
import { ICONS, md, plural, type ExplorerNode, type NodeIcon } from './nodes';

/**
 * The Clusters view: environments in promotion order, then their clusters (region, provider); each
 * cluster with its Kubernetes version from the claim and live, its connection and the age of its
 * state, what its GitOps controllers report against HEAD, and its findings. Children: its GitOps
 * sources, its ClusterClaim, the rendered manifests and the live status detail (asked for when the
 * cluster is expanded). Built from the server's answers; nothing here knows the fleet otherwise.
 */

/** Asks the server for one cluster in full. */
export type DetailOf = (folderUri: string, cluster: string) => Promise<FleetClusterDetail>;

export function clustersTree(result: FleetClustersResult, detailOf: DetailOf): ExplorerNode[] {
	const folders = result.folders.filter((f) => f.summary.clusters > 0);
	if (folders.length === 0) return [];
	const notices = noticeNodes(result);
	if (folders.length === 1) return [...notices, ...folderChildren(folders[0], detailOf)];
	return [
		...notices,
		...folders.map((f) => ({
			id: `folder:${f.folderUri}`,
			label: f.name,
			description: `${f.summary.connected}/${f.summary.clusters} clusters connected`,
			icon: { id: 'root-folder' },
			contextValue: 'folder',
			expanded: true,
			children: () => folderChildren(f, detailOf),
		})),
	];
}

/** Why no cluster is contacted, at the top of the view, with what to do (a click). */
function noticeNodes(result: FleetClustersResult): ExplorerNode[] {
	if (result.live === 'untrusted') {
		return [{ id: 'notice:untrusted', label: 'Workspace not trusted', description: 'clusters are not contacted', tooltip: 'In an untrusted workspace Fleetscope validates files but contacts no cluster and runs no kubeconfig credential plugin. Trust the workspace to see live state.', icon: { id: 'shield', color: 'list.warningForeground' }, contextValue: 'notice trust', command: { command: 'workbench.trust.manage', title: 'Manage Workspace Trust' } }];
	}
	if (result.live === 'disabled') {
		return [{ id: 'notice:disabled', label: 'Live cluster state is off', description: 'fleetscope.live.enabled', tooltip: 'Fleetscope contacts no cluster while `fleetscope.live.enabled` is off.', icon: ICONS.muted('debug-disconnect'), contextValue: 'notice settings', command: { command: 'workbench.action.openSettings', title: 'Open Settings', arguments: ['fleetscope.live'] } }];
	}
	const rows = result.folders.flatMap((f) => f.environments.flatMap((e) => e.clusters));
	if (rows.length > 0 && rows.every((c) => c.status === 'no-context')) {
		return [{ id: 'notice:kubeconfig', label: 'No kubeconfig context for any cluster', description: 'set one per cluster', tooltip: `${md(rows[0].message)}\n\nFleetscope reads your kubeconfig (\`KUBECONFIG\`, else \`~/.kube/config\`, or \`fleetscope.live.kubeconfig\`) and maps each cluster to a context: \`fleetscope.clusters.<name>.context\`, the Fleet file's \`kubeContext\`, or a context named like the cluster.`, icon: { id: 'key', color: 'list.warningForeground' }, contextValue: 'notice settings', command: { command: 'workbench.action.openSettings', title: 'Open Settings', arguments: ['fleetscope.clusters'] } }];
	}
	return [];
}

function folderChildren(f: FleetClustersFolder, detailOf: DetailOf): ExplorerNode[] {
	return f.environments.filter((e) => e.clusters.length > 0).map((e) => environmentNode(f, e, detailOf));
}

function environmentNode(f: FleetClustersFolder, e: FleetEnvironmentRow, detailOf: DetailOf): ExplorerNode {
	const failing = e.clusters.filter((c) => c.syncState === 'failed').length;
	const parts = [e.production ? 'production' : '', e.promotesFrom.length > 0 ? `promoted from ${e.promotesFrom.join(', ')}` : '', plural(e.clusters.length, 'cluster'), failing > 0 ? `${failing} failing` : ''].filter(Boolean);
	return {
		id: `env:${f.folderUri}:${e.name}`,
		label: e.name || 'no environment',
		description: parts.join(' · '),
		tooltip: `**${md(e.name || 'Clusters without an environment')}**${e.declared ? '' : ' (not in the Fleet file\'s environments)'}\n\n${e.clusters.map((c) => `- ${md(c.name)}: ${md(c.status)}`).join('\n')}`,
		icon: failing > 0 ? { id: 'layers', color: 'errorForeground' } : { id: e.production ? 'layers-active' : 'layers' },
		contextValue: 'environment',
		expanded: true,
		children: () => e.clusters.map((c) => clusterNode(f, c, detailOf)),
	};
}

const CONNECTED = new Set(['connected', 'forbidden-partial']);
const OFF = new Set(['no-context', 'disabled', 'untrusted', 'refused', 'config-error', 'stopped']);

/** `1 error, 4 warnings` (what is not zero), or ''. */
export function countsText(f: FindingCounts): string {
	return [f.error ? plural(f.error, 'error') : '', f.warning ? plural(f.warning, 'warning') : '', f.info ? `${f.info} info` : ''].filter(Boolean).join(', ');
}

/** The connection in a few words: `connected`, `cached, 2 h old`, `no context`. */
function statusWords(c: FleetClusterRow): string {
	if (c.status === 'connected') return c.stateAge && c.stateAge !== 'live' ? `connected, ${c.stateAge}` : 'connected';
	if (c.status === 'cached' || c.status === 'snapshot') return c.stateAge ?? c.status;
	return c.status.replace(/-/g, ' ');
}

function syncWords(c: FleetClusterRow): string {
	const failed = c.syncCounts.failed;
	switch (c.syncState) {
		case 'failed':
			return failed > 0 ? `${failed} sync failed` : 'Flux not ready';
		case 'behind':
			return 'behind HEAD';
		case 'progressing':
			return 'syncing';
		case 'ready':
			return 'in sync';
		default:
			return '';
	}
}

function clusterIcon(c: FleetClusterRow): NodeIcon {
	if (c.status === 'connecting') return { id: 'sync~spin' };
	if (c.syncState === 'failed') return ICONS.failed;
	if (OFF.has(c.status)) return ICONS.muted('debug-disconnect');
	if (c.versionDiffers || c.syncState === 'behind' || c.syncState === 'progressing' || !CONNECTED.has(c.status)) return ICONS.warning;
	return ICONS.passed;
}

function versionWords(c: FleetClusterRow): string {
	const live = c.liveVersion?.replace(/^v/, '').replace(/-.*$/, '');
	if (live) return c.versionDiffers ? `${live} (claim ${c.claimVersion})` : live;
	return c.claimVersion ? `claim ${c.claimVersion}` : '';
}

function clusterTooltip(c: FleetClusterRow): string {
	const lines = [`**${md(c.name)}**${[c.environment, c.region, c.provider].filter(Boolean).length > 0 ? ` · ${md([c.environment, c.region, c.provider].filter(Boolean).join(' · '))}` : ''}`, ''];
	lines.push(`Kubernetes: ${c.claimVersion ? `claim ${md(c.claimVersion)}` : 'no claim version'}${c.liveVersion ? `, live ${md(c.liveVersion)}` : ''}${c.versionDiffers ? ' — **they differ**' : ''}`);
	lines.push(`Connection: ${md(c.status)}${c.stateAge ? ` (${md(c.stateAge)})` : ''}: ${md(c.message)}${c.context ? `  \nContext: \`${c.context.replace(/`/g, '')}\`` : ''}`);
	if (c.syncCounts.total > 0) {
		const k = c.syncCounts;
		lines.push('', `GitOps: ${k.total} objects, ${k.failed} failed, ${k.progressing} progressing, ${k.behind} not at HEAD`);
		lines.push(...c.failing.map((s) => `- ${md(s.kind)} ${md(s.name)}: ${md(syncText(s))}${s.message ? ` — ${md(s.message)}` : ''}`));
	}
	if (c.fluxReport) lines.push('', `Flux ${md(c.fluxReport.version ?? '')}: ${c.fluxReport.components.filter((x) => x.ready).length}/${c.fluxReport.components.length} components ready`);
	lines.push('', `Findings in the ${plural(c.files, 'file')} that reach it: ${countsText(c.findings) || 'none'}`);
	return lines.join('\n');
}

/** What one GitOps object reports: `Ready · main@sha1:3c69df7 (HEAD)`. */
export function syncText(s: SyncStatusRow): string {
	const state = s.kind === 'Application' ? `${s.syncStatus ?? 'Unknown'}, ${s.health ?? 'Unknown'}` : s.suspended ? 'suspended' : s.ready === null ? 'not reconciled yet' : s.ready ? 'Ready' : (s.reason ?? 'not Ready');
	const rev = s.revision ? ` · ${s.revision.replace(/([0-9a-f]{7})[0-9a-f]{33}$/, '$1')}${s.atHead === true ? ' (HEAD)' : s.atHead === false ? ` (HEAD is ${s.headRevision?.slice(0, 7)})` : ''}` : '';
	return `${state}${rev}`;
}

function syncIcon(s: SyncStatusRow | undefined): NodeIcon {
	if (!s) return ICONS.muted('circle-outline');
	if (s.suspended) return ICONS.muted('debug-pause');
	if (s.ready === false) return ICONS.failed;
	if (s.ready === null) return { id: 'sync' };
	return s.atHead === false ? ICONS.warning : ICONS.passed;
}

function clusterNode(f: FleetClustersFolder, c: FleetClusterRow, detailOf: DetailOf): ExplorerNode {
	const description = [versionWords(c), statusWords(c), syncWords(c), countsText(c.findings)].filter(Boolean).join(' · ');
	const context = [
		'cluster',
		c.claim ? 'claim' : '',
		c.context ? 'context' : '',
		CONNECTED.has(c.status) || c.status === 'connecting' || c.status === 'cached' || c.status === 'forbidden-partial' ? 'connected' : c.status === 'stopped' ? 'disconnected' : '',
	].filter(Boolean);
	return {
		id: `cluster:${f.folderUri}:${c.name}`,
		label: c.name,
		description,
		tooltip: clusterTooltip(c),
		icon: clusterIcon(c),
		contextValue: context.join(' '),
		target: { kind: 'cluster', folderUri: f.folderUri, cluster: c.name, context: c.context, claim: c.claim, status: c.status },
		children: async () => clusterChildren(f, c, await detailOf(f.folderUri, c.name)),
	};
}

const SOURCE_KINDS: Record<string, string> = {
	'flux-kustomization': 'Kustomization',
	'flux-helmrelease': 'HelmRelease',
	'argo-application': 'Application',
	'argo-applicationset': 'ApplicationSet',
	'kustomize-overlay': 'overlay',
	fleet: 'Fleet path',
};

function sourceNode(f: FleetClustersFolder, c: FleetClusterRow, d: FleetClusterDetail, s: FleetSourceRow, i: number): ExplorerNode {
	const live = s.live === undefined ? undefined : d.sync[s.live];
	const reported = c.status === 'connected' || c.status === 'cached' || c.status === 'snapshot' || c.status === 'forbidden-partial';
	const state = live ? syncText(live) : reported && s.kind !== 'kustomize-overlay' ? 'not reported by the cluster' : '';
	return {
		id: `source:${f.folderUri}:${c.name}:${i}`,
		label: s.name,
		description: [SOURCE_KINDS[s.kind] ?? s.kind, s.path || '.', state].filter(Boolean).join(' · '),
		tooltip: `${md(SOURCE_KINDS[s.kind] ?? s.kind)} **${md(s.name)}** syncs \`${s.path || '.'}\`${s.declaredAt ? `  \nDeclared in ${md(s.declaredAt.file)}:${s.declaredAt.line}` : ''}${live?.message ? `\n\n${md(live.message)}` : ''}`,
		icon: live || reported ? syncIcon(live) : { id: 'git-commit' },
		contextValue: 'source',
		...(s.declaredAt ? { file: { folderUri: f.folderUri, path: s.declaredAt.file }, open: { folderUri: f.folderUri, path: s.declaredAt.file, line: s.declaredAt.line } } : {}),
	};
}

function clusterChildren(f: FleetClustersFolder, c: FleetClusterRow, d: FleetClusterDetail): ExplorerNode[] {
	const out: ExplorerNode[] = d.sources.map((s, i) => sourceNode(f, c, d, s, i));
	if (c.claim) {
		out.push({
			id: `claim:${f.folderUri}:${c.name}`,
			label: 'ClusterClaim',
			description: `${c.claim.file}${c.claimVersion ? ` · Kubernetes ${c.claimVersion}` : ''}`,
			tooltip: `The claim that declares ${md(c.name)}: ${md(c.claim.file)}`,
			icon: c.versionDiffers ? ICONS.warning : { id: 'file-code' },
			contextValue: 'claim',
			file: { folderUri: f.folderUri, path: c.claim.file },
			open: { folderUri: f.folderUri, path: c.claim.file, line: c.claim.line },
		});
	}
	out.push({
		id: `rendered:${f.folderUri}:${c.name}`,
		label: 'Rendered manifests',
		description: 'what the cluster receives',
		tooltip: `Every object ${md(c.name)} receives, as Flux, Argo CD and kustomize render its synced paths, each headed by the file it comes from (read-only).`,
		icon: { id: 'preview' },
		contextValue: 'rendered',
		command: { command: 'fleetscope.renderCluster', title: 'Render Cluster', arguments: [{ folderUri: f.folderUri, cluster: c.name }] },
	});
	out.push(liveNode(f, c, d));
	return out;
}

function liveNode(f: FleetClustersFolder, c: FleetClusterRow, d: FleetClusterDetail): ExplorerNode {
	return {
		id: `live:${f.folderUri}:${c.name}`,
		label: 'Live status',
		description: [statusWords(c), c.liveVersion].filter(Boolean).join(' · '),
		tooltip: md(c.message),
		icon: CONNECTED.has(c.status) ? { id: 'plug' } : ICONS.muted('debug-disconnect'),
		contextValue: 'live',
		children: () => {
			const rows: ExplorerNode[] = [{ id: `live:${f.folderUri}:${c.name}:status`, label: c.status, description: c.message, tooltip: md(c.message), icon: { id: 'info' }, contextValue: 'detail' }];
			if (c.context) rows.push({ id: `live:${f.folderUri}:${c.name}:context`, label: 'context', description: c.context, tooltip: `The kubeconfig context ${md(c.name)} is reached through${c.contextSource ? `, from ${c.contextSource === 'setting' ? '`fleetscope.clusters`' : c.contextSource === 'fleet' ? "the Fleet file's `kubeContext`" : "the cluster's name"}` : ''}.`, icon: { id: 'key' }, contextValue: 'detail context', target: { kind: 'cluster', folderUri: f.folderUri, cluster: c.name, context: c.context, status: c.status } });
			if (c.fetchedAt) rows.push({ id: `live:${f.folderUri}:${c.name}:age`, label: 'state', description: `${c.stateAge ?? ''} · ${c.fetchedAt}`, tooltip: `The state in use was last known to be current at ${md(c.fetchedAt)} (${md(c.stateAge ?? '')}).`, icon: { id: 'history' }, contextValue: 'detail' });
			d.sync.forEach((s, i) =>
				rows.push({
					id: `live:${f.folderUri}:${c.name}:sync:${i}`,
					label: `${s.kind} ${s.namespace ? `${s.namespace}/` : ''}${s.name}`,
					description: syncText(s),
					tooltip: [md(syncText(s)), s.message ? md(s.message) : '', s.since ? `Since ${md(s.since)}` : ''].filter(Boolean).join('\n\n'),
					icon: syncIcon(s),
					contextValue: 'detail sync',
				}),
			);
			if (c.fluxReport) {
				const r = c.fluxReport;
				rows.push({
					id: `live:${f.folderUri}:${c.name}:flux`,
					label: `Flux ${r.version ?? ''}`.trim(),
					description: `${r.components.filter((x) => x.ready).length}/${r.components.length} components ready${r.sync ? ` · sync ${r.sync.ready ? 'ready' : 'not ready'}` : ''}`,
					tooltip: `Flux Operator report${r.distribution ? ` (${md(r.distribution)})` : ''}${r.sync ? `\n\nSync ${md(r.sync.id)}: ${md(r.sync.status)}` : ''}`,
					icon: r.ready === false || r.sync?.ready === false || r.components.some((x) => !x.ready) ? ICONS.failed : ICONS.passed,
					contextValue: 'detail flux',
					children: () => r.components.map((x, i) => ({ id: `live:${f.folderUri}:${c.name}:flux:${i}`, label: x.name, description: x.status, tooltip: `${md(x.name)}: ${x.ready ? 'ready' : '**not ready**'}, ${md(x.status)}${x.image ? `  \n\`${x.image.replace(/`/g, '')}\`` : ''}`, icon: x.ready ? ICONS.passed : ICONS.failed, contextValue: 'detail' })),
				});
			}
			return rows;
		},
	};
}

/** The status bar's words: `2/7 clusters · 35 errors`, and its tooltip (markdown). */
export function statusSummary(result: FleetClustersResult): { text: string; tooltip: string } | undefined {
	const folders = result.folders.filter((f) => f.summary.clusters > 0);
	if (folders.length === 0) return undefined;
	const clusters = folders.reduce((n, f) => n + f.summary.clusters, 0);
	const connected = folders.reduce((n, f) => n + f.summary.connected, 0);
	const errors = folders.reduce((n, f) => n + f.summary.findings.error, 0);
	const failing = folders.flatMap((f) => f.environments.flatMap((e) => e.clusters)).filter((c) => c.syncState === 'failed');
	const text = `${connected}/${clusters} clusters · ${plural(errors, 'error')}`;
	const rows = folders.flatMap((f) => f.environments.flatMap((e) => e.clusters.map((c) => `| ${md(c.name)} | ${md(e.name)} | ${md(statusWords(c))} | ${md(syncWords(c))} | ${c.findings.error} |`)));
	const tooltip = [`**Fleetscope**: ${connected} of ${clusters} clusters connected, ${plural(errors, 'error')}${failing.length > 0 ? `; sync failed on ${failing.map((c) => md(c.name)).join(', ')}` : ''}`, '', '| Cluster | Environment | Connection | Sync | Errors |', '|---|---|---|---|---:|', ...rows, '', 'Click to show the Clusters view.'].join('\n');
	return { text, tooltip };
}

import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { FindingCounts, FleetClusterDetail, FleetClusterRow, FleetClustersFolder, SyncStatusRow } from '../../../shared/protocol';
import { EMPTY_FLEET } from '../engine/fleet/types';
import { readHead } from '../host/git/head';
import type { Folder } from '../workspace/folder';
import { clusterDetail, clustersView, type ClustersViewInput } from '../workspace/views/clusters';
import { UsageError, type ClustersOptions } from './args';
import { runCheck } from './check';
import type { LiveSetup } from './live';

/**
 * `fleetscope clusters [PATH]`: the Clusters view of the editor for CI and scripts. The repository is
 * checked as `fleetscope check` checks it (findings per cluster), the `--context` and `--snapshot`
 * clusters are read once (their connection, version and GitOps status), and the rows are the ones
 * the editor shows (`workspace/views/clusters.ts`), formatted as text or JSON.
 */
export async function runClusters(options: ClustersOptions, cwd: string, env: NodeJS.ProcessEnv, log: (line: string) => void, now: () => Date = () => new Date()): Promise<{ text: string; unavailable: string[] }> {
	const root = path.resolve(cwd, options.path ?? '.');
	try {
		if (!(await fsp.stat(root)).isDirectory()) throw new UsageError(`${options.path}: not a directory (clusters reads a whole repository)`);
	} catch (e) {
		if (e instanceof UsageError) throw e;
		throw new UsageError(`${options.path}: no such directory`);
	}
	let folder: Folder | undefined;
	let live: LiveSetup | undefined;
	const report = await runCheck({ paths: [root], contexts: options.contexts, snapshots: options.snapshots, kubeconfigs: options.kubeconfigs, liveTimeoutSeconds: options.liveTimeoutSeconds }, cwd, {
		env,
		log,
		now,
		start: (r) => (folder = r.folder),
		live: (setup) => (live = setup),
	});
	if (!folder) throw new Error('the check did not start');
	const counts = new Map<string, FindingCounts>();
	for (const f of report.files) {
		const c: FindingCounts = { error: 0, warning: 0, info: 0 };
		for (const x of f.findings) if (x.severity !== 'hint' && x.data?.exempted === undefined) c[x.severity]++;
		counts.set(f.path, c);
	}
	const fleet = folder.snapshot.fleet ?? EMPTY_FLEET;
	const input: ClustersViewInput = {
		folderUri: folder.uri,
		name: folder.name,
		fleet,
		documents: (await folder.fleet()).documents,
		live: (cluster) => {
			const i = live?.summaries.findIndex((s) => s.cluster === cluster) ?? -1;
			if (i === -1 || !live) {
				const context = fleet.clusters.find((c) => c.name === cluster)?.kubeContext;
				return { status: 'no-context', message: `not contacted: name its context with --context${context ? ` ${context}` : ''}, or a snapshot with --snapshot` };
			}
			const s = live.summaries[i];
			const target = live.targets.find((t) => t.target.name === cluster);
			return { status: s.status, message: s.message, context: s.source, state: target?.state };
		},
		findings: (files) => {
			const out: FindingCounts = { error: 0, warning: 0, info: 0 };
			for (const rel of files) {
				const c = counts.get(rel);
				if (c) (out.error += c.error), (out.warning += c.warning), (out.info += c.info);
			}
			return out;
		},
		head: await readHead(root),
		scan: { running: false, validated: report.files.length, total: report.files.length },
		now: now(),
	};
	const view = clustersView(input);
	const detail = (name: string) => clusterDetail(input, name) ?? { sync: [], sources: [] };
	const text = options.format === 'json' ? `${JSON.stringify(clustersJson(view, detail), null, 2)}\n` : clustersText(view, detail);
	return { text, unavailable: report.liveUnavailable ?? [] };
}

/** The JSON shape of `fleetscope clusters --format json` (docs/explorer.md): absent facts are null. */
export function clustersJson(view: FleetClustersFolder, detail: (cluster: string) => FleetClusterDetail): unknown {
	const rows = view.environments.flatMap((e) => e.clusters);
	return {
		clusters: rows.map((c) => ({
			name: c.name,
			environment: c.environment ?? null,
			region: c.region ?? null,
			provider: c.provider ?? null,
			claimVersion: c.claimVersion ?? null,
			liveVersion: c.liveVersion ?? null,
			status: c.status,
			stateAge: c.stateAge ?? null,
			sync: detail(c.name).sync.map((s) => ({
				kind: s.kind,
				namespace: s.namespace ?? null,
				name: s.name,
				ready: s.ready,
				reason: s.reason ?? null,
				message: s.message ?? null,
				revision: s.revision ?? null,
				headRevision: s.headRevision ?? null,
			})),
			findings: c.findings,
		})),
	};
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** `1 error, 4 warnings` (what is not zero), or `no findings`. */
export function findingsText(f: FindingCounts): string {
	const parts = [f.error ? plural(f.error, 'error') : '', f.warning ? plural(f.warning, 'warning') : '', f.info ? `${f.info} info` : ''].filter(Boolean);
	return parts.length > 0 ? parts.join(', ') : 'no findings';
}

/** What a sync object says, in a few words: `Ready`, `HealthCheckFailed: …`, `Synced, Healthy`. */
export function syncWords(s: SyncStatusRow): string {
	if (s.kind === 'Application') return `${s.syncStatus ?? 'Unknown'}, ${s.health ?? 'Unknown'}${s.ready === false && s.message ? `: ${s.message}` : ''}`;
	if (s.suspended) return 'suspended';
	if (s.ready === null) return 'not ready yet';
	return s.ready ? 'Ready' : `${s.reason ?? 'not Ready'}${s.message ? `: ${s.message}` : ''}`;
}

function clusterText(c: FleetClusterRow, sync: SyncStatusRow[], short: (commit?: string) => string): string[] {
	const facts = [c.region, c.provider, c.claimVersion ? `claim ${c.claimVersion}` : undefined, c.liveVersion ? `live ${c.liveVersion}${c.versionDiffers ? ' (differs from the claim)' : ''}` : undefined].filter(Boolean).join(', ');
	const out = [`  ${c.name}  ${facts}`, `      status   ${c.status}${c.stateAge ? ` (${c.stateAge})` : ''}: ${c.message}`];
	for (const s of sync) {
		const rev = s.revision ? `  ${s.revision.replace(/[0-9a-f]{40}$/, (h) => short(h))}${s.atHead === false ? ` (HEAD is ${short(s.headRevision)})` : s.atHead ? ' (HEAD)' : ''}` : '';
		out.push(`      ${s.kind.padEnd(13)} ${s.namespace ? `${s.namespace}/` : ''}${s.name}: ${syncWords(s)}${rev}`);
	}
	if (c.fluxReport) out.push(`      flux     ${c.fluxReport.version ?? 'unknown version'}, ${c.fluxReport.components.filter((x) => x.ready).length}/${c.fluxReport.components.length} components ready${c.fluxReport.sync ? `; sync ${c.fluxReport.sync.ready ? 'ready' : `not ready: ${c.fluxReport.sync.status}`}` : ''}`);
	out.push(`      findings ${findingsText(c.findings)} in ${plural(c.files, 'file')}`);
	return out;
}

export function clustersText(view: FleetClustersFolder, detail: (cluster: string) => FleetClusterDetail): string {
	const short = (commit?: string) => (commit ?? '').slice(0, 7);
	const out = [`HEAD: ${view.head ? `${short(view.head.commit)}${view.head.ref ? ` (${view.head.ref})` : ''}` : `unknown (${view.headNote})`}`];
	for (const e of view.environments) {
		out.push('');
		out.push(`${e.name || 'no environment'}${e.production ? ' [production]' : ''}${e.promotesFrom.length > 0 ? ` (promoted from ${e.promotesFrom.join(', ')})` : ''}`);
		for (const c of e.clusters) out.push(...clusterText(c, detail(c.name).sync, short));
	}
	const s = view.summary;
	out.push('', `${s.connected}/${s.clusters} clusters connected; ${findingsText(s.findings)}.`);
	return `${out.join('\n')}\n`;
}

import { promises as fsp, existsSync } from 'node:fs';
import * as path from 'node:path';
import { computeDrift, driftInputs, DriftProjection, storeLocator, type LiveFor } from '../engine/drift';
import { TargetRenderer } from '../engine/fleet/targets';
import type { FleetModel } from '../engine/fleet/types';
import { nodeEngineDeps } from '../host/engine-deps';
import { openRepository } from '../workspace/standalone';
import { dryRunObjects } from '../host/live/dry-run';
import { FullObjectsSource } from '../host/live/full-objects';
import { readObjectsSnapshot, writeObjectsSnapshot } from '../host/live/full-snapshot';
import { LiveClusters } from '../host/live/manager';
import { readSnapshot, SnapshotError, SNAPSHOT_FILE } from '../host/live/snapshot';
import { KubeRequestError } from '../host/live/errors';
import type { DriftReport } from '../../../shared/protocol';
import type { FleetscopeSettings } from '../../../shared/settings';
import { UsageError, type DriftOptions, type SnapshotOptions } from './args';
import { cliSettings } from './check';
import { findConfig, loadConfig } from './config';
import { clusterNameFor } from './live';

/**
 * `fleetscope drift [PATH]`: what Git sends each cluster of `--context` and `--snapshot` against
 * what it runs (docs/drift.md). Reads only (GET, LIST, WATCH), Secrets as metadata; the optional
 * server-side apply dry-run runs only with `--server-side-dry-run` (a repository's settings file cannot ask for it).
 */

export interface DriftRun {
	report: DriftReport;
	/** Requested clusters for which no live objects at all could be had (exit 2). */
	unavailable: string[];
	warnings: string[];
}

interface Repo {
	root: string;
	model: FleetModel;
	renderer: TargetRenderer;
	store: Parameters<typeof storeLocator>[0];
	settings: FleetscopeSettings;
}

async function openRepo(repoPath: string | undefined, cwd: string, config: string | undefined): Promise<Repo> {
	const root = path.resolve(cwd, repoPath ?? '.');
	try {
		if (!(await fsp.stat(root)).isDirectory()) throw new UsageError(`${repoPath}: not a directory (drift reads a whole repository)`);
	} catch (e) {
		if (e instanceof UsageError) throw e;
		throw new UsageError(`${repoPath}: no such directory`);
	}
	const configFile = findConfig(root, config, cwd);
	const settings = cliSettings({ paths: [] }, configFile === undefined ? undefined : loadConfig(configFile, root));
	const folder = await openRepository(root, nodeEngineDeps());
	const fleet = await folder.fleet();
	return { root, model: fleet.model, renderer: new TargetRenderer(fleet.documents), store: fleet.documents, settings };
}

function liveClusters(options: { kubeconfigs?: string[] }, cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number): LiveClusters {
	return new LiveClusters({ kubeconfig: { paths: (options.kubeconfigs ?? []).map((k) => path.resolve(cwd, k)), env }, allowExec: true, cacheDir: false, timeoutMs });
}

/** The cluster name a snapshot directory stands for: its export's context mapped through the fleet, else the directory's name. */
function snapshotCluster(dir: string, model: FleetModel): { cluster: string; context?: string } {
	if (existsSync(path.join(dir, SNAPSHOT_FILE))) {
		try {
			const { state } = readSnapshot(dir);
			return { cluster: state.context ? clusterNameFor(state.context, model) : state.cluster, context: state.context };
		} catch {
			/* named by the directory */
		}
	}
	return { cluster: clusterNameFor(path.basename(path.resolve(dir)), model) };
}

export async function runDrift(options: DriftOptions, cwd: string, env: NodeJS.ProcessEnv): Promise<DriftRun> {
	const repo = await openRepo(options.path, cwd, options.config);
	const renders = repo.renderer.renderAll(repo.model);
	const projection = DriftProjection.fromRenders(renders);
	const live = new Map<string, LiveFor>();
	const out: DriftRun = { report: { clusters: [] }, unavailable: [], warnings: [] };
	const timeoutMs = (options.liveTimeoutSeconds ?? 10) * 1000;
	const known = new Set(repo.model.clusters.map((c) => c.name));
	if (options.contexts.length > 0) {
		const lc = liveClusters(options, cwd, env, timeoutMs);
		for (const e of lc.kubeconfig.errors) out.warnings.push(`kubeconfig ${e}`);
		await Promise.all(
			options.contexts.map(async (context) => {
				const cluster = clusterNameFor(context, repo.model);
				if (!known.has(cluster)) out.warnings.push(`the context ${context} is no cluster of this repository (no Fleet kubeContext and no cluster of that name): nothing Git sends it is known`);
				let source: FullObjectsSource | undefined;
				try {
					source = new FullObjectsSource({ context, cluster, kubeconfig: lc.kubeconfig.config, allowExec: true, projection, namespaces: projection.namespaces(), timeoutMs });
					const objects = await source.fetch();
					const render = renders.find((r) => r.cluster === cluster);
					const dryRun = render && options.serverSideDryRun ? await dryRunObjects(source, render, objects, projection, true) : undefined;
					live.set(cluster, { objects, context, dryRun });
				} catch (e) {
					const why = e instanceof KubeRequestError || e instanceof Error ? e.message : String(e);
					live.set(cluster, { context, unavailable: why });
					out.unavailable.push(`${cluster} (${context}): ${why}`);
				} finally {
					source?.stop();
				}
			}),
		);
	}
	for (const dir of options.snapshots) {
		const abs = path.resolve(cwd, dir);
		const { cluster } = snapshotCluster(abs, repo.model);
		try {
			const { objects, warnings } = readObjectsSnapshot(abs, projection, cluster);
			for (const w of warnings) out.warnings.push(`snapshot ${dir}: ${w}`);
			if (Object.keys(objects.kinds).length === 0) {
				live.set(cluster, { context: dir, unavailable: `the snapshot ${dir} holds no objects` });
				out.unavailable.push(`${cluster} (${dir}): the snapshot holds no objects (take one with fleetscope snapshot --full)`);
			} else live.set(cluster, { objects, context: dir });
		} catch (e) {
			if (!(e instanceof SnapshotError)) throw e;
			live.set(cluster, { context: dir, unavailable: e.message });
			out.unavailable.push(`${cluster} (${dir}): ${e.message}`);
		}
	}
	// In the order asked for.
	const order = [...options.contexts.map((c) => clusterNameFor(c, repo.model)), ...options.snapshots.map((d) => snapshotCluster(path.resolve(cwd, d), repo.model).cluster)];
	const ordered = new Map([...live].sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0])));
	out.report = computeDrift(driftInputs(repo.model, renders, repo.store, ordered), { locate: storeLocator(repo.store), ignore: repo.settings['drift.ignore'], unmanaged: repo.settings['drift.unmanaged'] });
	return out;
}

/** Whether a report has drift that fails the run (drifted, missing or extraneous objects). */
export function hasDrift(report: DriftReport): boolean {
	return report.clusters.some((c) => c.objects.some((o) => o.state === 'drifted' || o.state === 'missing' || o.state === 'extraneous'));
}

/** `fleetscope snapshot --full`: also the full objects of the kinds the repository at PATH declares (Secrets metadata-only). */
export async function runFullSnapshot(options: SnapshotOptions, cwd: string, env: NodeJS.ProcessEnv): Promise<{ file?: string; message: string }> {
	const repo = await openRepo(options.path, cwd, undefined);
	const projection = DriftProjection.fromRenders(repo.renderer.renderAll(repo.model), true);
	const lc = liveClusters(options, cwd, env, (options.liveTimeoutSeconds ?? 10) * 1000);
	const source = new FullObjectsSource({ context: options.context, cluster: clusterNameFor(options.context, repo.model), kubeconfig: lc.kubeconfig.config, allowExec: true, projection, namespaces: projection.namespaces(), timeoutMs: (options.liveTimeoutSeconds ?? 10) * 1000 });
	try {
		const objects = await source.fetch();
		const file = writeObjectsSnapshot(path.resolve(cwd, options.output), objects);
		const n = Object.values(objects.kinds).reduce((sum, k) => sum + k.items.length, 0);
		const unread = Object.values(objects.kinds).filter((k) => k.coverage !== 'complete').map((k) => `${k.kind} (${k.coverage})`);
		return { file, message: `Full objects of ${options.context} (${n} objects of ${Object.keys(objects.kinds).length} kinds the repository declares; Secrets as metadata only) written to ${file}${unread.length > 0 ? `; not completely read: ${unread.join(', ')}` : ''}` };
	} catch (e) {
		return { message: `cannot read the objects of ${options.context}: ${e instanceof Error ? e.message : String(e)}` };
	} finally {
		source.stop();
	}
}

import * as path from 'node:path';
import type { FleetscopeSettings } from '../../../shared/settings';
import type { LiveView } from '../engine/context/check-context';
import { RepoObjects } from '../engine/context/repo-objects';
import type { ObjectIndex } from '../engine/core/objects';
import { EMPTY_FLEET, type FleetModel, type TargetCluster } from '../engine/fleet/types';
import { LIVE_FETCH_KINDS, liveFetchPlan } from '../engine/live/plan';
import { liveObjectsOfText } from '../engine/live/repo-objects';
import type { ClusterState } from '../engine/live/state';
import { InstalledSchemas } from '../engine/rules/live/crd-schema';
import type { LiveSchemas } from '../engine/schema/types';
import { defaultCacheDir } from '../host/live/cache';
import { readFileForValidation } from '../host/node-fs';
import type { Folder } from '../workspace/folder';
import { liveView, StateKeys, targetOf as liveTargetOf } from '../workspace/live-view';
import { LiveClusters } from '../host/live/manager';
import { SnapshotError, writeSnapshot } from '../host/live/snapshot';
import type { ClusterStatus } from '../host/live/status';
import type { SnapshotOptions, WalkOptions } from './args';

/**
 * Live diagnostics for the CLI: the states of the clusters named by `--context` (fetched once,
 * else the disk cache) and `--snapshot`, and the live findings of every file against each.
 */

export interface LiveTarget {
	target: TargetCluster;
	state: ClusterState;
	/** The context or snapshot directory it came from. */
	source: string;
}

/** One line of the report per requested cluster. */
export interface LiveSummary {
	cluster: string;
	source: string;
	status: ClusterStatus['status'];
	message: string;
	/** When the state used was current (absent: no state). */
	fetchedAt?: string;
}

export interface LiveSetup {
	targets: LiveTarget[];
	summaries: LiveSummary[];
	/** Requested clusters for which no state at all could be had: the run exits 2. */
	unavailable: string[];
}

/** The cluster of the fleet model a kubeconfig context reaches (its `kubeContext`, else a cluster of the context's name), else the context itself. */
export function clusterNameFor(context: string, fleet: FleetModel): string {
	return (fleet.clusters.find((c) => c.kubeContext === context) ?? fleet.clusters.find((c) => c.name === context))?.name ?? context;
}

function targetOf(state: ClusterState, fleet: FleetModel): TargetCluster {
	const known = fleet.clusters.find((c) => c.name === state.cluster);
	return liveTargetOf(known ?? { name: state.cluster }, state, fleet);
}

/**
 * The live view of a CLI run: the states of the clusters named by `--context` (fetched once, else
 * the disk cache) and `--snapshot`, against what the checked files create, as the editor builds it.
 */
export async function liveViewFor(
	folder: Folder,
	paths: readonly string[],
	settings: FleetscopeSettings,
	run: { options: WalkOptions; cwd: string; env: NodeJS.ProcessEnv; log: (line: string) => void; now: () => Date; schemas: LiveSchemas },
): Promise<LiveSetup & { view: LiveView | undefined }> {
	// What the repository creates is every object of the checked files (raw, so namespaces may still be set later).
	const objects = new RepoObjects((p) => folder.snapshot.isPatchFile(p), liveObjectsOfText);
	for (const rel of paths) {
		const text = folder.peekText(rel) ?? (await readFileForValidation(folder.fileOf(rel), settings.maxFileSizeKb * 1024).then((r) => ('text' in r ? r.text : undefined)));
		objects.read(rel, text);
	}
	const fleet = folder.snapshot.fleet ?? EMPTY_FLEET;
	const setup = await loadLiveTargets(run.options, run.cwd, run.env, objects, fleet, run.log);
	const keys = new StateKeys();
	const clusters = setup.targets.map((t) => keys.cluster(t.target, t.state));
	return { ...setup, view: liveView(clusters, fleet, objects, 0, { schemas: new InstalledSchemas(run.schemas), clock: run.now, kubernetesVersion: settings.kubernetesVersion }) };
}

export async function loadLiveTargets(options: WalkOptions, cwd: string, env: NodeJS.ProcessEnv, objects: ObjectIndex, fleet: FleetModel, log: (line: string) => void): Promise<LiveSetup> {
	const contexts = options.contexts ?? [];
	const snapshots = options.snapshots ?? [];
	const out: LiveSetup = { targets: [], summaries: [], unavailable: [] };
	if (contexts.length === 0 && snapshots.length === 0) return out;
	const live = new LiveClusters({
		kubeconfig: { paths: (options.kubeconfigs ?? []).map((k) => path.resolve(cwd, k)), env },
		allowExec: true, // the CLI runs with the user's own kubeconfig, like kubectl
		cacheDir: defaultCacheDir(env),
		timeoutMs: (options.liveTimeoutSeconds ?? 10) * 1000,
		// No status-transition lines in a one-shot run: the report's summary says how each cluster ended.
	});
	if (contexts.length > 0) for (const e of live.kubeconfig.errors) log(`[live] kubeconfig ${e}`);
	const plan = liveFetchPlan(objects);
	const fetched = await Promise.all(contexts.map((context) => live.fetchOnce(context, { cluster: clusterNameFor(context, fleet), kinds: plan.kinds, namespaces: plan.namespaces })));
	for (const { context, state, status } of fetched) {
		out.summaries.push({ cluster: status.cluster, source: context, status: status.status, message: status.message, ...(state ? { fetchedAt: state.fetchedAt } : {}) });
		if (state) out.targets.push({ target: targetOf(state, fleet), state, source: context });
		else out.unavailable.push(`${status.cluster}: ${status.message}`);
	}
	for (const dir of snapshots) {
		const abs = path.resolve(cwd, dir);
		try {
			const { state, warnings } = live.addSnapshot(abs);
			for (const w of warnings) log(`[live] snapshot ${dir}: ${w}`);
			// The Fleet file's name for the exported context wins over the name the export recorded.
			if (state.context && clusterNameFor(state.context, fleet) !== state.context) state.cluster = clusterNameFor(state.context, fleet);
			out.summaries.push({ cluster: state.cluster, source: dir, status: 'snapshot', message: `snapshot (Kubernetes ${state.version.gitVersion}, taken ${state.fetchedAt})`, fetchedAt: state.fetchedAt });
			out.targets.push({ target: targetOf(state, fleet), state, source: dir });
		} catch (e) {
			if (!(e instanceof SnapshotError)) throw e;
			out.summaries.push({ cluster: path.basename(abs), source: dir, status: 'config-error', message: e.message });
			out.unavailable.push(e.message);
		}
	}
	return out;
}

/** `fleetscope snapshot --context NAME --output DIR`: the live state (never the cache), written as a Fleetscope export. */
export async function runSnapshot(options: SnapshotOptions, cwd: string, env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<{ file?: string; message: string }> {
	const live = new LiveClusters({ kubeconfig: { paths: options.kubeconfigs.map((k) => path.resolve(cwd, k)), env }, allowExec: true, cacheDir: false, timeoutMs: (options.liveTimeoutSeconds ?? 10) * 1000 });
	for (const e of live.kubeconfig.errors) log(`[live] kubeconfig ${e}`);
	const { state, status } = await live.fetchOnce(options.context, { kinds: [...LIVE_FETCH_KINDS] });
	if (!state || (status.status !== 'connected' && status.status !== 'forbidden-partial')) return { message: `cannot take a snapshot of ${options.context}: ${status.message}` };
	const file = writeSnapshot(path.resolve(cwd, options.output), state);
	const objects = Object.values(state.objects).reduce((n, k) => n + k.items.length, 0);
	const partial = status.status === 'forbidden-partial' ? ` (partial: ${status.message})` : '';
	return { file, message: `Snapshot of ${options.context} (Kubernetes ${state.version.gitVersion}, ${Object.keys(state.served).length} API versions, ${state.crds.length} CRDs, metadata of ${objects} objects) written to ${file}${partial}` };
}

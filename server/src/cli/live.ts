import * as path from 'node:path';
import { isProductionEnvironment, type FleetModel, type TargetCluster } from '../engine/fleet/types';
import { liveProblems, type LiveSchemas } from '../engine/rules/live';
import { LIVE_FETCH_KINDS, liveFetchPlan } from '../engine/live/plan';
import type { ClusterState } from '../engine/live/state';
import type { ObjectIndex } from '../engine/core/objects';
import type { Engine, FileAnalysis } from '../engine/analysis/engine';
import type { RepoContext } from '../engine/context/check-context';
import type { Finding } from '../engine/core/types';
import { defaultCacheDir } from '../host/live/cache';
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
	const environment = known?.environment;
	return {
		name: state.cluster,
		environment,
		region: known?.region,
		provider: known?.provider,
		kubernetesVersion: `${state.version.major}.${state.version.minor.replace(/\D+$/, '')}`,
		production: isProductionEnvironment(fleet, environment),
	};
}

/**
 * The given clusters a file is checked against: those of the fleet model that the file reaches
 * (a ClusterClaim: the clusters it declares), plus any the fleet model does not know (a context or
 * snapshot of a cluster no Fleet, Flux or Argo CD object names: every file is checked against it).
 */
export function liveTargetsFor(file: string, all: readonly LiveTarget[], fleet: FleetModel): readonly LiveTarget[] {
	const known = new Set(fleet.clusters.map((c) => c.name));
	const reached = new Set(fleet.files[file] ?? []);
	for (const c of fleet.clusters) if (c.claim === file) reached.add(c.name);
	return all.filter((t) => !known.has(t.target.name) || reached.has(t.target.name));
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

/**
 * The live findings of one analysed file against the clusters it reaches, placed by the engine as
 * in the editor (severity settings, Fleet and inline exemptions), so both report the same.
 */
export function liveFindings(engine: Engine, analysis: FileAnalysis, repo: RepoContext, targets: readonly LiveTarget[], fleet: FleetModel, objects: ObjectIndex, schemas: LiveSchemas, now: Date): Finding[] {
	if (targets.length === 0 || analysis.skipped) return [];
	const reached = liveTargetsFor(analysis.path, targets, fleet);
	if (reached.length === 0) return [];
	return engine.extraFindings(analysis, repo, {
		key: `cli|${now.toISOString()}`,
		problems: (resource, partial) => reached.flatMap((t) => liveProblems(resource, t.target, t.state, objects, { now, schemas, partial })),
	});
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

import { homedir } from 'node:os';
import * as path from 'node:path';
import { isProductionEnvironment, type FleetCluster, type FleetModel, type TargetCluster } from '../engine/fleet/types';
import type { ClusterState } from '../engine/live/state';
import type { ClusterStatusName } from '../../../shared/protocol';
import type { FleetscopeSettings } from '../../../shared/settings';

/**
 * How the clusters of a folder's fleet map to kubeconfig contexts, and what the live checks see of
 * each: pure functions, so the rules are stated once and tested directly.
 */

export type ContextSource = 'setting' | 'fleet' | 'name';

/**
 * The context of a cluster: the user's `fleetscope.clusters.<name>.context` first (their kubeconfig
 * may name contexts differently from the team's Fleet file), then the Fleet file's `kubeContext`, then
 * a context named like the cluster (only when the kubeconfig has one).
 */
export function contextFor(cluster: FleetCluster, settings: FleetscopeSettings, contexts: ReadonlySet<string>): { context: string; source: ContextSource } | undefined {
	const setting = settings.clusters[cluster.name]?.context;
	if (setting) return { context: setting, source: 'setting' };
	if (cluster.kubeContext) return { context: cluster.kubeContext, source: 'fleet' };
	if (contexts.has(cluster.name)) return { context: cluster.name, source: 'name' };
	return undefined;
}

export function describeSource(source: ContextSource, cluster: string): string {
	if (source === 'setting') return `fleetscope.clusters.${cluster}.context`;
	if (source === 'fleet') return 'the Fleet file\'s kubeContext';
	return 'the cluster\'s name';
}

/** Why a cluster gets no connection, as its status. */
export interface Off {
	status: Extract<ClusterStatusName, 'no-context' | 'disabled' | 'untrusted'>;
	message: string;
}

export function noContextMessage(cluster: string): string {
	return `no kubeconfig context: set fleetscope.clusters.${cluster}.context or kubeContext in the Fleet file, or name a context "${cluster}"`;
}

export function missingContextMessage(context: string, source: ContextSource, cluster: string, files: readonly string[]): string {
	const where = files.length > 0 ? files.join(', ') : 'no kubeconfig file was found';
	return `the context "${context}" (from ${describeSource(source, cluster)}) is not in the kubeconfig (${where})`;
}

/**
 * The kubeconfig files of a `fleetscope.live.kubeconfig` value: `~` is the home directory, relative
 * paths are relative to the workspace folder. Empty: the default (KUBECONFIG, else ~/.kube/config).
 */
export function kubeconfigPaths(setting: readonly string[], folderRoot: string, home = homedir()): string[] {
	return setting.map((p) => (p === '~' ? home : p.startsWith('~/') ? path.join(home, p.slice(2)) : path.resolve(folderRoot, p)));
}

/** The files a kubeconfig source reads (to notice when they change). */
export function kubeconfigCandidates(paths: readonly string[], env: NodeJS.ProcessEnv, home = homedir()): string[] {
	if (paths.length > 0) return [...paths];
	if (env.KUBECONFIG) return env.KUBECONFIG.split(path.delimiter).filter((p) => p !== '');
	return [path.join(home, '.kube', 'config')];
}

/** What the live checks know of a cluster a file reaches: the fleet's facts, the version the cluster runs. */
export function targetOf(cluster: FleetCluster, state: ClusterState, fleet: FleetModel): TargetCluster {
	const minor = state.version.minor.replace(/\D+$/, '');
	return {
		name: cluster.name,
		environment: cluster.environment,
		region: cluster.region,
		provider: cluster.provider,
		kubernetesVersion: state.version.major && minor ? `${state.version.major}.${minor}` : cluster.kubernetesVersion,
		production: isProductionEnvironment(fleet, cluster.environment),
	};
}

/** The clusters a file reaches: those the fleet model syncs it to, and for a ClusterClaim the cluster it declares. */
export function clustersReached(fleet: FleetModel, rel: string): Set<string> {
	const out = new Set(fleet.files[rel] ?? []);
	for (const c of fleet.clusters) if (c.claim === rel) out.add(c.name);
	return out;
}

/** The files that reach a cluster (its claim included). */
export function filesReaching(fleet: FleetModel, cluster: string): Set<string> {
	const out = new Set<string>();
	for (const [rel, names] of Object.entries(fleet.files)) if (names.includes(cluster)) out.add(rel);
	const claim = fleet.clusters.find((c) => c.name === cluster)?.claim;
	if (claim) out.add(claim);
	return out;
}

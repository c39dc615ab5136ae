import { homedir } from 'node:os';
import * as path from 'node:path';
import type { FleetCluster } from '../engine/fleet/types';
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
	status: Extract<ClusterStatusName, 'no-context' | 'disabled' | 'untrusted' | 'stopped'>;
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

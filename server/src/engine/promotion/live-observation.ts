import type { ClusterState } from '../live/state';
import type { GitOpsObjectState } from '../live/gitops';
import type { LiveObservation } from './gates';

/**
 * What a connected cluster of the source environment says for the live gate, from the status its
 * GitOps controllers report (the live state keeps it: docs/live.md): synced when every Flux
 * Kustomization and HelmRelease is Ready and every Argo CD Application is Synced; healthy when none
 * is failing (Flux Ready=False, Argo CD health other than Healthy). Suspended objects are left out.
 * A cluster that reports no GitOps object is neither: nothing there says what it runs.
 */
export function observeCluster(cluster: string, state: ClusterState): LiveObservation {
	const objects = (state.gitops ?? []).filter((g) => g.kind !== 'FluxReport' && !g.suspended);
	if (objects.length === 0) return { cluster, synced: false, healthy: false, detail: 'it reports no Flux or Argo CD object' };
	const notSynced = objects.filter((g) => (g.kind === 'Application' ? g.syncStatus !== 'Synced' : g.ready !== true));
	const unhealthy = objects.filter((g) => (g.kind === 'Application' ? g.health !== undefined && g.health !== 'Healthy' : g.ready === false));
	const named = (g: GitOpsObjectState) => `${g.kind} ${g.namespace ? `${g.namespace}/` : ''}${g.name}${g.kind === 'Application' ? ` ${g.syncStatus ?? 'Unknown'}/${g.health ?? 'Unknown'}` : g.reason ? ` ${g.reason}` : ''}`;
	const problems = [...new Set([...unhealthy, ...notSynced])];
	return {
		cluster,
		synced: notSynced.length === 0,
		healthy: unhealthy.length === 0,
		...(problems.length > 0 ? { detail: `${problems.slice(0, 3).map(named).join(', ')}${problems.length > 3 ? ` and ${problems.length - 3} more` : ''}` } : {}),
	};
}

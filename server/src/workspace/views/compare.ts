import type { CompareEnvironmentsParams, CompareEnvironmentsResult } from '../../../../shared/protocol';
import { discoverFleet } from '../../engine/fleet/discover';
import { DocumentStore } from '../../engine/fleet/reader';
import { TargetRenderer, type ClusterRender, type TargetObject } from '../../engine/fleet/targets';
import type { FleetApp, FleetModel } from '../../engine/fleet/types';
import { preparePromotion } from '../../engine/promotion';
import { NodeRepoReader } from '../../host/repo-reader';
import type { FleetState } from '../fleet-state';
import { clusterRender, renderedYaml } from './rendered';

/**
 * Compare with previous environment: what one cluster of an environment receives of an app now,
 * and what it would receive once the app is promoted from the environment before it: the
 * promotion's edits (the plan `fleetscope promote` makes) applied in memory, the fleet discovered
 * and the cluster rendered again. Nothing is written.
 */
export function compareEnvironments(root: string, state: FleetState, params: CompareEnvironmentsParams): CompareEnvironmentsResult {
	const fleet = state.model;
	const app = fleet.apps.find((a) => a.name === params.app);
	const target = fleet.environments.find((e) => e.name === params.environment);
	const from = target?.promotesFrom[0] ?? '';
	const receiving = fleet.clusters.filter((c) => c.environment === params.environment && (app?.versions.some((v) => v.clusters.includes(c.name)) || (app?.paths[params.environment] ?? []).length > 0));
	const cluster = params.cluster ?? receiving[0]?.name ?? fleet.clusters.find((c) => c.environment === params.environment)?.name ?? '';
	const out: CompareEnvironmentsResult = { app: params.app, from, to: params.environment, cluster, before: '', after: '', changes: [], notes: [] };
	if (!app) return { ...out, notes: [`no app "${params.app}" in the fleet`] };
	if (!cluster) return { ...out, notes: [`${params.environment} has no cluster`] };
	const before = clusterRender(state, fleet, cluster);
	out.before = renderedYaml(appObjects(before, app, fleet, params.environment));
	const prepared = preparePromotion(fleet, state.documents.reader, { app: app.name, to: params.environment });
	if (!prepared.ok) return { ...out, after: out.before, notes: [prepared.error] };
	const { changes, notes } = prepared.prepared;
	out.changes = changes.map((c) => c.file);
	out.notes = changes.length === 0 ? [`${params.environment} already runs what ${from} runs`, ...notes] : notes;
	if (changes.length === 0) return { ...out, after: out.before };
	// The repository as the promotion leaves it, in memory: changed files over the current texts.
	const base = state.documents.reader;
	const changed = new Map(changes.map((c) => [c.file, c.action === 'delete' ? undefined : (c.after ?? '')]));
	const files = [...base.files().filter((f) => !changed.has(f) || changed.get(f) !== undefined), ...changes.filter((c) => c.action === 'add').map((c) => c.file)];
	const reader = new NodeRepoReader(root, [...new Set(files)], (rel) => (changed.has(rel) ? changed.get(rel) : base.read(rel)));
	const store = new DocumentStore(reader);
	const model = discoverFleet(store);
	const c = model.clusters.find((x) => x.name === cluster);
	const after = c ? new TargetRenderer(store).renderAll({ ...model, clusters: [c] })[0] : undefined;
	out.after = renderedYaml(appObjects(after, model.apps.find((a) => a.name === app.name) ?? app, model, params.environment));
	return out;
}

const normal = (p: string) => p.replace(/^\.\//, '').replace(/\/+$/, '');

/** The app's objects of a render: those of its paths in the environment, else those of the files that set its versions. */
function appObjects(render: ClusterRender | undefined, app: FleetApp, fleet: FleetModel, env: string): TargetObject[] {
	const objects = render?.objects ?? [];
	const paths = (app.paths[env] ?? []).map(normal);
	if (paths.length > 0) return objects.filter((o) => paths.includes(normal(o.via)));
	const files = new Set(app.versions.filter((v) => v.environment === env || fleet.environments.find((e) => e.name === env)?.promotesFrom.includes(v.environment)).map((v) => v.location.file));
	return objects.filter((o) => files.has(o.object.source.file));
}

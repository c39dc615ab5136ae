import { stringify } from 'yaml';
import type { RenderClusterResult } from '../../../../shared/protocol';
import type { ClusterRender, TargetObject } from '../../engine/fleet/targets';
import type { FleetModel } from '../../engine/fleet/types';
import type { FleetState } from '../fleet-state';

/**
 * What one cluster receives, as text: `fleetscope render` prints it, the editor's Render Cluster
 * shows it as a read-only document. Each object is headed by the file it comes from and the synced
 * path that produced it.
 */

/** The YAML stream of rendered objects, each headed by `# Source: FILE (via PATH)`. */
export function renderedYaml(objects: readonly TargetObject[]): string {
	return objects.map(({ object, via }) => `# Source: ${object.source.file} (via ${via || '.'})\n${stringify(object.value, { lineWidth: 0 })}`).join('---\n');
}

/** Notes of what could not be rendered, once each (`file: severity: message`). */
export function renderNotes(render: ClusterRender | undefined): string[] {
	return [...new Set((render?.notes ?? []).map((n) => `${n.file}: ${n.severity}: ${n.message}`))];
}

/** A cluster's render: the last evaluation's, or one made now (rendering off, or not evaluated yet). */
export function clusterRender(state: FleetState, model: FleetModel, cluster: string): ClusterRender | undefined {
	return state.renderOf(cluster, model);
}

/** The editor's Render Cluster document: a header that says what it is, then the stream. */
export function renderedDocument(cluster: string, render: ClusterRender | undefined): RenderClusterResult {
	const objects = render?.objects ?? [];
	const paths = [...new Set(objects.map((o) => o.via || '.'))];
	const notes = renderNotes(render);
	const header = [
		`# What ${cluster} receives: ${objects.length} object${objects.length === 1 ? '' : 's'} rendered from ${paths.length} synced path${paths.length === 1 ? '' : 's'} (${paths.join(', ') || 'none'}),`,
		'# as Flux, Argo CD and kustomize render them. Read-only: each object comes from the file named above it.',
		...notes.map((n) => `# Not rendered: ${n}`),
	].join('\n');
	return { text: `${header}\n${objects.length > 0 ? `---\n${renderedYaml(objects)}` : ''}`, objects: objects.length, notes };
}

import { extractApiSchemas, type ApiSchemaState } from '../../engine/live/api-schemas';
import { kindKey, type ServedKind } from '../../engine/live/state';
import type { KubeClient } from './client';

/**
 * Reads, from a cluster's `/openapi/v3`, the schemas of the kinds its aggregated APIs serve (see
 * engine/live/api-schemas.ts). Only group/versions that Kubernetes does not own and that serve a
 * kind no CRD describes are read, so a cluster without aggregated APIs gets no request at all. GETs
 * only, each document size-capped; a cluster that does not publish OpenAPI v3 (before 1.27, or
 * forbidden to this user) or answers with something else simply has no published schemas.
 */

/** Group/versions read per cluster. */
const MAX_GROUP_VERSIONS = 16;
const MAX_INDEX_BYTES = 4 * 1024 * 1024;
const MAX_DOCUMENT_BYTES = 8 * 1024 * 1024;

/** Groups of Kubernetes itself: Fleetscope bundles their kinds' schemas (or nobody writes them: metrics.k8s.io). */
function kubernetesGroup(group: string): boolean {
	return group === '' || group.endsWith('.k8s.io') || ['apps', 'batch', 'autoscaling', 'policy', 'extensions'].includes(group);
}

/** The group/versions whose kinds only the cluster's OpenAPI describes, each with those kinds. */
export function aggregatedKinds(served: Record<string, ServedKind[]>, crdKinds: ReadonlySet<string>): Map<string, Set<string>> {
	const out = new Map<string, Set<string>>();
	for (const [gv, kinds] of Object.entries(served)) {
		const slash = gv.lastIndexOf('/');
		const group = slash === -1 ? '' : gv.slice(0, slash);
		if (kubernetesGroup(group)) continue;
		const own = kinds.filter((k) => !crdKinds.has(kindKey(group, k.kind))).map((k) => k.kind);
		if (own.length > 0) out.set(gv, new Set(own));
		if (out.size >= MAX_GROUP_VERSIONS) break;
	}
	return out;
}

export async function fetchApiSchemas(client: KubeClient, served: Record<string, ServedKind[]>, crdKinds: ReadonlySet<string>): Promise<ApiSchemaState[]> {
	const wanted = aggregatedKinds(served, crdKinds);
	if (wanted.size === 0) return [];
	let index: unknown;
	try {
		index = await client.get('/openapi/v3', 'application/json', MAX_INDEX_BYTES);
	} catch {
		return [];
	}
	const paths = isObject(index) && isObject(index.paths) ? index.paths : {};
	const out: ApiSchemaState[] = [];
	for (const [gv, kinds] of wanted) {
		const entry = paths[`apis/${gv}`];
		const url = isObject(entry) ? entry.serverRelativeURL : undefined;
		// Only a path on the same server under /openapi/v3 is followed.
		if (typeof url !== 'string' || !url.startsWith('/openapi/v3/') || url.includes('..')) continue;
		try {
			const doc = await client.get(url, 'application/json', MAX_DOCUMENT_BYTES);
			out.push(...extractApiSchemas(doc, gv, (k) => kinds.has(k)).schemas);
		} catch {
			// This group's schemas are not at hand: its objects are not judged by them.
		}
	}
	return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

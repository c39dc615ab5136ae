import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { loadAll } from 'js-yaml';
import type { DriftProjection } from '../../engine/drift';
import { groupOf } from '../../engine/drift';
import { builtinResources } from '../../engine/live/builtin-apis';
import { FULL_OBJECTS_FORMAT, type LiveKindObjects, type LiveObjects } from '../../engine/live/full-objects';
import { SnapshotError } from './snapshot';

/**
 * Live objects for drift from a snapshot directory: `fleetscope-objects.json` (written by
 * `fleetscope snapshot --full`: full objects of the kinds the repository declares, Secrets
 * metadata-only), or `kubectl get -o yaml` dumps (any YAML file holding a list of objects). Every
 * object goes through the projection as it is read, so a Secret's data in a dump never stays in
 * memory. A declared kind no file holds was not captured: drift says `unknown` for its objects.
 */

export const OBJECTS_FILE = 'fleetscope-objects.json';

const NAMESPACED = new Map(builtinResources(99).map((d) => [`${d.group}|${d.kind}`, d.namespaced]));
const PLURALS = new Map(builtinResources(99).map((d) => [d.plural, d]));

export function writeObjectsSnapshot(dir: string, objects: LiveObjects, now = new Date()): string {
	mkdirSync(dir, { recursive: true });
	const file = join(dir, OBJECTS_FILE);
	writeFileSync(file, `${JSON.stringify({ kind: 'FleetscopeObjects', formatVersion: FULL_OBJECTS_FORMAT, cluster: objects.cluster, context: objects.context, exportedAt: now.toISOString(), kinds: objects.kinds }, null, 1)}\n`);
	return file;
}

function objectsOf(doc: unknown): Record<string, unknown>[] {
	if (!doc || typeof doc !== 'object') return [];
	const o = doc as Record<string, unknown>;
	if (Array.isArray(o.items)) return o.items.filter((i): i is Record<string, unknown> => !!i && typeof i === 'object');
	return typeof o.kind === 'string' && typeof o.apiVersion === 'string' ? [o] : [];
}

function fromExport(dir: string, projection: DriftProjection, cluster: string): LiveObjects {
	let raw: Record<string, unknown>;
	try {
		raw = JSON.parse(readFileSync(join(dir, OBJECTS_FILE), 'utf8'));
	} catch {
		throw new SnapshotError(`${join(dir, OBJECTS_FILE)} is not valid JSON`);
	}
	if (raw.kind !== 'FleetscopeObjects' || raw.formatVersion !== FULL_OBJECTS_FORMAT || !raw.kinds || typeof raw.kinds !== 'object') throw new SnapshotError(`${join(dir, OBJECTS_FILE)} is not a Fleetscope objects snapshot of format ${FULL_OBJECTS_FORMAT}`);
	const kinds: Record<string, LiveKindObjects> = {};
	for (const [key, k] of Object.entries(raw.kinds as Record<string, Record<string, unknown>>)) {
		if (!k || typeof k !== 'object' || typeof k.group !== 'string' || typeof k.kind !== 'string') continue;
		const coverage = ['complete', 'partial', 'forbidden', 'failed', 'not-served'].includes(String(k.coverage)) ? (k.coverage as LiveKindObjects['coverage']) : 'failed';
		const items = Array.isArray(k.items) ? k.items.flatMap((i) => projection.project(i) ?? []) : [];
		kinds[key] = { group: k.group, kind: k.kind, namespaced: k.namespaced === true, coverage, ...(Array.isArray(k.namespaces) ? { namespaces: k.namespaces.filter((n): n is string => typeof n === 'string') } : {}), ...(typeof k.reason === 'string' ? { reason: k.reason } : {}), ...(k.metadataOnly ? { metadataOnly: true } : {}), ...(Array.isArray(k.apiVersions) ? { apiVersions: k.apiVersions.filter((v): v is string => typeof v === 'string') } : {}), items };
	}
	return { cluster, context: typeof raw.context === 'string' ? raw.context : undefined, origin: 'snapshot', fetchedAt: typeof raw.exportedAt === 'string' ? raw.exportedAt : new Date(0).toISOString(), kinds };
}

function fromDumps(dir: string, projection: DriftProjection, cluster: string, warnings: string[]): LiveObjects {
	const kinds: Record<string, LiveKindObjects> = {};
	const entry = (group: string, kind: string, namespaced: boolean) => (kinds[`${group}|${kind}`] ??= { group, kind, namespaced, coverage: 'complete', items: [], ...(group === '' && kind === 'Secret' ? { metadataOnly: true } : {}) });
	let newest = 0;
	for (const file of readdirSync(dir).sort()) {
		if (!/\.(ya?ml|json)$/.test(file) || file === OBJECTS_FILE || file === 'fleetscope-snapshot.json' || /^version\./.test(file)) continue;
		let docs: unknown[];
		try {
			docs = loadAll(readFileSync(join(dir, file), 'utf8'));
		} catch {
			warnings.push(`${file}: not valid YAML, skipped`);
			continue;
		}
		newest = Math.max(newest, statSync(join(dir, file)).mtimeMs);
		const named = PLURALS.get(basename(file).replace(/\.(ya?ml|json)$/, ''));
		if (named) entry(named.group, named.kind, named.namespaced);
		for (const o of docs.flatMap(objectsOf)) {
			if (typeof o.apiVersion !== 'string' || typeof o.kind !== 'string') continue;
			const group = groupOf(o.apiVersion);
			const meta = (o.metadata ?? {}) as { namespace?: unknown };
			const p = projection.project(o);
			if (p) entry(group, o.kind, NAMESPACED.get(`${group}|${o.kind}`) ?? typeof meta.namespace === 'string').items.push(p);
		}
	}
	return { cluster, origin: 'snapshot', fetchedAt: new Date(newest).toISOString(), kinds };
}

/** The live objects of a snapshot directory for drift. Throws SnapshotError when it is not a snapshot. */
export function readObjectsSnapshot(dir: string, projection: DriftProjection, cluster: string): { objects: LiveObjects; warnings: string[] } {
	if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new SnapshotError(`${dir}: no such directory`);
	const warnings: string[] = [];
	if (existsSync(join(dir, OBJECTS_FILE))) return { objects: fromExport(dir, projection, cluster), warnings };
	const objects = fromDumps(dir, projection, cluster, warnings);
	if (Object.keys(objects.kinds).length === 0) warnings.push(`${dir} holds no ${OBJECTS_FILE} and no YAML list of objects: drift has nothing to compare there (take one with \`fleetscope snapshot --full\`)`);
	return { objects, warnings };
}

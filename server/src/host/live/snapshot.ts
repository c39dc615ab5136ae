import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { loadAll } from 'js-yaml';
import { builtinResources } from '../../engine/live/builtin-apis';
import { gitopsStateOf, type GitOpsObjectState } from '../../engine/live/gitops';
import { crdStateOf, metaOf, sanitizeState } from '../../engine/live/sanitize';
import { kindKey, STATE_FORMAT_VERSION, type ClusterState, type CrdState, type KindObjects, type ServedKind } from '../../engine/live/state';

/**
 * Snapshot directories: a cluster's state on disk, for offline work and CI without cluster access.
 * Two forms (docs/live.md): a Fleetscope export (`fleetscope-snapshot.json`, written by
 * `fleetscope snapshot`, exact: discovery included), or plain `kubectl get -o yaml` dumps (a
 * version file, `crds.yaml`, `namespaces.yaml`, any other YAML list of objects), whose discovery
 * is inferred from the Kubernetes version and the CRDs. Only metadata is kept: Secret data in a
 * dump is dropped on load.
 */

export const SNAPSHOT_FILE = 'fleetscope-snapshot.json';

export class SnapshotError extends Error {}

export interface LoadedSnapshot {
	state: ClusterState;
	/** Files that were skipped (not YAML, not objects), with why. */
	warnings: string[];
}

export function writeSnapshot(dir: string, state: ClusterState, now = new Date()): string {
	mkdirSync(dir, { recursive: true });
	const clean = sanitizeState({ ...state, origin: 'snapshot' }, 'snapshot');
	if (!clean) throw new SnapshotError('not a cluster state');
	const file = join(dir, SNAPSHOT_FILE);
	writeFileSync(file, `${JSON.stringify({ kind: 'FleetscopeSnapshot', formatVersion: STATE_FORMAT_VERSION, cluster: clean.cluster, context: clean.context, exportedAt: now.toISOString(), state: clean }, null, 1)}\n`);
	return file;
}

const VERSION_FILES = ['version.yaml', 'version.yml', 'version.json', 'version', 'version.txt'];

/** `kubectl version -o yaml|json` (serverVersion), a bare version object, or the plain `Server Version: v1.27.16` text. */
function parseVersion(text: string): ClusterState['version'] | undefined {
	const plain = /Server Version:\s*(?:version\.Info\{[^}]*GitVersion:"([^"]+)"|(v?\d+\.\d+\.\d+\S*))/.exec(text);
	const fromGit = (git: string) => {
		const m = /^v?(\d+)\.(\d+)/.exec(git);
		return m ? { major: m[1], minor: m[2], gitVersion: git.startsWith('v') ? git : `v${git}` } : undefined;
	};
	if (plain) return fromGit(plain[1] ?? plain[2]);
	let doc: unknown;
	try {
		doc = loadAll(text)[0];
	} catch {
		return undefined;
	}
	const o = (doc && typeof doc === 'object' ? doc : {}) as Record<string, any>;
	const v = o.serverVersion ?? o;
	if (typeof v?.gitVersion === 'string') return { ...(fromGit(v.gitVersion) ?? { major: '', minor: '' }), major: String(v.major ?? fromGit(v.gitVersion)?.major ?? ''), minor: String(v.minor ?? fromGit(v.gitVersion)?.minor ?? ''), gitVersion: v.gitVersion };
	return undefined;
}

function objectsOf(doc: unknown): Record<string, unknown>[] {
	if (!doc || typeof doc !== 'object') return [];
	const o = doc as Record<string, unknown>;
	if (Array.isArray(o.items) && (o.kind === 'List' || String(o.kind ?? '').endsWith('List'))) return o.items.filter((i): i is Record<string, unknown> => !!i && typeof i === 'object');
	return typeof o.kind === 'string' && typeof o.apiVersion === 'string' ? [o] : [];
}

const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '');

function readExport(dir: string, cluster: string | undefined): LoadedSnapshot {
	let raw: Record<string, unknown>;
	try {
		raw = JSON.parse(readFileSync(join(dir, SNAPSHOT_FILE), 'utf8'));
	} catch {
		throw new SnapshotError(`${join(dir, SNAPSHOT_FILE)} is not valid JSON`);
	}
	const state = sanitizeState(raw.state, 'snapshot');
	if (raw.kind !== 'FleetscopeSnapshot' || !state) throw new SnapshotError(`${join(dir, SNAPSHOT_FILE)} is not a Fleetscope snapshot of format ${STATE_FORMAT_VERSION}`);
	if (typeof raw.exportedAt === 'string') state.fetchedAt = raw.exportedAt;
	if (cluster) state.cluster = cluster;
	return { state, warnings: [] };
}

function readDumps(dir: string, cluster: string | undefined): LoadedSnapshot {
	const warnings: string[] = [];
	const names = readdirSync(dir).sort();
	const versionFile = VERSION_FILES.find((f) => names.includes(f));
	if (!versionFile) throw new SnapshotError(`${dir} has no ${SNAPSHOT_FILE} and no version file (version.yaml from \`kubectl version -o yaml\`): it is not a snapshot`);
	const version = parseVersion(readFileSync(join(dir, versionFile), 'utf8'));
	if (!version) throw new SnapshotError(`${join(dir, versionFile)}: no server version in it (expected the output of \`kubectl version -o yaml\`)`);
	const minor = parseInt(version.minor, 10);
	const builtin = builtinResources(Number.isFinite(minor) ? minor : 30);
	const crds = new Map<string, CrdState>();
	const objects = new Map<string, KindObjects>();
	const gitops: GitOpsObjectState[] = [];
	const byPlural = new Map(builtin.map((d) => [d.plural, d]));
	for (const file of names) {
		if (!/\.(ya?ml|json)$/.test(file) || file === versionFile) continue;
		let docs: unknown[];
		try {
			docs = loadAll(readFileSync(join(dir, file), 'utf8'));
		} catch (e) {
			warnings.push(`${file}: not valid YAML (${(e as { mark?: { line?: number } }).mark?.line !== undefined ? `line ${(e as { mark: { line: number } }).mark.line + 1}` : 'parse error'}), skipped`);
			continue;
		}
		const stem = basename(file).replace(/\.(ya?ml|json)$/, '');
		// `secrets.yaml` with an empty list still says: there are no Secrets.
		const named = byPlural.get(stem);
		if (named && stem !== 'customresourcedefinitions') objects.set(kindKey(named.group, named.kind), objects.get(kindKey(named.group, named.kind)) ?? { group: named.group, kind: named.kind, namespaced: named.namespaced, coverage: 'complete', items: [] });
		for (const o of docs.flatMap(objectsOf)) {
			const group = groupOf(String(o.apiVersion));
			if (group === 'apiextensions.k8s.io' && o.kind === 'CustomResourceDefinition') {
				const c = crdStateOf(o);
				if (c) crds.set(kindKey(c.group, c.kind), c);
				continue;
			}
			const meta = metaOf(o.metadata);
			if (!meta) continue;
			// The status of Flux and Argo CD objects is kept (the one exception to metadata only).
			const g = gitopsStateOf(o);
			if (g) gitops.push(g);
			const key = kindKey(group, String(o.kind));
			let k = objects.get(key);
			if (!k) {
				const def = builtin.find((d) => d.group === group && d.kind === o.kind);
				objects.set(key, (k = { group, kind: String(o.kind), namespaced: def?.namespaced ?? meta.namespace !== undefined, coverage: 'complete', items: [] }));
			}
			// Only the metadata survives: a Secret's data (and every annotation) is dropped here.
			k.items.push(meta);
		}
	}
	for (const c of crds.values()) {
		const k = objects.get(kindKey(c.group, c.kind));
		if (k) k.namespaced = c.namespaced;
	}
	const served: Record<string, ServedKind[]> = {};
	const add = (gv: string, s: ServedKind) => (served[gv] ??= []).push(s);
	for (const d of builtin) add(d.group ? `${d.group}/${d.version}` : d.version, { kind: d.kind, plural: d.plural, namespaced: d.namespaced, verbs: d.verbs ?? [] });
	for (const c of crds.values()) for (const v of c.versions) if (v.served) add(`${c.group}/${v.name}`, { kind: c.kind, plural: c.plural, namespaced: c.namespaced, verbs: ['get', 'list', 'watch'] });
	const state: ClusterState = {
		formatVersion: STATE_FORMAT_VERSION,
		cluster: cluster ?? basename(resolve(dir)),
		origin: 'snapshot',
		fetchedAt: statSync(join(dir, versionFile)).mtime.toISOString(),
		version,
		served,
		crds: [...crds.values()],
		objects: Object.fromEntries(objects),
		...(gitops.length > 0 ? { gitops } : {}),
	};
	return { state, warnings };
}

/** Reads a snapshot directory; the cluster is named by `cluster`, else the export's metadata, else the directory's name. */
export function readSnapshot(dir: string, cluster?: string): LoadedSnapshot {
	let st;
	try {
		st = statSync(dir);
	} catch {
		throw new SnapshotError(`${dir}: no such directory`);
	}
	if (!st.isDirectory()) throw new SnapshotError(`${dir}: not a directory`);
	const names = readdirSync(dir);
	return names.includes(SNAPSHOT_FILE) ? readExport(dir, cluster) : readDumps(dir, cluster);
}

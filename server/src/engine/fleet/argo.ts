import picomatch from 'picomatch';
import { parseFile } from '../core/parse';
import { isPlainObject } from '../core/resource';
import { baseName, dirName } from '../core/paths';
import { repoPath, type DocRef, type DocumentStore } from './reader';
import type { FleetProblem, SourceLocation, SyncKind } from './types';

/**
 * Argo CD: Applications name a Git path and a destination cluster; ApplicationSets generate
 * Applications from lists, the registered clusters (selected by labels) and Git directories or
 * files. This turns both into (cluster, path) syncs. Only what is in this repository is followed.
 */

const ARGO = 'argoproj.io';
const IN_CLUSTER = 'https://kubernetes.default.svc';

/** A cluster Argo CD knows: from the Fleet file or a cluster Secret (name, server, labels; never its credentials). */
export interface ArgoCluster {
	name: string;
	server?: string;
	labels: Record<string, string>;
}

export interface ArgoSync {
	kind: SyncKind;
	/** The (generated) Application's name. */
	name: string;
	cluster: string;
	path?: string;
	repoURL?: string;
	targetRevision?: string;
	chart?: string;
	namespace?: string;
	location: SourceLocation;
	doc: DocRef;
	/** The JSON path of `path` (or of the source) in the document, for placing problems. */
	pathField: (string | number)[];
	/** Argo CD builds the path with a config-management plugin (`source.plugin`): its name, or '' when the plugin is found by discovery. */
	plugin?: string;
	/** The JSON path of `source.plugin`, where it is set. */
	pluginField?: (string | number)[];
}

/** Argo CD cluster Secrets of the repository (label `argocd.argoproj.io/secret-type: cluster`): name, server and labels only. */
export function argoClusterSecrets(store: DocumentStore): ArgoCluster[] {
	const out: ArgoCluster[] = [];
	for (const d of store.ofKinds(['Secret'])) {
		const meta = isPlainObject(d.value.metadata) ? d.value.metadata : {};
		const labels = isPlainObject(meta.labels) ? stringMap(meta.labels) : {};
		if (labels['argocd.argoproj.io/secret-type'] !== 'cluster') continue;
		// Only the non-credential fields of stringData; `config` (tokens, certificates) is never read.
		const sd = isPlainObject(d.value.stringData) ? d.value.stringData : {};
		const name = typeof sd.name === 'string' ? sd.name : d.name;
		if (!name) continue;
		out.push({ name, server: typeof sd.server === 'string' ? sd.server : undefined, labels });
	}
	return out;
}

/** Every Application of the repository and every Application its ApplicationSets generate. */
export function argoSyncs(store: DocumentStore, clusters: ArgoCluster[], problems: FleetProblem[]): ArgoSync[] {
	const out: ArgoSync[] = [];
	for (const d of store.ofKinds(['Application', 'ApplicationSet'])) {
		if (d.apiVersion.split('/')[0] !== ARGO) continue;
		if (d.kind === 'Application') out.push(...fromApplication(d, d.value.spec, d.name ?? '', 'argo-application', ['spec'], clusters));
		else out.push(...fromApplicationSet(d, store, clusters, problems));
	}
	return out;
}

function fromApplication(doc: DocRef, spec: unknown, name: string, kind: SyncKind, specPath: (string | number)[], clusters: ArgoCluster[]): ArgoSync[] {
	if (!isPlainObject(spec)) return [];
	const dest = isPlainObject(spec.destination) ? spec.destination : {};
	const cluster = destinationCluster(dest, clusters);
	if (!cluster) return [];
	const sources: { s: Record<string, unknown>; at: (string | number)[] }[] = [];
	if (isPlainObject(spec.source)) sources.push({ s: spec.source, at: [...specPath, 'source'] });
	if (Array.isArray(spec.sources)) spec.sources.forEach((s, i) => isPlainObject(s) && sources.push({ s, at: [...specPath, 'sources', i] }));
	return sources.map(({ s, at }) => {
		const hasPath = typeof s.path === 'string';
		return {
			kind,
			name,
			cluster,
			path: hasPath ? repoPath(s.path as string) : undefined,
			repoURL: typeof s.repoURL === 'string' ? s.repoURL : undefined,
			targetRevision: typeof s.targetRevision === 'string' ? s.targetRevision : typeof s.targetRevision === 'number' ? String(s.targetRevision) : undefined,
			chart: typeof s.chart === 'string' ? s.chart : undefined,
			namespace: typeof dest.namespace === 'string' ? dest.namespace : undefined,
			location: doc.locate(hasPath ? [...at, 'path'] : at),
			doc,
			pathField: hasPath ? [...at, 'path'] : at,
			...(isPlainObject(s.plugin) ? { plugin: typeof s.plugin.name === 'string' ? s.plugin.name : '', pluginField: [...at, 'plugin'] } : {}),
		};
	});
}

function destinationCluster(dest: Record<string, unknown>, clusters: ArgoCluster[]): string | undefined {
	if (typeof dest.name === 'string' && dest.name !== '' && !dest.name.includes('{{')) return dest.name;
	if (typeof dest.server === 'string' && dest.server !== '' && !dest.server.includes('{{')) {
		const known = clusters.find((c) => c.server === dest.server);
		if (known) return known.name;
		return dest.server === IN_CLUSTER ? 'in-cluster' : dest.server.replace(/^https?:\/\//, '').replace(/[:/].*$/, '');
	}
	return undefined;
}

type Params = Record<string, string>;

function fromApplicationSet(doc: DocRef, store: DocumentStore, clusters: ArgoCluster[], problems: FleetProblem[]): ArgoSync[] {
	const spec = isPlainObject(doc.value.spec) ? doc.value.spec : {};
	const template = isPlainObject(spec.template) ? spec.template : undefined;
	if (!template || !Array.isArray(spec.generators)) return [];
	const goTemplate = spec.goTemplate === true;
	const out: ArgoSync[] = [];
	spec.generators.forEach((g, i) => {
		const sets = generate(g, store, clusters, doc, ['spec', 'generators', i], problems);
		for (const params of sets) {
			const app = substitute(template, params, goTemplate) as Record<string, unknown>;
			const meta = isPlainObject(app.metadata) ? app.metadata : {};
			const name = typeof meta.name === 'string' ? meta.name : (doc.name ?? '');
			out.push(...fromApplication(doc, app.spec, name, 'argo-applicationset', ['spec', 'template', 'spec'], clusters));
		}
	});
	return out;
}

/** The parameter sets of one generator (list, clusters, git directories/files, matrix). */
function generate(g: unknown, store: DocumentStore, clusters: ArgoCluster[], doc: DocRef, at: (string | number)[], problems: FleetProblem[]): Params[] {
	if (!isPlainObject(g)) return [];
	if (isPlainObject(g.list) && Array.isArray(g.list.elements)) {
		return g.list.elements.filter(isPlainObject).map((e) => flatten(e));
	}
	if (isPlainObject(g.clusters)) {
		const sel = isPlainObject(g.clusters.selector) ? g.clusters.selector : {};
		const match = isPlainObject(sel.matchLabels) ? stringMap(sel.matchLabels) : {};
		const exprs = Array.isArray(sel.matchExpressions) ? sel.matchExpressions.filter(isPlainObject) : [];
		const values = isPlainObject(g.clusters.values) ? stringMap(g.clusters.values) : {};
		return clusters
			.filter((c) => Object.entries(match).every(([k, v]) => c.labels[k] === v) && exprs.every((e) => matchesExpression(c.labels, e)))
			.map((c) => {
				const p: Params = { name: c.name, nameNormalized: c.name.replace(/[^a-z0-9-.]/g, '-'), server: c.server ?? '' };
				for (const [k, v] of Object.entries(c.labels)) p[`metadata.labels.${k}`] = v;
				for (const [k, v] of Object.entries(values)) p[`values.${k}`] = v;
				return p;
			});
	}
	if (isPlainObject(g.git)) {
		const out: Params[] = [];
		if (Array.isArray(g.git.directories)) {
			const include = g.git.directories.filter((d) => isPlainObject(d) && typeof d.path === 'string' && d.exclude !== true).map((d) => (d as { path: string }).path);
			const exclude = g.git.directories.filter((d) => isPlainObject(d) && typeof d.path === 'string' && d.exclude === true).map((d) => (d as { path: string }).path);
			const inc = picomatch(include.length > 0 ? include : ['!**']);
			const exc = exclude.length > 0 ? picomatch(exclude) : () => false;
			const dirs = new Set<string>();
			for (const f of store.files()) {
				let d = dirName(f);
				while (d !== '') {
					dirs.add(d);
					d = dirName(d);
				}
			}
			for (const d of [...dirs].sort()) if (inc(d) && !exc(d)) out.push(pathParams(d));
			if (out.length === 0 && include.length > 0) {
				problems.push({ ruleId: 'fleet-reference', severity: 'warning', message: `No directory of this repository matches ${include.map((p) => `"${p}"`).join(', ')}, so this generator creates no Application.`, location: doc.locate([...at, 'git', 'directories']), documentIndex: doc.documentIndex, path: [...at, 'git', 'directories'], target: 'key' });
			}
		}
		if (Array.isArray(g.git.files)) {
			for (const entry of g.git.files) {
				if (!isPlainObject(entry) || typeof entry.path !== 'string') continue;
				const m = picomatch(entry.path);
				for (const f of store.files().filter((x) => m(x)).sort()) {
					for (const d of plainDocs(store, f)) {
						out.push({ ...flatten(d), ...pathParams(dirName(f)) });
					}
				}
			}
		}
		return out;
	}
	if (isPlainObject(g.matrix) && Array.isArray(g.matrix.generators) && g.matrix.generators.length === 2) {
		const [a, b] = g.matrix.generators.map((x, i) => generate(x, store, clusters, doc, [...at, 'matrix', 'generators', i], problems));
		return a.flatMap((pa) => b.map((pb) => ({ ...pa, ...pb })));
	}
	return [];
}

/** The mapping documents of a JSON or YAML config file (JSON is YAML). */
function plainDocs(store: DocumentStore, file: string): Record<string, unknown>[] {
	const text = store.reader.read(file);
	if (text === undefined) return [];
	return parseFile(text).documents.flatMap((d) => (isPlainObject(d.value) ? [d.value] : []));
}

function pathParams(dir: string): Params {
	const p: Params = { path: dir, 'path.path': dir, 'path.basename': baseName(dir), 'path.basenameNormalized': baseName(dir).replace(/[^a-z0-9-.]/g, '-') };
	dir.split('/').forEach((seg, i) => (p[`path[${i}]`] = seg));
	return p;
}

function matchesExpression(labels: Record<string, string>, e: Record<string, unknown>): boolean {
	const key = typeof e.key === 'string' ? e.key : '';
	const values = Array.isArray(e.values) ? e.values.map(String) : [];
	switch (e.operator) {
		case 'In':
			return key in labels && values.includes(labels[key]);
		case 'NotIn':
			return !(key in labels) || !values.includes(labels[key]);
		case 'Exists':
			return key in labels;
		case 'DoesNotExist':
			return !(key in labels);
		default:
			return false;
	}
}

/** Nested maps as dotted keys, as Argo CD's fasttemplate parameters (`{{cluster.name}}`). */
function flatten(v: Record<string, unknown>, prefix = ''): Params {
	const out: Params = {};
	for (const [k, x] of Object.entries(v)) {
		const key = prefix ? `${prefix}.${k}` : k;
		if (isPlainObject(x)) Object.assign(out, flatten(x, key));
		else if (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') out[key] = String(x);
	}
	return out;
}

/** Replaces `{{param}}` (fasttemplate) or `{{ .param }}` (goTemplate) in every string of a template. */
function substitute(v: unknown, params: Params, goTemplate: boolean): unknown {
	if (typeof v === 'string') {
		const re = goTemplate ? /\{\{-?\s*\.([\w.[\]-]+)\s*-?\}\}/g : /\{\{\s*([\w.[\]/-]+)\s*\}\}/g;
		return v.replace(re, (m, key: string) => params[key] ?? m);
	}
	if (Array.isArray(v)) return v.map((x) => substitute(x, params, goTemplate));
	if (isPlainObject(v)) {
		const out: Record<string, unknown> = {};
		for (const [k, x] of Object.entries(v)) out[k] = substitute(x, params, goTemplate);
		return out;
	}
	return v;
}

function stringMap(v: Record<string, unknown>): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [k, x] of Object.entries(v)) if (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') out[k] = String(x);
	return out;
}

/**
 * The paths Argo CD builds with a config-management plugin (`source.plugin` of an Application, or
 * of an ApplicationSet's template), whatever their destination (an app of apps templated by Helm
 * names its clusters with `{{ }}`): one info note on each `plugin` field, and the paths.
 */
export function argoPluginBuilds(store: DocumentStore): { notes: FleetProblem[]; paths: Map<string, string> } {
	const notes: FleetProblem[] = [];
	const paths = new Map<string, string>();
	for (const d of store.ofKinds(['Application', 'ApplicationSet'])) {
		if (d.apiVersion.split('/')[0] !== ARGO) continue;
		const specPath = d.kind === 'Application' ? ['spec'] : ['spec', 'template', 'spec'];
		let spec: unknown = d.value;
		for (const k of specPath) spec = isPlainObject(spec) ? spec[k] : undefined;
		if (!isPlainObject(spec)) continue;
		const sources: [unknown, (string | number)[]][] = [[spec.source, [...specPath, 'source']]];
		if (Array.isArray(spec.sources)) spec.sources.forEach((x, i) => sources.push([x, [...specPath, 'sources', i]]));
		for (const [src, at] of sources) {
			if (!isPlainObject(src) || !isPlainObject(src.plugin) || typeof src.path !== 'string' || src.path.includes('{{')) continue;
			const path = repoPath(src.path);
			const plugin = typeof src.plugin.name === 'string' && !src.plugin.name.includes('{{') ? `the config-management plugin "${src.plugin.name}"` : 'a config-management plugin';
			paths.set(path, `the Argo CD ${d.kind} "${d.name ?? ''}" builds it with ${plugin}`);
			notes.push({
				ruleId: 'kustomize-unsupported',
				severity: 'info',
				message: `Argo CD builds ${path === '' ? 'the repository root' : `"${path}"`} with ${plugin} at sync time: Fleetscope runs no plugin, so what it generates is not checked; the files of the path are checked as written.`,
				location: d.locate([...at, 'plugin'], true),
				documentIndex: d.documentIndex,
				path: [...at, 'plugin'],
				target: 'key',
			});
		}
	}
	return { notes, paths };
}

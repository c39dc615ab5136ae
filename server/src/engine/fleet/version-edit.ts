import { commonPrefix, commonSuffix } from '../core/parse';
import { isKustomizationFile } from '../core/paths';
import { isPlainObject } from '../core/resource';
import { GRAPH_KINDS, type DocRef } from './reader';
import type { FleetModel, SourceLocation } from './types';

/**
 * Whether an edit of a file changed nothing discovery reads but version values, so that the fleet's
 * graph stays what it was and only its versions need reading again (`rereadVersions`). What counts,
 * document by document (the same number of documents, each with the same index):
 *
 * - in a kustomize kustomization, a retag (`kustomize edit set image`, a promotion bot): the same
 *   keys as before, and only the `newTag` and `digest` of its `images` entries differ. Anything else
 *   (an entry added, a name or newName changed, a resource listed) is a full rediscovery;
 * - a Flux HelmRelease whose chart version or `values.image.tag` changed (a chart bump by Renovate
 *   or a promotion), or an Argo CD Application whose `spec.source.targetRevision` did, nothing else;
 * - any other document of a kind the graph reads (GRAPH_KINDS: Flux and Argo CD objects, Fleet
 *   files, claims, Secrets) with the same value (a comment or the layout changed);
 * - a document of another kind (a workload: an image, the replicas, an environment variable) that
 *   keeps its kind, name, namespace and labels (what tells which app an image belongs to): the graph
 *   never looks into it, the versions read its images.
 *
 * Where the graph holds a place in the file after the edit, discovery runs in full all the same
 * (`placedAfter`); what the file renders to is the renderer's business.
 *
 * `before` is the file's documents as discovery last read them (undefined: not read; a file
 * discovery did not read counts when it still holds no document of GRAPH_KINDS).
 */
export function versionOnlyEdit(file: string, before: readonly DocRef[] | undefined, after: readonly DocRef[]): boolean {
	const kustomization = isKustomizationFile(file);
	// A file discovery did not read (a workload outside every kustomization's resources): nothing it
	// found came from there, and the new text gives the graph nothing to read either.
	if (!before) return !kustomization && after.every((d) => !GRAPH_KINDS.has(d.kind));
	if (before.length !== after.length || before.length === 0) return false;
	const same = kustomization ? sameKustomization : sameDocument;
	for (let i = 0; i < before.length; i++) if (before[i].documentIndex !== after[i].documentIndex || !same(before[i], after[i])) return false;
	return true;
}

/** The version fields of a kustomization: the `newTag` and `digest` of each `images` entry. */
const IMAGE_VERSIONS: readonly (readonly string[])[] = [
	['images', '*', 'newTag'],
	['images', '*', 'digest'],
];

function sameKustomization(a: DocRef, b: DocRef): boolean {
	return isKustomize(a) && isKustomize(b) && equalExcept(a.value, b.value, IMAGE_VERSIONS);
}

/**
 * The version fields of the graph's kinds that carry one (what `versions.ts` reads): a HelmRelease's
 * chart version and image tag, an Argo CD Application's `targetRevision`. The graph reads none of them.
 */
const VERSIONED_KINDS: readonly { kind: string; group: string; paths: readonly (readonly string[])[] }[] = [
	{ kind: 'HelmRelease', group: 'helm.toolkit.fluxcd.io/', paths: [['spec', 'chart', 'spec', 'version'], ['spec', 'values', 'image', 'tag']] },
	{ kind: 'Application', group: 'argoproj.io/', paths: [['spec', 'source', 'targetRevision']] },
];

function sameDocument(a: DocRef, b: DocRef): boolean {
	if (a.apiVersion !== b.apiVersion || a.kind !== b.kind || a.name !== b.name || a.namespace !== b.namespace) return false;
	const versioned = VERSIONED_KINDS.find((v) => v.kind === a.kind && a.apiVersion.startsWith(v.group));
	if (versioned) return equalExcept(a.value, b.value, versioned.paths);
	if (GRAPH_KINDS.has(a.kind)) return equal(a.value, b.value);
	const labels = (d: DocRef) => (isPlainObject(d.value.metadata) ? d.value.metadata.labels : undefined);
	return equal(labels(a), labels(b));
}

/** Equality of two values, in key order, except for scalars at these paths (`*`: every item of a list). */
function equalExcept(a: unknown, b: unknown, paths: readonly (readonly string[])[], depth = 0): boolean {
	if (paths.some((p) => p.length === depth)) return !isPlainObject(a) && !Array.isArray(a) && !isPlainObject(b) && !Array.isArray(b);
	if (paths.length === 0) return equal(a, b);
	if (Array.isArray(a) && Array.isArray(b)) {
		const items = paths.filter((p) => p[depth] === '*');
		return a.length === b.length && a.every((x, i) => equalExcept(x, b[i], items, depth + 1));
	}
	if (!isPlainObject(a) || !isPlainObject(b)) return equal(a, b);
	if (!sameKeys(a, b)) return false;
	return Object.keys(a).every((k) => equalExcept(a[k], b[k], paths.filter((p) => p[depth] === k), depth + 1));
}

/**
 * Where an edit of a file starts: the first character its old and new texts differ at, in the old
 * text, and whether the edit stays within that line (it neither removes nor inserts a line break,
 * so every other line keeps its number and characters).
 */
export interface EditStart {
	file: string;
	line: number;
	character: number;
	withinLine: boolean;
}

/** The start of the edit that turned `before` into `after` (undefined: the texts are the same). */
export function editStart(file: string, before: string, after: string): EditStart | undefined {
	const max = Math.min(before.length, after.length);
	const at = commonPrefix(before, after, max);
	if (at === before.length && at === after.length) return undefined;
	const tail = commonSuffix(before, after, max - at);
	const withinLine = !before.slice(at, before.length - tail).includes('\n') && !after.slice(at, after.length - tail).includes('\n');
	let line = 0;
	let lineStart = 0;
	for (let i = before.indexOf('\n'); i !== -1 && i < at; i = before.indexOf('\n', i + 1)) {
		line++;
		lineStart = i + 1;
	}
	return { file, line, character: at - lineStart, withinLine };
}

/**
 * Whether a model's graph (its versions apart) holds a place in an edited file that the edit may
 * have moved: a problem, a cluster, a sync, an app or an environment located there. Such a place was
 * computed on the file's old text, and its range may be stale after an edit that changes lengths,
 * so discovery then runs in full. A place wholly before the edit is where it was (a problem on a
 * kustomization's resources when a tag below it changes, a HelmRelease's name when its chart version
 * does), and so is one on a later line when the edit stays within its line (the names of the
 * HelmReleases below one whose version changed).
 */
export function placedAfter(model: FleetModel, edits: readonly EditStart[]): boolean {
	const starts = new Map(edits.map((e) => [e.file, e]));
	const moved = (l: SourceLocation | undefined) => {
		const edit = l === undefined ? undefined : starts.get(l.file);
		if (edit === undefined) return false;
		const { start, end } = l!.range;
		if (end.line < edit.line || (end.line === edit.line && end.character <= edit.character)) return false;
		return !(edit.withinLine && start.line > edit.line);
	};
	return (
		model.problems.some((p) => moved(p.location)) ||
		model.clusters.some((c) => moved(c.location) || c.syncs.some((s) => moved(s.location))) ||
		model.apps.some((a) => moved(a.location) || moved(a.promotion?.location)) ||
		model.environments.some((e) => moved(e.location) || moved(e.promotion?.location))
	);
}

/** A kustomize kustomization document (kustomize reads one without apiVersion and kind too). */
function isKustomize(d: DocRef): boolean {
	return (d.apiVersion === '' || d.apiVersion.startsWith('kustomize.config.k8s.io/')) && (d.kind === '' || d.kind === 'Kustomization' || d.kind === 'Component');
}

function sameKeys(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
	const ka = Object.keys(a);
	const kb = Object.keys(b);
	return ka.length === kb.length && ka.every((k, i) => k === kb[i]);
}

/** Equality of parsed YAML values (plain data: scalars, arrays, mappings). */
function equal(a: unknown, b: unknown): boolean {
	if (a === b) return true;
	if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => equal(x, b[i]));
	if (isPlainObject(a)) return isPlainObject(b) && sameKeys(a, b) && Object.keys(a).every((k) => equal(a[k], b[k]));
	return Number.isNaN(a) && Number.isNaN(b);
}

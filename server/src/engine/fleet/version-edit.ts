import { commonPrefix } from '../core/parse';
import { isKustomizationFile } from '../core/paths';
import { isPlainObject } from '../core/resource';
import { GRAPH_KINDS, type DocRef } from './reader';
import type { FleetModel, SourceLocation } from './types';

/**
 * Whether an edit of a file changed nothing discovery reads but version values, so that the fleet's
 * graph stays what it was and only its versions need reading again (`rereadVersions`). Two edits
 * count, the most frequent of a GitOps repository:
 *
 * - a retag (`kustomize edit set image`, a promotion bot): the file is a kustomize kustomization (no
 *   Flux or Argo CD object, which discovery keeps references to), it has the same documents and
 *   keys as before, and the only values that differ are the `newTag` and `digest` of its `images`
 *   entries. Anything else (an entry added, a name or newName changed, a resource listed) is a full
 *   rediscovery;
 * - an edit of a workload file (a Deployment's image, its replicas, an environment variable): no
 *   document of the file, before or after, is of a kind the graph reads (GRAPH_KINDS: the graph
 *   never looks into the others), and each keeps its kind, name, namespace and labels (what tells
 *   which app an image belongs to). The versions read its images again; what the file renders to is
 *   the renderer's business.
 *
 * `before` is the file's documents as discovery last read them (undefined: not read; a workload file
 * discovery did not read counts when it still holds no document of GRAPH_KINDS).
 */
export function versionOnlyEdit(file: string, before: readonly DocRef[] | undefined, after: readonly DocRef[]): boolean {
	const kustomization = isKustomizationFile(file);
	// A file discovery did not read (a workload outside every kustomization's resources): nothing it
	// found came from there, and the new text gives the graph nothing to read either.
	if (!before) return !kustomization && after.every((d) => !GRAPH_KINDS.has(d.kind));
	if (before.length !== after.length || before.length === 0) return false;
	const same = kustomization ? sameKustomization : sameWorkload;
	for (let i = 0; i < before.length; i++) if (before[i].documentIndex !== after[i].documentIndex || !same(before[i], after[i])) return false;
	return true;
}

function sameKustomization(a: DocRef, b: DocRef): boolean {
	return isKustomize(a) && isKustomize(b) && sameExceptImageVersions(a.value, b.value);
}

function sameWorkload(a: DocRef, b: DocRef): boolean {
	if (GRAPH_KINDS.has(a.kind) || GRAPH_KINDS.has(b.kind)) return false;
	if (a.apiVersion !== b.apiVersion || a.kind !== b.kind || a.name !== b.name || a.namespace !== b.namespace) return false;
	const labels = (d: DocRef) => (isPlainObject(d.value.metadata) ? d.value.metadata.labels : undefined);
	return equal(labels(a), labels(b));
}

/** Where an edit of a file starts: the first character its old and new texts differ at, in the old text. */
export interface EditStart {
	file: string;
	line: number;
	character: number;
}

/** The start of the edit that turned `before` into `after` (undefined: the texts are the same). */
export function editStart(file: string, before: string, after: string): EditStart | undefined {
	const at = commonPrefix(before, after, Math.min(before.length, after.length));
	if (at === before.length && at === after.length) return undefined;
	let line = 0;
	let lineStart = 0;
	for (let i = before.indexOf('\n'); i !== -1 && i < at; i = before.indexOf('\n', i + 1)) {
		line++;
		lineStart = i + 1;
	}
	return { file, line, character: at - lineStart };
}

/**
 * Whether a model's graph (its versions apart) holds a place in an edited file at or after where
 * the edit starts: a problem, a cluster, a sync, an app or an environment located there. Such a
 * place was computed on the file's old text, and its range may be stale after an edit that changes
 * lengths, so discovery runs in full. A place wholly before the edit is where it was: a problem on a
 * kustomization's resources stays put when a tag below it changes, a HelmRelease's name when its
 * chart version does.
 */
export function placedAfter(model: FleetModel, edits: readonly EditStart[]): boolean {
	const starts = new Map(edits.map((e) => [e.file, e]));
	const after = (l: SourceLocation | undefined) => {
		const edit = l === undefined ? undefined : starts.get(l.file);
		if (edit === undefined) return false;
		const end = l!.range.end;
		return end.line > edit.line || (end.line === edit.line && end.character > edit.character);
	};
	return (
		model.problems.some((p) => after(p.location)) ||
		model.clusters.some((c) => after(c.location) || c.syncs.some((s) => after(s.location))) ||
		model.apps.some((a) => after(a.location) || after(a.promotion?.location)) ||
		model.environments.some((e) => after(e.location) || after(e.promotion?.location))
	);
}

/** A kustomize kustomization document (kustomize reads one without apiVersion and kind too). */
function isKustomize(d: DocRef): boolean {
	return (d.apiVersion === '' || d.apiVersion.startsWith('kustomize.config.k8s.io/')) && (d.kind === '' || d.kind === 'Kustomization' || d.kind === 'Component');
}

const VERSION_FIELDS = new Set(['newTag', 'digest']);

function sameExceptImageVersions(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
	if (!sameKeys(a, b)) return false;
	for (const k of Object.keys(a)) {
		if (k !== 'images') {
			if (!equal(a[k], b[k])) return false;
			continue;
		}
		const x = a.images;
		const y = b.images;
		if (!Array.isArray(x) || !Array.isArray(y) || x.length !== y.length) return equal(x, y);
		for (let i = 0; i < x.length; i++) {
			const e = x[i];
			const f = y[i];
			if (!isPlainObject(e) || !isPlainObject(f)) {
				if (!equal(e, f)) return false;
				continue;
			}
			if (!sameKeys(e, f)) return false;
			for (const key of Object.keys(e)) if (!VERSION_FIELDS.has(key) && !equal(e[key], f[key])) return false;
		}
	}
	return true;
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

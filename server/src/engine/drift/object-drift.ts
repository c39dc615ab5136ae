import { isPlainObject } from '../core/resource';
import type { PathKey, RenderedObject } from '../kustomize/types';
import type { LiveObject } from '../live/full-objects';
import type { DriftField, DriftObject } from '../../../../shared/protocol';
import { compareObjects, type Difference } from './compare';
import type { IgnoreRule, IgnoreRules } from './ignore';
import type { Locator } from './locate';
import { ownerOf } from './managers';
import { formatPath, type Segment } from './paths';

/**
 * One object Git sends and its live counterpart: in sync, drifted (the fields, with Git's value,
 * the live one, who set it and when, and the line that declares it), or skipped by an annotation
 * or an ignore rule. Flux's `kustomize.toolkit.fluxcd.io/ssa: Ignore` and `reconcile: disabled`
 * (on either side) skip the object; `ssa: IfNotPresent` in Git checks only that it exists.
 */

const SSA = 'kustomize.toolkit.fluxcd.io/ssa';
const RECONCILE = 'kustomize.toolkit.fluxcd.io/reconcile';

function annotation(obj: { metadata?: unknown }, key: string): string | undefined {
	const m = isPlainObject(obj.metadata) ? obj.metadata : undefined;
	const a = m && isPlainObject(m.annotations) ? m.annotations : undefined;
	const v = a?.[key];
	return typeof v === 'string' ? v : undefined;
}

/** Why Flux leaves the object alone, if it does (annotations in Git or on the live object). */
export function fluxSkip(desired: Record<string, unknown>, live: LiveObject | undefined): string | undefined {
	for (const [side, obj] of [['Git', desired], ['the live object', live]] as const) {
		if (!obj) continue;
		if (annotation(obj, SSA)?.toLowerCase() === 'ignore') return `${side} sets ${SSA}: Ignore, so Flux neither applies nor corrects this object.`;
		if (annotation(obj, RECONCILE)?.toLowerCase() === 'disabled') return `${side} sets ${RECONCILE}: disabled, so Flux does not reconcile this object.`;
	}
	return undefined;
}

export function ifNotPresent(desired: Record<string, unknown>): boolean {
	return annotation(desired, SSA)?.toLowerCase() === 'ifnotpresent';
}

/** The JSON path in an object that a field path names (list items found by their merge keys), as far as it exists. */
export function resolveSegments(obj: unknown, segs: readonly Segment[]): PathKey[] {
	const out: PathKey[] = [];
	let cur: unknown = obj;
	for (const s of segs) {
		if ('key' in s) {
			if (!isPlainObject(cur)) break;
			out.push(s.key);
			cur = cur[s.key];
		} else if ('index' in s) {
			if (!Array.isArray(cur)) break;
			out.push(s.index);
			cur = cur[s.index];
		} else {
			if (!Array.isArray(cur)) break;
			const i = cur.findIndex((x) => isPlainObject(x) && Object.entries(s.item).every(([k, v]) => String(x[k] ?? (k === 'protocol' ? 'TCP' : '')) === String(v)));
			if (i === -1) break;
			out.push(i);
			cur = cur[i];
		}
	}
	return out;
}

export interface ObjectDriftInput {
	rendered: RenderedObject;
	live: LiveObject;
	/** The base of the report entry (identity and first line). */
	entry: DriftObject;
	rules: IgnoreRules;
	matching: IgnoreRule[];
	/** Field paths another controller owns here (`spec.replicas` under an HPA). */
	controllerOwned: readonly string[];
	argoTracked: boolean;
	locate?: Locator;
	/** The object after a server-side apply dry-run: the server's exact answer, compared instead of Git's text. */
	predicted?: Record<string, unknown>;
	metadataOnly?: boolean;
}

export function objectDrift(input: ObjectDriftInput): DriftObject {
	const { rendered, live, entry } = input;
	const desired = rendered.value;
	const fieldIgnored = input.rules.fieldMatcher(input.matching, desired, live, live.metadata.managedFields);
	const ignored = (segs: readonly Segment[], dpath: readonly PathKey[], lpath: readonly PathKey[], leaf: boolean) =>
		input.controllerOwned.includes(formatPath(segs)) || fieldIgnored(segs, dpath, lpath, leaf);
	const compared = input.predicted ?? desired;
	let diffs: Difference[] = compareObjects(compared, live, { ignored, argoTracked: input.argoTracked });
	if (input.predicted) {
		// The dry-run's fields map back to Git's by name and merge key; a field Git does not write
		// (a default the server fills the same way on both sides) cannot differ.
		diffs = diffs.map((d) => ({ ...d, desiredPath: resolveSegments(desired, d.segs) }));
	}
	const fields: DriftField[] = diffs.map((d) => {
		const owner = ownerOf(live.metadata.managedFields, d.segs);
		const at = rendered.originOf(d.desiredPath);
		return {
			path: formatPath(d.segs),
			desired: d.desired ?? null,
			live: d.live === undefined ? null : d.live,
			manager: owner?.manager ?? null,
			time: owner?.time ?? null,
			source: input.locate?.(at) ?? null,
		};
	});
	const secretNote = input.metadataOnly ? 'Secret data is never read: only its labels, annotations and type are compared.' : null;
	if (fields.length === 0) return { ...entry, state: 'in-sync', reason: secretNote };
	return { ...entry, state: 'drifted', fields, reason: secretNote };
}

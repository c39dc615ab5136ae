import { isPlainObject } from '../core/resource';
import { fieldSchema, isAssociative, schemaFor, type PatchSchema } from '../kustomize/patch-meta';
import type { PathKey } from '../kustomize/types';
import { COMPARED_METADATA, isControllerKey, isEmptyValue, normaliseSecret, sameScalar } from './normalise';
import type { Segment } from './paths';

/**
 * The desired-subset comparison (Argo CD's two-way diff): only the fields Git declares are
 * compared, so whatever the server or a controller adds (defaults, status, server metadata,
 * tracking labels) is never drift. Maps compare key by key, lists with merge keys item by item
 * (containers by name, ports by port and protocol, env by name), other lists whole but each item
 * again as a subset. Returns one difference per field that differs, with its path in the desired
 * object (for the source line) and in the live one (for ignore rules and managedFields).
 */

export interface Difference {
	segs: Segment[];
	desiredPath: PathKey[];
	livePath: PathKey[];
	/** The value Git declares. */
	desired: unknown;
	/** The live value; undefined when the field (or list item) is absent. */
	live: unknown;
}

export interface CompareOptions {
	/** Whether a difference at these paths is ignored (ignore rules, fields another controller owns). */
	ignored?: (segs: readonly Segment[], desiredPath: readonly PathKey[], livePath: readonly PathKey[], leaf: boolean) => boolean;
	/** The object is tracked by Argo CD through the `app.kubernetes.io/instance` label. */
	argoTracked?: boolean;
}

/** Defaults of merge keys: a port without `protocol` is TCP. */
const KEY_DEFAULTS: Record<string, string> = { protocol: 'TCP' };

interface Walk {
	diffs: Difference[];
	options: CompareOptions;
}

function keyOf(item: unknown, keys: readonly string[]): Record<string, string | number | boolean> | undefined {
	if (!isPlainObject(item)) return undefined;
	const out: Record<string, string | number | boolean> = {};
	for (const k of keys) {
		const v = item[k] ?? KEY_DEFAULTS[k];
		if (v === undefined) continue;
		if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return undefined;
		out[k] = v;
	}
	return Object.keys(out).length > 0 ? out : undefined;
}

function sameItemKey(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
	const ka = Object.keys(a);
	return ka.length === Object.keys(b).length && ka.every((k) => String(a[k]) === String(b[k]));
}

/** Records a difference unless a rule ignores that very field (`leaf`: managers are asked about fields, not about the maps above them). */
function push(w: Walk, d: Difference): void {
	if (!w.options.ignored?.(d.segs, d.desiredPath, d.livePath, true)) w.diffs.push(d);
}

function walk(w: Walk, desired: unknown, live: unknown, segs: Segment[], dpath: PathKey[], lpath: PathKey[], keys: string[], schema: PatchSchema | undefined): void {
	if (w.options.ignored?.(segs, dpath, lpath, false)) return;
	if (isPlainObject(desired)) {
		if (live !== undefined && live !== null && !isPlainObject(live)) return void push(w, { segs, desiredPath: dpath, livePath: lpath, desired, live });
		const l = (live ?? {}) as Record<string, unknown>;
		for (const [k, v] of Object.entries(desired)) {
			walk(w, v, l[k], [...segs, { key: k }], [...dpath, k], [...lpath, k], [...keys, k], fieldSchema(schema, k));
		}
		return;
	}
	if (Array.isArray(desired)) {
		if (desired.length === 0 && isEmptyValue(live)) return;
		if (!Array.isArray(live)) return void push(w, { segs, desiredPath: dpath, livePath: lpath, desired, live: live ?? undefined });
		const mergeKeys = isAssociative(schema) ? (schema?.keys ?? []) : [];
		if (mergeKeys.length > 0 && desired.every((d) => keyOf(d, mergeKeys))) {
			desired.forEach((d, i) => {
				const key = keyOf(d, mergeKeys)!;
				const j = live.findIndex((x) => {
					const lk = keyOf(x, mergeKeys);
					return lk !== undefined && sameItemKey(key, lk);
				});
				const itemSegs: Segment[] = [...segs, { item: key }];
				if (j === -1) {
					push(w, { segs: itemSegs, desiredPath: [...dpath, i], livePath: lpath, desired: d, live: undefined });
					return;
				}
				walk(w, d, live[j], itemSegs, [...dpath, i], [...lpath, j], keys, schema?.elements);
			});
			return;
		}
		if (isAssociative(schema) && mergeKeys.length === 0) {
			// A set of scalars (finalizers): every desired value must be there; others may be added.
			const missing = desired.filter((d) => !live.some((x) => sameScalar(d, x, keys)));
			if (missing.length > 0) push(w, { segs, desiredPath: dpath, livePath: lpath, desired, live });
			return;
		}
		// An atomic list: same length, each item the same (maps inside it again as subsets).
		if (desired.length !== live.length) return void push(w, { segs, desiredPath: dpath, livePath: lpath, desired, live });
		desired.forEach((d, i) => walk(w, d, live[i], [...segs, { index: i }], [...dpath, i], [...lpath, i], keys, schema?.elements));
		return;
	}
	if (!sameScalar(desired, live, keys)) push(w, { segs, desiredPath: dpath, livePath: lpath, desired, live: live ?? undefined });
}

/**
 * The differences between what Git declares for an object and the live object. Both are plain
 * objects; `status` and every metadata field but labels and annotations are left out, as are the
 * labels and annotations controllers write, and a Secret's data (never read).
 */
export function compareObjects(desired: Record<string, unknown>, live: Record<string, unknown>, options: CompareOptions = {}): Difference[] {
	const w: Walk = { diffs: [], options };
	const apiVersion = String(desired.apiVersion ?? '');
	const kind = String(desired.kind ?? '');
	const schema = schemaFor(apiVersion, kind);
	const d = kind === 'Secret' ? normaliseSecret(desired) : desired;
	for (const [k, v] of Object.entries(d)) {
		if (k === 'apiVersion' || k === 'kind' || k === 'status') continue;
		// A Secret's data is never read, so never compared.
		if (kind === 'Secret' && apiVersion === 'v1' && (k === 'data' || k === 'stringData')) continue;
		if (k === 'metadata') {
			if (!isPlainObject(v)) continue;
			const lm = isPlainObject(live.metadata) ? live.metadata : {};
			for (const [mk, mv] of Object.entries(v)) {
				if (!COMPARED_METADATA.has(mk) || !isPlainObject(mv)) continue;
				const lmap = isPlainObject(lm[mk]) ? (lm[mk] as Record<string, unknown>) : {};
				for (const [key, value] of Object.entries(mv)) {
					if (isControllerKey(key, options.argoTracked === true)) continue;
					// Label and annotation values are strings: kustomize writes `replicas: 3` as "3".
					walk(w, value === null || value === undefined ? value : String(value), lmap[key], [{ key: 'metadata' }, { key: mk }, { key }], ['metadata', mk, key], ['metadata', mk, key], ['metadata', mk, key], undefined);
				}
			}
			continue;
		}
		walk(w, v, live[k], [{ key: k }], [k], [k], [k], fieldSchema(schema, k));
	}
	return w.diffs;
}

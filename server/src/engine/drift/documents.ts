import { isPlainObject } from '../core/resource';
import type { LiveObject } from '../live/full-objects';
import { maskSecret, normaliseSecret } from './normalise';

/**
 * The two documents a Show Diff opens for one object: Git's, normalised as the API server would
 * store it (a Secret's `stringData` as `data`), and the live one cut to the fields Git declares
 * (so defaults and status do not fill the diff), both without server metadata, Secret values
 * masked (`***`: the keys show, never the values; live Secret data is never read anyway).
 */
export interface DriftDocuments {
	desired: Record<string, unknown>;
	live: Record<string, unknown> | undefined;
}

const SERVER_META = new Set(['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'selfLink', 'ownerReferences']);

function subset(desired: unknown, live: unknown): unknown {
	if (isPlainObject(desired) && isPlainObject(live)) {
		const out: Record<string, unknown> = {};
		for (const k of Object.keys(desired)) if (k in live) out[k] = subset(desired[k], live[k]);
		return out;
	}
	return live;
}

function cleanMeta(obj: Record<string, unknown>): Record<string, unknown> {
	const meta = isPlainObject(obj.metadata) ? { ...obj.metadata } : {};
	for (const k of SERVER_META) delete meta[k];
	const out: Record<string, unknown> = { ...obj, metadata: meta };
	delete out.status;
	return out;
}

export function driftDocuments(desired: Record<string, unknown>, live: LiveObject | undefined): DriftDocuments {
	const d = cleanMeta(maskSecret(normaliseSecret(desired)));
	if (!live) return { desired: d, live: undefined };
	const l = cleanMeta(maskSecret(live as unknown as Record<string, unknown>));
	// Top-level identity stays; below it, only what Git declares (lists whole: their items may move).
	const out: Record<string, unknown> = { apiVersion: l.apiVersion, kind: l.kind };
	for (const k of Object.keys(d)) if (k in l && k !== 'apiVersion' && k !== 'kind') out[k] = subset(d[k], l[k]);
	return { desired: d, live: out };
}

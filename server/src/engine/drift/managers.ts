import type { ManagedFieldsEntry } from '../live/full-objects';
import type { Segment } from './paths';

/**
 * Who changed a field: the live object's `managedFields` name, per field, the manager that last
 * set it (`kubectl-edit`, `kubectl-client-side-apply`, `helm`, `kustomize-controller`...) and when.
 * A field is owned by an entry whose `fieldsV1` reaches it (`f:` map keys, `k:` list items by
 * their merge keys, `i:` positions, `v:` set values), or reaches a leaf above it (an atomic list
 * or map is owned whole).
 */

export interface FieldOwner {
	manager: string;
	time?: string;
	operation?: string;
}

function sameKey(a: Record<string, unknown>, b: Record<string, string | number | boolean>): boolean {
	const ka = Object.keys(a);
	if (ka.length !== Object.keys(b).length) return false;
	return ka.every((k) => k in b && String(a[k]) === String(b[k]));
}

/** The child of a fieldsV1 node for one segment, or undefined. */
function child(node: Record<string, unknown>, seg: Segment): Record<string, unknown> | undefined {
	let next: unknown;
	if ('key' in seg) next = node[`f:${seg.key}`];
	else if ('index' in seg) next = node[`i:${seg.index}`];
	else {
		for (const [k, v] of Object.entries(node)) {
			if (!k.startsWith('k:')) continue;
			try {
				const key = JSON.parse(k.slice(2)) as Record<string, unknown>;
				if (key && typeof key === 'object' && sameKey(key, seg.item)) {
					next = v;
					break;
				}
			} catch {
				/* a malformed key owns nothing */
			}
		}
	}
	return next && typeof next === 'object' ? (next as Record<string, unknown>) : undefined;
}

function owns(fields: Record<string, unknown>, segs: readonly Segment[]): boolean {
	let node = fields;
	for (const seg of segs) {
		// An empty node is a leaf: the value below it is owned whole.
		if (Object.keys(node).length === 0) return true;
		const next = child(node, seg);
		if (!next) return false;
		node = next;
	}
	return true;
}

/**
 * The manager of a field: the entries that own it, the latest first (several managers can share a
 * field they set to the same value; the last to write it is the one a person asks about).
 */
export function ownerOf(entries: readonly ManagedFieldsEntry[] | undefined, segs: readonly Segment[]): FieldOwner | undefined {
	if (!entries || entries.length === 0) return undefined;
	let best: ManagedFieldsEntry | undefined;
	for (const e of entries) {
		if (e.subresource === 'status' || !e.fieldsV1) continue;
		if (!owns(e.fieldsV1, segs)) continue;
		if (!best || (e.time ?? '') > (best.time ?? '')) best = e;
	}
	return best ? { manager: best.manager, ...(best.time ? { time: best.time } : {}), ...(best.operation ? { operation: best.operation } : {}) } : undefined;
}

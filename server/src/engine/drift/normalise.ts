import { base64OfText } from '../kustomize/encoding';
import { isQuantityPath, sameQuantity } from './quantity';

/**
 * What makes two values the same for drift, although they are written differently: an empty value
 * and an absent one, an integer and the same float, two spellings of one quantity, a Secret's
 * `stringData` and the base64 `data` the API server turns it into. And what is never drift
 * whatever its value: status, server metadata, and the labels and annotations controllers add.
 */

export function isEmptyValue(v: unknown): boolean {
	if (v === undefined || v === null || v === '') return true;
	if (Array.isArray(v)) return v.length === 0;
	if (typeof v === 'object') return Object.keys(v as object).length === 0;
	return false;
}

/**
 * Whether a desired scalar and a live one are equal. `keys` is the path of map keys (list steps
 * left out) that says whether the value is a quantity. Numbers compare by value (so `1` and
 * `1.0` are equal); a number and a numeric string are equal only as quantities.
 */
export function sameScalar(desired: unknown, live: unknown, keys: readonly string[]): boolean {
	if (isEmptyValue(desired) && isEmptyValue(live)) return true;
	if (desired === live) return true;
	if (typeof desired === 'number' && typeof live === 'number') return desired === live;
	if (isQuantityPath(keys) && sameQuantity(desired, live)) return true;
	return false;
}

/** Metadata fields the server owns: never compared. Only labels and annotations of metadata are. */
export const COMPARED_METADATA = new Set(['labels', 'annotations']);

/**
 * Labels and annotations that controllers add or rewrite (GitOps ownership and tracking,
 * rollout bookkeeping, kubectl's client-side apply record): never drift, even where Git writes
 * them. `kubectl.kubernetes.io/last-applied-configuration` can hold a Secret's data: it is never kept.
 */
const CONTROLLER_KEY = /^(kustomize\.toolkit\.fluxcd\.io\/|helm\.toolkit\.fluxcd\.io\/|meta\.helm\.sh\/|argocd\.argoproj\.io\/tracking-id$|argocd\.argoproj\.io\/instance$|deployment\.kubernetes\.io\/|kubectl\.kubernetes\.io\/last-applied-configuration$|kubectl\.kubernetes\.io\/restartedAt$|kustomize\.toolkit\.fluxcd\.io\/checksum$)/;

/** Flux's per-object annotations (`ssa`, `reconcile`, `prune`, `force`) are instructions to Flux, still never drift themselves. */
export function isControllerKey(key: string, argoTracked: boolean): boolean {
	if (CONTROLLER_KEY.test(key)) return true;
	// Argo CD's label tracking writes the Application's name into app.kubernetes.io/instance.
	return argoTracked && key === 'app.kubernetes.io/instance';
}

/**
 * A Secret as the API server stores it: `stringData` merged into `data` as base64 (stringData
 * wins), line breaks of a wrapped base64 value removed. Returns a new object; other kinds unchanged.
 */
export function normaliseSecret(obj: Record<string, unknown>): Record<string, unknown> {
	if (obj.kind !== 'Secret' || (obj.apiVersion !== 'v1' && obj.apiVersion !== undefined)) return obj;
	const data: Record<string, unknown> = {};
	if (obj.data && typeof obj.data === 'object') for (const [k, v] of Object.entries(obj.data as Record<string, unknown>)) data[k] = typeof v === 'string' ? v.replace(/\s+/g, '') : v;
	if (obj.stringData && typeof obj.stringData === 'object') for (const [k, v] of Object.entries(obj.stringData as Record<string, unknown>)) data[k] = base64OfText(String(v ?? ''));
	const out: Record<string, unknown> = { ...obj };
	delete out.stringData;
	if (Object.keys(data).length > 0) out.data = data;
	else delete out.data;
	return out;
}

/** A Secret's values replaced by `***` (for anything shown): the keys stay, the values never. */
export function maskSecret(obj: Record<string, unknown>): Record<string, unknown> {
	if (obj.kind !== 'Secret') return obj;
	const out: Record<string, unknown> = { ...obj };
	for (const field of ['data', 'stringData']) {
		const v = out[field];
		if (v && typeof v === 'object') out[field] = Object.fromEntries(Object.keys(v).map((k) => [k, '***']));
	}
	return out;
}

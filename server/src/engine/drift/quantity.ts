/**
 * Kubernetes resource quantities (`500m`, `0.5`, `1Gi`, `1024Mi`, `1e3`), read as numbers so that
 * two spellings of one amount compare equal: the API server rewrites every quantity it stores in
 * its canonical form (`0.5` becomes `500m`, `1024Mi` becomes `1Gi`), so Git and the cluster often
 * spell the same value differently.
 */

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:(Ki|Mi|Gi|Ti|Pi|Ei)|([eE][+-]?\d+)|(n|u|m|k|M|G|T|P|E))?$/;

/** The amount a quantity stands for, or undefined when the value is not a quantity. */
export function quantityValue(v: unknown): number | undefined {
	if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
	if (typeof v !== 'string') return undefined;
	const m = QUANTITY.exec(v.trim());
	if (!m) return undefined;
	const base = Number(m[1]);
	if (!Number.isFinite(base)) return undefined;
	if (m[2]) return base * BINARY[m[2]];
	if (m[3]) return base * 10 ** Number(m[3].slice(1));
	return base * DECIMAL[m[4] ?? ''];
}

/** Whether two values are the same quantity (within the rounding of a float). */
export function sameQuantity(a: unknown, b: unknown): boolean {
	const x = quantityValue(a);
	const y = quantityValue(b);
	if (x === undefined || y === undefined) return false;
	if (x === y) return true;
	return Math.abs(x - y) <= Math.max(Math.abs(x), Math.abs(y)) * 1e-12;
}

/**
 * Paths whose values are quantities in the built-in kinds: container and pod resources, resource
 * quotas and limit ranges, volume sizes and capacities. A key below one of these maps is a resource
 * name (`cpu`, `memory`, `nvidia.com/gpu`), its value a quantity.
 */
const QUANTITY_MAPS = new Set(['limits', 'requests', 'hard', 'capacity', 'allocatable', 'overhead', 'default', 'defaultRequest', 'max', 'min', 'maxLimitRequestRatio']);
const QUANTITY_KEYS = new Set(['sizeLimit', 'storage']);

export function isQuantityPath(keys: readonly string[]): boolean {
	const n = keys.length;
	if (n === 0) return false;
	if (QUANTITY_KEYS.has(keys[n - 1])) return true;
	return n >= 2 && QUANTITY_MAPS.has(keys[n - 2]);
}

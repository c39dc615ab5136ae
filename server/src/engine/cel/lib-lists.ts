import { celFunc, celMethod, CelScalar, isCelList, isCelUint, type CelFunc, type CelList, type CelValue } from '@bufbuild/cel';
import { CelEvalError, Opaque } from './values';

/**
 * The Kubernetes list library (`isSorted`, `sum`, `min`, `max`, `indexOf`, `lastIndexOf`,
 * `includes`) and cel-go's sets extension Kubernetes enables (`sets.contains`, `sets.equivalent`,
 * `sets.intersects`). Elements compare as CEL compares them: numbers across int, uint and double,
 * strings, bools, bytes.
 */

const DYN = CelScalar.DYN;

function list(v: unknown): CelValue[] {
	if (!isCelList(v)) throw new CelEvalError('no such overload: expected a list');
	return [...(v as CelList)];
}

function num(v: CelValue): number | bigint | undefined {
	if (typeof v === 'bigint' || typeof v === 'number') return v;
	if (isCelUint(v)) return v.value;
	return undefined;
}

/** CEL ordering of two comparable values: -1, 0, 1; throws for values without an order. */
export function compareCel(a: CelValue, b: CelValue): number {
	const x = num(a);
	const y = num(b);
	if (x !== undefined && y !== undefined) return x < y ? -1 : x > y ? 1 : 0;
	if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
	if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1;
	if (a instanceof Uint8Array && b instanceof Uint8Array) {
		for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
		return a.length - b.length;
	}
	throw new CelEvalError('no such overload: values are not comparable');
}

/** CEL equality for the values lists hold (deep for lists and maps, numeric across types). */
export function equalCel(a: CelValue, b: CelValue): boolean {
	const x = num(a);
	const y = num(b);
	if (x !== undefined && y !== undefined) return x == y; // eslint-disable-line eqeqeq
	if (a instanceof Opaque || b instanceof Opaque) return a instanceof Opaque && b instanceof Opaque && a.toString() === b.toString() && a.typeName === b.typeName;
	if (isCelList(a) && isCelList(b)) {
		const l = list(a);
		const r = list(b);
		return l.length === r.length && l.every((v, i) => equalCel(v, r[i]));
	}
	if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && 'entries' in a && 'entries' in b && !isCelList(a) && !isCelList(b)) {
		const l = a as unknown as Map<unknown, CelValue>;
		const r = b as unknown as Map<unknown, CelValue>;
		if (l.size !== r.size) return false;
		for (const [k, v] of l.entries()) {
			const w = r.get(k);
			if (w === undefined || !equalCel(v, w)) return false;
		}
		return true;
	}
	if (a instanceof Uint8Array && b instanceof Uint8Array) return compareCel(a, b) === 0;
	return a === b;
}

function sum(items: CelValue[]): CelValue {
	if (items.length === 0) return 0n;
	let acc: CelValue = items[0];
	for (const v of items.slice(1)) {
		if (typeof acc === 'bigint' && typeof v === 'bigint') acc = acc + v;
		else if (typeof acc === 'number' && typeof v === 'number') acc = acc + v;
		else if (isCelUint(acc) && isCelUint(v)) acc = { ...acc, value: acc.value + v.value } as CelValue;
		else throw new CelEvalError('no such overload: sum of mixed or non-numeric elements');
	}
	return acc;
}

function extreme(items: CelValue[], name: string, sign: number): CelValue {
	if (items.length === 0) throw new CelEvalError(`${name} called on empty list`);
	let best = items[0];
	for (const v of items.slice(1)) if (compareCel(v, best) * sign > 0) best = v;
	return best;
}

export function listFunctions(): CelFunc[] {
	const L = CelScalar.DYN;
	return [
		celMethod('isSorted', L, [], CelScalar.BOOL, function () {
			const items = list(this);
			for (let i = 1; i < items.length; i++) if (compareCel(items[i - 1], items[i]) > 0) return false;
			return true;
		}),
		celMethod('sum', L, [], DYN, function () {
			return sum(list(this));
		}),
		celMethod('min', L, [], DYN, function () {
			return extreme(list(this), 'min', -1);
		}),
		celMethod('max', L, [], DYN, function () {
			return extreme(list(this), 'max', 1);
		}),
		celMethod('indexOf', L, [DYN], CelScalar.INT, function (x) {
			if (typeof this === 'string') throw new CelEvalError('no such overload');
			return BigInt(list(this).findIndex((v) => equalCel(v, x)));
		}),
		celMethod('lastIndexOf', L, [DYN], CelScalar.INT, function (x) {
			if (typeof this === 'string') throw new CelEvalError('no such overload');
			const items = list(this);
			for (let i = items.length - 1; i >= 0; i--) if (equalCel(items[i], x)) return BigInt(i);
			return -1n;
		}),
		celMethod('includes', DYN, [DYN], CelScalar.BOOL, function (x) {
			return isCelList(this) ? list(this).some((v) => equalCel(v, x)) : equalCel(this, x);
		}),
		celFunc('sets.contains', [DYN, DYN], CelScalar.BOOL, (a, b) => list(b).every((x) => list(a).some((y) => equalCel(x, y)))),
		celFunc('sets.equivalent', [DYN, DYN], CelScalar.BOOL, (a, b) => list(b).every((x) => list(a).some((y) => equalCel(x, y))) && list(a).every((x) => list(b).some((y) => equalCel(x, y)))),
		celFunc('sets.intersects', [DYN, DYN], CelScalar.BOOL, (a, b) => list(a).some((x) => list(b).some((y) => equalCel(x, y)))),
	];
}

/**
 * Kubernetes resource quantities (`resource.Quantity`: `1.5Gi`, `200m`, `1e3`) as exact rationals,
 * and Go durations (`time.ParseDuration`: `1h30m`, `500ms`). Shared by the CEL quantity library and
 * the Kyverno operators, which compare both.
 */

/** An exact quantity: num / den, den > 0 and a power of ten. */
export interface Quantity {
	readonly num: bigint;
	readonly den: bigint;
}

const BINARY: Record<string, bigint> = { Ki: 1n << 10n, Mi: 1n << 20n, Gi: 1n << 30n, Ti: 1n << 40n, Pi: 1n << 50n, Ei: 1n << 60n };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;

const pow10 = (n: number): bigint => 10n ** BigInt(n);

/** Parses a quantity as `resource.ParseQuantity` does, or undefined where Kubernetes rejects it. */
export function parseQuantity(text: string): Quantity | undefined {
	const m = QUANTITY.exec(text.trim() === text ? text : '');
	if (!m || text.length > 256) return undefined;
	const [, sign, number, suffix = ''] = m;
	const [int, frac = ''] = number.split('.');
	let num = BigInt((int || '0') + frac) * (sign === '-' ? -1n : 1n);
	let den = pow10(frac.length);
	if (suffix in BINARY) num *= BINARY[suffix];
	else {
		const exp = suffix in DECIMAL ? DECIMAL[suffix] : Number(suffix.slice(1));
		if (Math.abs(exp) > 1000) return undefined;
		if (exp >= 0) num *= pow10(exp);
		else den *= pow10(-exp);
	}
	return normalise(num, den);
}

function gcd(a: bigint, b: bigint): bigint {
	a = a < 0n ? -a : a;
	while (b) [a, b] = [b, a % b];
	return a;
}

function normalise(num: bigint, den: bigint): Quantity {
	if (num === 0n) return { num: 0n, den: 1n };
	const g = gcd(num, den);
	return { num: num / g, den: den / g };
}

export function compareQuantities(a: Quantity, b: Quantity): -1 | 0 | 1 {
	const l = a.num * b.den;
	const r = b.num * a.den;
	return l < r ? -1 : l > r ? 1 : 0;
}

export function addQuantities(a: Quantity, b: Quantity): Quantity {
	return normalise(a.num * b.den + b.num * a.den, a.den * b.den);
}

export function scaleQuantity(a: Quantity, factor: bigint): Quantity {
	return normalise(a.num * factor, a.den);
}

export const quantityOfInt = (n: bigint): Quantity => ({ num: n, den: 1n });

/** The value as an int64, or undefined where that would overflow or lose precision. */
export function quantityAsInteger(q: Quantity): bigint | undefined {
	if (q.num % q.den !== 0n) return undefined;
	const v = q.num / q.den;
	return v >= -(1n << 63n) && v < 1n << 63n ? v : undefined;
}

export function quantityAsFloat(q: Quantity): number {
	return Number(q.num) / Number(q.den);
}

/** A canonical text of the value (equal quantities, equal texts): `3/2`, `1000`. */
export function quantityKey(q: Quantity): string {
	return q.den === 1n ? q.num.toString() : `${q.num}/${q.den}`;
}

// µ (micro sign) and μ (Greek mu) are both accepted, as Go's time.ParseDuration does; written as escapes
// so that the bundles stay Latin-1 (esbuild.js).
const DURATION_UNITS: Record<string, number> = { ns: 1e-9, us: 1e-6, '\u00b5s': 1e-6, '\u03bcs': 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
const DURATION_PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h)/y;

/** Parses a Go duration (`1h30m`, `-1.5s`, `0`) to seconds, or undefined. */
export function parseDuration(text: string): number | undefined {
	let s = text;
	let sign = 1;
	if (s.startsWith('-') || s.startsWith('+')) {
		sign = s[0] === '-' ? -1 : 1;
		s = s.slice(1);
	}
	if (s === '0') return 0;
	if (s === '') return undefined;
	let total = 0;
	DURATION_PART.lastIndex = 0;
	let at = 0;
	while (at < s.length) {
		DURATION_PART.lastIndex = at;
		const m = DURATION_PART.exec(s);
		if (!m) return undefined;
		total += Number(m[1]) * DURATION_UNITS[m[2]];
		at = DURATION_PART.lastIndex;
	}
	return sign * total;
}

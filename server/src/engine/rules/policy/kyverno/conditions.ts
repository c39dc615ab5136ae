import semver from 'semver';
import { compareQuantities, parseDuration, parseQuantity } from '../../../cel';
import { isPlainObject } from '../../../core/resource';
import { wildcardMatch } from '../resources';
import { operatorOf, valueMatches } from './value-pattern';

/**
 * Kyverno conditions (`preconditions`, `deny.conditions`, foreach preconditions): `key operator
 * value` after variable substitution, combined with `any` / `all`. Each operator follows
 * pkg/engine/variables/operator: Equals, NotEquals, AnyIn, AllIn, AnyNotIn, AllNotIn, In, NotIn,
 * GreaterThan(OrEquals), LessThan(OrEquals) and the Duration* forms.
 */

export interface Condition {
	key?: unknown;
	operator?: unknown;
	value?: unknown;
	message?: unknown;
}

const sprint = (v: unknown): string => (typeof v === 'string' ? v : v === null || v === undefined ? '<nil>' : typeof v === 'object' ? JSON.stringify(v) : String(v));

function durations(a: unknown, b: unknown): [number, number] | undefined {
	const p = (v: unknown) => (typeof v === 'string' && /[a-z\u00b5\u03bc]/.test(v) ? parseDuration(v) : typeof v === 'number' ? undefined : undefined);
	const x = p(a);
	const y = p(b);
	return x !== undefined && y !== undefined ? [x, y] : undefined;
}

function deepEqual(a: unknown, b: unknown): boolean {
	if (a === b) return true;
	if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
	if (isPlainObject(a) && isPlainObject(b)) {
		const ka = Object.keys(a);
		return ka.length === Object.keys(b).length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
	}
	return false;
}

function equals(key: unknown, value: unknown): boolean {
	if (typeof key === 'boolean') return value === key;
	if (typeof key === 'number') {
		if (typeof value === 'number') return value === key;
		if (typeof value === 'string') return value.trim() !== '' && Number(value) === key;
		return false;
	}
	if (typeof key === 'string') {
		const d = durations(key, value);
		if (d) return d[0] === d[1];
		const qk = parseQuantity(key);
		if (qk && typeof value === 'string') {
			const qv = parseQuantity(value);
			return qv ? compareQuantities(qk, qv) === 0 : false;
		}
		return typeof value === 'string' && wildcardMatch(value, key);
	}
	if (Array.isArray(key) || isPlainObject(key)) return deepEqual(key, value);
	return false;
}

/** The values of an In-style operator's value: a list, a JSON list in a string, or one string. */
function valueList(value: unknown): string[] | undefined {
	if (Array.isArray(value)) return value.map(sprint);
	if (typeof value === 'number' || typeof value === 'boolean') return [sprint(value)];
	if (typeof value !== 'string') return undefined;
	const t = value.trim();
	if (t.startsWith('[')) {
		try {
			const parsed = JSON.parse(t) as unknown;
			if (Array.isArray(parsed)) return parsed.map(sprint);
		} catch {
			// not JSON: the string itself
		}
	}
	return [value];
}

const member = (k: string, values: string[]) => values.some((v) => wildcardMatch(k, v) || wildcardMatch(v, k));

function inRange(key: string, value: unknown): boolean | undefined {
	if (typeof value !== 'string') return undefined;
	const op = operatorOf(value);
	if (op !== '-') return undefined;
	return valueMatches(key, value);
}

function anyIn(key: unknown, value: unknown): boolean {
	const keys = Array.isArray(key) ? key.map(sprint) : typeof key === 'object' && key !== null ? undefined : [sprint(key)];
	if (!keys) return false;
	if (typeof value === 'string' && keys.length === 1 && (keys[0] === value || wildcardMatch(value, keys[0]))) return true;
	if (typeof value === 'string') {
		const r = keys.map((k) => inRange(k, value));
		if (r[0] !== undefined) return r.some(Boolean);
	}
	const values = valueList(value);
	return values ? keys.some((k) => member(k, values)) : false;
}

function allIn(key: unknown, value: unknown): boolean {
	const keys = Array.isArray(key) ? key.map(sprint) : typeof key === 'object' && key !== null ? undefined : [sprint(key)];
	if (!keys) return false;
	if (typeof value === 'string' && keys.length === 1 && (keys[0] === value || wildcardMatch(value, keys[0]))) return true;
	if (typeof value === 'string') {
		const r = keys.map((k) => inRange(k, value));
		if (r[0] !== undefined) return r.every(Boolean);
	}
	const values = valueList(value);
	return values ? keys.every((k) => member(k, values)) : false;
}

function anyNotIn(key: unknown, value: unknown): boolean {
	const keys = Array.isArray(key) ? key.map(sprint) : typeof key === 'object' && key !== null ? undefined : [sprint(key)];
	if (!keys) return false;
	if (typeof value === 'string' && !Array.isArray(key) && wildcardMatch(value, keys[0])) return false;
	if (typeof value === 'string') {
		const r = keys.map((k) => inRange(k, value));
		if (r[0] !== undefined) return r.some((x) => !x);
	}
	const values = valueList(value);
	return values ? keys.some((k) => !member(k, values)) : false;
}

function allNotIn(key: unknown, value: unknown): boolean {
	const keys = Array.isArray(key) ? key.map(sprint) : typeof key === 'object' && key !== null ? undefined : [sprint(key)];
	if (!keys) return false;
	if (typeof value === 'string') {
		const r = keys.map((k) => inRange(k, value));
		if (r[0] !== undefined) return r.every((x) => !x);
	}
	const values = valueList(value);
	return values ? keys.every((k) => !member(k, values)) : false;
}

function numeric(key: unknown, value: unknown, op: string): boolean {
	const cmp = (a: number, b: number) => (op === 'GreaterThan' ? a > b : op === 'GreaterThanOrEquals' ? a >= b : op === 'LessThan' ? a < b : a <= b);
	const d = durations(key, value);
	if (d) return cmp(d[0], d[1]);
	if (typeof key === 'string' && typeof value === 'string') {
		const qk = parseQuantity(key);
		const qv = parseQuantity(value);
		if (qk && qv) return cmp(compareQuantities(qk, qv), 0);
	}
	const asNumber = (v: unknown) => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)) ? Number(v) : undefined);
	const nk = asNumber(key);
	const nv = asNumber(value);
	if (nk !== undefined && nv !== undefined) return cmp(nk, nv);
	if (typeof key === 'string' && typeof value === 'string' && semver.valid(key) && semver.valid(value)) return cmp(semver.compare(key, value), 0);
	return false;
}

/** One condition, after substitution. Unknown operators are an error (the policy would be rejected). */
export function evaluateCondition(key: unknown, operator: string, value: unknown): boolean {
	switch (operator.toLowerCase()) {
		case 'equals':
		case 'equal':
			return equals(key, value);
		case 'notequals':
		case 'notequal':
			return !equals(key, value);
		case 'anyin':
			return anyIn(key, value);
		case 'allin':
			return allIn(key, value);
		case 'anynotin':
			return anyNotIn(key, value);
		case 'allnotin':
			return allNotIn(key, value);
		case 'in':
			return allIn(key, value);
		case 'notin':
			return !allIn(key, value);
		default: {
			const numericOp = NUMERIC[operator.toLowerCase().replace(/^duration/, '')];
			if (numericOp) return numeric(key, value, numericOp);
			throw new Error(`unknown condition operator ${JSON.stringify(operator)}`);
		}
	}
}

const NUMERIC: Record<string, string> = { greaterthan: 'GreaterThan', greaterthanorequals: 'GreaterThanOrEquals', lessthan: 'LessThan', lessthanorequals: 'LessThanOrEquals' };

/** `{ any: [...], all: [...] }` or a plain list (all of them). Substitution is the caller's. */
export function conditionBlocks(raw: unknown): { any: Condition[]; all: Condition[] } {
	if (Array.isArray(raw)) return { any: [], all: raw.filter(isPlainObject) as Condition[] };
	if (!isPlainObject(raw)) return { any: [], all: [] };
	return {
		any: Array.isArray(raw.any) ? (raw.any.filter(isPlainObject) as Condition[]) : [],
		all: Array.isArray(raw.all) ? (raw.all.filter(isPlainObject) as Condition[]) : [],
	};
}

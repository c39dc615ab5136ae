import { compareQuantities, parseDuration, parseQuantity } from '../../../cel';
import { isPlainObject } from '../../../core/resource';
import { wildcardMatch } from '../resources';

/**
 * One value against one pattern value of a Kyverno `pattern` (pkg/engine/pattern): booleans and
 * numbers compare by value, `null` matches zero values, a string is a `|` of `&` of conditions, each
 * an optional operator (`>`, `>=`, `<`, `<=`, `!`, a range `a-b`, `a!-b`) before a duration, a
 * quantity or a wildcard string.
 */

export type Operator = '' | '>=' | '<=' | '>' | '<' | '!' | '-' | '!-';

const NOT_IN_RANGE = /^(\d+(\.\d+)?)([^-]*)!-(\d+(\.\d+)?)([^-]*)$/;
const IN_RANGE = /^(\d+(\.\d+)?)([^-]*)-(\d+(\.\d+)?)([^-]*)$/;

/** The operator a pattern string starts with (GetOperatorFromStringPattern). */
export function operatorOf(pattern: string): Operator {
	if (pattern.length < 2) return '';
	for (const op of ['>=', '<=', '>', '<', '!'] as const) if (pattern.startsWith(op)) return op;
	if (NOT_IN_RANGE.test(pattern)) return '!-';
	if (IN_RANGE.test(pattern)) return '-';
	return '';
}

/** The value as Kyverno's convertNumberToString renders it for quantity comparison (nil is "0"). */
function numberText(value: unknown): string | undefined {
	if (value === null || value === undefined) return '0';
	if (typeof value === 'string') return value;
	if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(6);
	return undefined;
}

function compareBy(result: number, op: Operator): boolean {
	switch (op) {
		case '':
			return result === 0;
		case '!':
			return result !== 0;
		case '>':
			return result > 0;
		case '<':
			return result < 0;
		case '>=':
			return result >= 0;
		case '<=':
			return result <= 0;
		default:
			return false;
	}
}

function compareDuration(value: unknown, pattern: string, op: Operator): boolean {
	const p = parseDuration(pattern);
	const v = typeof value === 'string' ? parseDuration(value) : undefined;
	if (p === undefined || v === undefined || !/[a-z\u00b5\u03bc]/.test(pattern)) return false;
	return compareBy(v - p, op);
}

function compareQuantity(value: unknown, pattern: string, op: Operator): boolean {
	const p = parseQuantity(pattern);
	const text = numberText(value);
	const v = text === undefined ? undefined : parseQuantity(text);
	if (!p || !v) return false;
	return compareBy(compareQuantities(v, p), op);
}

/** Go's strconv.FormatFloat(v, 'E', -1, 64): `1.5E+00`. */
function goExp(v: number): string {
	const [m, e] = v.toExponential().split('e');
	const exp = Number(e);
	return `${m.toUpperCase()}E${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

function compareString(value: unknown, pattern: string, op: Operator): boolean {
	if (op !== '' && op !== '!') return false;
	let text: string;
	if (typeof value === 'string') text = value;
	else if (typeof value === 'number') text = Number.isInteger(value) ? String(value) : goExp(value);
	else if (typeof value === 'boolean') text = String(value);
	else return false;
	const m = wildcardMatch(pattern, text);
	return op === '!' ? !m : m;
}

function validateOne(value: unknown, pattern: string): boolean {
	const op = operatorOf(pattern);
	if (op === '-') {
		const [a, b] = pattern.split('-');
		return validateOne(value, `>= ${a}`) && validateOne(value, `<= ${b}`);
	}
	if (op === '!-') {
		const [a, b] = pattern.split('!-');
		return validateOne(value, `< ${a}`) || validateOne(value, `> ${b}`);
	}
	const rest = pattern.slice(op.length).trim();
	return compareDuration(value, rest, op) || compareQuantity(value, rest, op) || compareString(value, rest, op);
}

/** Whether a resource value satisfies a scalar pattern value (never an array pattern). */
export function valueMatches(value: unknown, pattern: unknown): boolean {
	if (typeof pattern === 'boolean') return value === pattern;
	if (typeof pattern === 'number') {
		if (typeof value === 'number') return value === pattern;
		if (typeof value === 'string') {
			const n = Number(value);
			return value.trim() !== '' && !Number.isNaN(n) && (Number.isInteger(pattern) ? /^[+-]?\d+$/.test(value.trim()) && n === pattern : n === pattern);
		}
		return false;
	}
	if (pattern === null || pattern === undefined) {
		if (value === null || value === undefined) return true;
		if (typeof value === 'number') return value === 0;
		if (typeof value === 'string') return value === '';
		if (typeof value === 'boolean') return !value;
		return false;
	}
	if (isPlainObject(pattern)) return isPlainObject(value);
	if (Array.isArray(pattern)) return false;
	if (typeof pattern !== 'string') return false;
	if (value === pattern) return true;
	return pattern.split('|').some((alt) => alt.trim().split('&').every((cond) => validateOne(value, cond.trim())));
}

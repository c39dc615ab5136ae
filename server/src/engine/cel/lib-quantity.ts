import { celFunc, celMethod, CelScalar, type CelFunc, type CelValue } from '@bufbuild/cel';
import { addQuantities, compareQuantities, parseQuantity, quantityAsFloat, quantityAsInteger, quantityKey, quantityOfInt, scaleQuantity, type Quantity } from './quantity';
import type { RegexCache } from './regex';
import { CelEvalError, Opaque } from './values';

/** The Kubernetes quantity library (`quantity('1.5Gi')`) and regex library (`find`, `findAll`). */

export class CelQuantity extends Opaque {
	readonly typeName = 'kubernetes.Quantity';
	constructor(readonly q: Quantity) {
		super();
	}
	protected canonical(): string {
		return quantityKey(this.q);
	}
}

const DYN = CelScalar.DYN;

function quantity(v: unknown): Quantity {
	if (v instanceof CelQuantity) return v.q;
	throw new CelEvalError('no such overload: expected a Quantity');
}

/** The other operand of add/sub: a Quantity or an int. */
function operand(v: unknown): Quantity {
	if (typeof v === 'bigint') return quantityOfInt(v);
	return quantity(v);
}

function parse(s: string): CelQuantity {
	const q = parseQuantity(s);
	if (!q) throw new CelEvalError(`quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$': ${JSON.stringify(s)}`);
	return new CelQuantity(q);
}

export function quantityFunctions(): CelFunc[] {
	const m = (name: string, args: CelScalarArgs, fn: (q: Quantity, ...a: CelValue[]) => unknown) =>
		celMethod(name, DYN, args, DYN, function (...a: CelValue[]) {
			return fn(quantity(this), ...a) as CelValue;
		});
	return [
		celFunc('quantity', [CelScalar.STRING], DYN, (s) => parse(s) as unknown as CelValue),
		celFunc('isQuantity', [CelScalar.STRING], CelScalar.BOOL, (s) => parseQuantity(s) !== undefined),
		m('isInteger', [], (q) => quantityAsInteger(q) !== undefined),
		m('asInteger', [], (q) => {
			const v = quantityAsInteger(q);
			if (v === undefined) throw new CelEvalError('cannot convert value to integer');
			return v;
		}),
		m('asApproximateFloat', [], (q) => quantityAsFloat(q)),
		m('sign', [], (q) => BigInt(q.num > 0n ? 1 : q.num < 0n ? -1 : 0)),
		m('add', [DYN], (q, o) => new CelQuantity(addQuantities(q, operand(o)))),
		m('sub', [DYN], (q, o) => new CelQuantity(addQuantities(q, scaleQuantity(operand(o), -1n)))),
		m('mul', [CelScalar.INT], (q, n) => new CelQuantity(scaleQuantity(q, n as bigint))),
		m('isLessThan', [DYN], (q, o) => compareQuantities(q, quantity(o)) < 0),
		m('isGreaterThan', [DYN], (q, o) => compareQuantities(q, quantity(o)) > 0),
		m('compareTo', [DYN], (q, o) => BigInt(compareQuantities(q, quantity(o)))),
	];
}

type CelScalarArgs = (typeof CelScalar)[keyof typeof CelScalar][];

export function regexFunctions(regex: RegexCache): CelFunc[] {
	const compile = (p: string) => {
		try {
			regex.compile(p);
		} catch (e) {
			throw new CelEvalError(`Illegal regex: ${e instanceof Error ? e.message : String(e)}`);
		}
	};
	return [
		celMethod('find', CelScalar.STRING, [CelScalar.STRING], CelScalar.STRING, function (p) {
			compile(p);
			const m = regex.find(p, this);
			return m ? this.slice(m[0], m[1]) : '';
		}),
		celMethod('findAll', CelScalar.STRING, [CelScalar.STRING], DYN, function (p) {
			compile(p);
			return regex.findAll(p, this);
		}),
		celMethod('findAll', CelScalar.STRING, [CelScalar.STRING, CelScalar.INT], DYN, function (p, n) {
			compile(p);
			return regex.findAll(p, this, Number(n));
		}),
	];
}

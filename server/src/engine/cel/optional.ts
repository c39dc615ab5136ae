import { celFunc, celMethod, CelScalar, isCelList, isCelMap, type CelFunc, type CelList, type CelMap, type CelValue } from '@bufbuild/cel';
import { OPT_INDEX, OPT_SELECT } from './ast';
import { asCel, CelEvalError, Opaque, showCel } from './values';

/**
 * CEL optional values (Kubernetes 1.29+): `optional.of(x)`, `optional.none()`, `x.?field`,
 * `list[?i]`, `map[?key]`, `hasValue()`, `value()`, `orValue(default)`, `or(other)`; `optMap` and
 * `optFlatMap` are expanded by `ast.ts`.
 */
export class CelOptional extends Opaque {
	readonly typeName = 'optional_type';
	private constructor(readonly value: CelValue | undefined) {
		super();
	}
	static of(v: CelValue): CelOptional {
		return new CelOptional(v);
	}
	static readonly NONE = new CelOptional(undefined);
	get present(): boolean {
		return this.value !== undefined;
	}
	protected canonical(): string {
		return this.value === undefined ? 'optional.none()' : `optional.of(${showCel(this.value)})`;
	}
}

const DYN = CelScalar.DYN;

function asOptional(v: unknown): CelOptional {
	if (v instanceof CelOptional) return v;
	throw new CelEvalError('no such overload: expected an optional value');
}

/** Whether a value is its type's zero value (`optional.ofNonZeroValue`). */
function isZero(v: CelValue): boolean {
	if (v === null || v === false || v === '' || v === 0 || v === 0n) return true;
	if (isCelList(v)) return (v as CelList).size === 0;
	if (isCelMap(v) && !(v instanceof Opaque)) return (v as CelMap).size === 0;
	return v instanceof Uint8Array && v.length === 0;
}

/** `x.?f` on a map (or an optional of one): the entry as an optional. */
function select(target: CelValue, field: string): CelOptional {
	if (target instanceof CelOptional) return target.present ? select(target.value!, field) : CelOptional.NONE;
	if (isCelMap(target) && !(target instanceof Opaque)) {
		const v = (target as CelMap).get(field);
		return v === undefined ? CelOptional.NONE : CelOptional.of(v);
	}
	throw new CelEvalError(`no such key: ${field} (optional field selection on a ${target === null ? 'null' : typeof target})`);
}

function index(target: CelValue, key: CelValue): CelOptional {
	if (target instanceof CelOptional) return target.present ? index(target.value!, key) : CelOptional.NONE;
	if (isCelList(target)) {
		const i = typeof key === 'bigint' ? Number(key) : typeof key === 'number' && Number.isInteger(key) ? key : NaN;
		if (Number.isNaN(i)) throw new CelEvalError('no such overload: list index must be an int');
		const v = (target as CelList).get(i);
		return v === undefined ? CelOptional.NONE : CelOptional.of(v);
	}
	if (isCelMap(target) && !(target instanceof Opaque)) {
		const v = (target as CelMap).get(key as string);
		return v === undefined ? CelOptional.NONE : CelOptional.of(v);
	}
	throw new CelEvalError('no such overload: optional index needs a list or a map');
}

export function optionalFunctions(): CelFunc[] {
	return [
		celFunc('optional.of', [DYN], DYN, (v) => asCel(CelOptional.of(v))),
		celFunc('optional.ofNonZeroValue', [DYN], DYN, (v) => asCel(isZero(v) ? CelOptional.NONE : CelOptional.of(v))),
		celFunc('optional.none', [], DYN, () => asCel(CelOptional.NONE)),
		celFunc(OPT_SELECT, [DYN, CelScalar.STRING], DYN, (t, f) => asCel(select(t, f))),
		celFunc(OPT_INDEX, [DYN, DYN], DYN, (t, k) => asCel(index(t, k))),
		celMethod('hasValue', DYN, [], CelScalar.BOOL, function () {
			return asOptional(this).present;
		}),
		celMethod('value', DYN, [], DYN, function () {
			const o = asOptional(this);
			if (!o.present) throw new CelEvalError('optional.none() dereference');
			return o.value!;
		}),
		// As cel-go's evalOptionalOrValue/evalOptionalOr: a receiver that is not optional is returned as it is.
		celMethod('orValue', DYN, [DYN], DYN, function (d) {
			if (!(this instanceof CelOptional)) return this;
			return this.present ? this.value! : d;
		}),
		celMethod('or', DYN, [DYN], DYN, function (other) {
			if (!(this instanceof CelOptional)) return this;
			return asCel(this.present ? this : asOptional(other));
		}),
	];
}

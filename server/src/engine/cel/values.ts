import { isCelList, isCelMap, isCelUint, type CelList, type CelMap, type CelValue } from '@bufbuild/cel';

/**
 * Values between JSON (what YAML documents parse to) and CEL. Kubernetes hands CEL the objects of
 * its unstructured JSON: a whole number is an `int`, any other number a `double`; lists and maps
 * nest. Objects and arrays are lazy views, each member converted once when read; the caller's
 * cache (owned by the evaluator that judges the resource) keeps one view per JSON object, so a
 * resource judged by many expressions is converted at most once, and only where they read it.
 */

/** The property bufbuild/cel recognises maps by (its `isCelMap` checks this symbol, registered globally). */
const MAP_SYMBOL = Symbol.for('@bufbuild/cel/map');

/** The property bufbuild/cel recognises lists by (its `isCelList` checks this symbol, registered globally). */
const LIST_SYMBOL = Symbol.for('@bufbuild/cel/list');

/**
 * Converts one JSON value to CEL. Objects and arrays become lazy views (`JsonMap`, `JsonList`)
 * that convert a member when an expression reads it, each once through `cache` when given: an
 * expression that reads `object.spec.replicas` does not pay for the whole object.
 */
export function toCel(value: unknown, cache?: WeakMap<object, CelValue>): CelValue {
	if (value === null || value === undefined) return null;
	switch (typeof value) {
		case 'string':
		case 'boolean':
			return value;
		case 'bigint':
			return value;
		case 'number':
			return Number.isInteger(value) && Number.isSafeInteger(value) ? BigInt(value) : value;
		case 'object': {
			if (value instanceof Opaque || isCelList(value) || isCelMap(value) || isCelUint(value)) return value as CelValue;
			const hit = cache?.get(value);
			if (hit !== undefined) return hit;
			const out = (Array.isArray(value) ? new JsonList(value, cache) : new JsonMap(value as Record<string, unknown>, cache)) as unknown as CelValue;
			cache?.set(value, out);
			return out;
		}
		default:
			return null;
	}
}

/** A JSON array as a CEL list, its elements converted when read. */
class JsonList {
	readonly [LIST_SYMBOL] = {};
	private converted?: CelValue[];
	constructor(
		private readonly array: readonly unknown[],
		private readonly cache?: WeakMap<object, CelValue>,
	) {}
	get size(): number {
		return this.array.length;
	}
	get(index: number): CelValue | undefined {
		if (index < 0 || index >= this.array.length) return undefined;
		const c = (this.converted ??= new Array<CelValue>(this.array.length));
		return (c[index] ??= toCel(this.array[index], this.cache));
	}
	*values(): IterableIterator<CelValue> {
		for (let i = 0; i < this.array.length; i++) yield this.get(i)!;
	}
	[Symbol.iterator](): IterableIterator<CelValue> {
		return this.values();
	}
}

/** A JSON object as a CEL map with string keys, its values converted when read (undefined members are absent). */
class JsonMap {
	readonly [MAP_SYMBOL] = {};
	private members?: string[];
	private readonly converted = new Map<string, CelValue>();
	constructor(
		private readonly object: Record<string, unknown>,
		private readonly cache?: WeakMap<object, CelValue>,
	) {}
	private keyList(): string[] {
		return (this.members ??= Object.keys(this.object).filter((k) => this.object[k] !== undefined));
	}
	get size(): number {
		return this.keyList().length;
	}
	get(key: unknown): CelValue | undefined {
		if (typeof key !== 'string' || !Object.prototype.hasOwnProperty.call(this.object, key)) return undefined;
		const raw = this.object[key];
		if (raw === undefined) return undefined;
		let v = this.converted.get(key);
		if (v === undefined) this.converted.set(key, (v = toCel(raw, this.cache)));
		return v;
	}
	/** As bufbuild/cel's own maps: a member whose value is null is not there for `has()` (Kubernetes drops null fields). */
	has(key: unknown): boolean {
		return this.get(key) != undefined;
	}
	keys(): IterableIterator<string> {
		return this.keyList()[Symbol.iterator]();
	}
	*values(): IterableIterator<CelValue> {
		for (const k of this.keyList()) yield this.get(k)!;
	}
	*entries(): IterableIterator<[string, CelValue]> {
		for (const k of this.keyList()) yield [k, this.get(k)!];
	}
	[Symbol.iterator](): IterableIterator<[string, CelValue]> {
		return this.entries();
	}
	forEach(cb: (value: CelValue, key: string, map: unknown) => void, thisArg?: unknown): void {
		for (const k of this.keyList()) cb.call(thisArg, this.get(k)!, k, this);
	}
}

/** Converts a CEL value back to JSON (ints within the safe range as numbers, others as strings). */
export function fromCel(value: CelValue | unknown): unknown {
	if (value === null || value === undefined) return null;
	switch (typeof value) {
		case 'bigint':
			return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
		case 'string':
		case 'number':
		case 'boolean':
			return value;
		case 'object': {
			if (value instanceof Opaque) return value.toString();
			if (isCelUint(value)) return Number((value as { value: bigint }).value);
			if (isCelList(value)) return [...(value as CelList)].map(fromCel);
			if (isCelMap(value)) {
				const out: Record<string, unknown> = {};
				for (const [k, v] of (value as CelMap).entries()) out[String(isCelUint(k) ? k.value : k)] = fromCel(v);
				return out;
			}
			if (value instanceof Uint8Array) return [...value];
			return String(value);
		}
		default:
			return String(value);
	}
}

/** A CEL value as a short human string (messages). */
export function showCel(value: unknown): string {
	if (typeof value === 'string') return value;
	if (typeof value === 'bigint') return value.toString();
	if (value instanceof Opaque) return value.toString();
	return JSON.stringify(fromCel(value)) ?? 'null';
}

/**
 * Base of the opaque Kubernetes CEL types (Quantity, URL, IP, CIDR, Format, optional): bufbuild/cel
 * has no user-defined types, so these present themselves as a map of one hidden entry, the value's
 * canonical text. Equality of two opaque values is then the equality of those texts, as in
 * Kubernetes (`cidr('10.0.0.0/8') == cidr('10.0.0.0/8')`), and the library's methods recognise
 * their own instances with `instanceof`.
 */
export abstract class Opaque {
	readonly [MAP_SYMBOL] = {};
	abstract readonly typeName: string;
	/** The canonical text that equality compares. */
	protected abstract canonical(): string;

	private entry(): [string, CelValue] {
		return [`\u0000${this.typeName}`, this.canonical()];
	}
	get size(): number {
		return 1;
	}
	get(key: unknown): CelValue | undefined {
		const [k, v] = this.entry();
		return key === k ? v : undefined;
	}
	has(key: unknown): boolean {
		return this.get(key) !== undefined;
	}
	*keys(): IterableIterator<string> {
		yield this.entry()[0];
	}
	*values(): IterableIterator<CelValue> {
		yield this.entry()[1];
	}
	*entries(): IterableIterator<[string, CelValue]> {
		yield this.entry();
	}
	[Symbol.iterator](): IterableIterator<[string, CelValue]> {
		return this.entries();
	}
	forEach(cb: (value: CelValue, key: string, map: unknown) => void): void {
		const [k, v] = this.entry();
		cb(v, k, this);
	}
	toString(): string {
		return this.canonical();
	}
}

/** An opaque value as the CEL value bufbuild/cel takes it for (a map: see `Opaque`). */
export const asCel = (v: Opaque): CelValue => v as unknown as CelValue;

/** A JS error whose message CEL reports as the evaluation error. */
export class CelEvalError extends Error {}

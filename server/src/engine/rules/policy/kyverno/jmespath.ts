import { compile, TreeInterpreter, TYPE_ANY, type JSONValue } from '@jmespath-community/jmespath';
import semver from 'semver';
import { compareQuantities, parseDuration, parseQuantity, RegexCache } from '../../../cel';
import { labelsOf, selectorMatches, wildcardMatch } from '../resources';
import { base64Decode, base64Encode } from './base64';

/**
 * JMESPath as Kyverno evaluates `{{ }}` variables: the JMESPath Community implementation (what
 * Kyverno's go-jmespath fork follows) with Kyverno's custom functions. Each `JmesPath` owns a
 * private interpreter (the library's global function table is left untouched) and the compiled
 * queries, by text.
 */

type Ast = ReturnType<typeof compile>;
interface Interpreter {
	search(ast: Ast, data: JSONValue): JSONValue;
	runtime: { registerFunction(name: string, fn: (args: JSONValue[]) => JSONValue, signature: { types: number[]; optional?: boolean; variadic?: boolean }[], options?: { override?: boolean }): void };
}

/** A function Kyverno offers that Fleetscope does not evaluate: the rule is then reported as not evaluated. */
export class NotEvaluatedError extends Error {}

const MAX_QUERIES = 2000;

const str = (v: JSONValue): string => (typeof v === 'string' ? v : v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
const num = (v: JSONValue): number => (typeof v === 'number' ? v : Number(v));

/** Go's strings.Trim with a cutset. */
function trim(s: string, cutset: string): string {
	let a = 0;
	let b = s.length;
	while (a < b && cutset.includes(s[a])) a++;
	while (b > a && cutset.includes(s[b - 1])) b--;
	return s.slice(a, b);
}

/** Kyverno's arithmetic: numbers, quantities (`10Mi`) or durations (`1h`), as the operands are. */
function arithmetic(op: string, a: JSONValue, b: JSONValue): JSONValue {
	if (typeof a === 'number' && typeof b === 'number') {
		switch (op) {
			case 'add':
				return a + b;
			case 'subtract':
				return a - b;
			case 'multiply':
				return a * b;
			case 'divide':
				if (b === 0) throw new Error('Zero divisor passed');
				return a / b;
			default:
				if (b === 0) throw new Error('Zero divisor passed');
				return a % b;
		}
	}
	const da = typeof a === 'string' ? parseDuration(a) : undefined;
	const db = typeof b === 'string' ? parseDuration(b) : undefined;
	if (da !== undefined && db !== undefined && (op === 'add' || op === 'subtract')) {
		const s = op === 'add' ? da + db : da - db;
		return formatDuration(s);
	}
	throw new NotEvaluatedError(`${op}() of ${JSON.stringify(a)} and ${JSON.stringify(b)} is not evaluated by Fleetscope`);
}

function formatDuration(seconds: number): string {
	const sign = seconds < 0 ? '-' : '';
	let s = Math.abs(seconds);
	const h = Math.floor(s / 3600);
	s -= h * 3600;
	const m = Math.floor(s / 60);
	s -= m * 60;
	return `${sign}${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${Number(s.toFixed(9))}s`;
}

export class JmesPath {
	private readonly interpreter: Interpreter;
	private readonly queries = new Map<string, Ast>();
	private readonly regex = new RegexCache();

	constructor(private readonly now: () => Date = () => new Date()) {
		const Ctor = (TreeInterpreter as unknown as { constructor: new () => Interpreter }).constructor;
		this.interpreter = new Ctor();
		this.register();
	}

	/** Evaluates a query on data (compiled once per text); throws on a syntax error or an unknown function. */
	search(query: string, data: unknown): unknown {
		let ast = this.queries.get(query);
		if (!ast) {
			ast = compile(query);
			if (this.queries.size >= MAX_QUERIES) this.queries.delete(this.queries.keys().next().value as string);
			this.queries.set(query, ast);
		}
		return this.interpreter.search(ast, data as JSONValue);
	}

	private register(): void {
		const any = (n: number) => Array.from({ length: n }, () => ({ types: [TYPE_ANY] }));
		const fn = (name: string, arity: number, f: (args: JSONValue[]) => JSONValue) => this.interpreter.runtime.registerFunction(name, f, any(arity), { override: true });
		const notEvaluated = (name: string, arity: number, why: string) =>
			fn(name, arity, () => {
				throw new NotEvaluatedError(`${name}() is not evaluated by Fleetscope: ${why}`);
			});
		fn('compare', 2, ([a, b]) => (str(a) < str(b) ? -1 : str(a) > str(b) ? 1 : 0));
		fn('equal_fold', 2, ([a, b]) => str(a).toLowerCase() === str(b).toLowerCase());
		fn('replace', 4, ([s, o, n, c]) => {
			let out = str(s);
			let count = num(c);
			if (count < 0) return out.split(str(o)).join(str(n));
			while (count-- > 0 && out.includes(str(o))) out = out.replace(str(o), str(n));
			return out;
		});
		fn('replace_all', 3, ([s, o, n]) => str(s).split(str(o)).join(str(n)));
		fn('to_upper', 1, ([s]) => str(s).toUpperCase());
		fn('to_lower', 1, ([s]) => str(s).toLowerCase());
		fn('trim', 2, ([s, c]) => trim(str(s), str(c)));
		fn('trim_prefix', 2, ([s, p]) => (str(s).startsWith(str(p)) ? str(s).slice(str(p).length) : str(s)));
		fn('split', 2, ([s, sep]) => str(s).split(str(sep)));
		fn('truncate', 2, ([s, n]) => str(s).slice(0, Math.max(0, num(n))));
		fn('regex_match', 2, ([re, s]) => this.regex.test(str(re), str(s)));
		fn('pattern_match', 2, ([p, s]) => wildcardMatch(str(p), str(s)));
		fn('label_match', 2, ([sel, labels]) => selectorMatches({ matchLabels: sel }, labelsOf({ metadata: { labels } })));
		fn('to_boolean', 1, ([s]) => {
			const v = str(s).toLowerCase();
			if (v !== 'true' && v !== 'false') throw new Error(`cannot convert ${JSON.stringify(s)} to a boolean`);
			return v === 'true';
		});
		for (const op of ['add', 'subtract', 'multiply', 'divide', 'modulo']) fn(op, 2, ([a, b]) => arithmetic(op, a, b));
		fn('round', 2, ([v, d]) => Number(num(v).toFixed(num(d))));
		fn('base64_decode', 1, ([s]) => base64Decode(str(s)));
		fn('base64_encode', 1, ([s]) => base64Encode(str(s)));
		fn('parse_json', 1, ([s]) => JSON.parse(str(s)) as JSONValue);
		fn('path_canonicalize', 1, ([s]) => {
			const parts: string[] = [];
			for (const p of str(s).split('/')) {
				if (p === '..') parts.pop();
				else if (p !== '.' && p !== '') parts.push(p);
			}
			return `${str(s).startsWith('/') ? '/' : ''}${parts.join('/')}`;
		});
		fn('semver_compare', 2, ([v, r]) => {
			const version = semver.coerce(str(v), { loose: true });
			return version !== null && semver.satisfies(version, str(r).replace(/\s+/g, ' '), { loose: true });
		});
		fn('object_from_lists', 2, ([k, v]) => {
			const keys = Array.isArray(k) ? k : [];
			const values = Array.isArray(v) ? v : [];
			return Object.fromEntries(keys.map((key, i) => [str(key), values[i] ?? null]));
		});
		fn('lookup', 2, ([o, k]) => {
			if (Array.isArray(o)) return o[num(k)] ?? null;
			return o !== null && typeof o === 'object' ? ((o as Record<string, JSONValue>)[str(k)] ?? null) : null;
		});
		fn('sum', 1, ([xs]) => {
			const list = Array.isArray(xs) ? xs : [];
			if (list.every((x) => typeof x === 'number')) return (list as number[]).reduce((a, b) => a + b, 0);
			if (list.every((x) => typeof x === 'string' && parseQuantity(x))) {
				throw new NotEvaluatedError('sum() of quantities is not evaluated by Fleetscope');
			}
			throw new Error('sum() needs a list of numbers');
		});
		fn('time_now_utc', 0, () => this.now().toISOString().replace(/\.\d{3}Z$/, 'Z'));
		fn('time_now', 0, () => this.now().toISOString().replace(/\.\d{3}Z$/, 'Z'));
		fn('time_since', 3, ([, a, b]) => {
			const from = Date.parse(str(a));
			const to = str(b) === '' ? this.now().getTime() : Date.parse(str(b));
			if (Number.isNaN(from) || Number.isNaN(to)) throw new Error('time_since() needs RFC 3339 times');
			return formatDuration((to - from) / 1000);
		});
		fn('time_before', 2, ([a, b]) => Date.parse(str(a)) < Date.parse(str(b)));
		fn('time_after', 2, ([a, b]) => Date.parse(str(a)) > Date.parse(str(b)));
		fn('time_between', 3, ([t, a, b]) => Date.parse(str(t)) > Date.parse(str(a)) && Date.parse(str(t)) < Date.parse(str(b)));
		fn('time_diff', 2, ([a, b]) => formatDuration((Date.parse(str(b)) - Date.parse(str(a))) / 1000));
		fn('quantity_compare', 2, ([a, b]) => {
			const qa = parseQuantity(str(a));
			const qb = parseQuantity(str(b));
			if (!qa || !qb) throw new Error('quantity_compare() needs quantities');
			return compareQuantities(qa, qb);
		});
		for (const [name, arity] of [['regex_replace_all', 3], ['regex_replace_all_literal', 3]] as const) notEvaluated(name, arity, 'the regular expression library Fleetscope uses reports no match positions');
		notEvaluated('parse_yaml', 1, 'YAML inside a string is not parsed');
		notEvaluated('x509_decode', 1, 'certificates are not decoded');
		notEvaluated('random', 1, 'a random value decides nothing in Git');
		notEvaluated('image_normalize', 1, 'image references are not normalised');
		notEvaluated('time_parse', 2, 'Go time layouts are not parsed');
		notEvaluated('time_to_cron', 1, 'cron conversion is not implemented');
		notEvaluated('time_add', 2, 'time arithmetic is not implemented');
		notEvaluated('time_truncate', 2, 'time arithmetic is not implemented');
		notEvaluated('time_utc', 1, 'time zone conversion is not implemented');
		notEvaluated('sha256', 1, 'hashing is not implemented');
	}
}

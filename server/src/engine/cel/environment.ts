import { celEnv, celFunc, CelScalar, isCelError, isCelList, parse, plan, type CelFunc, type CelValue } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import { rewrite, RANGE_HOOK, STEP_HOOK, type Expr } from './ast';
import { formatFunctions } from './lib-format';
import { listFunctions } from './lib-lists';
import { ipFunctions, urlFunctions } from './lib-net';
import { quantityFunctions, regexFunctions } from './lib-quantity';
import { optionalFunctions } from './optional';
import { RegexCache } from './regex';
import { nestingDepth, rewriteOptionals, toSource, type Rewritten } from './syntax';
import { CelEvalError } from './values';

/**
 * A CEL environment with the Kubernetes libraries: expressions are compiled once per text (the
 * environment owns the cache) and every evaluation is bounded. The budget counts comprehension
 * steps (a comprehension pays for its whole range before it starts) and wall time; past either, the
 * evaluation stops with an error and starts no further loop, whatever the expression. Deeply
 * nested or very long expressions are refused when compiled.
 */

export interface CelLimits {
	/** Comprehension steps per evaluation (Kubernetes' per-expression cost limit is of the same order). */
	steps: number;
	/** Wall time per evaluation, in milliseconds. */
	timeMs: number;
	/** The largest string a loop step may build. */
	maxStringLength: number;
}

export const DEFAULT_LIMITS: CelLimits = { steps: 1_000_000, timeMs: 200, maxStringLength: 4_000_000 };
const MAX_TEXT = 64 * 1024;
const MAX_NESTING = 100;
const MAX_NODES = 20_000;

/** A compile error, placed on characters of the expression text ([start, end) offsets). */
export interface CelCompileError {
	message: string;
	start: number;
	end: number;
}

export interface CelProgram {
	readonly text: string;
	/**
	 * What the expression needs that Git cannot tell (the requester's permissions, a library
	 * Fleetscope lacks): the evaluation is then not attempted, and the reason says why.
	 */
	readonly unavailable?: string;
	/** @internal */
	readonly run: (bindings: Record<string, CelValue>) => unknown;
}

export type CelCompiled = { ok: true; program: CelProgram } | { ok: false; errors: CelCompileError[] };
export type CelOutcome = { ok: true; value: CelValue } | { ok: false; error: string; limit?: boolean };

/** Kubernetes functions Fleetscope knows but does not evaluate, with why (never a compile error). */
const NOT_EVALUATED: Record<string, string> = {
	authorizer: 'it asks the authorizer about the requester, which Git cannot know',
	semver: 'it uses the semver library, which Fleetscope does not implement yet',
	isSemver: 'it uses the semver library, which Fleetscope does not implement yet',
	'jsonpatch.escapeKey': 'it uses the JSON patch library, which only mutating policies need',
};

/** Identifiers that are CEL types (`type(x) == string`), never variables. */
const TYPE_NAMES = new Set(['int', 'uint', 'double', 'bool', 'string', 'bytes', 'list', 'map', 'null_type', 'type', 'dyn', 'google.protobuf.Duration', 'google.protobuf.Timestamp']);
/** Macros expanded by the parser: never calls of the planned expression, but listed for the function check. */
const MACROS = new Set(['has', 'all', 'exists', 'exists_one', 'map', 'filter']);

interface Budget {
	steps: number;
	deadline: number;
	exhausted?: string;
}

const MAX_CACHE = 2000;

export interface CelEnvironmentOptions {
	/** The variables expressions may use (`self`, `object`, `request`…). */
	variables: readonly string[];
	limits?: Partial<CelLimits>;
	/** Further functions (Kyverno's, a test's). */
	functions?: readonly CelFunc[];
	/** The clock for the time limit (injected by tests). */
	now?: () => number;
	/** Further variables and function namespaces known but never evaluated, with why (Kyverno's `resource`, `http`…). */
	unavailable?: Readonly<Record<string, string>>;
}

export class CelEnvironment {
	private readonly env;
	private readonly cache = new Map<string, CelCompiled>();
	private readonly regex = new RegexCache();
	private readonly limits: CelLimits;
	private readonly names: Set<string>;
	private readonly variables: Set<string>;
	private readonly now: () => number;
	private readonly unavailable: Readonly<Record<string, string>>;
	private budget: Budget = { steps: 0, deadline: 0 };

	constructor(options: CelEnvironmentOptions) {
		this.limits = { ...DEFAULT_LIMITS, ...options.limits };
		this.now = options.now ?? (() => Date.now());
		this.variables = new Set(options.variables);
		this.unavailable = { ...NOT_EVALUATED, ...options.unavailable };
		const funcs: CelFunc[] = [
			...strings,
			...optionalFunctions(),
			...listFunctions(),
			...regexFunctions(this.regex),
			...quantityFunctions(),
			...urlFunctions(),
			...ipFunctions(),
			...formatFunctions(),
			...this.hooks(),
			...(options.functions ?? []),
		];
		this.env = celEnv({ funcs, re2: { compile: (p: string) => this.regex.compile(p) } });
		this.names = new Set([...this.env.funcs].map((f) => f.name));
	}

	/** The functions that charge the budget (see the file comment); `ast.ts` puts them into every comprehension. */
	private hooks(): CelFunc[] {
		const exhaust = (why: string) => {
			this.budget.exhausted ??= why;
			return new CelEvalError(why);
		};
		const timeUp = () => this.now() > this.budget.deadline;
		return [
			celFunc(RANGE_HOOK, [CelScalar.DYN], CelScalar.DYN, (range) => {
				if (this.budget.exhausted) return [];
				const size = isCelList(range) ? range.size : typeof range === 'object' && range !== null && 'size' in range ? Number((range as { size: number }).size) : 0;
				this.budget.steps -= size + 1;
				if (this.budget.steps < 0) throw exhaust(`the expression exceeds Fleetscope's evaluation budget of ${this.limits.steps} loop steps`);
				if (timeUp()) throw exhaust(`the expression ran longer than ${this.limits.timeMs} ms`);
				return range;
			}),
			celFunc(STEP_HOOK, [CelScalar.DYN], CelScalar.DYN, (value) => {
				if (typeof value === 'string' && value.length > this.limits.maxStringLength) throw exhaust(`the expression builds a string longer than ${this.limits.maxStringLength} characters`);
				if (isCelList(value) && value.size > this.limits.steps) throw exhaust(`the expression builds a list longer than ${this.limits.steps} elements`);
				if ((this.budget.steps & 1023) === 0 && timeUp()) throw exhaust(`the expression ran longer than ${this.limits.timeMs} ms`);
				return value;
			}),
		];
	}

	/** Compiles (or returns the compiled) expression. Errors are placed on the expression's own characters. */
	compile(text: string): CelCompiled {
		const hit = this.cache.get(text);
		if (hit) return hit;
		const result = this.compileUncached(text);
		if (this.cache.size >= MAX_CACHE) this.cache.delete(this.cache.keys().next().value as string);
		this.cache.set(text, result);
		return result;
	}

	private compileUncached(text: string): CelCompiled {
		const whole = (message: string): CelCompiled => ({ ok: false, errors: [{ message, start: 0, end: text.length }] });
		if (text.trim() === '') return whole('The expression is empty.');
		if (text.length > MAX_TEXT) return whole(`The expression is longer than ${MAX_TEXT} characters.`);
		if (nestingDepth(text) > MAX_NESTING) return whole(`The expression nests brackets more than ${MAX_NESTING} levels deep.`);
		const rewritten = rewriteOptionals(text);
		if (rewritten.unsupported) return { ok: false, errors: [{ message: rewritten.unsupported.message, start: rewritten.unsupported.start, end: rewritten.unsupported.end }] };
		let parsed: ReturnType<typeof parse>;
		try {
			parsed = parse(rewritten.text);
		} catch (e) {
			return { ok: false, errors: [syntaxError(e, rewritten, text)] };
		}
		const facts = rewrite(parsed.expr as Expr);
		if (facts.nodes > MAX_NODES) return whole(`The expression has more than ${MAX_NODES} parts.`);
		const position = (id: number) => {
			const at = parsed.sourceInfo?.positions[id] ?? parsed.sourceInfo?.positions[id.toString() as unknown as number];
			const start = at === undefined ? 0 : toSource(rewritten, Number(at));
			return { start, end: Math.min(text.length, start + 1) };
		};
		let unavailable: string | undefined;
		const errors: CelCompileError[] = [];
		for (const f of facts.free) {
			if (this.variables.has(f.name) || TYPE_NAMES.has(f.name)) continue;
			if (f.name in this.unavailable) {
				unavailable ??= this.unavailable[f.name];
				continue;
			}
			const p = position(f.id);
			errors.push({ message: `undeclared reference to '${f.name}': the variables here are ${[...this.variables].join(', ')}.`, start: p.start, end: Math.max(p.end, p.start + f.name.length) });
		}
		// A chain on a variable Fleetscope cannot know (`authorizer.group(...).check(...)`) is not checked further.
		for (const c of unavailable ? [] : facts.calls) {
			if (this.names.has(c.name) || MACROS.has(c.name) || c.name.startsWith('_') || c.name.startsWith('@') || c.name.startsWith('__')) continue;
			const base = c.name.split('.')[0];
			if (c.name in this.unavailable || base in this.unavailable) {
				unavailable ??= this.unavailable[c.name] ?? this.unavailable[base];
				continue;
			}
			const p = position(c.id);
			errors.push({ message: `undeclared reference to '${c.name}' (${c.method ? 'no such method' : 'no such function'}).`, start: p.start, end: p.end });
		}
		if (errors.length > 0) return { ok: false, errors };
		let run: (b: Record<string, CelValue>) => unknown;
		try {
			run = plan(this.env, parsed) as (b: Record<string, CelValue>) => unknown;
		} catch (e) {
			return whole(`The expression cannot be planned: ${e instanceof Error ? e.message : String(e)}`);
		}
		return { ok: true, program: { text, unavailable, run } };
	}

	/** Evaluates a compiled expression within the limits. */
	evaluate(program: CelProgram, bindings: Record<string, CelValue>): CelOutcome {
		if (program.unavailable) return { ok: false, error: `not evaluated: ${program.unavailable}` };
		this.budget = { steps: this.limits.steps, deadline: this.now() + this.limits.timeMs };
		let value: unknown;
		try {
			value = program.run(bindings);
		} catch (e) {
			value = e instanceof RangeError ? new CelEvalError(`the expression is too deep or too large to evaluate (${e.message})`) : e;
		}
		const exhausted = this.budget.exhausted;
		this.budget = { steps: 0, deadline: 0 };
		if (exhausted) return { ok: false, error: exhausted, limit: true };
		if (isCelError(value) || value instanceof Error) return { ok: false, error: (value as Error).message.replace(/^<input>:\d+:\d+: /, '') };
		return { ok: true, value: value as CelValue };
	}
}

function syntaxError(e: unknown, rewritten: Rewritten, text: string): CelCompileError {
	const loc = (e as { location?: { start?: { offset?: number }; end?: { offset?: number } } }).location;
	const message = (e instanceof Error ? e.message : String(e)).replace(/^<input>:\d+:\d+: /, '');
	const start = loc?.start?.offset !== undefined ? toSource(rewritten, loc.start.offset) : 0;
	const end = loc?.end?.offset !== undefined ? Math.max(start + 1, toSource(rewritten, loc.end.offset)) : text.length;
	return { message: `Syntax error: ${message}`, start: Math.min(start, Math.max(0, text.length - 1)), end: Math.min(Math.max(end, start + 1), text.length) };
}

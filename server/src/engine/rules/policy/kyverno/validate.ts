import { isPlainObject } from '../../../core/resource';
import type { Path, PolicyWorld } from '../types';
import { conditionBlocks, evaluateCondition, type Condition } from './conditions';
import { loadContext, type ContextOutcome } from './context-entries';
import { NotEvaluatedError, type JmesPath } from './jmespath';
import { matchPattern } from './pattern';
import { query, substitute, substituteMessage, SubstitutionError, type VariableScope } from './variables';

/**
 * One Kyverno validate rule on one resource (pkg/engine/handlers/validation/validate_resource.go):
 * context entries, preconditions (false: skip), then `deny` (its conditions true: fail), `pattern`
 * / `anyPattern` (with variables substituted), or `foreach` over a list (each element in scope,
 * nested foreach, skip when no element applied). The verdict carries the path of the offending
 * node where one is known.
 */

export type Verdict =
	| { status: 'pass'; message?: string }
	| { status: 'skip'; message: string }
	| { status: 'fail'; message: string; path: Path }
	| { status: 'error'; message: string }
	| { status: 'not-evaluated'; message: string };

type Json = Record<string, unknown>;

export interface RuleInput {
	rule: Json;
	/** The validate block (the rule's, or a foreach entry's). */
	validate: Json;
	scope: VariableScope;
	/** What patterns judge: the resource, or the current foreach element. */
	element: unknown;
	/** Where `element` sits in the resource. */
	elementPath: Path;
	world: PolicyWorld;
	nesting: number;
}

const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** The resource path a `request.object.a.b` (or `element.a.b`) query names, if it is a plain path. */
export function pathOfQuery(q: string, elementPath: Path): Path | undefined {
	const t = q.replace(/^\{\{|\}\}$/g, '').trim();
	const m = /^(request\.object|element\d*)((?:\.[A-Za-z_][\w-]*)*)$/.exec(t);
	if (!m) return undefined;
	const base = m[1] === 'request.object' ? [] : elementPath;
	return [...base, ...m[2].split('.').slice(1)];
}

function guessDenyPath(conditions: Condition[], elementPath: Path): Path {
	for (const c of conditions) {
		if (typeof c.key !== 'string') continue;
		const m = /\{\{\s*((?:request\.object|element\d*)(?:\.[A-Za-z_][\w-]*)+)/.exec(c.key);
		const p = m ? pathOfQuery(m[1], elementPath) : undefined;
		if (p) return p;
	}
	return elementPath;
}

export class KyvernoRuleEvaluator {
	constructor(private readonly jmes: JmesPath) {}

	/** Evaluates conditions (`any`/`all` or a list); a substitution failure is an error. */
	conditions(raw: unknown, scope: VariableScope): { ok: boolean; message?: string } {
		const { any, all } = conditionBlocks(raw);
		const check = (c: Condition) => {
			const key = substitute(c.key ?? null, scope);
			const value = substitute(c.value ?? null, scope);
			return evaluateCondition(key, String(c.operator ?? 'Equals'), value);
		};
		if (all.length > 0) {
			for (const c of all) if (!check(c)) return { ok: false, message: typeof c.message === 'string' ? c.message : undefined };
		}
		if (any.length > 0 && !any.some(check)) return { ok: false, message: typeof any[0].message === 'string' ? any[0].message : undefined };
		return { ok: true };
	}

	validate(input: RuleInput): Verdict {
		try {
			return this.validateUnsafe(input);
		} catch (e) {
			if (e instanceof NotEvaluatedError) return { status: 'not-evaluated', message: e.message };
			if (e instanceof SubstitutionError) return { status: 'error', message: `variable substitution failed: ${e.message}` };
			return { status: 'error', message: e instanceof Error ? e.message : String(e) };
		}
	}

	private validateUnsafe(input: RuleInput): Verdict {
		const { validate, scope } = input;
		const loaded: ContextOutcome = loadContext(input.nesting === 0 ? input.rule.context : input.validate.context, scope, input.world);
		if (loaded.status !== 'ok') return loaded.status === 'not-evaluated' ? { status: 'not-evaluated', message: loaded.message } : { status: 'error', message: loaded.message };
		const pre = input.nesting === 0 ? input.rule.preconditions : validate.preconditions;
		if (pre !== undefined && !this.conditions(pre, scope).ok) return { status: 'skip', message: 'preconditions not met' };
		const ruleName = String(input.rule.name ?? '');
		const message = (fallback: string) => (typeof input.rule.validate === 'object' && isPlainObject(input.rule.validate) && typeof input.rule.validate.message === 'string' ? substituteMessage(input.rule.validate.message, scope) : fallback);
		if (validate.deny !== undefined) {
			const deny = isPlainObject(validate.deny) ? validate.deny.conditions : undefined;
			const denied = deny === undefined ? true : this.conditions(deny, scope).ok;
			if (!denied) return { status: 'pass' };
			const { any, all } = conditionBlocks(deny);
			return { status: 'fail', message: message(`validation error: rule ${ruleName} failed`), path: guessDenyPath([...all, ...any], input.elementPath) };
		}
		if (validate.pattern !== undefined) {
			const pattern = substitute(validate.pattern, scope);
			const r = matchPattern(input.element, pattern);
			if (r.status === 'pass') return { status: 'pass' };
			if (r.status === 'skip') return { status: 'skip', message: r.reason };
			if (r.status === 'error') return { status: 'error', message: message(r.reason) };
			return { status: 'fail', message: message(`validation error: rule ${ruleName} failed at path /${r.path.join('/')}/`), path: [...input.elementPath, ...r.path] };
		}
		if (validate.anyPattern !== undefined) {
			const patterns = arr(substitute(validate.anyPattern, scope));
			let skipped = 0;
			let firstFail: Path | undefined;
			for (const p of patterns) {
				const r = matchPattern(input.element, p);
				if (r.status === 'pass') return { status: 'pass' };
				if (r.status === 'skip') skipped++;
				else if (r.status === 'fail') firstFail ??= r.path;
				else firstFail ??= [];
			}
			if (skipped > 0 && skipped === patterns.length) return { status: 'skip', message: 'every anyPattern was skipped' };
			return { status: 'fail', message: message(`validation error: rule ${ruleName} failed`), path: [...input.elementPath, ...(firstFail ?? [])] };
		}
		if (validate.foreach !== undefined) return this.foreach(input, arr(validate.foreach));
		return { status: 'error', message: 'the validate rule has no pattern, anyPattern, deny, foreach, cel or podSecurity' };
	}

	private foreach(input: RuleInput, entries: unknown[]): Verdict {
		let applied = 0;
		for (const raw of entries) {
			if (!isPlainObject(raw) || typeof raw.list !== 'string') continue;
			const listQuery = raw.list.replace(/^\s*\{\{|\}\}\s*$/g, '').trim();
			let list: unknown;
			try {
				list = query(input.scope, listQuery);
			} catch {
				continue;
			}
			const elements = Array.isArray(list) ? list : [list];
			const base = pathOfQuery(listQuery, input.elementPath);
			const r = this.elements(input, raw, elements, base);
			if (r.verdict.status !== 'pass') return r.verdict;
			applied += r.applied;
		}
		return applied === 0 ? { status: 'skip', message: 'no foreach element applied' } : { status: 'pass' };
	}

	private elements(input: RuleInput, entry: Json, elements: unknown[], base: Path | undefined): { verdict: Verdict; applied: number } {
		let applied = 0;
		for (const [index, element] of elements.entries()) {
			if (element === null || element === undefined) continue;
			const data: Json = { ...input.scope.data, element, elementIndex: index, [`element${input.nesting}`]: element, [`elementIndex${input.nesting}`]: index };
			const scoped = entry.elementScope === undefined ? isPlainObject(element) : entry.elementScope === true;
			if (entry.elementScope === true && !isPlainObject(element)) return { verdict: { status: 'error', message: 'elementScope: true needs map elements' }, applied };
			const elementPath = base ? [...base, index] : input.elementPath;
			const nested: Json = { ...entry, ...(entry.foreach !== undefined ? { foreach: entry.foreach } : {}) };
			const r = this.validate({
				...input,
				validate: nested,
				scope: { jmes: this.jmes, data },
				element: scoped ? element : input.element,
				elementPath: scoped ? elementPath : input.elementPath,
				nesting: input.nesting + 1,
			});
			if (r.status === 'skip') continue;
			if (r.status === 'error' && index < elements.length - 1) continue;
			if (r.status !== 'pass') {
				if (r.status === 'fail' && !base) return { verdict: r, applied };
				return { verdict: r.status === 'fail' ? { ...r, path: r.path.length > 0 ? r.path : elementPath } : r, applied };
			}
			applied++;
		}
		return { verdict: { status: 'pass' }, applied };
	}
}

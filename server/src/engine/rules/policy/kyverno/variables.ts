import { isPlainObject } from '../../../core/resource';
import { NotEvaluatedError, type JmesPath } from './jmespath';

/**
 * Kyverno's `{{ }}` variables (pkg/engine/variables): each `{{ query }}` in a string of a pattern,
 * condition or message is a JMESPath query on the rule's context (`request.object`, `element`,
 * context entries…). A string that is only the variable takes the query's value with its type; a
 * variable inside a longer string is replaced by the value's text (JSON for non-strings). `\{{…}}`
 * is kept literally, without its backslash.
 */

const VARIABLE = /(^|[^\\])(\{\{(?:\{[^{}]*\}|[^{}])*\}\})/g;
const ESCAPED = /\\(\{\{(?:\{[^{}]*\}|[^{}])*\}\})/g;

export interface VariableScope {
	jmes: JmesPath;
	/** What queries read: `request`, `element`, `elementIndex`, context entries, test values. */
	data: Record<string, unknown>;
}

export class SubstitutionError extends Error {}

function text(v: unknown): string {
	return typeof v === 'string' ? v : JSON.stringify(v ?? null);
}

/** Whether a string holds a variable. */
export const hasVariables = (s: string): boolean => {
	VARIABLE.lastIndex = 0;
	return VARIABLE.test(s);
};

/** Runs one query (a variable's text without braces) on the scope. */
export function query(scope: VariableScope, q: string): unknown {
	try {
		return scope.jmes.search(q, scope.data);
	} catch (e) {
		if (e instanceof NotEvaluatedError) throw e;
		throw new SubstitutionError(`failed to resolve ${q}: ${e instanceof Error ? e.message : String(e)}`);
	}
}

function substituteString(value: string, scope: VariableScope): unknown {
	let current = value;
	for (let round = 0; round < 20; round++) {
		VARIABLE.lastIndex = 0;
		const found = [...current.matchAll(VARIABLE)];
		if (found.length === 0) break;
		for (const m of found) {
			const variable = m[2];
			const q = variable.slice(2, -2).trim();
			const result = query(scope, q);
			if (current === variable) return result;
			current = current.replace(`${m[1]}${variable}`, `${m[1]}${text(result)}`);
		}
	}
	return current.replace(ESCAPED, '$1');
}

/** Substitutes every variable of a JSON document (keys too); throws SubstitutionError. */
export function substitute(doc: unknown, scope: VariableScope): unknown {
	if (typeof doc === 'string') return doc.includes('{{') ? substituteString(doc, scope) : doc;
	if (Array.isArray(doc)) return doc.map((d) => substitute(d, scope));
	if (isPlainObject(doc)) {
		const out: Record<string, unknown> = {};
		for (const [k, v] of Object.entries(doc)) {
			const key = k.includes('{{') ? text(substituteString(k, scope)) : k;
			out[key] = substitute(v, scope);
		}
		return out;
	}
	return doc;
}

/** A message with its variables substituted; the raw message where substitution fails. */
export function substituteMessage(message: string, scope: VariableScope): string {
	try {
		const v = substitute(message, scope);
		return typeof v === 'string' ? v : text(v);
	} catch {
		return message;
	}
}

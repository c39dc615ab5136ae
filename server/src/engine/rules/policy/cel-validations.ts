import { celMap, type CelValue } from '@bufbuild/cel';
import { CelEnvironment, showCel, toCel, type CelProgram } from '../../cel';
import { isPlainObject } from '../../core/resource';
import { RecentMemo } from '../../core/recent-memo';
import { gvkOf, isClusterScoped, nameOf, namespaceOf, resourceOf } from './resources';
import type { Path, PolicyWorld } from './types';

/**
 * CEL validations as ValidatingAdmissionPolicy evaluates them, shared by VAP, Kyverno's
 * `validate.cel` and Kyverno ValidatingPolicies: match conditions (all true, else the policy does
 * not apply), variables (in order, each may use the earlier ones), validations (each true, else a
 * failure with its message, messageExpression or "failed expression"). One `CelValidator` owns the
 * CEL environment: every expression is compiled once per text.
 */

export interface NamedExpression {
	name?: string;
	expression: string;
}

export interface CelValidation {
	expression: string;
	message?: string;
	messageExpression?: string;
	reason?: string;
}

export interface CelSpec {
	matchConditions: NamedExpression[];
	variables: NamedExpression[];
	validations: CelValidation[];
	/** failurePolicy: Ignore makes an evaluation error a skip, Fail (the default) an error. */
	ignoreErrors?: boolean;
}

export interface CelFailure {
	index: number;
	message: string;
	path: Path;
}

export type CelVerdict =
	| { status: 'pass' }
	| { status: 'skip'; reason: string }
	| { status: 'fail'; failures: CelFailure[] }
	| { status: 'error'; reason: string }
	| { status: 'not-evaluated'; reason: string };

/** Kyverno CEL libraries that need a cluster, the network or image registries: never evaluated from Git. */
const KYVERNO_UNAVAILABLE: Record<string, string> = {
	resource: 'it reads live cluster objects (resource.Get/List)',
	http: 'it makes HTTP calls',
	globalContext: 'it reads Kyverno global context entries',
	image: 'it inspects container images',
	imagedata: 'it fetches image data from a registry',
	generator: 'it generates resources',
	exceptions: 'it reads the policy exceptions Kyverno passes at admission',
};

export const CEL_VARIABLES = ['object', 'oldObject', 'request', 'params', 'namespaceObject', 'variables'] as const;

/** Builds the `request` of a (simulated) admission of `value`. */
export function admissionRequest(value: Record<string, unknown>, operation: string): Record<string, unknown> {
	const gvk = gvkOf(value);
	return {
		uid: '',
		kind: { group: gvk.group, version: gvk.version, kind: gvk.kind },
		resource: { group: gvk.group, version: gvk.version, resource: resourceOf(gvk.kind) },
		requestKind: { group: gvk.group, version: gvk.version, kind: gvk.kind },
		requestResource: { group: gvk.group, version: gvk.version, resource: resourceOf(gvk.kind) },
		name: nameOf(value),
		namespace: isClusterScoped(gvk.kind) ? '' : namespaceOf(value) || 'default',
		operation,
		userInfo: {},
		dryRun: false,
		options: {},
	};
}

const FIELD = /(?:^|[^.\w])(?:object)((?:\.\??[A-Za-z_][A-Za-z0-9_]*)+)/;

/** The deepest node of `value` an expression's first `object.a.b…` chain reaches: where a failure is shown. */
export function guessPath(expression: string, value: unknown): Path {
	const m = FIELD.exec(expression);
	if (!m) return [];
	const path: Path = [];
	let node = value;
	for (const raw of m[1].split('.').slice(1)) {
		const key = raw.replace(/^\?/, '');
		if (!isPlainObject(node) || !(key in node)) break;
		path.push(key);
		node = node[key];
	}
	return path;
}

export class CelValidator {
	readonly env = new CelEnvironment({ variables: CEL_VARIABLES, unavailable: KYVERNO_UNAVAILABLE });
	/**
	 * Each JSON object of a resource as CEL, converted once while its policies judge it (one after the
	 * other): one cache per resource, for the last few resources.
	 */
	private readonly caches = new RecentMemo<object, WeakMap<object, CelValue>>(4);

	/** Compile errors of one expression (for a policy file's diagnostics). */
	compileErrors(expression: string) {
		const c = this.env.compile(expression);
		return c.ok ? [] : c.errors;
	}

	private program(expression: string): CelProgram | string {
		const c = this.env.compile(expression);
		return c.ok ? c.program : `the expression does not compile: ${c.errors.map((e) => e.message).join('; ')}`;
	}

	/** Evaluates one expression; a string result is the error. */
	private eval(expression: string, bindings: Record<string, CelValue>): { value: CelValue } | { error: string; unavailable?: boolean } {
		const p = this.program(expression);
		if (typeof p === 'string') return { error: p };
		if (p.unavailable) return { error: `not evaluated: ${p.unavailable}`, unavailable: true };
		const r = this.env.evaluate(p, bindings);
		return r.ok ? { value: r.value } : { error: r.error };
	}

	evaluate(spec: CelSpec, value: Record<string, unknown>, world: PolicyWorld, params: unknown = null): CelVerdict {
		const cache = this.caches.get(value, () => new WeakMap());
		const operation = world.operation ?? 'CREATE';
		const ns = namespaceOf(value) || 'default';
		const nsObject = isClusterScoped(gvkOf(value).kind) ? null : (world.namespaceObject?.(ns) ?? null);
		const bindings: Record<string, CelValue> = {
			object: toCel(value, cache),
			oldObject: null,
			request: toCel({ ...admissionRequest(value, operation), object: value, oldObject: null }, cache),
			params: toCel(params, cache),
			namespaceObject: toCel(nsObject, cache),
		};
		const vars = new Map<string, CelValue>();
		bindings.variables = celMap(vars);
		const failed = (error: string, unavailable?: boolean): CelVerdict => (unavailable ? { status: 'not-evaluated', reason: error.replace(/^not evaluated: /, '') } : spec.ignoreErrors ? { status: 'skip', reason: `failurePolicy Ignore: ${error}` } : { status: 'error', reason: error });
		for (const m of spec.matchConditions) {
			const r = this.eval(m.expression, bindings);
			if ('error' in r) return failed(`match condition ${m.name ?? m.expression}: ${r.error}`, r.unavailable);
			if (r.value !== true) return { status: 'skip', reason: `the match condition ${m.name ? `"${m.name}" ` : ''}is false` };
		}
		const varErrors = new Map<string, string>();
		for (const v of spec.variables) {
			if (!v.name) continue;
			const r = this.eval(v.expression, bindings);
			if ('error' in r) {
				if (r.unavailable) return failed(r.error, true);
				varErrors.set(v.name, r.error);
			} else vars.set(v.name, r.value);
		}
		const failures: CelFailure[] = [];
		for (const [index, v] of spec.validations.entries()) {
			const r = this.eval(v.expression, bindings);
			if ('error' in r) {
				const missing = [...varErrors.keys()].find((n) => v.expression.includes(`variables.${n}`));
				return failed(missing ? `variable ${missing}: ${varErrors.get(missing)}` : r.error, r.unavailable);
			}
			if (r.value === true) continue;
			if (r.value !== false) return failed(`validation expression ${index} returned ${showCel(r.value)}, not a bool`);
			failures.push({ index, message: this.message(v, bindings), path: guessPath(v.expression, value) });
		}
		return failures.length > 0 ? { status: 'fail', failures } : { status: 'pass' };
	}

	private message(v: CelValidation, bindings: Record<string, CelValue>): string {
		if (v.messageExpression) {
			const r = this.eval(v.messageExpression, bindings);
			if ('value' in r && typeof r.value === 'string' && r.value.trim() !== '') return r.value;
		}
		if (v.message) return v.message;
		return `failed expression: ${v.expression}`;
	}
}

/** Reads `[{ name, expression }]`, dropping entries that are not expressions. */
export function namedExpressions(v: unknown): NamedExpression[] {
	return (Array.isArray(v) ? v : []).filter((x): x is Record<string, unknown> => isPlainObject(x) && typeof x.expression === 'string').map((x) => ({ name: typeof x.name === 'string' ? x.name : undefined, expression: x.expression as string }));
}

export function validations(v: unknown): CelValidation[] {
	return (Array.isArray(v) ? v : [])
		.filter((x): x is Record<string, unknown> => isPlainObject(x) && typeof x.expression === 'string')
		.map((x) => ({ expression: x.expression as string, message: typeof x.message === 'string' ? x.message : undefined, messageExpression: typeof x.messageExpression === 'string' ? x.messageExpression : undefined, reason: typeof x.reason === 'string' ? x.reason : undefined }));
}

import { celList, celMap, type CelValue } from '@bufbuild/cel';
import { CelEnvironment, type CelProgram } from './environment';
import { toCel } from './values';

/**
 * The CEL validation rules of a CRD's structural schema (`x-kubernetes-validations`: rule,
 * message, messageExpression, fieldPath, reason), evaluated on an object as the API server does:
 * each rule with `self` bound to the value at its schema node, objects with properties exposing
 * their fields under Kubernetes' escaped names. Transition rules (using `oldSelf`) compare with
 * the previous version of the object, which Git does not have: they are counted, not evaluated.
 */

type Json = Record<string, unknown>;
export type Path = (string | number)[];

export interface CrdRuleViolation {
	/** The node the finding belongs on: the rule's node, plus its fieldPath. */
	path: Path;
	message: string;
	rule: string;
	reason: string;
}

export interface CrdRuleOutcome {
	violations: CrdRuleViolation[];
	/** Rules not evaluated because they compare with the old object (`oldSelf`). */
	transitionRules: number;
	/** Rules that could not be evaluated (a compile or runtime error), with why. */
	errors: { path: Path; rule: string; error: string }[];
}

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const RESERVED = new Set(['true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if', 'import', 'let', 'loop', 'package', 'namespace', 'return', 'var', 'void', 'while']);

/** A property name as CEL sees it (`x-prop` → `x__dash__prop`, `namespace` → `__namespace__`). */
export function escapeProperty(name: string): string | undefined {
	if (RESERVED.has(name)) return `__${name}__`;
	if (!/^[a-zA-Z_.\-/][a-zA-Z0-9_.\-/]*$/.test(name)) return undefined;
	return name.replace(/__/g, '__underscores__').replace(/\./g, '__dot__').replace(/-/g, '__dash__').replace(/\//g, '__slash__');
}

/** The value at a schema node as CEL sees it: typed by the schema (numbers as doubles), fields escaped. */
function typed(value: unknown, schema: Json | undefined): CelValue {
	if (!schema) return toCel(value);
	if (Array.isArray(value)) return celList(value.map((v) => typed(v, isObj(schema.items) ? schema.items : undefined)));
	if (isObj(value)) {
		const props = isObj(schema.properties) ? schema.properties : undefined;
		const additional = isObj(schema.additionalProperties) ? schema.additionalProperties : undefined;
		const m = new Map<string, CelValue>();
		for (const [k, v] of Object.entries(value)) {
			if (props) {
				const key = escapeProperty(k);
				if (key !== undefined) m.set(key, typed(v, isObj(props[k]) ? props[k] : undefined));
			} else m.set(k, typed(v, additional));
		}
		return celMap(m);
	}
	if (schema.type === 'number' && typeof value === 'number') return value;
	return toCel(value);
}

/** `.spec.foo`, `.foo['bar.baz']`, `.list[2]` relative to a node, as a path. */
export function parseFieldPath(fieldPath: string): Path | undefined {
	const out: Path = [];
	const re = /\.([A-Za-z0-9_$-]+)|\[\s*'((?:[^'\\]|\\.)*)'\s*\]|\[\s*(\d+)\s*\]/y;
	let at = 0;
	while (at < fieldPath.length) {
		re.lastIndex = at;
		const m = re.exec(fieldPath);
		if (!m) return undefined;
		out.push(m[1] ?? (m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : Number(m[3])));
		at = re.lastIndex;
	}
	return out;
}

export class CrdRuleValidator {
	readonly env = new CelEnvironment({ variables: ['self', 'oldSelf'] });

	validate(schema: Json, value: unknown): CrdRuleOutcome {
		const out: CrdRuleOutcome = { violations: [], transitionRules: 0, errors: [] };
		this.walk(schema, value, [], out);
		return out;
	}

	/** Whether a schema has any rule anywhere (worth walking objects of its kind). */
	static hasRules(schema: unknown): boolean {
		if (Array.isArray(schema)) return schema.some((s) => CrdRuleValidator.hasRules(s));
		if (!isObj(schema)) return false;
		return Array.isArray(schema['x-kubernetes-validations']) || Object.values(schema).some((v) => typeof v === 'object' && CrdRuleValidator.hasRules(v));
	}

	private walk(schema: Json, value: unknown, path: Path, out: CrdRuleOutcome): void {
		if (value === undefined || value === null) return;
		const rules = schema['x-kubernetes-validations'];
		if (Array.isArray(rules)) {
			let self: CelValue | undefined;
			for (const r of rules) {
				if (!isObj(r) || typeof r.rule !== 'string') continue;
				const compiled = this.env.compile(r.rule);
				if (/\boldSelf\b/.test(r.rule)) {
					out.transitionRules++;
					continue;
				}
				if (!compiled.ok) {
					out.errors.push({ path, rule: r.rule, error: compiled.errors.map((e) => e.message).join('; ') });
					continue;
				}
				self ??= typed(value, schema);
				this.check(compiled.program, r, self, path, out);
			}
		}
		if (Array.isArray(value)) {
			if (isObj(schema.items)) value.forEach((v, i) => this.walk(schema.items as Json, v, [...path, i], out));
			return;
		}
		if (!isObj(value)) return;
		if (isObj(schema.properties)) {
			for (const [k, s] of Object.entries(schema.properties)) if (isObj(s) && k in value) this.walk(s, value[k], [...path, k], out);
		} else if (isObj(schema.additionalProperties)) {
			for (const [k, v] of Object.entries(value)) this.walk(schema.additionalProperties, v, [...path, k], out);
		}
	}

	private check(program: CelProgram, r: Json, self: CelValue, path: Path, out: CrdRuleOutcome): void {
		const result = this.env.evaluate(program, { self, oldSelf: null });
		if (!result.ok) {
			out.errors.push({ path, rule: String(r.rule), error: result.error });
			return;
		}
		if (result.value === true) return;
		let message = typeof r.message === 'string' && r.message !== '' ? r.message : `failed rule: ${String(r.rule)}`;
		if (typeof r.messageExpression === 'string') {
			const m = this.env.compile(r.messageExpression);
			const v = m.ok ? this.env.evaluate(m.program, { self, oldSelf: null }) : undefined;
			if (v?.ok && typeof v.value === 'string' && v.value.trim() !== '') message = v.value;
		}
		const extra = typeof r.fieldPath === 'string' ? parseFieldPath(r.fieldPath) : undefined;
		out.violations.push({ path: extra ? [...path, ...extra] : path, message, rule: String(r.rule), reason: typeof r.reason === 'string' ? r.reason : 'FieldValueInvalid' });
	}
}

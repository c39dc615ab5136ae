import { closest, distance } from 'fastest-levenshtein';
import type { NodePath } from '../core/parse';
import { formatPath, isObject, pointerToPath, valueAt } from './paths';
import type { SchemaProblem, ValidateOptions } from './types';

/**
 * Human messages for schema problems. Everything a user reads about a schema error is phrased
 * here, for both paths: kubernetes-models' precompiled validators and ajv over CRD schemas (both
 * produce ajv-style errors), plus unknown fields found by the field-tree walk.
 */

/** The shape of an ajv error (ajv itself and kubernetes-models' standalone validators). */
export interface AjvLikeError {
	instancePath: string;
	schemaPath: string;
	keyword: string;
	params: Record<string, unknown>;
	/** With ajv's `verbose`: the schema object that holds the failing keyword. */
	parentSchema?: unknown;
	/** With ajv's `verbose`: the value of the failing keyword. */
	schema?: unknown;
}

export interface ErrorContext {
	/** The value that was validated (the resource, or a part of it: see `prefix`). */
	root: unknown;
	/** Path of `root` inside the document (`['metadata']` when only metadata was validated). */
	prefix: NodePath;
	/** The resource's kind, for messages about the root (`This Deployment is missing...`). */
	kind: string;
	options: ValidateOptions;
	/** Problems under `status` are not reported (controllers write it; whatever is there is accepted). */
	skipStatus: boolean;
	/** What to call the object at `path` in an unknown-field message (`Container`, `HelmRelease.spec`). */
	ownerName(path: NodePath, parentSchema: unknown): string;
	/** Known field names of the object at `path`, for the did-you-mean. */
	fieldNames(path: NodePath, parentSchema: unknown): string[];
}

/** An error with its path resolved (relative to the context's root) and its data read. */
interface Err {
	path: NodePath;
	keyword: string;
	schemaPath: string;
	params: Record<string, unknown>;
	parentSchema?: unknown;
	schema?: unknown;
}

/** Turns validator errors into placed, human problems: combinator noise collapsed, duplicates removed. */
export function problemsFromErrors(errors: readonly AjvLikeError[] | null | undefined, ctx: ErrorContext): SchemaProblem[] {
	if (!errors || errors.length === 0) return [];
	const resolved: Err[] = [];
	for (const e of errors) {
		const path = pointerToPath(e.instancePath, ctx.root);
		if (ctx.skipStatus && ctx.prefix.length === 0 && path[0] === 'status') continue;
		resolved.push({ path, keyword: e.keyword, schemaPath: e.schemaPath, params: e.params, parentSchema: e.parentSchema, schema: e.schema });
	}
	const reduced = reduceCombinators(resolved);
	const out: SchemaProblem[] = [];
	const seen = new Set<string>();
	const missing = new Map<string, { path: NodePath; fields: string[] }>();
	for (const e of reduced) {
		if (e.keyword === 'required') {
			if (ctx.options.partial) continue;
			const k = JSON.stringify(e.path);
			const entry = missing.get(k) ?? { path: e.path, fields: [] };
			const field = String(e.params.missingProperty);
			if (!entry.fields.includes(field)) entry.fields.push(field);
			missing.set(k, entry);
			continue;
		}
		const p = toProblem(e, ctx);
		if (!p) continue;
		const k = `${p.ruleId}|${p.target}|${JSON.stringify(p.path)}|${p.message}`;
		if (seen.has(k)) continue;
		seen.add(k);
		out.push(p);
	}
	for (const { path, fields } of missing.values()) out.push(missingFields(ctx, path, fields));
	return out;
}

function samePath(a: NodePath, b: NodePath): boolean {
	return a.length === b.length && a.every((s, i) => s === b[i]);
}

function within(inner: NodePath, outer: NodePath): boolean {
	return inner.length >= outer.length && outer.every((s, i) => s === inner[i]);
}

const COMBINATORS = new Set(['oneOf', 'anyOf']);

/**
 * Replaces each failed oneOf/anyOf and the errors of its branches by what the user needs: the
 * errors of the branch that came closest, or one "must be a string or an integer" when no branch
 * had the right type. ajv emits a branch's errors right before the combinator's own error.
 */
function reduceCombinators(errors: Err[]): Err[] {
	const out: Err[] = [];
	let i = errors.length - 1;
	while (i >= 0) {
		const e = errors[i];
		if (!COMBINATORS.has(e.keyword)) {
			out.push(e);
			i--;
			continue;
		}
		// Absolute schema paths (ajv over one inlined schema) tell which branch an error belongs to;
		// kubernetes-models' validators restart at `#/` in each referenced type, so fall back to the instance path.
		const prefix = `${e.schemaPath}/`;
		const attributed = i > 0 && errors[i - 1].schemaPath.startsWith(prefix);
		let j = i - 1;
		while (j >= 0 && (attributed ? errors[j].schemaPath.startsWith(prefix) : within(errors[j].path, e.path))) j--;
		const group = errors.slice(j + 1, i);
		const collapsed = collapse(e, group, attributed);
		for (let k = collapsed.length - 1; k >= 0; k--) out.push(collapsed[k]);
		i = j;
	}
	return out.reverse();
}

function collapse(comb: Err, group: Err[], attributed: boolean): Err[] {
	// Several branches matched: an ambiguity of the schema, not a mistake of the user.
	if (Array.isArray(comb.params.passingSchemas)) return [];
	const isTypeAtP = (e: Err) => e.keyword === 'type' && samePath(e.path, comb.path);
	let candidates: Err[][];
	if (attributed) {
		const byBranch = new Map<number, Err[]>();
		const prefixLen = comb.schemaPath.length + 1;
		for (const e of group) {
			const idx = parseInt(e.schemaPath.slice(prefixLen), 10);
			const list = byBranch.get(idx) ?? [];
			list.push(e);
			byBranch.set(idx, list);
		}
		candidates = [...byBranch.values()].filter((b) => !b.some(isTypeAtP));
	} else {
		const rest = group.filter((e) => !isTypeAtP(e));
		candidates = rest.length > 0 ? [rest] : [];
	}
	if (candidates.length === 0) {
		const types: string[] = [];
		for (const e of group) if (isTypeAtP(e)) for (const t of String(e.params.type).split(',')) if (!types.includes(t)) types.push(t);
		if (types.length === 0) return [];
		return [{ path: comb.path, keyword: 'type', schemaPath: comb.schemaPath, params: { type: types.join(',') } }];
	}
	// Every candidate only lacks a field: the user must pick one of the alternatives.
	if (candidates.length > 1 && candidates.every((b) => b.every((e) => e.keyword === 'required' && samePath(e.path, comb.path)))) {
		const alternatives = candidates.map((b) => b.map((e) => String(e.params.missingProperty)));
		return [{ path: comb.path, keyword: 'requiredAlternatives', schemaPath: comb.schemaPath, params: { alternatives, exactlyOne: comb.keyword === 'oneOf' } }];
	}
	let best: Err[] | undefined;
	for (const c of candidates) {
		const r = reduceCombinators(c);
		if (!best || r.length < best.length) best = r;
	}
	return best ?? [];
}

const ARTICLE: Record<string, string> = {
	string: 'a string',
	integer: 'an integer',
	number: 'a number',
	boolean: 'a boolean (true or false)',
	object: 'a mapping',
	array: 'a list',
	null: 'null',
};

function expectedTypes(types: string[]): string {
	const names = types.map((t) => ARTICLE[t] ?? t);
	return names.length <= 1 ? (names[0] ?? 'another type') : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

/** `the string "3"`, `the number 3`, `a mapping`: what the user wrote, in words. */
export function describeValue(v: unknown): string {
	if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 60 ? v.slice(0, 57) + '...' : v)}`;
	if (typeof v === 'number') return `the number ${v}`;
	if (typeof v === 'boolean') return `the boolean ${v}`;
	if (v === null || v === undefined) return 'an empty value';
	if (v instanceof Date) return 'a date';
	if (Array.isArray(v)) return 'a list';
	return 'a mapping';
}

const YAML11_BOOL = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;

function toProblem(e: Err, ctx: ErrorContext): SchemaProblem | undefined {
	const path = [...ctx.prefix, ...e.path];
	const shown = formatPath(path);
	const data = valueAt(ctx.root, e.path);
	const p = e.params;
	switch (e.keyword) {
		case 'type': {
			const types = String(p.type).split(',');
			// Go's JSON decoder treats null as "not set", and the API server prunes nulls of CRD fields.
			if (data === null) return undefined;
			// Kubernetes reads YAML timestamps as strings (go-yaml into interface{}); the yaml package makes Dates.
			if (data instanceof Date && types.includes('string')) return undefined;
			if (types.includes('string') && (typeof data === 'number' || typeof data === 'boolean')) {
				const src = ctx.options.sourceText?.(path);
				const expected = expectedTypes(types);
				if (src !== undefined && ((typeof data === 'number' && src !== String(data)) || (typeof data === 'boolean' && YAML11_BOOL.test(src)))) {
					return { ruleId: 'yaml11-trap', path, target: 'value', message: `${shown} must be ${expected}: ${src} is read as the ${typeof data} ${data}. Quote it: "${src}"`, data: { replacement: JSON.stringify(src), path } };
				}
				const text = src ?? String(data);
				return { ruleId: 'schema-type', path, target: 'value', message: `${shown} must be ${expected}, got ${describeValue(data)}. Quote it: "${text}"`, data: { replacement: JSON.stringify(text), path } };
			}
			if (types.includes('boolean') && typeof data === 'string' && YAML11_BOOL.test(data) && ctx.options.sourceText?.(path) === data) {
				// Only where kustomize reads the file (YAML 1.2): elsewhere the parser already made it a boolean.
				const truth = /^(?:y|yes|on)$/i.test(data) ? 'true' : 'false';
				return {
					ruleId: 'yaml11-trap',
					path,
					target: 'value',
					message: `${shown} must be a boolean: kustomize reads ${data} as the string "${data}" (YAML 1.2) and writes it quoted, so the API server rejects what it builds. Write ${truth}.`,
					data: { replacement: truth, path },
				};
			}
			return { ruleId: 'schema-type', path, target: 'value', message: `${shown} must be ${expectedTypes(types)}, got ${describeValue(data)}` };
		}
		case 'enum':
		case 'const': {
			const allowed = e.keyword === 'const' ? [p.allowedValue] : ((p.allowedValues as unknown[]) ?? []);
			const list = allowed.slice(0, 12).map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ') + (allowed.length > 12 ? ', ...' : '');
			const strings = allowed.filter((v): v is string => typeof v === 'string');
			const suggestion = typeof data === 'string' ? suggest(data, strings) : undefined;
			const head = allowed.length === 1 ? `${shown} must be ${list}` : `${shown} must be one of ${list}`;
			return {
				ruleId: 'schema-enum',
				path,
				target: 'value',
				message: `${head}, got ${describeValue(data)}${suggestion ? `. Did you mean ${suggestion}?` : ''}`,
				data: suggestion ? { replacement: suggestion, path } : { path },
			};
		}
		case 'additionalProperties': {
			const name = String(p.additionalProperty);
			if (ctx.options.partial && name.startsWith('$')) return undefined; // strategic-merge directives
			return unknownField(path, name, ctx.ownerName(e.path, e.parentSchema), ctx.fieldNames(e.path, e.parentSchema));
		}
		case 'requiredAlternatives': {
			if (ctx.options.partial) return undefined;
			const alts = (p.alternatives as string[][]).map((a) => a.join(' and '));
			const list = alts.length <= 1 ? alts.join('') : `${alts.slice(0, -1).join(', ')} or ${alts[alts.length - 1]}`;
			return { ruleId: 'schema-required', ...parentTarget(ctx, e.path, path), message: `${ownerOf(path, ctx.kind)} needs ${p.exactlyOne ? 'exactly one' : 'at least one'} of the fields ${list}.` };
		}
		case 'pattern':
			return value(path, `${shown} must match the pattern ${String(p.pattern)}, got ${describeValue(data)}`);
		case 'format':
			return value(path, `${shown} must be ${formatPhrase(String(p.format))}, got ${describeValue(data)}`);
		case 'minimum':
		case 'exclusiveMinimum':
		case 'maximum':
		case 'exclusiveMaximum': {
			const word = { minimum: 'at least', exclusiveMinimum: 'greater than', maximum: 'at most', exclusiveMaximum: 'less than' }[e.keyword];
			return value(path, `${shown} must be ${word} ${String(p.limit)}, got ${describeValue(data)}`);
		}
		case 'minLength':
			return value(path, `${shown} must be at least ${String(p.limit)} character${p.limit === 1 ? '' : 's'} long`);
		case 'maxLength':
			return value(path, `${shown} must be at most ${String(p.limit)} characters long, got ${typeof data === 'string' ? data.length : '?'}`);
		case 'minItems':
			return value(path, `${shown} must have at least ${String(p.limit)} item${p.limit === 1 ? '' : 's'}`);
		case 'maxItems':
			return value(path, `${shown} must have at most ${String(p.limit)} items`);
		case 'minProperties':
			return value(path, `${shown} must have at least ${String(p.limit)} field${p.limit === 1 ? '' : 's'}`);
		case 'uniqueItems':
			return value(path, `${shown} must not contain duplicates: items ${String(p.j)} and ${String(p.i)} are equal`);
		case 'not': {
			const req = isObject(e.schema) && Array.isArray(e.schema.required) ? (e.schema.required as string[]) : undefined;
			if (req && req.length > 1) return value(path, `${ownerOf(path, ctx.kind)} must not set ${req.join(' and ')} together: use only one of them`);
			return value(path, `${shown} is not allowed in this form here`);
		}
		case 'if':
		case 'oneOf':
		case 'anyOf':
			return undefined; // the branches' own errors say it better (or it is a schema ambiguity)
		default:
			return value(path, `${shown} is not valid here (${e.keyword})`);
	}
}

function value(path: NodePath, message: string): SchemaProblem {
	return { ruleId: 'schema-value', path, target: 'value', message };
}

function formatPhrase(format: string): string {
	switch (format) {
		case 'quantity':
			return 'a Kubernetes quantity such as 512Mi, 2Gi, 500m or 1.5';
		case 'int32':
			return 'a 32-bit integer';
		case 'int64':
			return 'a 64-bit integer';
		case 'byte':
			return 'base64-encoded data';
		case 'date-time':
			return 'an RFC 3339 date-time such as 2024-01-31T12:00:00Z';
		case 'date':
			return 'a date such as 2024-01-31';
		default:
			return `a valid ${format}`;
	}
}

function ownerOf(path: NodePath, kind: string): string {
	return path.length === 0 ? `This ${kind}` : formatPath(path);
}

function missingFields(ctx: ErrorContext, rel: NodePath, fields: string[]): SchemaProblem {
	const path = [...ctx.prefix, ...rel];
	const list = fields.length === 1 ? `field ${fields[0]}` : `fields ${fields.slice(0, -1).join(', ')} and ${fields[fields.length - 1]}`;
	return { ruleId: 'schema-required', ...parentTarget(ctx, rel, path), message: `${ownerOf(path, ctx.kind)} is missing the required ${list}.`, data: { path, missing: fields } };
}

/**
 * Where a "missing field" problem goes: the key of the mapping that lacks it; for a list item
 * (which has no key) the item's first key, so the squiggle stays on the item's first line.
 */
function parentTarget(ctx: ErrorContext, rel: NodePath, path: NodePath): Pick<SchemaProblem, 'path' | 'target'> {
	if (typeof path[path.length - 1] === 'number') {
		const item = valueAt(ctx.root, rel);
		const first = isObject(item) ? Object.keys(item)[0] : undefined;
		if (first !== undefined) return { path: [...path, first], target: 'key' };
	}
	return { path, target: 'parent' };
}

/** The closest candidate to a misspelled name, if it is close enough to be what the user meant. */
export function suggest(name: string, candidates: readonly string[]): string | undefined {
	if (candidates.length === 0) return undefined;
	const lower = name.toLowerCase();
	const sameCase = candidates.find((c) => c.toLowerCase() === lower);
	if (sameCase) return sameCase;
	const best = closest(name, candidates as string[]);
	// One edit for very short names; a swapped pair of letters (two edits) from four letters on.
	const limit = name.length <= 3 ? 1 : name.length <= 8 ? 2 : 3;
	return distance(name.toLowerCase(), best.toLowerCase()) <= limit ? best : undefined;
}

/**
 * The problem for an unknown field, on its key: `spec.template.spec.containers[0].imagePullPolicyy
 * is not a field of Container. Did you mean imagePullPolicy?`
 */
export function unknownField(parentPath: NodePath, name: string, owner: string, known: readonly string[]): SchemaProblem {
	const path = [...parentPath, name];
	const suggestion = suggest(name, known);
	return {
		ruleId: 'schema-unknown-field',
		path,
		target: 'key',
		message: `${formatPath(path)} is not a field of ${owner}.${suggestion ? ` Did you mean ${suggestion}?` : ''}`,
		data: suggestion ? { replacement: suggestion, path } : { path },
	};
}

import Ajv, { type ValidateFunction } from 'ajv';
import { compileWithStore, type CompiledCodeStore } from './compiled-code';
import addFormats from 'ajv-formats';
import type { NodePath } from '../core/parse';
import { OBJECT_META, type K8sCatalog } from './k8s-fields';
import { schemaLayout, type SchemaLayout } from './list-topology';
import { problemsFromErrors, type AjvLikeError, type ErrorContext } from './messages';
import { customObjectProblems } from './object-rules';
import { formatPath, isObject } from './paths';
import type { FieldInfo, KindSchema, SchemaProblem, ValidateOptions } from './types';

/**
 * Custom resources (and kustomization.yaml, and our own kinds) through vendored JSON schemas,
 * validated by ajv. Each schema is prepared (local `$ref`s inlined, objects closed) and compiled
 * once, on the first document of its kind.
 */

type Json = Record<string, unknown>;

/** One ajv instance per registry: formats Kubernetes uses, ajv's noise off. */
export function createAjv(): Ajv {
	// Not `verbose` and no code optimisation: both double the compile time of big CRDs (ApplicationSet:
	// 2.2 s → 0.6 s); the schema at an error's path is looked up only when a message needs it.
	const ajv = new Ajv({ allErrors: true, strict: false, verbose: false, logger: false, validateSchema: false, inlineRefs: true, code: { optimize: false } });
	// Only the formats Kubernetes validates the same way; unknown formats are ignored (no false positives).
	addFormats(ajv, ['date-time', 'date', 'time', 'int32', 'int64', 'float', 'double', 'byte']);
	return ajv;
}

const DATA_KEYS = new Set(['enum', 'const', 'required', 'default', 'example', 'examples', 'x-kubernetes-list-map-keys', 'x-kubernetes-validations']);
const MAP_KEYS = new Set(['properties', 'patternProperties', 'definitions', '$defs', 'dependencies']);

/**
 * A copy of a schema ready to compile: local `$ref`s inlined (so ajv's error schema paths are
 * absolute and tell oneOf branches apart), objects that list `properties` and allow nothing else
 * closed (kubectl rejects unknown fields), `metadata` and `status` at the root left open
 * (metadata is checked as ObjectMeta; status is written by controllers).
 */
export function prepareSchema(root: Json): Json {
	const resolve = (ref: string): unknown => {
		let cur: unknown = root;
		for (const raw of ref.slice(2).split('/')) {
			const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
			cur = isObject(cur) ? cur[key] : undefined;
		}
		return cur;
	};
	const go = (node: unknown, stack: string[]): unknown => {
		if (Array.isArray(node)) return node.map((n) => go(n, stack));
		if (!isObject(node)) return node;
		const ref = node.$ref;
		if (typeof ref === 'string' && ref.startsWith('#/')) {
			// A recursive reference accepts anything below it: rare, and a miss is better than a false alarm.
			const target = stack.includes(ref) ? undefined : resolve(ref);
			const inlined = target === undefined ? {} : (go(target, [...stack, ref]) as Json);
			return typeof node.description === 'string' ? { ...inlined, description: node.description } : inlined;
		}
		const out: Json = {};
		for (const [k, v] of Object.entries(node)) {
			if (k === '$schema' || k === '$id' || k === 'definitions' || k === '$defs') continue;
			if (DATA_KEYS.has(k)) out[k] = v;
			// Go (RE2) patterns JavaScript cannot compile, e.g. `(?i)`, are dropped: validated by nothing rather than by the wrong rule.
			else if (k === 'pattern') {
				if (typeof v === 'string' && isValidPattern(v)) out[k] = v;
			} else if (k === 'patternProperties' && isObject(v)) out[k] = Object.fromEntries(Object.entries(v).filter(([re]) => isValidPattern(re)).map(([re, sub]) => [re, go(sub, stack)]));
			else if (MAP_KEYS.has(k) && isObject(v)) out[k] = Object.fromEntries(Object.entries(v).map(([name, s]) => [name, go(s, stack)]));
			else out[k] = go(v, stack);
		}
		// x-kubernetes-int-or-string without a type: an integer or a string, nothing else.
		if (out['x-kubernetes-int-or-string'] === true && out.type === undefined && out.anyOf === undefined && out.oneOf === undefined) out.anyOf = [{ type: 'integer' }, { type: 'string' }];
		const open = out['x-kubernetes-preserve-unknown-fields'] === true;
		if (open && out.additionalProperties === false) delete out.additionalProperties;
		if (!open && isObject(out.properties) && out.additionalProperties === undefined && out.patternProperties === undefined) out.additionalProperties = false;
		return out;
	};
	const prepared = go(root, []) as Json;
	if (isObject(prepared.properties)) {
		const props = { ...prepared.properties };
		props.metadata = { ...(isObject(props.metadata) && typeof props.metadata.description === 'string' ? { description: props.metadata.description } : {}) };
		if ('status' in props) props.status = {};
		prepared.properties = props;
	}
	return prepared;
}

function isValidPattern(pattern: string): boolean {
	try {
		new RegExp(pattern, 'u');
		return true;
	} catch {
		return false;
	}
}

/** The node at an ajv schema path (`#/properties/spec/additionalProperties`) of a schema. */
function atSchemaPath(root: unknown, schemaPath: string): unknown {
	let cur = root;
	for (const raw of schemaPath.replace(/^#\/?/, '').split('/')) {
		if (raw === '') continue;
		const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
		cur = Array.isArray(cur) ? cur[Number(key)] : isObject(cur) ? cur[key] : undefined;
	}
	return cur;
}

/** The schema of one custom-resource kind, from a JSON schema file. */
export class JsonKindSchema implements KindSchema {
	private prepared?: Json;
	private compiled?: ValidateFunction | null;
	private layoutOf?: SchemaLayout;

	constructor(
		readonly source: string,
		private readonly kind: string,
		private readonly load: () => Json | undefined,
		private readonly ajv: Ajv,
		private readonly k8s: K8sCatalog,
		private readonly store?: CompiledCodeStore,
	) {}

	private schema(): Json | undefined {
		if (!this.prepared) {
			const raw = this.load();
			if (raw) this.prepared = prepareSchema(raw);
		}
		return this.prepared;
	}

	private validator(): ValidateFunction | undefined {
		if (this.compiled === undefined) {
			const schema = this.schema();
			try {
				this.compiled = schema ? compileWithStore(this.ajv, schema, this.store) : null;
			} catch {
				this.compiled = null; // a schema ajv cannot compile validates nothing (never a false alarm)
			}
		}
		return this.compiled ?? undefined;
	}

	validate(value: unknown, options: ValidateOptions): SchemaProblem[] {
		const problems: SchemaProblem[] = [];
		const v = this.validator();
		if (v && !v(value)) {
			const kind = this.kind;
			const ctx: ErrorContext = {
				root: value,
				prefix: [],
				kind,
				options,
				skipStatus: true,
				ownerName: (path) => (path.length === 0 ? kind : `${kind}.${formatPath(path)}`),
				fieldNames: (_path, parent) => (isObject(parent) && isObject(parent.properties) ? Object.keys(parent.properties) : []),
			};
			const prepared = this.prepared;
			const errors = (v.errors ?? []).map((e): AjvLikeError => {
				if (e.keyword !== 'additionalProperties' && e.keyword !== 'not') return e;
				const parentPath = e.schemaPath.slice(0, e.schemaPath.lastIndexOf('/'));
				return { ...e, parentSchema: atSchemaPath(prepared, parentPath), schema: atSchemaPath(prepared, e.schemaPath) };
			});
			problems.push(...problemsFromErrors(errors, ctx));
		}
		if (isObject(value) && isObject(value.metadata)) problems.push(...this.k8s.validate(value.metadata, OBJECT_META, ['metadata'], this.kind, options));
		const schema = this.prepared;
		if (schema) this.layoutOf ??= schemaLayout(schema);
		problems.push(...customObjectProblems(value, this.layoutOf, options.partial));
		return problems;
	}

	describe(path: NodePath): FieldInfo | undefined {
		if (path[0] === 'metadata') return this.k8s.describe(OBJECT_META, path.slice(1));
		let node: unknown = this.schema();
		for (const seg of path) {
			node = child(node, seg);
			if (node === undefined) return undefined;
		}
		return isObject(node) ? infoOf(node) : undefined;
	}
}

/** The schemas a node may take: itself and its combinator branches. */
function variants(node: Json): Json[] {
	const out = [node];
	for (const k of ['allOf', 'anyOf', 'oneOf']) {
		const list = node[k];
		if (Array.isArray(list)) for (const b of list) if (isObject(b)) out.push(b);
	}
	return out;
}

function child(node: unknown, seg: string | number): unknown {
	if (!isObject(node)) return undefined;
	for (const v of variants(node)) {
		if (typeof seg === 'number') {
			if (isObject(v.items)) return v.items;
			continue;
		}
		if (isObject(v.properties) && isObject(v.properties[seg])) return v.properties[seg];
		if (isObject(v.additionalProperties)) return v.additionalProperties;
		if (isObject(v.patternProperties)) {
			for (const [pattern, s] of Object.entries(v.patternProperties)) {
				try {
					if (new RegExp(pattern).test(seg)) return s;
				} catch {
					/* an invalid pattern matches nothing */
				}
			}
		}
	}
	return undefined;
}

function typeOf(node: Json): string | undefined {
	if (node['x-kubernetes-int-or-string'] === true) return 'int-or-string';
	const t = node.type;
	if (t === 'array' && isObject(node.items)) {
		const inner = typeOf(node.items);
		return inner ? `[]${inner}` : 'array';
	}
	if (t === 'object' && !isObject(node.properties) && isObject(node.additionalProperties)) return `map[string]${typeOf(node.additionalProperties) ?? 'any'}`;
	return typeof t === 'string' ? t : Array.isArray(t) ? t.join(' | ') : undefined;
}

function infoOf(node: Json): FieldInfo {
	const info: FieldInfo = {};
	if (typeof node.description === 'string') info.description = node.description;
	info.type = typeOf(node);
	if (Array.isArray(node.enum)) info.enum = node.enum;
	const props = new Map<string, { name: string; description?: string; required?: boolean; type?: string }>();
	for (const v of variants(node)) {
		if (!isObject(v.properties)) continue;
		const required = Array.isArray(v.required) ? (v.required as string[]) : [];
		for (const [name, s] of Object.entries(v.properties)) {
			if (props.has(name) || !isObject(s)) continue;
			props.set(name, { name, description: typeof s.description === 'string' ? s.description : undefined, required: required.includes(name), type: typeOf(s) });
		}
	}
	if (props.size > 0) info.properties = [...props.values()];
	return info;
}

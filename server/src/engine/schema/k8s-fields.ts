import type { NodePath } from '../core/parse';
import { builtinLayout, type BuiltinLayout } from './list-topology';
import { problemsFromErrors, unknownField, type AjvLikeError, type ErrorContext } from './messages';
import { builtinObjectProblems } from './object-rules';
import { isObject } from './paths';
import type { FieldInfo, KindSchema, SchemaProblem, SchemaSource, ValidateOptions } from './types';

/**
 * Kubernetes built-in kinds: kubernetes-models' precompiled validators (types, required fields,
 * enums, formats) plus the generated field tree (`schemas/kubernetes/fields.json`, from the
 * models' `.d.ts` by scripts/gen-k8s-fields.ts) for what those validators do not check, unknown
 * fields, and for hover and completion.
 */

/**
 * A type reference of the field tree: a type key (`IoK8sApiCoreV1Container`), a scalar (`string`,
 * `number`, `boolean`, `int-or-string`, `quantity`, `any`), `[]REF` (list of) or `{}REF` (map of).
 */
export type TypeRef = string;

export interface FieldProp {
	t: TypeRef;
	/** Required. */
	r?: 1;
	/** Allowed values. */
	e?: string[];
}

export interface FieldType {
	/** Display name, e.g. `Container`. */
	n: string;
	p: Record<string, FieldProp>;
}

export interface FieldTree {
	source: string;
	/** `apiVersion|kind` → root type key. */
	kinds: Record<string, string>;
	types: Record<string, FieldType>;
}

/** Type key → `{ '': type description, field: field description }`. */
export type FieldDescriptions = Record<string, Record<string, string>>;

/** A precompiled kubernetes-models validator (ajv standalone): returns validity, leaves errors on `.errors`. */
export type K8sValidateFn = ((data: unknown) => boolean) & { errors?: AjvLikeError[] | null };

/** Supplies the precompiled validators (injected by the host: they are JS modules, loaded lazily). */
export interface K8sValidatorSource {
	/** The validator of a type key (`IoK8sApiAppsV1Deployment`), or undefined if none is bundled. */
	validator(typeKey: string): K8sValidateFn | undefined;
}

export const OBJECT_META = 'IoK8sApimachineryPkgApisMetaV1ObjectMeta';

/** The field tree and validators of the built-in kinds, loaded on first use. */
export class K8sCatalog {
	private tree?: FieldTree | null;
	private descriptions?: FieldDescriptions | null;
	private readonly validators = new Map<string, K8sValidateFn | undefined>();

	constructor(
		private readonly source: SchemaSource,
		private readonly validatorSource: K8sValidatorSource,
	) {}

	get fields(): FieldTree | undefined {
		if (this.tree === undefined) this.tree = parseJson<FieldTree>(this.source.read('kubernetes/fields.json')) ?? null;
		return this.tree ?? undefined;
	}

	private get docs(): FieldDescriptions {
		if (this.descriptions === undefined) this.descriptions = parseJson<FieldDescriptions>(this.source.read('kubernetes/descriptions.json')) ?? null;
		return this.descriptions ?? {};
	}

	/** The root type key of a built-in apiVersion/kind. */
	rootType(apiVersion: string, kind: string): string | undefined {
		return this.fields?.kinds[`${apiVersion}|${kind}`];
	}

	validator(typeKey: string): K8sValidateFn | undefined {
		if (!this.validators.has(typeKey)) this.validators.set(typeKey, this.validatorSource.validator(typeKey));
		return this.validators.get(typeKey);
	}

	/**
	 * Validates `value` (found at `prefix` in the document) as `typeKey`: the precompiled validator's
	 * errors, then unknown fields from the field tree.
	 */
	validate(value: unknown, typeKey: string, prefix: NodePath, kind: string, options: ValidateOptions): SchemaProblem[] {
		const problems: SchemaProblem[] = [];
		const fn = this.validator(typeKey);
		if (fn && !fn(value)) {
			const ctx: ErrorContext = {
				root: value,
				prefix,
				kind,
				options,
				skipStatus: true,
				ownerName: () => kind,
				fieldNames: () => [],
			};
			problems.push(...problemsFromErrors(fn.errors, ctx));
		}
		const types = this.fields?.types;
		if (types) this.unknownFields(types, value, typeKey, [...prefix], problems, options.partial, prefix.length === 0);
		return problems;
	}

	/** Walks `value` along the field tree and reports every key its type does not declare. */
	private unknownFields(types: Record<string, FieldType>, value: unknown, ref: TypeRef, path: NodePath, out: SchemaProblem[], partial: boolean, atRoot: boolean): void {
		if (typeof value !== 'object' || value === null) return;
		if (ref.startsWith('[]')) {
			if (!Array.isArray(value)) return;
			const item = ref.slice(2);
			if (!isWalkable(item)) return;
			for (let i = 0; i < value.length; i++) {
				path.push(i);
				this.unknownFields(types, value[i], item, path, out, partial, false);
				path.pop();
			}
			return;
		}
		if (!isObject(value)) return;
		if (ref.startsWith('{}')) {
			const item = ref.slice(2);
			if (!isWalkable(item)) return;
			for (const key of Object.keys(value)) {
				path.push(key);
				this.unknownFields(types, value[key], item, path, out, partial, false);
				path.pop();
			}
			return;
		}
		const type = types[ref];
		if (!type) return;
		for (const key of Object.keys(value)) {
			if (atRoot && key === 'status') continue; // written by controllers: accept whatever is there
			const prop = type.p[key];
			if (!prop) {
				if (partial && key.startsWith('$')) continue; // strategic-merge patch directives
				out.push(unknownField([...path], key, type.n, Object.keys(type.p)));
				continue;
			}
			if (!isWalkable(prop.t)) continue;
			path.push(key);
			this.unknownFields(types, value[key], prop.t, path, out, partial, false);
			path.pop();
		}
	}

	/** Describes the node at `path` under the root type `typeKey`, for hover and completion. */
	describe(typeKey: string, path: NodePath): FieldInfo | undefined {
		const types = this.fields?.types;
		if (!types) return undefined;
		let ref: TypeRef = typeKey;
		let prop: FieldProp | undefined;
		let owner: string | undefined;
		let field: string | undefined;
		for (const seg of path) {
			if (ref.startsWith('[]')) {
				if (typeof seg !== 'number') return undefined;
				ref = ref.slice(2);
				continue;
			}
			if (ref.startsWith('{}')) {
				ref = ref.slice(2);
				prop = owner = field = undefined;
				continue;
			}
			const type = types[ref];
			const next = type?.p[String(seg)];
			if (!next) return undefined;
			prop = next;
			owner = ref;
			field = String(seg);
			ref = next.t;
		}
		const docs = this.docs;
		const info: FieldInfo = {
			description: (owner && field ? docs[owner]?.[field] : undefined) ?? docs[ref]?.[''],
			type: typeLabel(types, ref),
		};
		if (prop?.e) info.enum = prop.e;
		const type = types[ref];
		if (type) {
			info.properties = Object.entries(type.p).map(([name, p]) => ({
				name,
				description: docs[ref]?.[name],
				required: p.r === 1,
				type: typeLabel(types, p.t),
			}));
		}
		return info;
	}
}

function isWalkable(ref: TypeRef): boolean {
	return ref.startsWith('Io') || ref.startsWith('[]') || ref.startsWith('{}');
}

function typeLabel(types: Record<string, FieldType>, ref: TypeRef): string {
	if (ref.startsWith('[]')) return '[]' + typeLabel(types, ref.slice(2));
	if (ref.startsWith('{}')) return 'map[string]' + typeLabel(types, ref.slice(2));
	return types[ref]?.n ?? (ref === 'any' ? 'any value' : ref);
}

function parseJson<T>(text: string | undefined): T | undefined {
	if (text === undefined) return undefined;
	try {
		return JSON.parse(text) as T;
	} catch {
		return undefined;
	}
}

/** The schema of one built-in kind. */
export class K8sKindSchema implements KindSchema {
	readonly source: string;
	private layoutOf?: BuiltinLayout | null;

	constructor(
		private readonly catalog: K8sCatalog,
		private readonly typeKey: string,
		private readonly kind: string,
	) {
		this.source = 'kubernetes-models';
	}

	validate(value: unknown, options: ValidateOptions): SchemaProblem[] {
		const problems = this.catalog.validate(value, this.typeKey, [], this.kind, options);
		problems.push(...builtinObjectProblems(value, this.layout(), options.partial));
		return problems;
	}

	/** Where this kind keeps keyed lists, pod specs, nested metadata and selectors: found once, on first use. */
	private layout(): BuiltinLayout | undefined {
		if (this.layoutOf === undefined) {
			const types = this.catalog.fields?.types;
			this.layoutOf = types ? builtinLayout(types, this.typeKey) : null;
		}
		return this.layoutOf ?? undefined;
	}

	describe(path: NodePath): FieldInfo | undefined {
		return this.catalog.describe(this.typeKey, path);
	}
}

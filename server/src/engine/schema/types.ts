import type { NodePath } from '../core/parse';
import type { FindingData, Severity } from '../core/types';

/**
 * A schema problem in one resource, before it is placed in the text. The engine turns `path` +
 * `target` into an exact range: `key` is the key of the offending field (unknown fields),
 * `value` its value (type, enum, pattern errors), `parent` the key of the mapping that lacks a
 * required field (or the document's first key at the root).
 */
export interface SchemaProblem {
	ruleId: string;
	path: NodePath;
	target: 'key' | 'value' | 'parent';
	/** The finished, human message, e.g. `spec.replicas must be an integer, got the string "3"`. */
	message: string;
	severity?: Severity;
	data?: FindingData;
	/** Characters [start, end) of the scalar value at `path` the problem is about (a mistake inside a CEL expression). */
	within?: { start: number; end: number };
}

/** What hover and completion need to know about one node of a schema. */
export interface FieldInfo {
	description?: string;
	/** A short type label: `string`, `integer`, `object`, `[]Container`, ... */
	type?: string;
	enum?: unknown[];
	/** Known child fields of an object node. */
	properties?: { name: string; description?: string; required?: boolean; type?: string }[];
}

export interface ValidateOptions {
	/** Kustomize patch files are partial by design: skip missing-required errors. */
	partial: boolean;
	/**
	 * The source text of the scalar at `path` (e.g. `1.30` for a value read as the number 1.3), so
	 * the YAML 1.1 trap can be explained. Optional: without it, such values get a plain type error.
	 */
	sourceText?(path: NodePath): string | undefined;
}

/** The schema of one apiVersion/kind. */
export interface KindSchema {
	/** Where the schema comes from, for hover and diagnostics' data (e.g. `kubernetes-models`, `crd:helm.toolkit.fluxcd.io`). */
	readonly source: string;
	validate(value: unknown, options: ValidateOptions): SchemaProblem[];
	/** Describes the node at `path` (object keys and array indexes) of a resource. */
	describe(path: NodePath, value?: unknown): FieldInfo | undefined;
}

export interface SchemaRegistry {
	/** The schema for an apiVersion/kind, or undefined where none is bundled (never an error). */
	lookup(apiVersion: string, kind: string): KindSchema | undefined;
	/** Every apiVersion/kind pair with a schema (for completion of `kind`). */
	kinds(): { apiVersion: string; kind: string }[];
	/**
	 * The schema of a document that has no apiVersion/kind but is known by its file name: a kustomize
	 * `kustomization.yaml` (kustomize defaults both). Undefined for any other file.
	 */
	schemaForFile?(path: string, value: unknown): KindSchema | undefined;
}

/** Where schema files come from (the extension's `schemas/` directory); injected, read lazily and once. */
export interface SchemaSource {
	/** The text of a file under `schemas/`, e.g. `kubernetes/fields.json`, or undefined if missing. */
	read(relPath: string): string | undefined;
}

/**
 * What the live checks need to compile a CRD schema found in a cluster the way the engine compiles
 * the bundled ones (`schema/registry.ts`), and to compare it with the bundled one.
 */
export interface LiveSchemas {
	/** Compiles a custom resource's `openAPIV3Schema` (prepared, compiled once per schema object by the caller). */
	compile(source: string, kind: string, schema: Record<string, unknown>): KindSchema;
	/** The bundled schema of the kind (its raw JSON), or undefined where none is bundled. */
	bundledJson(apiVersion: string, kind: string): Record<string, unknown> | undefined;
	/** The bundled compiled schema of the kind, to tell what the cluster's schema adds. */
	bundled(apiVersion: string, kind: string): KindSchema | undefined;
	/** The fields of built-in kinds per Kubernetes version, to judge an object at the version a cluster runs. */
	readonly fieldVersions?: FieldVersionSource;
}

/** A field of an object that some versions of the window do not have. */
export interface NewerField {
	path: NodePath;
	/** The minor version (1.x) that introduced it. */
	since: number;
	/** `IoK8sApiCoreV1Container.restartPolicy`: the type and field, for friendly names. */
	field: string;
}

/** What the version check needs of the schemas (the registry implements it). */
export interface FieldVersionSource {
	/** The window, or undefined where no table is bundled. */
	window(): { oldest: number; newest: number } | undefined;
	/** Whether apiVersion/kind is a built-in kind (the only kinds with per-version schemas). */
	covers(apiVersion: string, kind: string): boolean;
	/** The fields of `value` that the oldest version of the window does not have. */
	newerFields(apiVersion: string, kind: string, value: unknown): NewerField[];
}

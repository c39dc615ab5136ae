/**
 * Builds the local JSON Schema that yaml-language-server validates the corpus against, from the
 * same sources Fleetscope uses, so both servers check the same kinds with the same strictness:
 *
 * - Kubernetes built-in kinds: converted from `schemas/kubernetes/fields.json` (Fleetscope's field
 *   tree generated from kubernetes-models), strict (`additionalProperties: false`), as the
 *   `kubernetes` keyword of yaml-language-server would give (yannh's "standalone-strict" all.json),
 *   which needs the network, as does its CRD store.
 * - CRDs, kustomization.yaml and our own kinds: the vendored JSON schemas listed in `schemas/index.json`.
 *
 * One file, dispatching with `if`/`then` on apiVersion and kind: each document is checked
 * against its own kind only, the cheapest configuration for yaml-language-server (an `anyOf` or
 * `oneOf` of all kinds would validate every document against every kind).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

type Json = Record<string, unknown>;

interface FieldTree {
	kinds: Record<string, string>;
	types: Record<string, { n: string; p: Record<string, { t: string; r?: 1; e?: string[] }> }>;
}

export interface BundleResult {
	schema: Json;
	/** `apiVersion|kind` → where its schema came from. */
	covered: Record<string, string>;
	/** `apiVersion|kind` of the corpus with no schema for yaml-language-server. */
	missing: string[];
}

const REF_PREFIX = '#/definitions/';

/** A field tree type reference as JSON Schema. */
function typeRef(t: string, used: Set<string>): Json {
	if (t.startsWith('[]')) return { type: 'array', items: typeRef(t.slice(2), used) };
	if (t.startsWith('{}')) return { type: 'object', additionalProperties: typeRef(t.slice(2), used) };
	switch (t) {
		case 'string':
			return { type: 'string' };
		case 'number':
			return { type: 'number' };
		case 'boolean':
			return { type: 'boolean' };
		case 'any':
			return {};
		case 'int-or-string':
			return { type: ['integer', 'string'] };
		case 'quantity':
			return { type: ['string', 'number'] };
		default:
			used.add(t);
			return { $ref: `${REF_PREFIX}${t}` };
	}
}

/** Converts the reachable part of the field tree, starting from the given root types. */
function convertFieldTree(tree: FieldTree, roots: string[], definitions: Json): void {
	const pending = [...roots];
	const done = new Set<string>();
	while (pending.length > 0) {
		const key = pending.pop()!;
		if (done.has(key)) continue;
		done.add(key);
		const entry = tree.types[key];
		if (!entry) {
			definitions[key] = {};
			continue;
		}
		const used = new Set<string>();
		const properties: Json = {};
		const required: string[] = [];
		for (const [name, prop] of Object.entries(entry.p)) {
			const s = typeRef(prop.t, used);
			if (prop.e) s.enum = prop.e;
			properties[name] = s;
			if (prop.r) required.push(name);
		}
		definitions[key] = { type: 'object', properties, ...(required.length ? { required } : {}), additionalProperties: false };
		for (const u of used) if (!done.has(u)) pending.push(u);
	}
}

/** Copies a vendored schema in under `prefix`, rewriting its internal `#/definitions/` references. */
function hoist(schema: Json, prefix: string, definitions: Json): Json {
	const rewrite = (v: unknown): unknown => {
		if (Array.isArray(v)) return v.map(rewrite);
		if (!v || typeof v !== 'object') return v;
		const out: Json = {};
		for (const [k, x] of Object.entries(v as Json)) {
			if (k === '$schema' || k === '$id' || k === 'id') continue;
			if (k === '$ref' && typeof x === 'string' && x.startsWith(REF_PREFIX)) out[k] = `${REF_PREFIX}${prefix}.${x.slice(REF_PREFIX.length)}`;
			else if (k === 'definitions' && v === schema) continue;
			else out[k] = rewrite(x);
		}
		return out;
	};
	const nested = (schema.definitions ?? {}) as Json;
	for (const [k, v] of Object.entries(nested)) definitions[`${prefix}.${k}`] = rewrite(v);
	return rewrite(schema) as Json;
}

/** The bundle for the given `apiVersion|kind` keys (the corpus's kinds). */
export function buildYlsSchema(repoRoot: string, gvks: string[]): BundleResult {
	const schemasDir = join(repoRoot, 'schemas');
	const tree = JSON.parse(readFileSync(join(schemasDir, 'kubernetes/fields.json'), 'utf8')) as FieldTree;
	const index = JSON.parse(readFileSync(join(schemasDir, 'index.json'), 'utf8')) as Record<string, { file?: string }>;
	const definitions: Json = {};
	const allOf: Json[] = [];
	const covered: Record<string, string> = {};
	const missing: string[] = [];
	gvks.forEach((gvk, i) => {
		const [apiVersion, kind] = gvk.split('|');
		let ref: string | undefined;
		const vendored = index[gvk]?.file;
		if (vendored) {
			const name = `vendored${i}`;
			definitions[name] = hoist(JSON.parse(readFileSync(join(schemasDir, vendored), 'utf8')) as Json, name, definitions);
			ref = name;
			covered[gvk] = `schemas/${vendored}`;
		} else if (tree.kinds[gvk]) {
			ref = tree.kinds[gvk];
			convertFieldTree(tree, [ref], definitions);
			covered[gvk] = 'schemas/kubernetes/fields.json';
		}
		if (!ref) {
			missing.push(gvk);
			return;
		}
		allOf.push({
			if: { properties: { apiVersion: { const: apiVersion }, kind: { const: kind } }, required: ['apiVersion', 'kind'] },
			then: { $ref: `${REF_PREFIX}${ref}` },
		});
	});
	return {
		schema: { $schema: 'http://json-schema.org/draft-07/schema#', title: 'Fleetscope benchmark: the corpus kinds', definitions, allOf },
		covered,
		missing,
	};
}

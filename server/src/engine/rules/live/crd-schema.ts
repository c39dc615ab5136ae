import type { FieldVersionSource } from '../../schema/k8s-versions';
import type { KindSchema, SchemaProblem } from '../../schema/types';
import { isClusterObject, type LiveCheck, type LiveContext, type LiveSchemas } from './context';

/**
 * `live-crd-schema`: a custom resource validated against the CRD schema installed in the target
 * cluster, where that schema differs from the bundled one (an older cert-manager whose ClusterIssuer
 * lacks a field the repo sets, a CRD Fleetscope bundles no schema for). Only what the installed
 * schema adds is reported: what the bundled schema already says is the engine's static finding.
 */

const RULE = 'live-crd-schema';

/** JSON with sorted keys: the API server re-orders a CRD's schema, so equal schemas must compare equal whatever their key order. */
function canonical(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
	if (value !== null && typeof value === 'object') {
		const obj = value as Record<string, unknown>;
		return `{${Object.keys(obj)
			.sort()
			.filter((k) => obj[k] !== undefined)
			.map((k) => `${JSON.stringify(k)}:${canonical(obj[k])}`)
			.join(',')}}`;
	}
	return JSON.stringify(value) ?? 'null';
}

/**
 * Installed CRD schemas compiled once by content, shared by clusters that run the same CRD (bounded:
 * oldest dropped first), and their canonical texts, compared with the bundled ones. Whoever holds the
 * clusters' states owns one (the workspace's live connections, a CLI run).
 */
export class InstalledSchemas implements LiveSchemas {
	private readonly canonicalOf = new WeakMap<object, string>();
	private readonly compiled = new Map<string, KindSchema>();

	constructor(private readonly schemas: LiveSchemas) {}

	compile(source: string, kind: string, schema: Record<string, unknown>): KindSchema {
		const key = `${kind}\u0000${this.canonical(schema)}`;
		let s = this.compiled.get(key);
		if (!s) {
			s = this.schemas.compile(source, kind, schema);
			if (this.compiled.size >= MAX_COMPILED) this.compiled.delete(this.compiled.keys().next().value as string);
			this.compiled.set(key, s);
		}
		return s;
	}

	bundledJson(apiVersion: string, kind: string): Record<string, unknown> | undefined {
		return this.schemas.bundledJson(apiVersion, kind);
	}

	bundled(apiVersion: string, kind: string): KindSchema | undefined {
		return this.schemas.bundled(apiVersion, kind);
	}

	get fieldVersions(): FieldVersionSource | undefined {
		return this.schemas.fieldVersions;
	}

	/** Whether the installed schema is the bundled one (whatever its key order). */
	sameAsBundled(apiVersion: string, kind: string, installed: Record<string, unknown>): boolean {
		const bundled = this.bundledJson(apiVersion, kind);
		return bundled !== undefined && this.canonical(bundled) === this.canonical(installed);
	}

	private canonical(schema: Record<string, unknown>): string {
		let c = this.canonicalOf.get(schema);
		if (c === undefined) this.canonicalOf.set(schema, (c = canonical(schema)));
		return c;
	}
}

const MAX_COMPILED = 200;

/** Same rule at the same node: already the static finding, even where the did-you-mean differs between the schemas. */
const problemKey = (p: SchemaProblem) => `${p.ruleId}|${p.target}|${JSON.stringify(p.path)}`;

const HINT: Record<string, string> = {
	'schema-unknown-field': ' The API server there drops or rejects this field: upgrade the CRD in that cluster before relying on it.',
	'schema-required': ' The API server there rejects the object without it.',
};

export function crdSchemaProblems(ctx: LiveContext, partial: boolean): SchemaProblem[] {
	const { resource: r } = ctx;
	if (!ctx.schemas || !isClusterObject(r)) return [];
	const schemas = ctx.schemas instanceof InstalledSchemas ? ctx.schemas : new InstalledSchemas(ctx.schemas);
	const crd = ctx.index.crd(r.group, r.kind);
	const installed = crd?.versions.find((v) => v.name === r.version && v.served);
	if (!crd || !installed?.schema) return [];
	const bundledJson = schemas.bundledJson(r.apiVersion, r.kind);
	if (schemas.sameAsBundled(r.apiVersion, r.kind, installed.schema)) return [];
	const options = { partial };
	let live: SchemaProblem[];
	try {
		live = schemas.compile(`cluster:${ctx.target.name}`, r.kind, installed.schema).validate(r.value, options);
	} catch {
		return []; // a schema that cannot be compiled validates nothing (never a false alarm)
	}
	if (live.length === 0) return [];
	const known = new Set((schemas.bundled(r.apiVersion, r.kind)?.validate(r.value, options) ?? []).map(problemKey));
	const differs = bundledJson ? 'which differs from the schema Fleetscope bundles' : 'for which Fleetscope bundles no schema';
	return live
		.filter((p) => !known.has(problemKey(p)))
		.map((p) => ({
			...p,
			ruleId: RULE,
			message: `Per the ${crd.name} CRD installed in ${ctx.where}, ${differs}: ${p.message}${/[.?!]$/.test(p.message) ? '' : '.'}${HINT[p.ruleId] ?? ''}`,
		}));
}

export const crdSchemaCheck: LiveCheck = {
	id: RULE,
	check: (ctx) => crdSchemaProblems(ctx, ctx.partial ?? false),
};

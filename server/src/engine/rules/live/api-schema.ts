import type { SchemaProblem } from '../../schema/types';
import { InstalledSchemas } from './crd-schema';
import { isClusterObject, type LiveCheck, type LiveContext } from './context';

/**
 * `live-api-schema`: an object of an aggregated API (OpenShift's Route, a custom apiserver's kind)
 * validated against the schema the target cluster publishes for it (`/openapi/v3`). Such kinds have
 * no CRD and no bundled schema: without the cluster's own schema nothing checks them, and a typo
 * (`spec.hostt`) reaches the API server. Kinds Fleetscope bundles a schema for, or that a CRD
 * describes, are left to the static checks and `live-crd-schema`.
 */

const RULE = 'live-api-schema';

const HINT: Record<string, string> = {
	'schema-unknown-field': ' The API server there rejects this field (strict field validation) or drops it.',
	'schema-required': ' The API server there rejects the object without it.',
};

export function apiSchemaProblems(ctx: LiveContext, partial: boolean): SchemaProblem[] {
	const { resource: r } = ctx;
	if (!ctx.schemas || !isClusterObject(r)) return [];
	if (ctx.index.crd(r.group, r.kind) || ctx.schemas.bundled(r.apiVersion, r.kind)) return [];
	const published = ctx.index.apiSchema(r.apiVersion, r.kind);
	if (!published) return [];
	const schemas = ctx.schemas instanceof InstalledSchemas ? ctx.schemas : new InstalledSchemas(ctx.schemas);
	let problems: SchemaProblem[];
	try {
		problems = schemas.compile(`cluster:${ctx.target.name}:openapi`, r.kind, published.schema).validate(r.value, { partial });
	} catch {
		return []; // a schema that cannot be compiled validates nothing (never a false alarm)
	}
	return problems.map((p) => ({
		...p,
		ruleId: RULE,
		message: `Per the schema ${ctx.where} publishes for ${r.apiVersion} ${r.kind} (an aggregated API: no CRD, no bundled schema): ${p.message}${/[.?!]$/.test(p.message) ? '' : '.'}${HINT[p.ruleId] ?? ''}`,
	}));
}

export const apiSchemaCheck: LiveCheck = {
	id: RULE,
	check: (ctx) => apiSchemaProblems(ctx, ctx.partial ?? false),
};

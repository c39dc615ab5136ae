import type { ObjectIndex } from '../../../core/objects';
import { isPlainObject, type Resource } from '../../../core/resource';
import type { KindSchema, SchemaProblem } from '../../../schema/types';

/**
 * Gatekeeper Constraints: the ConstraintTemplate that defines a Constraint's kind gives it a schema
 * (`spec.crd.spec.validation.openAPIV3Schema` for `spec.parameters`, Gatekeeper's own `match`
 * and `enforcementAction`), so parameters are validated and unknown fields flagged as the API
 * server would. The template's Rego cannot be evaluated without an OPA runtime: one information
 * note per Constraint says so.
 */

type Json = Record<string, unknown>;

/** Compiles a JSON schema of a whole object (the registry's `LiveSchemas.compile`). */
export interface SchemaCompiler {
	compile(source: string, kind: string, schema: Record<string, unknown>): KindSchema;
}

const STRINGS = { type: 'array', items: { type: 'string' } };
const SELECTOR = {
	type: 'object',
	properties: {
		matchLabels: { type: 'object', additionalProperties: { type: 'string' } },
		matchExpressions: { type: 'array', items: { type: 'object', properties: { key: { type: 'string' }, operator: { type: 'string', enum: ['In', 'NotIn', 'Exists', 'DoesNotExist'] }, values: STRINGS }, required: ['key', 'operator'] } },
	},
};

/** Gatekeeper's match block (pkg/mutation/match and the constraint framework's Match). */
const MATCH = {
	type: 'object',
	properties: {
		kinds: { type: 'array', items: { type: 'object', properties: { apiGroups: STRINGS, kinds: STRINGS } } },
		scope: { type: 'string', enum: ['*', 'Cluster', 'Namespaced'] },
		namespaces: STRINGS,
		excludedNamespaces: STRINGS,
		labelSelector: SELECTOR,
		namespaceSelector: SELECTOR,
		name: { type: 'string' },
		source: { type: 'string', enum: ['All', 'Generated', 'Original'] },
	},
};

export function isConstraint(r: Pick<Resource, 'group'>): boolean {
	return r.group === 'constraints.gatekeeper.sh';
}

/** The ConstraintTemplate of the repository that defines this constraint kind. */
function templateOf(kind: string, objects: ObjectIndex): Json | undefined {
	return objects.ofKind('ConstraintTemplate').find((t) => {
		const spec = isPlainObject(t.value.spec) ? t.value.spec : {};
		const crd = isPlainObject(spec.crd) && isPlainObject(spec.crd.spec) ? spec.crd.spec : {};
		return isPlainObject(crd.names) && crd.names.kind === kind;
	})?.value;
}

export class ConstraintCheck {
	/** The compiled schema of each template object. */
	private readonly compiled = new WeakMap<object, KindSchema>();

	constructor(private readonly compiler: SchemaCompiler | undefined) {}

	problems(r: Resource, objects: ObjectIndex, partial: boolean): SchemaProblem[] {
		const template = templateOf(r.kind, objects);
		const out: SchemaProblem[] = [];
		if (template && this.compiler) {
			let schema = this.compiled.get(template);
			if (!schema) {
				const spec = isPlainObject(template.spec) ? template.spec : {};
				const crd = isPlainObject(spec.crd) && isPlainObject(spec.crd.spec) ? spec.crd.spec : {};
				const validation = isPlainObject(crd.validation) ? crd.validation : {};
				const parameters = isPlainObject(validation.openAPIV3Schema) ? validation.openAPIV3Schema : { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
				const whole = {
					type: 'object',
					properties: {
						apiVersion: { type: 'string' },
						kind: { type: 'string' },
						metadata: { type: 'object' },
						spec: { type: 'object', properties: { enforcementAction: { type: 'string' }, scopedEnforcementActions: { type: 'array', items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } }, match: MATCH, parameters } },
						status: { type: 'object' },
					},
				};
				schema = this.compiler.compile(`ConstraintTemplate ${String(isPlainObject(template.metadata) ? template.metadata.name : r.kind)}`, r.kind, whole);
				this.compiled.set(template, schema);
			}
			try {
				out.push(...schema.validate(r.value, { partial }));
			} catch {
				// A template schema that cannot be compiled validates nothing (never a false alarm).
			}
		}
		const defined = template ? `Its ConstraintTemplate ${String(isPlainObject(template.metadata) ? template.metadata.name : '')} is in the repository (parameters are checked against its schema), but its` : `Its ConstraintTemplate is not in the repository and its`;
		out.push({
			ruleId: 'policy',
			path: ['kind'],
			target: 'value',
			severity: 'info',
			message: `Fleetscope does not evaluate this Gatekeeper Constraint on the repository's objects: ${defined.charAt(0).toLowerCase()}${defined.slice(1)} Rego needs an OPA runtime.`,
			data: { path: ['kind'] },
		});
		return out;
	}
}

import type { ResourceCheck } from '../../context/check-context';
import { isPlainObject } from '../../core/resource';
import { isNonObject } from '../../fleet/tool-configs';

/**
 * Every object applied to a cluster needs `metadata.name` (or `metadata.generateName`): the API
 * server rejects it otherwise. Schemas cannot say so (ObjectMeta makes name optional because the
 * API server fills it from generateName), hence a check. Kustomize patch files and test
 * assertions are partial by design, kustomize's own config kinds have no metadata to speak of,
 * List kinds name nothing, and documents that are no object at all (a tool's config, a document
 * of an unknown group no cluster receives: see `isNonObject`) are never applied.
 *
 * `knows(apiVersion, kind)`: whether a schema is known for the kind (a known custom resource is an
 * object wherever it lies).
 */
export function metadataNameCheckFor(knows: (apiVersion: string, kind: string) => boolean): ResourceCheck {
	return {
		id: 'metadata-name',
		appliesTo: (r) => r.group !== 'kustomize.config.k8s.io' && !r.kind.endsWith('List') && r.name === undefined,
		check(r, ctx) {
			if (ctx.repo.isPatchFile(ctx.path)) return [];
			const meta = r.value.metadata;
			if (isPlainObject(meta) && typeof meta.generateName === 'string') return [];
			if (isNonObject(r, ctx.path, ctx.fleet, knows(r.apiVersion, r.kind))) return [];
			const hasMeta = isPlainObject(meta);
			return [
				{
					ruleId: 'schema-required',
					path: hasMeta ? ['metadata'] : [],
					target: 'parent',
					message: hasMeta
						? `metadata.name is missing: every ${r.kind} needs a name (or metadata.generateName), or the API server rejects it. Add name: under metadata.`
						: `metadata is missing: every ${r.kind} needs metadata.name, or the API server rejects it. Add metadata: with a name:.`,
				},
			];
		},
	};
}

/** The check without schema knowledge: every group outside Kubernetes counts as unknown. */
export const metadataNameCheck: ResourceCheck = metadataNameCheckFor(() => false);

import type { ResourceCheck } from '../../context/check-context';
import { isPlainObject } from '../../core/resource';

/**
 * Every object applied to a cluster needs `metadata.name` (or `metadata.generateName`): the API
 * server rejects it otherwise. Schemas cannot say so (ObjectMeta makes name optional because the
 * API server fills it from generateName), hence a check. Kustomize patch files are partial by
 * design, kustomize's own config kinds have no metadata to speak of, and List kinds name nothing.
 */
export const metadataNameCheck: ResourceCheck = {
	id: 'metadata-name',
	appliesTo: (r) => r.group !== 'kustomize.config.k8s.io' && !r.kind.endsWith('List') && r.name === undefined,
	check(r, ctx) {
		if (ctx.repo.isPatchFile(ctx.path)) return [];
		const meta = r.value.metadata;
		if (isPlainObject(meta) && typeof meta.generateName === 'string') return [];
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

import type { ResourceCheck } from '../../context/check-context';
import type { Resource } from '../../core/resource';
import type { SchemaProblem } from '../../schema/types';
import { kubernetesMinor, REMOVED_APIS } from '../../schema/api-versions';

/**
 * `api-removed`: an apiVersion the target Kubernetes version (`settings.kubernetesVersion`) no
 * longer serves, with its replacement. Source: the official Deprecated API Migration Guide,
 * https://kubernetes.io/docs/reference/using-api/deprecation-guide/
 */

export const apiRemovedCheck: ResourceCheck = {
	id: 'api-removed',
	appliesTo: (r: Resource) => REMOVED_APIS.has(`${r.apiVersion}|${r.kind}`),
	check(r, ctx): SchemaProblem[] {
		const removal = REMOVED_APIS.get(`${r.apiVersion}|${r.kind}`);
		const target = kubernetesMinor(ctx.settings.kubernetesVersion);
		if (!removal || target === undefined || target < removal.removedIn) return [];
		const head = `${r.apiVersion} ${r.kind} was removed in Kubernetes 1.${removal.removedIn} (this repository targets ${ctx.settings.kubernetesVersion})`;
		const use = removal.use.find((u) => u.since <= target) ?? removal.use[0];
		if (!use) return [{ ruleId: 'api-removed', path: ['apiVersion'], target: 'value', message: `${head}. ${removal.note ?? 'It has no replacement.'}` }];
		return [
			{
				ruleId: 'api-removed',
				path: ['apiVersion'],
				target: 'value',
				message: `${head}: use apiVersion ${use.apiVersion}.`,
				data: { replacement: use.apiVersion, path: ['apiVersion'] },
			},
		];
	},
};

import { kubernetesMinor, REMOVED_APIS } from '../../schema/api-versions';
import { isPlainObject } from '../../core/resource';
import type { SchemaProblem } from '../../schema/types';
import { isClusterObject, type LiveCheck, type LiveContext } from './context';
import { stateMinor, stateVersionText } from '../../live/state';

/**
 * `live-api-not-served`: the apiVersion/kind of a resource is not served by a cluster it is deployed
 * to. For built-in APIs the removal table of `api-removed` says which release removed it and what
 * replaces it; for custom resources the cluster's discovery says which versions its installed CRD
 * serves, or that no CRD of the group is installed at all.
 */

const RULE = 'live-api-not-served';

/** Whether the repository itself installs a CRD that serves this group/version/kind (it is then created on sync). */
function createdByRepo(ctx: LiveContext): boolean {
	const { group, version, kind } = ctx.resource;
	return ctx.objects.ofKind('CustomResourceDefinition').some((o) => {
		const spec = o.value.spec;
		if (!isPlainObject(spec) || spec.group !== group || !isPlainObject(spec.names) || spec.names.kind !== kind) return false;
		return !Array.isArray(spec.versions) || spec.versions.some((v) => isPlainObject(v) && v.name === version && v.served !== false);
	});
}

function serves(ctx: LiveContext, apiVersion: string, kind: string): boolean {
	return ctx.index.servedKinds(apiVersion)?.some((k) => k.kind === kind) ?? false;
}

function list(items: string[]): string {
	return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

export const apiNotServedCheck: LiveCheck = {
	id: RULE,
	check(ctx): SchemaProblem[] {
		const r = ctx.resource;
		if (!isClusterObject(r) || Object.keys(ctx.state.served).length === 0) return [];
		if (ctx.state.discoveryFailed?.includes(r.group)) return [];
		if (serves(ctx, r.apiVersion, r.kind) || createdByRepo(ctx)) return [];
		const at = { ruleId: RULE, path: ['apiVersion'], target: 'value' as const };
		const version = stateVersionText(ctx.state);
		const minor = stateMinor(ctx.state);
		const removal = REMOVED_APIS.get(`${r.apiVersion}|${r.kind}`);
		if (removal && minor !== undefined && minor >= removal.removedIn) {
			const use = removal.use.find((u) => serves(ctx, u.apiVersion, r.kind)) ?? removal.use.find((u) => u.since <= minor);
			const head = `${r.apiVersion} ${r.kind} is not served by ${ctx.where}: Kubernetes removed it in 1.${removal.removedIn} and that cluster runs ${version}`;
			if (!use) return [{ ...at, message: `${head}. ${removal.note ?? 'It has no replacement.'}` }];
			return [{ ...at, message: `${head}. Use apiVersion ${use.apiVersion}.`, data: { replacement: use.apiVersion, path: ['apiVersion'] } }];
		}
		const others = ctx.index.versionsServing(r.group, r.kind);
		const crd = ctx.index.crd(r.group, r.kind);
		if (others.length > 0) {
			const why = crd
				? `The ${crd.name} CRD installed there does not serve ${r.version}: upgrade (or downgrade) it in that cluster before this file is synced, or write the object for a version it serves.`
				: kubernetesMinor(version) !== undefined
					? `Kubernetes ${version} does not serve ${r.version} of ${r.kind}: use a version it serves, or upgrade the cluster first.`
					: `Use a version it serves.`;
			return [{ ...at, message: `${r.apiVersion} ${r.kind} is not served by ${ctx.where}, which serves ${r.kind} only as ${list(others)}. ${why}` }];
		}
		if (r.group !== '' && ctx.index.servesGroup(r.group)) {
			return [{ ...at, message: `${r.apiVersion} ${r.kind} is not served by ${ctx.where}: the API group ${r.group} is there, but no ${r.kind} kind (its CRD is not installed). Install the CRD before this file is synced, or the sync fails with "no matches for kind ${r.kind}".` }];
		}
		return [{ ...at, message: `${r.apiVersion} ${r.kind} is not served by ${ctx.where}: no API group ${r.group || 'core'} is installed there (its CRDs or API service are missing). Install them before this file is synced (for example with a Flux dependsOn), or the sync fails with "no matches for kind ${r.kind}".` }];
	},
};

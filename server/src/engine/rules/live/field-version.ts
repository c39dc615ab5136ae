import { kubernetesMinor } from '../../schema/api-versions';
import type { SchemaProblem } from '../../schema/types';
import { fieldVersionProblem } from '../../schema/version-problem';
import { stateMinor, stateVersionText } from '../../live/state';
import { isClusterObject, type LiveCheck } from './context';

/**
 * `schema-version`, at the version a live cluster runs. The static check judges each cluster at the
 * version its ClusterClaim or Fleet file declares (else `fleetscope.kubernetesVersion`); a cluster
 * whose upgrade is pending or stuck runs an older one, and rejects the fields added since. This
 * check reports, per live cluster, the fields of built-in kinds its version lacks that the static
 * check did not already report for it: none where the cluster runs the declared version.
 *
 * A cluster running a newer version than declared is not re-judged here: `live-version-drift` says
 * the declaration is out of date, and correcting it clears the static findings.
 */
export const liveFieldVersionCheck: LiveCheck = {
	id: 'schema-version',
	check(ctx): SchemaProblem[] {
		const r = ctx.resource;
		const versions = ctx.schemas?.fieldVersions;
		if (!versions || !isClusterObject(r) || !versions.covers(r.apiVersion, r.kind)) return [];
		const window = versions.window();
		const runs = stateMinor(ctx.state);
		if (!window || runs === undefined || runs >= window.newest) return [];
		const declaredText = ctx.target.declaredKubernetesVersion ?? ctx.settingVersion;
		const declared = declaredText !== undefined ? kubernetesMinor(declaredText) : undefined;
		// Judged statically at this version or an older one: every field this version lacks is reported already.
		if (declared !== undefined && declared <= runs) return [];
		const why =
			ctx.target.declaredKubernetesVersion !== undefined
				? `, although its ClusterClaim or Fleet file declares ${ctx.target.declaredKubernetesVersion} (an upgrade pending or stuck)`
				: declaredText !== undefined
					? `, older than ${declaredText} (fleetscope.kubernetesVersion), which the files are checked at otherwise`
					: '';
		const who = `${ctx.where} runs ${stateVersionText(ctx.state)}${why}`;
		return versions
			.newerFields(r.apiVersion, r.kind, r.value)
			.filter((f) => f.since > runs && (declared === undefined || f.since <= declared))
			.map((f) => fieldVersionProblem(f, who));
	},
};

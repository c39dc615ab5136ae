import { kubernetesMinor } from '../../schema/api-versions';
import { isPlainObject } from '../../core/resource';
import type { SchemaProblem } from '../../schema/types';
import type { LiveCheck } from './context';
import { stateMinor, stateVersionText } from '../../live/state';

/**
 * `live-version-drift`: the ClusterClaim of a cluster asks for another Kubernetes minor version
 * than the cluster runs. Newer in the claim: an upgrade is pending (or stuck), so checks that
 * assume the claimed version do not hold yet. Older in the claim: the claim is out of date, since
 * a cluster cannot be downgraded. A claim is matched to the cluster by name (`metadata.name`).
 */

const RULE = 'live-version-drift';

export const versionDriftCheck: LiveCheck = {
	id: RULE,
	check(ctx): SchemaProblem[] {
		const r = ctx.resource;
		if (r.apiVersion !== 'platform.gitops.io/v1alpha1' || r.kind !== 'ClusterClaim' || r.name !== ctx.target.name) return [];
		const spec = r.value.spec;
		const claimed = isPlainObject(spec) && isPlainObject(spec.kubernetes) ? spec.kubernetes.version : undefined;
		// A number (unquoted 1.30) is the YAML 1.1 trap, reported statically; nothing is compared then.
		if (typeof claimed !== 'string') return [];
		const want = kubernetesMinor(claimed);
		const have = stateMinor(ctx.state);
		if (want === undefined || have === undefined || want === have) return [];
		const runs = stateVersionText(ctx.state);
		const at = { ruleId: RULE, path: ['spec', 'kubernetes', 'version'], target: 'value' as const };
		if (want > have) {
			return [{ ...at, message: `Upgrade pending: this claim asks for Kubernetes ${claimed}, but ${ctx.where} runs ${runs}. Until the upgrade is done, what needs ${claimed} (new API versions, fields) is not available there.` }];
		}
		return [{ ...at, message: `This claim asks for Kubernetes ${claimed}, but ${ctx.where} already runs ${runs}: a cluster cannot be downgraded, so the claim is out of date. Set spec.kubernetes.version to "1.${have}".`, data: { replacement: `"1.${have}"`, path: at.path } }];
	},
};

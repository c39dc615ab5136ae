import type { TargetCluster } from '../../fleet/types';
import type { ObjectIndex } from '../../core/objects';
import type { Resource } from '../../core/resource';
import type { RuleMeta } from '../../core/rule-meta';
import type { SchemaProblem } from '../../schema/types';
import { apiNotServedCheck } from './api-not-served';
import { apiSchemaCheck } from './api-schema';
import { liveContext, type LiveCheck, type LiveOptions } from './context';
import { crdSchemaCheck } from './crd-schema';
import { crdRulesLiveCheck } from './crd-rules';
import { liveFieldVersionCheck } from './field-version';
import { missingReferenceCheck } from './missing-reference';
import type { ClusterState } from '../../live/state';
import { versionDriftCheck } from './version-drift';

/**
 * Live diagnostics: a resource checked against the state of ONE cluster it is deployed to. The
 * engine (or the CLI) calls `liveProblems` per (file, target cluster) and places the problems like
 * schema problems: each has a JSON path and a target.
 */

/** The live-state rules, for SARIF, docs and hovers (`rules/catalog.ts`). */
export const LIVE_RULES: readonly RuleMeta[] = [
	{
		id: 'live-api-not-served',
		title: 'API version not served by the cluster',
		defaultSeverity: 'error',
		rationale: 'A cluster the file is synced to does not serve its apiVersion/kind (removed by its Kubernetes version, or its CRD is missing or older), so the sync fails there.',
		controls: [],
		remediation: 'Use an apiVersion the cluster serves, or upgrade or install the API (CRD, Kubernetes version) in that cluster before the file is synced.',
	},
	{
		id: 'live-crd-schema',
		title: 'Invalid for the CRD installed in the cluster',
		defaultSeverity: 'error',
		rationale: "The CRD installed in a cluster the file is synced to differs from Fleetscope's bundled schema (usually an older version), and the object is not valid for it: the API server there rejects it or silently drops fields.",
		controls: [],
		remediation: 'Upgrade the CRD (the controller that ships it) in that cluster first, or write the object for the version that is installed.',
	},
	{
		id: 'live-api-schema',
		title: 'Invalid for the schema the cluster publishes',
		defaultSeverity: 'error',
		rationale: "The object's kind belongs to an aggregated API (OpenShift's Route, a custom API server): no CRD and no bundled schema describe it, only the schema the cluster publishes at /openapi/v3, and the object is not valid for it: the API server there rejects it or silently drops fields.",
		controls: [],
		remediation: 'Fix the field the message names (a typo, a wrong type, a missing required field), as the API of that cluster defines it.',
	},
	{
		id: 'live-missing-reference',
		title: 'Referenced object missing in the cluster',
		defaultSeverity: 'error',
		rationale: 'An object the resource needs (namespace, Secret, ConfigMap, ServiceAccount, claim, StorageClass, IngressClass, PriorityClass) does not exist in a cluster it is synced to, and the repository does not create it: the apply fails or the pods do not start there.',
		controls: [],
		remediation: 'Create the object in that cluster (or add it to the repository), or fix the reference.',
	},
	{
		id: 'live-version-drift',
		title: 'Cluster version differs from its ClusterClaim',
		defaultSeverity: 'warning',
		rationale: "A cluster runs another Kubernetes minor version than its ClusterClaim asks for: an upgrade is pending or stuck, or the claim is out of date, and checks that assume the claimed version do not hold there.",
		controls: [],
		remediation: 'Finish the upgrade, or set spec.kubernetes.version to the version the cluster runs.',
	},
];

export const LIVE_RULE_IDS = ['live-api-not-served', 'live-api-schema', 'live-crd-schema', 'live-missing-reference', 'live-version-drift'] as const;

const CHECKS: readonly LiveCheck[] = [apiNotServedCheck, crdSchemaCheck, apiSchemaCheck, crdRulesLiveCheck, liveFieldVersionCheck, missingReferenceCheck, versionDriftCheck];

/** The live problems of one resource in one target cluster, with JSON paths for the engine to place. */
export function liveProblems(resource: Resource, target: TargetCluster, state: ClusterState, objects: ObjectIndex, options: LiveOptions = {}): SchemaProblem[] {
	const ctx = liveContext(resource, target, state, objects, options);
	const out: SchemaProblem[] = [];
	for (const c of CHECKS) out.push(...c.check(ctx));
	return out;
}

export type { LiveOptions, LiveSchemas } from './context';
export * from '../../live/state';

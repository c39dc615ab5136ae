import type { ComplianceRule } from './rule';

/**
 * The compliance rules whose result for an object depends on nothing but the object, the other
 * objects and the Namespaces its cluster receives, the settings (with the cluster's Kubernetes
 * version) and the day: not on the fleet model (apps, versions, environments, targets). Their
 * results are kept with a cluster's render across changes of the fleet model, so that a retag
 * re-judges only what it touches: the objects whose render changed, and the rules that read the
 * model. Every other rule (DORA, managed clusters, and the CIS rules below) is run again.
 *
 * `test/compliance/locality.test.ts` runs each of these rules with a context whose fleet-model
 * fields throw when read.
 */
const READS_THE_MODEL = new Set(['cis-image-provenance', 'cis-namespace-network-policy', 'cis-policy-control', 'cis-service-account-token']);

export function independentOfTheModel(rule: ComplianceRule): boolean {
	return (rule.id.startsWith('pss-') || rule.id.startsWith('workload-') || rule.id.startsWith('cis-') || rule.id === RENDERED_POLICY_RULE) && !READS_THE_MODEL.has(rule.id);
}

/**
 * The repository's admission policies judging a cluster's render (`policy-rendered.ts`): the
 * policies, namespaces and lookups are the render's own objects, and where it is deployed matters
 * only for objects outside a render. On a retag it was the one rule that made every object of every
 * render be looked at again (44,000 ConfigMaps of the bench fleet's 59,000 objects).
 */
const RENDERED_POLICY_RULE = 'policy';

/**
 * The rules that read the versions the fleet model gives each app (`FleetApp.versions`, `behind`,
 * `FleetIndex.productionVersionsIn`, and through "runs in production": `productionAppEntries`).
 * The other rules read only the model's graph (clusters, environments, apps and their paths and
 * facts): while a retag leaves the graph as it was, their results are kept too.
 *
 * `test/compliance/locality.test.ts` runs every other rule with apps whose versions throw when read.
 */
const READS_VERSIONS = new Set([
	'dora-promotion-order',
	'dora-owner',
	'dora-classification',
	'dora-dr-test-evidence',
	'dora-exit-strategy',
	'dora-geographic-redundancy',
	'dora-recovery-objectives',
]);

export function readsVersions(rule: ComplianceRule): boolean {
	return READS_VERSIONS.has(rule.id);
}

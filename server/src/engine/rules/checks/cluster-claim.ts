import { distance } from 'fastest-levenshtein';
import type { ResourceCheck } from '../../context/check-context';
import { isPlainObject, type Resource } from '../../core/resource';
import type { SchemaProblem } from '../../schema/types';

/**
 * `claim-semantics`: a ClusterClaim the provider would reject only at provisioning time. Node
 * groups must have minSize ≤ maxSize, and the region must exist at the chosen cloud provider.
 */

const RULE = 'claim-semantics';

type Provider = 'aws' | 'gcp' | 'azure';

const PROVIDER_NAMES: Record<Provider, string> = { aws: 'AWS', gcp: 'GCP', azure: 'Azure' };

/**
 * Region codes per provider (November 2026), from each provider's public region list:
 * https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html,
 * https://cloud.google.com/compute/docs/regions-zones, `az account list-locations`.
 * A region missing here is a false alarm: when a provider opens one, add it.
 */
export const REGIONS: Record<Provider, readonly string[]> = {
	aws: [
		'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'us-gov-east-1', 'us-gov-west-1',
		'af-south-1', 'ap-east-1', 'ap-east-2', 'ap-south-1', 'ap-south-2', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3',
		'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7',
		'ca-central-1', 'ca-west-1', 'cn-north-1', 'cn-northwest-1',
		'eu-central-1', 'eu-central-2', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-south-1', 'eu-south-2', 'eu-north-1', 'eusc-de-east-1',
		'il-central-1', 'me-south-1', 'me-central-1', 'mx-central-1', 'sa-east-1',
	],
	gcp: [
		'africa-south1', 'asia-east1', 'asia-east2', 'asia-northeast1', 'asia-northeast2', 'asia-northeast3', 'asia-south1', 'asia-south2',
		'asia-southeast1', 'asia-southeast2', 'asia-southeast3', 'australia-southeast1', 'australia-southeast2',
		'europe-central2', 'europe-north1', 'europe-north2', 'europe-southwest1', 'europe-west1', 'europe-west2', 'europe-west3', 'europe-west4',
		'europe-west6', 'europe-west8', 'europe-west9', 'europe-west10', 'europe-west12',
		'me-central1', 'me-central2', 'me-west1', 'northamerica-northeast1', 'northamerica-northeast2', 'northamerica-south1',
		'southamerica-east1', 'southamerica-west1',
		'us-central1', 'us-east1', 'us-east4', 'us-east5', 'us-south1', 'us-west1', 'us-west2', 'us-west3', 'us-west4',
	],
	azure: [
		'eastus', 'eastus2', 'centralus', 'northcentralus', 'southcentralus', 'westcentralus', 'westus', 'westus2', 'westus3',
		'canadacentral', 'canadaeast', 'brazilsouth', 'brazilsoutheast', 'mexicocentral', 'chilecentral',
		'northeurope', 'westeurope', 'uksouth', 'ukwest', 'francecentral', 'francesouth', 'germanywestcentral', 'germanynorth',
		'switzerlandnorth', 'switzerlandwest', 'norwayeast', 'norwaywest', 'swedencentral', 'swedensouth', 'polandcentral',
		'italynorth', 'spaincentral', 'austriaeast', 'belgiumcentral', 'denmarkeast',
		'uaenorth', 'uaecentral', 'qatarcentral', 'israelcentral', 'saudiarabiaeast', 'southafricanorth', 'southafricawest',
		'centralindia', 'southindia', 'westindia', 'jioindiawest', 'jioindiacentral', 'eastasia', 'southeastasia',
		'japaneast', 'japanwest', 'koreacentral', 'koreasouth', 'australiaeast', 'australiasoutheast', 'australiacentral', 'australiacentral2',
		'newzealandnorth', 'indonesiacentral', 'malaysiawest', 'taiwannorth', 'taiwannorthwest',
		'usgovvirginia', 'usgovarizona', 'usgovtexas', 'chinanorth', 'chinaeast', 'chinanorth2', 'chinaeast2', 'chinanorth3', 'chinaeast3',
	],
};

const KNOWN: Record<Provider, ReadonlySet<string>> = {
	aws: new Set(REGIONS.aws),
	gcp: new Set(REGIONS.gcp),
	azure: new Set(REGIONS.azure),
};

/** A region as its provider spells it: Azure also accepts display names (`West Europe`). */
function normalise(provider: Provider, region: string): string {
	return provider === 'azure' ? region.toLowerCase().replace(/\s+/g, '') : region;
}

/** Whether `region` exists at `provider`. GCP zonal clusters name a zone (`europe-west1-b`): its region counts. */
export function isKnownRegion(provider: Provider, region: string): boolean {
	const r = normalise(provider, region);
	return KNOWN[provider].has(r) || (provider === 'gcp' && KNOWN.gcp.has(r.replace(/-[a-z]$/, '')));
}

/** The known region of `provider` closest to `region`, if it is close enough to be a typo. */
export function closestRegion(provider: Provider, region: string): string | undefined {
	const r = normalise(provider, region);
	let best: string | undefined;
	let bestDistance = Infinity;
	for (const known of REGIONS[provider]) {
		const d = distance(r, known);
		if (d < bestDistance) [best, bestDistance] = [known, d];
	}
	return bestDistance <= Math.max(2, Math.floor(r.length / 3)) ? best : undefined;
}

function article(word: string): string {
	return `${/^[AEIOU]/.test(word) ? 'an' : 'a'} ${word}`;
}

function regionMessage(provider: Provider, region: string): string {
	const name = PROVIDER_NAMES[provider];
	const elsewhere = (Object.keys(REGIONS) as Provider[]).find((p) => p !== provider && isKnownRegion(p, region));
	if (elsewhere) return `spec.region "${region}" is ${article(PROVIDER_NAMES[elsewhere])} region, but spec.cloudProvider is ${provider}: ${name} has no such region.`;
	const near = closestRegion(provider, region);
	return `spec.region "${region}" is not ${article(name)} region.${near ? ` Did you mean ${near}?` : ''}`;
}

export const clusterClaimCheck: ResourceCheck = {
	id: RULE,
	appliesTo: (r: Resource) => r.apiVersion === 'platform.gitops.io/v1alpha1' && r.kind === 'ClusterClaim',
	check(r: Resource): SchemaProblem[] {
		const spec = r.value.spec;
		if (!isPlainObject(spec)) return [];
		const out: SchemaProblem[] = [];
		const provider = spec.cloudProvider;
		if (typeof provider === 'string' && provider in REGIONS && typeof spec.region === 'string' && spec.region !== '' && !isKnownRegion(provider as Provider, spec.region)) {
			out.push({ ruleId: RULE, path: ['spec', 'region'], target: 'value', message: regionMessage(provider as Provider, spec.region) });
		}
		if (Array.isArray(spec.nodeGroups)) {
			spec.nodeGroups.forEach((g, i) => {
				if (!isPlainObject(g) || !Number.isInteger(g.minSize) || !Number.isInteger(g.maxSize)) return;
				const [min, max] = [g.minSize as number, g.maxSize as number];
				if (min <= max) return;
				const name = typeof g.name === 'string' ? ` of node group "${g.name}"` : '';
				out.push({
					ruleId: RULE,
					path: ['spec', 'nodeGroups', i, 'minSize'],
					target: 'value',
					message: `spec.nodeGroups[${i}].minSize${name} is ${min}, larger than its maxSize ${max}: the group cannot be created.`,
				});
			});
		}
		return out;
	},
};

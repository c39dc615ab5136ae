/**
 * Provider regions located in the EU/EEA, for DORA Art 29(2) (third-country considerations). Only
 * regions whose country is certain are listed; a region missing here is not reported. London and
 * Zurich regions are outside the EU/EEA.
 * Sources: AWS "Regions and Availability Zones", Google Cloud "Cloud locations", Azure "Azure geographies".
 */
export const EU_EEA_REGIONS: Record<string, string[]> = {
	aws: ['eu-west-1', 'eu-west-3', 'eu-central-1', 'eu-north-1', 'eu-south-1', 'eu-south-2'],
	gcp: ['europe-west1', 'europe-west3', 'europe-west4', 'europe-west8', 'europe-west9', 'europe-west10', 'europe-west12', 'europe-north1', 'europe-north2', 'europe-central2', 'europe-southwest1'],
	azure: ['westeurope', 'northeurope', 'francecentral', 'francesouth', 'germanywestcentral', 'germanynorth', 'swedencentral', 'norwayeast', 'norwaywest', 'italynorth', 'polandcentral', 'spaincentral'],
};

/** Regions certainly outside the EU/EEA (prefixes per provider). */
const OUTSIDE: Record<string, RegExp> = {
	aws: /^(us|ca|sa|ap|me|af|il|mx)-|^eu-(west-2|central-2)$/,
	gcp: /^(us|northamerica|southamerica|asia|australia|me|africa)-|^europe-(west2|west6)$/,
	azure: /^(eastus|eastus2|westus|westus2|westus3|centralus|northcentralus|southcentralus|westcentralus|canada|brazil|uk|switzerland|australia|japan|korea|india|centralindia|southindia|westindia|eastasia|southeastasia|uae|qatar|southafrica|israel|mexico)/,
};

/** `eu`: in the EU/EEA; `outside`; `unknown` (on-premises, or a region not listed). */
export function regionZone(provider: string | undefined, region: string | undefined): 'eu' | 'outside' | 'unknown' {
	if (!provider || !region) return 'unknown';
	if (EU_EEA_REGIONS[provider]?.includes(region)) return 'eu';
	return OUTSIDE[provider]?.test(region) ? 'outside' : 'unknown';
}

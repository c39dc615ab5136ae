/**
 * What names and paths say when nothing is declared: `prod-eu-west-1` runs production in
 * eu-west-1 on AWS; `apps/staging` is the staging overlay. Used only where the Fleet file,
 * ClusterClaims and labels are silent, and everything it finds is marked as inferred.
 */

/** Conventional environment names, by promotion rank (dev before test before staging before production). */
const ENVIRONMENT_TOKENS: [RegExp, number, string][] = [
	[/^(dev|develop|development|sandbox|sbx)$/, 0, 'dev'],
	[/^(test|testing|qa|int|integration|ci)$/, 1, 'test'],
	[/^(staging|stage|stg|uat|preprod|pre-prod|preproduction|acceptance|acc)$/, 2, 'staging'],
	[/^(prod|production|prd|live)$/, 3, 'production'],
];

/** The rank of an environment name in the conventional promotion order; unknown names sort between staging and production. */
export function environmentRank(name: string): number {
	const n = name.toLowerCase();
	for (const [re, rank] of ENVIRONMENT_TOKENS) if (re.test(n)) return rank;
	for (const token of n.split(/[-_.]/)) for (const [re, rank] of ENVIRONMENT_TOKENS) if (re.test(token)) return rank;
	return 2.5;
}

/**
 * The environment a name or path segment names: `prod-eu-west-1` → `prod`, `apps/staging` →
 * `staging`. The token is returned as written (a repo that says `prod` means `prod`).
 */
export function environmentIn(name: string): string | undefined {
	const n = name.toLowerCase();
	for (const [re] of ENVIRONMENT_TOKENS) if (re.test(n)) return n;
	for (const token of n.split(/[-_.]/)) {
		for (const [re] of ENVIRONMENT_TOKENS) if (re.test(token)) return token;
	}
	return undefined;
}

/** The environment named by the segments of a path, innermost first (`clusters/production/us-east-1` → `production`). */
export function environmentInPath(path: string): string | undefined {
	const segs = path.split('/').filter((s) => s !== '');
	for (let i = segs.length - 1; i >= 0; i--) {
		const e = environmentIn(segs[i]);
		if (e) return e;
	}
	return undefined;
}

const AWS_REGION = /\b((?:us|eu|ap|sa|ca|me|af|il|mx)-(?:gov-)?(?:north|south|east|west|central|northeast|southeast|northwest|southwest)-\d)\b/;
const GCP_REGION = /\b((?:us|europe|asia|australia|northamerica|southamerica|me|africa)-(?:north|south|east|west|central|northeast|southeast|northwest|southwest)\d)\b/;
const AZURE_REGION = /\b((?:east|west|north|south|central|northcentral|southcentral|westcentral)(?:us|europe|asia|uk|india|japan|korea|australia|canada|france|germany|norway|switzerland|uae)\d?|(?:uk|france|germany|norway|switzerland|sweden|poland|italy|spain|japan|korea|australia|canada|brazil|india|uae|qatar|israel)(?:south|north|east|west|central)\d?)\b/;

/** A cloud region written in a name (`prod-eu-west-1` → eu-west-1 on aws). */
export function regionIn(name: string): { region: string; provider: 'aws' | 'gcp' | 'azure' } | undefined {
	const n = name.toLowerCase();
	let m = AWS_REGION.exec(n);
	if (m) return { region: m[1], provider: 'aws' };
	m = GCP_REGION.exec(n);
	if (m) return { region: m[1], provider: 'gcp' };
	m = AZURE_REGION.exec(n);
	if (m) return { region: m[1], provider: 'azure' };
	return undefined;
}

/** Sorts environment names into the conventional promotion order (stable for equal ranks). */
export function byPromotionRank(a: string, b: string): number {
	return environmentRank(a) - environmentRank(b);
}

/**
 * End of support of Kubernetes minor versions, per provider: the one table DORA-Art8(7) and the
 * patch-currency rule read. Maintain it here (add each new minor when its provider publishes the
 * date). A version missing from the table is never reported; a version older than the oldest entry
 * of its provider is.
 *
 * Sources, read 2026-12-01 through the public pages' stored copies:
 * - upstream (onprem): kubernetes.io/releases/<minor> "End Of Life Date" (1.30, 1.33, 1.34, 1.35);
 *   1.31 from a provider's copy of the upstream calendar (2025-10-28); 1.32 could not be verified
 *   and is left out (not reported).
 * - aws (EKS): docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html (standard support
 *   14 months, then 12 months extended support at extra cost) and endoflife.date/amazon-eks.
 * - gcp (GKE): endoflife.date/google-kubernetes-engine (generated 2026-04-10 from Google's release
 *   schedule): end of maintenance ("end of life") per minor.
 * - azure (AKS): not in the table: Microsoft publishes month-level dates relative to later releases
 *   (learn.microsoft.com/azure/aks/supported-kubernetes-versions), which could not be verified to
 *   the day; AKS clusters are not reported.
 */

export interface SupportWindow {
	/** Last day of standard support (YYYY-MM-DD). */
	end: string;
	/** Last day of paid extended support, where the provider offers it. */
	extendedEnd?: string;
}

export const SUPPORT_SOURCE_DATE = '2026-12-01';

export const KUBERNETES_SUPPORT: Record<string, Record<number, SupportWindow>> = {
	onprem: {
		30: { end: '2025-07-15' },
		31: { end: '2025-10-28' },
		33: { end: '2026-06-28' },
		34: { end: '2026-10-27' },
		35: { end: '2027-02-28' },
	},
	aws: {
		28: { end: '2024-11-26', extendedEnd: '2025-11-26' },
		29: { end: '2025-03-23', extendedEnd: '2026-03-23' },
		30: { end: '2025-07-23', extendedEnd: '2026-07-23' },
		31: { end: '2025-11-26', extendedEnd: '2026-11-26' },
		32: { end: '2026-03-23', extendedEnd: '2027-03-23' },
		33: { end: '2026-07-29', extendedEnd: '2027-07-29' },
		34: { end: '2026-12-02', extendedEnd: '2027-12-02' },
		35: { end: '2027-03-27', extendedEnd: '2028-03-27' },
	},
	gcp: {
		30: { end: '2025-09-30' },
		31: { end: '2026-01-16' },
		32: { end: '2026-04-11' },
		33: { end: '2026-08-03' },
		34: { end: '2026-10-01' },
		35: { end: '2027-04-11' },
	},
};

/** The support window of a minor on a provider: known, older than every known one (`unsupported`), or unknown. */
export function supportOf(provider: string, minor: number): SupportWindow | 'older' | undefined {
	const table = KUBERNETES_SUPPORT[provider];
	if (!table) return undefined;
	if (table[minor]) return table[minor];
	const oldest = Math.min(...Object.keys(table).map(Number));
	return minor < oldest ? 'older' : undefined;
}

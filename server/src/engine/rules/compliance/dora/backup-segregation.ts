import { isPlainObject } from '../../../core/resource';
import type { ComplianceProblem, ComplianceRule } from '../rule';
import { claimFacts, claimName } from './claim';
import { isClaim, isProductionClaim } from './fleet';

const WHY = 'a regional outage or incident then takes the cluster and its backups together. DORA Art 12 asks for backups that allow restoration with minimum downtime on systems segregated from the source (Art 12(3))';

/**
 * DORA Art 12(3): production backups stored in another region than the cluster: a Velero
 * BackupStorageLocation whose config.region is its production cluster's region, or a production
 * ClusterClaim whose spec.backup.locationRegion is its own region. (A geographical distance is a
 * legal duty only for central securities depositories, Art 12(5); for others a best practice.)
 */
export const backupSegregation: ComplianceRule = {
	id: 'dora-backup-segregation',
	title: 'Backups in the same region as the cluster',
	severity: 'warning',
	kinds: ['BackupStorageLocation', 'ClusterClaim'],
	rationale:
		'DORA Art 12(3) asks that backups be restored on systems physically and logically segregated from the source, protected from the event that hit it. Backups in the same region as the cluster share its failure domain: a regional outage or a compromise of that region loses both.',
	remediation: 'Store the backups in another region (BackupStorageLocation spec.config.region, ClusterClaim spec.backup.locationRegion).',
	controls: ['DORA-Art12(3)'],
	appliesTo: (r) => isClaim(r) || (r.kind === 'BackupStorageLocation' && r.group === 'velero.io'),
	check(resource, ctx): ComplianceProblem[] {
		if (isClaim(resource)) {
			if (!isProductionClaim(resource, ctx)) return [];
			const c = claimFacts(resource, ctx);
			const backup = isPlainObject(c.spec.backup) ? c.spec.backup : {};
			if (typeof backup.locationRegion !== 'string' || backup.locationRegion !== c.region) return [];
			return [{ path: ['spec', 'backup', 'locationRegion'], target: 'value', message: `${claimName(resource)} is a production cluster in ${c.region} and stores its backups in the same region: ${WHY}. Set spec.backup.locationRegion to another region. (DORA Art 12(3))` }];
		}
		const spec = isPlainObject(resource.value.spec) ? resource.value.spec : {};
		const config = isPlainObject(spec.config) ? spec.config : {};
		const region = config.region;
		if (typeof region !== 'string' || region.includes('${')) return [];
		const same = ctx.targets.filter((t) => t.production && t.region === region);
		if (same.length === 0) return [];
		return [
			{
				path: ['spec', 'config', 'region'],
				target: 'value',
				message: `BackupStorageLocation "${resource.name ?? '?'}" stores the backups of production cluster${same.length === 1 ? '' : 's'} ${same.map((t) => `"${t.name}"`).join(', ')} in ${region}, the cluster's own region: ${WHY}. Use a bucket in another region. (DORA Art 12(3))`,
			},
		];
	},
};

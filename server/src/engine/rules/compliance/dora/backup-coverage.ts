import { isPlainObject, type Resource } from '../../../core/resource';
import type { ComplianceProblem, ComplianceRule } from '../rule';
import { inCluster, scopesOf, hasIndex } from '../cross';
import { isVeleroSchedule, otherBackupTool, scheduleCovers } from './velero';

/** Whether the resource holds persistent data: a PersistentVolumeClaim, or a StatefulSet with volumeClaimTemplates. */
export function holdsData(r: Pick<Resource, 'kind' | 'group' | 'value'>): boolean {
	if (r.kind === 'PersistentVolumeClaim') return r.group === '';
	if (r.kind !== 'StatefulSet' || r.group !== 'apps') return false;
	const spec = r.value.spec;
	return isPlainObject(spec) && Array.isArray(spec.volumeClaimTemplates) && spec.volumeClaimTemplates.length > 0;
}

/**
 * DORA Art 12(1)(a): a production PersistentVolumeClaim or StatefulSet with volume claim templates
 * whose namespace no Velero Schedule of its cluster backs up. Not reported without a namespace
 * written on a raw object, or where another backup tool (Kasten K10) is deployed.
 */
export const backupCoverage: ComplianceRule = {
	id: 'dora-backup-coverage',
	title: 'Production data without a backup schedule',
	severity: 'warning',
	kinds: ['PersistentVolumeClaim', 'StatefulSet'],
	rationale:
		'DORA Art 12(1)(a) asks for backup policies that define the scope of the data backed up and its minimum frequency, and Art 12(2) for backup systems that can be activated to restore it. Persistent volumes of a production namespace that no backup schedule includes cannot be restored after a loss.',
	remediation: 'Add the namespace to a Velero Schedule of the cluster (spec.template.includedNamespaces), or remove it from excludedNamespaces.',
	controls: ['DORA-Art12(1)(a)'],
	appliesTo: holdsData,
	check(resource, ctx): ComplianceProblem[] {
		const ns = resource.namespace;
		if (!ctx.production || !ns || !hasIndex(ctx)) return [];
		const uncovered: string[] = [];
		for (const scope of scopesOf(ctx)) {
			if (scope.cluster && !ctx.targets.some((t) => t.name === scope.cluster && t.production)) continue;
			if (scope.all().some(otherBackupTool)) continue;
			if (scope.objects('Schedule').some((s) => isVeleroSchedule(s) && scheduleCovers(s, ns))) continue;
			uncovered.push(inCluster(scope));
		}
		if (uncovered.length === 0) return [];
		const where = uncovered.filter((u) => u !== '').map((u) => u.trim());
		const holder = resource.kind === 'PersistentVolumeClaim' ? `PersistentVolumeClaim "${resource.name ?? '?'}"` : `StatefulSet "${resource.name ?? '?'}" (volumeClaimTemplates)`;
		return [
			{
				path: resource.kind === 'PersistentVolumeClaim' ? ['metadata', 'name'] : ['spec', 'volumeClaimTemplates'],
				target: resource.kind === 'PersistentVolumeClaim' ? 'value' : 'key',
				message: `No Velero Schedule${where.length > 0 ? ` ${where.join(', ')}` : ' in this repository'} backs up namespace "${ns}", which holds ${holder} in production: DORA Art 12(1)(a) asks for backups of the data of ICT systems, with a scope and frequency set by its criticality. Add "${ns}" to the includedNamespaces of a Velero Schedule of the cluster. (DORA Art 12(1)(a))`,
			},
		];
	},
};

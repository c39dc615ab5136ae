import type { ComplianceProblem, ComplianceRule } from '../rule';
import { describeObject, findGrants, isUserRole } from './rbac';

/**
 * CIS 5.1.9: create on persistentvolumes. PersistentVolumes are cluster-scoped, so only a
 * ClusterRole can grant it (a Role naming them grants nothing). A `*` resource is reported by
 * cis-rbac-wildcards.
 */
export const pvCreate: ComplianceRule = {
	id: 'cis-pv-create',
	title: 'Permission to create PersistentVolumes',
	severity: 'info',
	kinds: ['ClusterRole'],
	rationale:
		'A PersistentVolume can point at any hostPath of a node. Whoever can create one can have a pod claim it and read or write the node\'s files, which the Pod Security hostPath check on pods does not see. Storage provisioners need the permission; people and applications rarely do.',
	remediation: 'Remove create on persistentvolumes unless the subject is a storage provisioner; let workloads get volumes through PersistentVolumeClaims and a StorageClass.',
	controls: ['CIS-K8S-5.1.9'],
	appliesTo: isUserRole,
	check(resource): ComplianceProblem[] {
		return findGrants(resource, { group: '', resources: ['persistentvolumes'], verbs: ['create'] }).map((g) => ({
			path: g.path,
			target: 'value',
			message: `${describeObject(resource)} can create PersistentVolumes: one that points at a hostPath gives a pod that claims it the node's files, past Pod Security. Storage provisioners need this; if this subject is not one, remove create and let workloads use PersistentVolumeClaims. (CIS 5.1.9)`,
		}));
	},
};

import { isPlainObject } from '../../../core/resource';
import type { ComplianceProblem, ComplianceRule } from '../rule';
import { describeObject, isRbac } from './rbac';

/** `User "alice"`, `Group "devs"`, `ServiceAccount "flux-system/kustomize-controller"`. */
function describeSubject(s: Record<string, unknown>, bindingNamespace: string | undefined): string {
	const kind = typeof s.kind === 'string' ? s.kind : 'Subject';
	const name = typeof s.name === 'string' ? s.name : '?';
	if (kind === 'ServiceAccount') {
		const ns = typeof s.namespace === 'string' ? s.namespace : bindingNamespace;
		return `ServiceAccount "${ns ? `${ns}/` : ''}${name}"`;
	}
	return `${kind} "${name}"`;
}

/** CIS 5.1.1: cluster-admin bound to anyone but the `system:masters` group. */
export const clusterAdminBinding: ComplianceRule = {
	id: 'cis-cluster-admin-binding',
	title: 'cluster-admin bound outside system:masters',
	severity: 'warning',
	kinds: ['ClusterRoleBinding', 'RoleBinding'],
	rationale:
		'cluster-admin allows every verb on every resource. Each subject bound to it can read every Secret, run any pod and change RBAC itself, so one leaked credential compromises the cluster (or, through a RoleBinding, the whole namespace).',
	remediation: 'Bind a role that grants only the permissions the subject needs; keep cluster-admin for the system:masters break-glass group.',
	controls: ['CIS-K8S-5.1.1', 'DORA-Art9(4)(c)'],
	appliesTo: isRbac,
	check(resource): ComplianceProblem[] {
		const roleRef = resource.value.roleRef;
		if (!isPlainObject(roleRef) || roleRef.kind !== 'ClusterRole' || roleRef.name !== 'cluster-admin') return [];
		const subjects = Array.isArray(resource.value.subjects) ? resource.value.subjects.filter(isPlainObject) : [];
		const others = subjects.filter((s) => !(s.kind === 'Group' && s.name === 'system:masters'));
		if (others.length === 0) return [];
		const who = others.map((s) => describeSubject(s, resource.namespace)).join(', ');
		const reach =
			resource.kind === 'RoleBinding'
				? `full control of namespace "${resource.namespace ?? '(its namespace)'}", its Secrets and RBAC included`
				: 'full control of every resource in the cluster, every Secret and RBAC itself included';
		return [
			{
				path: ['roleRef', 'name'],
				target: 'value',
				message: `${describeObject(resource)} grants cluster-admin to ${who}: that is ${reach}, so one leaked credential is enough to take it over. Bind a role with only the permissions needed instead. (CIS 5.1.1; DORA Art 9(4)(c))`,
			},
		];
	},
};

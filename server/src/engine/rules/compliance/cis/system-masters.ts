import { parse } from 'yaml';
import { isPlainObject, type Resource } from '../../../core/resource';
import type { ComplianceProblem, ComplianceRule } from '../rule';
import { describeObject, isRbac } from './rbac';

const MASTERS = 'system:masters';

/** The aws-auth mappings are small; a larger value is not parsed (hostile input). */
const MAX_MAPPING_CHARS = 256 * 1024;

/** The entries of an aws-auth `mapRoles`/`mapUsers` value (a YAML list in a string); [] when unreadable. */
function mappings(text: unknown): Record<string, unknown>[] {
	if (typeof text !== 'string' || text.length > MAX_MAPPING_CHARS || !text.includes(MASTERS)) return [];
	try {
		const v: unknown = parse(text, { maxAliasCount: 0 });
		return Array.isArray(v) ? v.filter(isPlainObject) : [];
	} catch {
		return []; // not YAML: EKS rejects it too, and it grants nothing
	}
}

function awsAuthProblems(resource: Resource): ComplianceProblem[] {
	const data = resource.value.data;
	if (!isPlainObject(data)) return [];
	const out: ComplianceProblem[] = [];
	for (const [key, arn] of [['mapRoles', 'rolearn'], ['mapUsers', 'userarn']] as const) {
		const who = mappings(data[key])
			.filter((m) => Array.isArray(m.groups) && m.groups.includes(MASTERS))
			.map((m) => (typeof m[arn] === 'string' ? (m[arn] as string) : typeof m.username === 'string' ? (m.username as string) : '(unnamed)'));
		if (who.length === 0) continue;
		const kind = key === 'mapRoles' ? 'IAM role' : 'IAM user';
		out.push({
			path: ['data', key],
			target: 'key',
			severity: 'error',
			message: `ConfigMap aws-auth puts ${kind}${who.length > 1 ? 's' : ''} ${who.join(', ')} into the system:masters group (data.${key}): members of system:masters bypass RBAC entirely, so removing RoleBindings can never reduce their access, and a leaked credential is an irrevocable cluster-admin. Map ${who.length > 1 ? 'them' : 'it'} to a group of your own and bind that group to the role needed (or use EKS access entries). (CIS 5.1.7)`,
		});
	}
	return out;
}

/**
 * CIS 5.1.7: membership in `system:masters`. In a repository it shows in two places: the EKS
 * aws-auth ConfigMap mapping IAM principals into the group (an error: that is the membership),
 * and (Cluster)RoleBindings naming the group as a subject (a warning: the binding itself grants
 * nothing the group does not already have, but it means credentials in that group are in use).
 * The Kubernetes default ClusterRoleBinding `cluster-admin` and `system:*` bindings are skipped.
 */
export const systemMasters: ComplianceRule = {
	id: 'cis-system-masters',
	title: 'Use of the system:masters group',
	severity: 'warning',
	kinds: ['ClusterRoleBinding', 'RoleBinding', 'ConfigMap'],
	rationale:
		'The API server lets every member of system:masters do anything, before RBAC is even asked. Their access cannot be reduced by removing bindings, and a client certificate issued with that group stays cluster-admin until it expires. Outside bootstrapping, admins should be bound to cluster-admin through an ordinary group that RBAC controls.',
	remediation:
		'Put administrators into a group of your own and bind that group to the role they need; on EKS, map IAM roles to such a group in aws-auth (or use access entries) instead of system:masters.',
	controls: ['CIS-K8S-5.1.7'],
	appliesTo: (r) =>
		r.kind === 'ConfigMap'
			? r.group === '' && r.name === 'aws-auth' && (r.namespace === undefined || r.namespace === 'kube-system')
			: isRbac(r) && !(r.name ?? '').startsWith('system:') && !(r.kind === 'ClusterRoleBinding' && r.name === 'cluster-admin'),
	check(resource): ComplianceProblem[] {
		if (resource.kind === 'ConfigMap') return awsAuthProblems(resource);
		const subjects = resource.value.subjects;
		if (!Array.isArray(subjects)) return [];
		const out: ComplianceProblem[] = [];
		subjects.forEach((s, i) => {
			if (!isPlainObject(s) || s.kind !== 'Group' || s.name !== MASTERS) return;
			out.push({
				path: ['subjects', i, 'name'],
				target: 'value',
				message: `${describeObject(resource)} names the group system:masters: its members bypass RBAC entirely, so this binding grants them nothing new, but it shows that credentials in that group are in use, and their access can never be reduced by removing bindings. Bind an ordinary group of your own instead and stop issuing system:masters credentials. (CIS 5.1.7)`,
			});
		});
		return out;
	},
};

import type { ComplianceProblem, ComplianceRule } from '../rule';
import { describeObject, findGrants, isUserRole } from './rbac';

/**
 * CIS 5.1.11: update or patch on `certificatesigningrequests/approval`. CSRs are cluster-scoped,
 * so only a ClusterRole grants it.
 */
export const csrApproval: ComplianceRule = {
	id: 'cis-csr-approval',
	title: 'Permission to approve certificate signing requests',
	severity: 'warning',
	kinds: ['ClusterRole'],
	rationale:
		'Approving a CertificateSigningRequest for the kube-apiserver-client signer issues a client certificate with whatever user and groups the request names, system:masters included. Such a certificate cannot be revoked before it expires, so approval amounts to creating administrator accounts.',
	remediation: 'Remove update and patch on certificatesigningrequests/approval; leave approval to the controllers that approve kubelet certificates.',
	controls: ['CIS-K8S-5.1.11'],
	appliesTo: isUserRole,
	check(resource): ComplianceProblem[] {
		return findGrants(resource, { group: 'certificates.k8s.io', resources: ['certificatesigningrequests/approval'], verbs: ['update', 'patch'] }).map((g) => ({
			path: g.path,
			target: 'value',
			message: `${describeObject(resource)} can approve certificate signing requests (${g.verbs.join(', ')} on ${g.item.value}): for the signers it may approve, an approved request yields a client certificate with any user and group, system:masters included, that cannot be revoked before it expires. Remove it unless this subject is a certificate approver. (CIS 5.1.11)`,
		}));
	},
};

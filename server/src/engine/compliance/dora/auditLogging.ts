import { isPlainObject } from '../../resource';
import type { ComplianceProblem, ComplianceRule } from '../rule';
import { claimFacts, claimName } from './claim';
import { isClaim, isProductionClaim } from './fleet';

/** Control-plane log types that carry the Kubernetes audit log, per provider. GKE writes Admin Activity audit logs always. */
const AUDIT_TYPES: Record<string, string[]> = { aws: ['audit'], azure: ['kube-audit', 'kube-audit-admin'] };

/**
 * DORA Art 10(1): a production ClusterClaim sends the API server's audit log to the provider's log
 * service (EKS log type `audit`, AKS `kube-audit`/`kube-audit-admin`; GKE keeps Admin Activity
 * audit logs on by itself and is not reported).
 */
export const auditLogging: ComplianceRule = {
	id: 'dora-audit-logging',
	title: 'Production cluster without audit logs',
	severity: 'warning',
	kinds: ['ClusterClaim'],
	rationale:
		'DORA Art 10(1) asks for mechanisms that promptly detect anomalous activities, and the RTS 2024/1774 Art 12 logging duties name access and changes to ICT systems. The Kubernetes audit log is the record of who did what through the API server; without it an incident in a production cluster cannot be reconstructed.',
	remediation: 'Add the audit log type to spec.controlPlane.logging (EKS: audit; AKS: kube-audit or kube-audit-admin).',
	controls: ['DORA-Art10(1)'],
	appliesTo: isClaim,
	check(resource, ctx): ComplianceProblem[] {
		if (!isProductionClaim(resource, ctx)) return [];
		const c = claimFacts(resource, ctx);
		const wanted = c.provider ? AUDIT_TYPES[c.provider] : undefined;
		if (!wanted) return [];
		const cp = isPlainObject(c.spec.controlPlane) ? c.spec.controlPlane : undefined;
		const logging = cp && Array.isArray(cp.logging) ? cp.logging : undefined;
		if (logging?.some((t) => typeof t === 'string' && wanted.includes(t))) return [];
		return [
			{
				path: logging ? ['spec', 'controlPlane', 'logging'] : cp ? ['spec', 'controlPlane'] : ['spec'],
				target: 'key',
				message: `${claimName(resource)} is a production cluster whose control plane does not send the Kubernetes audit log (${wanted.join(' or ')} in spec.controlPlane.logging): DORA Art 10(1) asks for anomalous activity to be detected, and without the audit log nobody can tell who changed what through the API server. Add ${wanted[0]} to spec.controlPlane.logging. (DORA Art 10(1))`,
			},
		];
	},
};

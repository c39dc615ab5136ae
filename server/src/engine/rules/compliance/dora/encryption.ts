import { isPlainObject, type Resource } from '../../../core/resource';
import type { ComplianceProblem, ComplianceRule } from '../rule';

function tlsCovers(tlsHost: string, host: string): boolean {
	if (tlsHost === host) return true;
	return tlsHost.startsWith('*.') && host.endsWith(tlsHost.slice(1)) && !host.slice(0, -tlsHost.length + 1).includes('.');
}

function ingressProblems(resource: Resource): ComplianceProblem[] {
	const spec = resource.value.spec;
	if (!isPlainObject(spec)) return [];
	const tls = Array.isArray(spec.tls) ? spec.tls.filter(isPlainObject) : [];
	const name = `Ingress "${resource.name ?? '?'}"`;
	const why = 'DORA Art 9(2) and 9(4)(d) ask for data in transit to be protected, and production traffic over plain HTTP can be read and changed on the way';
	if (tls.length === 0) {
		return [{ path: ['spec'], target: 'key', message: `${name} serves production traffic without TLS (no spec.tls): ${why}. Add a spec.tls entry with its hosts and a certificate Secret (e.g. from cert-manager). (DORA Art 9(2), Art 9(4)(d))` }];
	}
	const tlsHosts = tls.flatMap((t) => (Array.isArray(t.hosts) ? t.hosts.filter((h): h is string => typeof h === 'string') : []));
	const out: ComplianceProblem[] = [];
	const rules = Array.isArray(spec.rules) ? spec.rules : [];
	rules.forEach((r, i) => {
		if (!isPlainObject(r) || typeof r.host !== 'string') return;
		const host = r.host;
		if (tlsHosts.some((t) => tlsCovers(t, host))) return;
		out.push({ path: ['spec', 'rules', i, 'host'], target: 'value', message: `${name} serves host ${host} in production, but no spec.tls entry lists it, so it is served without its certificate: ${why}. Add ${host} to the hosts of a spec.tls entry. (DORA Art 9(2), Art 9(4)(d))` });
	});
	return out;
}

/**
 * DORA Art 9(2)/(4)(d): production data encrypted in transit, where the repository says so: a
 * production Ingress serves TLS for every host. (Secrets at rest on a production claim are
 * cis-managed-secrets-encryption's finding, which names these DORA controls too: one finding.)
 */
export const encryption: ComplianceRule = {
	id: 'dora-encryption',
	title: 'Production traffic not encrypted',
	severity: 'warning',
	kinds: ['Ingress'],
	rationale:
		'DORA Art 9(2) asks for data to be protected at rest, in use and in transit, and Art 9(4)(d) for encryption by data classification (RTS 2024/1774 Art 6(2)(a)). An Ingress without TLS sends credentials and payloads in clear text.',
	remediation: 'Give production Ingresses a spec.tls entry for each host.',
	controls: ['DORA-Art9(2)', 'DORA-Art9(4)(d)'],
	appliesTo: (r) => r.kind === 'Ingress' && r.group === 'networking.k8s.io',
	check(resource, ctx): ComplianceProblem[] {
		return ctx.production ? ingressProblems(resource) : [];
	},
};

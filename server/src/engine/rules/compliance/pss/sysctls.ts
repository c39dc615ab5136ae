import { isPlainObject } from '../../../core/resource';
import { podSecurityContext } from '../../../core/pod-spec';
import type { KubeMinor } from '../rule';
import { pssRule, type PssViolation } from './pss-rule';

/** Safe sysctls by the Kubernetes minor version that allowed them (PSA `sysctls`). */
const SAFE_SYSCTLS: [KubeMinor, string[]][] = [
	[0, ['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_unprivileged_port_start']],
	[27, ['net.ipv4.ip_local_reserved_ports']],
	[29, ['net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes']],
	[32, ['net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem']],
	[37, ['net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat']],
];

const SAFE_BY_MINOR = new Map<KubeMinor, ReadonlySet<string>>();

export function safeSysctls(minor: KubeMinor): ReadonlySet<string> {
	let safe = SAFE_BY_MINOR.get(minor);
	if (!safe) SAFE_BY_MINOR.set(minor, (safe = new Set(SAFE_SYSCTLS.filter(([since]) => minor >= since).flatMap(([, names]) => names))));
	return safe;
}

/** PSA `sysctls` (baseline, 1.0; more safe names in 1.27, 1.29, 1.32, 1.37): `spec.securityContext.sysctls[*].name` from the safe set. */
export const sysctls = pssRule({
	checkId: 'sysctls',
	level: 'baseline',
	title: 'Unsafe sysctls',
	rationale: 'Sysctls outside the safe, namespaced set can disable security mechanisms or affect every pod on the node.',
	remediation: 'Remove the sysctl, or use only the safe sysctls allowed by the baseline level.',
	evaluate(pod, ctx) {
		const sc = podSecurityContext(pod);
		const list = sc && Array.isArray(sc.sysctls) ? sc.sysctls : [];
		if (list.length === 0) return [];
		const safe = safeSysctls(ctx.pss.minor);
		const out: PssViolation[] = [];
		list.forEach((s, i) => {
			if (!isPlainObject(s) || typeof s.name !== 'string' || safe.has(s.name)) return;
			out.push({
				path: [...pod.path, 'securityContext', 'sysctls', i, 'name'],
				target: 'value',
				message: `The pod sets the sysctl ${s.name}, which is not in the safe set of Kubernetes 1.${ctx.pss.minor === Infinity ? 'latest' : ctx.pss.minor}: it can weaken the node or affect other pods. Remove it from spec.securityContext.sysctls.`,
			});
		});
		return out;
	},
});

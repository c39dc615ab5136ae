import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pod, pss } from './helpers';

/**
 * Every versioned check of pod-security-admission (policy/check_*.go, their `MinimumVersion`s as
 * of release 1.35, plus the sysctls of 1.37), tested on both sides of each boundary: the version
 * before it and the version that changes the result. The level is restricted (the setting), so
 * restricted checks report too.
 */

const at = (text: string, version: string, rule: string) =>
	pss(text, { settings: { kubernetesVersion: version, 'podSecurity.level': 'restricted' } })
		.filter((f) => f.ruleId === rule)
		.map((f) => f.range.start.line);

/** A pod whose one container sets `securityContext` (YAML lines at container-securityContext indentation) and the pod spec `podExtra`. */
const container = (sc: string, podExtra = '') =>
	pod(`${podExtra}
securityContext:
  runAsNonRoot: true
  seccompProfile: {type: RuntimeDefault}
containers:
  - name: web
    image: nginx
    securityContext:
      allowPrivilegeEscalation: false
      capabilities: {drop: [ALL]}
${sc
	.split('\n')
	.filter((l) => l.trim() !== '')
	.map((l) => `      ${l}`)
	.join('\n')}
`);

/** [rule, text, version where it does not report, version where it does]. */
const boundaries: [string, string, string, string][] = [
	// check_allowPrivilegeEscalation.go: 1.8.
	['pss-allowPrivilegeEscalation', pod('containers:\n  - name: web\n    image: nginx\n'), '1.7', '1.8'],
	// check_capabilities_restricted.go: 1.22.
	['pss-capabilities_restricted', pod('containers:\n  - name: web\n    image: nginx\n'), '1.21', '1.22'],
	// check_seccompProfile_restricted.go: 1.19.
	['pss-seccompProfile_restricted', pod('containers:\n  - name: web\n    image: nginx\n'), '1.18', '1.19'],
	// check_runAsUser.go: 1.23.
	['pss-runAsUser', container('runAsUser: 0'), '1.22', '1.23'],
	// check_hostProbesAndhostLifecycle.go: 1.34.
	['pss-hostProbesAndHostLifecycle', pod('containers:\n  - name: web\n    image: nginx\n    livenessProbe:\n      httpGet: {host: 10.0.0.1, port: 80}\n'), '1.33', '1.34'],
	// check_procMount_restricted.go: 1.35, in a user namespace (where baseline relaxes from 1.35).
	['pss-procMount_restricted', container('procMount: Unmasked', 'hostUsers: false'), '1.34', '1.35'],
	// check_sysctls.go: 1.27, 1.29, 1.32 (and 1.37, kubernetes/kubernetes#138389) make more names safe.
	['pss-sysctls', pod('securityContext:\n  sysctls:\n    - {name: net.ipv4.ip_local_reserved_ports, value: "80"}\ncontainers:\n  - name: web\n    image: nginx\n'), '1.27', '1.26'],
	['pss-sysctls', pod('securityContext:\n  sysctls:\n    - {name: net.ipv4.tcp_fin_timeout, value: "30"}\ncontainers:\n  - name: web\n    image: nginx\n'), '1.29', '1.28'],
	['pss-sysctls', pod('securityContext:\n  sysctls:\n    - {name: net.ipv4.tcp_rmem, value: "4096 87380 16777216"}\ncontainers:\n  - name: web\n    image: nginx\n'), '1.32', '1.31'],
	['pss-sysctls', pod('securityContext:\n  sysctls:\n    - {name: net.ipv4.tcp_notsent_lowat, value: "16384"}\ncontainers:\n  - name: web\n    image: nginx\n'), '1.37', '1.36'],
	// check_seLinuxOptions.go: 1.31 allows container_engine_t.
	['pss-seLinuxOptions', container('seLinuxOptions: {type: container_engine_t}'), '1.31', '1.30'],
	// Relaxed in a user namespace from 1.35 (check_runAsNonRoot.go, check_runAsUser.go, check_procMount_baseline.go).
	['pss-runAsNonRoot', pod('hostUsers: false\ncontainers:\n  - name: web\n    image: nginx\n'), '1.35', '1.34'],
	['pss-runAsUser', container('runAsUser: 0', 'hostUsers: false'), '1.35', '1.34'],
	['pss-procMount', container('procMount: Unmasked', 'hostUsers: false'), '1.35', '1.34'],
	// Windows pods: exempt from 1.25 (check_allowPrivilegeEscalation.go, check_capabilities_restricted.go, check_seccompProfile_restricted.go).
	['pss-allowPrivilegeEscalation', pod('os: {name: windows}\ncontainers:\n  - name: web\n    image: nginx\n'), '1.25', '1.24'],
	['pss-capabilities_restricted', pod('os: {name: windows}\ncontainers:\n  - name: web\n    image: nginx\n'), '1.25', '1.24'],
	['pss-seccompProfile_restricted', pod('os: {name: windows}\ncontainers:\n  - name: web\n    image: nginx\n'), '1.25', '1.24'],
];

describe('Pod Security: every version boundary of pod-security-admission', () => {
	for (const [rule, text, quiet, reports] of boundaries) {
		it(`${rule}: nothing at ${quiet}, a finding at ${reports}`, () => {
			assert.deepEqual(at(text, quiet, rule), [], `${rule} at ${quiet}`);
			assert.equal(at(text, reports, rule).length, 1, `${rule} at ${reports}`);
		});
	}

	it('procMount outside a user namespace: the baseline check at every version, the restricted one never (baseline covers it)', () => {
		const t = container('procMount: Unmasked');
		for (const v of ['1.20', '1.34', '1.35', '1.36']) {
			assert.equal(at(t, v, 'pss-procMount').length, 1, v);
			assert.deepEqual(at(t, v, 'pss-procMount_restricted'), [], v);
		}
	});
});

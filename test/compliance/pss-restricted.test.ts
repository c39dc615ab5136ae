import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { at, covered, pod, pss, type RunOptions } from './helpers';

const RESTRICTED: RunOptions = { settings: { 'podSecurity.level': 'restricted' } };

function run(text: string, rule: string, opts: RunOptions = RESTRICTED): { where: string[]; messages: string[] } {
	const fs = pss(text, opts).filter((f) => f.ruleId === rule);
	return { where: fs.map((f) => `${at(f)} | ${covered(text, f)}`), messages: fs.map((f) => f.message) };
}

/** A pod that meets the restricted level. */
const COMPLIANT = pod(`
securityContext:
  runAsNonRoot: true
  runAsUser: 1000
  seccompProfile:
    type: RuntimeDefault
initContainers:
  - name: init
    image: busybox
    securityContext:
      allowPrivilegeEscalation: false
      capabilities:
        drop: [ALL]
containers:
  - name: web
    image: nginx
    securityContext:
      allowPrivilegeEscalation: false
      capabilities:
        drop: [ALL]
        add: [NET_BIND_SERVICE]
volumes:
  - name: config
    configMap:
      name: web
  - name: data
    persistentVolumeClaim:
      claimName: data
  - name: scratch
`);

describe('PSS restricted: a compliant pod', () => {
	it('has no finding at the restricted level, on the newest semantics too', () => {
		assert.deepEqual(pss(COMPLIANT, RESTRICTED).map(at), []);
		assert.deepEqual(pss(COMPLIANT, { settings: { 'podSecurity.level': 'restricted', kubernetesVersion: '1.37' } }).map(at), []);
	});
});

describe('PSS restricted: restrictedVolumes', () => {
	it('reports the source key of a forbidden volume type; hostPath stays one baseline finding', () => {
		const t = pod(`
containers:
  - name: web
    image: nginx
volumes:
  - name: shared
    nfs:
      server: nfs.example.com
      path: /exports
  - name: node
    hostPath:
      path: /etc
`);
		const r = run(t, 'pss-restrictedVolumes');
		assert.deepEqual(r.where, ['10:6-10:9 warning pss-restrictedVolumes | nfs']);
		assert.deepEqual(r.messages, [
			'Volume "shared" is an inline nfs volume, which the restricted level forbids: it bypasses PersistentVolume access control. Use a persistentVolumeClaim instead. (PSS restricted)',
		]);
		assert.deepEqual(run(t, 'pss-hostPathVolumes').where, ['14:6-14:14 warning pss-hostPathVolumes | hostPath']);
	});
});

describe('PSS restricted: allowPrivilegeEscalation', () => {
	it('reports true on its value and a missing setting on the securityContext key or, without one, on the container name', () => {
		const t = pod(`
containers:
  - name: a
    image: nginx
    securityContext:
      allowPrivilegeEscalation: true
  - name: b
    image: nginx
    securityContext:
      runAsUser: 1000
  - name: c
    image: nginx
  - name: d
    image: nginx
    securityContext:
      allowPrivilegeEscalation: false
`);
		const r = run(t, 'pss-allowPrivilegeEscalation');
		assert.deepEqual(r.where, [
			'9:34-9:38 warning pss-allowPrivilegeEscalation | true',
			'12:6-12:21 warning pss-allowPrivilegeEscalation | securityContext',
			'14:12-14:13 warning pss-allowPrivilegeEscalation | c',
		]);
		assert.deepEqual(r.messages, [
			'Container "a" allows privilege escalation (securityContext.allowPrivilegeEscalation: true): a process can gain root through setuid binaries. Set it to false. (CIS 5.2.6, PSS restricted)',
			'Container "b" does not set securityContext.allowPrivilegeEscalation: false, so a process can gain more privileges than its parent (setuid binaries). Add allowPrivilegeEscalation: false to its securityContext. (CIS 5.2.6, PSS restricted)',
			'Container "c" does not set securityContext.allowPrivilegeEscalation: false, so a process can gain more privileges than its parent (setuid binaries). Add allowPrivilegeEscalation: false to its securityContext. (CIS 5.2.6, PSS restricted)',
		]);
	});

	it('exempts Windows pods from 1.25, not before', () => {
		const t = pod(`
os:
  name: windows
containers:
  - name: win
    image: mcr.microsoft.com/windows/nanoserver
`);
		assert.deepEqual(run(t, 'pss-allowPrivilegeEscalation').where, []);
		assert.deepEqual(run(t, 'pss-allowPrivilegeEscalation', { settings: { 'podSecurity.level': 'restricted', kubernetesVersion: '1.24' } }).where, [
			'8:12-8:15 warning pss-allowPrivilegeEscalation | win',
		]);
	});
});

describe('PSS restricted: runAsNonRoot', () => {
	it('reports containers that neither they nor the pod make non-root, on the container name', () => {
		const t = pod(`
containers:
  - name: a
    image: nginx
  - name: b
    image: nginx
    securityContext:
      runAsNonRoot: true
`);
		const r = run(t, 'pss-runAsNonRoot');
		assert.deepEqual(r.where, ['6:12-6:13 warning pss-runAsNonRoot | a']);
		assert.deepEqual(r.messages, [
			`Container "a" may run as root: neither it nor the pod sets securityContext.runAsNonRoot: true. Set it on the pod's or the container's securityContext. (CIS 5.2.7, PSS restricted)`,
		]);
	});

	it('accepts a pod-level true that containers inherit, but not a container-level false overriding it', () => {
		const t = pod(`
securityContext:
  runAsNonRoot: true
containers:
  - name: a
    image: nginx
  - name: b
    image: nginx
    securityContext:
      runAsNonRoot: false
`);
		const r = run(t, 'pss-runAsNonRoot');
		assert.deepEqual(r.where, ['13:22-13:27 warning pss-runAsNonRoot | false']);
		assert.deepEqual(r.messages, ['Container "b" sets securityContext.runAsNonRoot: false, so it may run as root. Set it to true. (CIS 5.2.7, PSS restricted)']);
	});

	it('reports a pod-level false once, even where every container sets true (as PSA does)', () => {
		const t = pod(`
securityContext:
  runAsNonRoot: false
containers:
  - name: a
    image: nginx
  - name: b
    image: nginx
    securityContext:
      runAsNonRoot: true
`);
		const r = run(t, 'pss-runAsNonRoot');
		assert.deepEqual(r.where, ['6:18-6:23 warning pss-runAsNonRoot | false']);
		assert.deepEqual(r.messages, ['The pod sets securityContext.runAsNonRoot: false, so its containers may run as root. Set it to true. (CIS 5.2.7, PSS restricted)']);
	});

	it('is not relaxed for Windows pods; is relaxed in a user namespace from 1.35', () => {
		const win = pod(`
os:
  name: windows
containers:
  - name: win
    image: mcr.microsoft.com/windows/nanoserver
`);
		assert.deepEqual(run(win, 'pss-runAsNonRoot').where, ['8:12-8:15 warning pss-runAsNonRoot | win']);
		const userns = pod(`
hostUsers: false
containers:
  - name: a
    image: nginx
`);
		assert.deepEqual(run(userns, 'pss-runAsNonRoot', { settings: { 'podSecurity.level': 'restricted', kubernetesVersion: '1.35' } }).where, []);
		assert.deepEqual(run(userns, 'pss-runAsNonRoot', { settings: { 'podSecurity.level': 'restricted', kubernetesVersion: '1.34' } }).where, [
			'7:12-7:13 warning pss-runAsNonRoot | a',
		]);
	});
});

describe('PSS restricted: runAsUser', () => {
	const t = pod(`
securityContext:
  runAsNonRoot: true
  runAsUser: 0
containers:
  - name: a
    image: nginx
    securityContext:
      runAsUser: 0
  - name: b
    image: nginx
    securityContext:
      runAsUser: 1000
`);
	it('reports runAsUser: 0 on the pod and a container, on the value', () => {
		const r = run(t, 'pss-runAsUser');
		assert.deepEqual(r.where, ['7:15-7:16 warning pss-runAsUser | 0', '12:19-12:20 warning pss-runAsUser | 0']);
		assert.deepEqual(r.messages, [
			'The pod runs as root (securityContext.runAsUser: 0). Use a non-zero UID. (CIS 5.2.7, PSS restricted)',
			'Container "a" runs as root (securityContext.runAsUser: 0). Use a non-zero UID. (CIS 5.2.7, PSS restricted)',
		]);
	});

	it('does not exist before 1.23', () => {
		assert.deepEqual(run(t, 'pss-runAsUser', { settings: { 'podSecurity.level': 'restricted', kubernetesVersion: '1.22' } }).where, []);
	});
});

describe('PSS restricted: seccompProfile_restricted', () => {
	it('reports containers without a profile when the pod has none; an explicit Unconfined is one baseline finding', () => {
		const t = pod(`
containers:
  - name: a
    image: nginx
    securityContext:
      seccompProfile:
        type: RuntimeDefault
  - name: b
    image: nginx
    securityContext:
      seccompProfile:
        type: Unconfined
  - name: c
    image: nginx
    securityContext:
      allowPrivilegeEscalation: false
`);
		const r = run(t, 'pss-seccompProfile_restricted');
		assert.deepEqual(r.where, ['18:6-18:21 warning pss-seccompProfile_restricted | securityContext']);
		assert.deepEqual(r.messages, [
			`Container "c" runs without a seccomp profile: neither it nor the pod sets securityContext.seccompProfile, so every system call is open to it. Set seccompProfile.type: RuntimeDefault on the pod's securityContext. (CIS 5.7.2, PSS restricted)`,
		]);
		assert.deepEqual(run(t, 'pss-seccompProfile_baseline').where, ['15:16-15:26 warning pss-seccompProfile_baseline | Unconfined']);
	});

	it('accepts a pod-level RuntimeDefault for every container; exempts Windows pods', () => {
		const t = pod(`
securityContext:
  seccompProfile:
    type: RuntimeDefault
containers:
  - name: a
    image: nginx
`);
		assert.deepEqual(run(t, 'pss-seccompProfile_restricted').where, []);
		const win = pod(`
os:
  name: windows
containers:
  - name: win
    image: mcr.microsoft.com/windows/nanoserver
`);
		assert.deepEqual(run(win, 'pss-seccompProfile_restricted').where, []);
	});
});

describe('PSS restricted: capabilities_restricted', () => {
	it('reports a missing drop ALL on the drop key and an added baseline capability on its item; SYS_ADMIN stays one baseline finding', () => {
		const t = pod(`
containers:
  - name: web
    image: nginx
    securityContext:
      capabilities:
        drop: [NET_RAW]
        add: [NET_BIND_SERVICE, CHOWN, SYS_ADMIN]
`);
		const r = run(t, 'pss-capabilities_restricted');
		assert.deepEqual(r.where, ['10:10-10:14 warning pss-capabilities_restricted | drop', '11:34-11:39 warning pss-capabilities_restricted | CHOWN']);
		assert.deepEqual(r.messages, [
			'Container "web" does not drop ALL capabilities, so it keeps the runtime\'s defaults such as NET_RAW. Set securityContext.capabilities.drop: ["ALL"]. (CIS 5.2.8, 5.2.10, PSS restricted)',
			'Container "web" adds the capability CHOWN; the restricted level allows adding only NET_BIND_SERVICE. Remove it from securityContext.capabilities.add. (CIS 5.2.9, PSS restricted)',
		]);
		assert.deepEqual(run(t, 'pss-capabilities_baseline').where, ['11:41-11:50 warning pss-capabilities_baseline | SYS_ADMIN']);
	});

	it('says so when ALL is written in lowercase (Pod Security compares the exact string), on that item', () => {
		const t = pod(`
containers:
  - name: web
    image: nginx
    securityContext:
      capabilities:
        drop: [all]
`);
		const r = run(t, 'pss-capabilities_restricted');
		assert.deepEqual(r.where, ['10:17-10:20 warning pss-capabilities_restricted | all']);
		assert.deepEqual(r.messages, ['Container "web" drops "all", but Pod Security requires exactly "ALL" in capital letters, so the restricted level rejects it. Write drop: ["ALL"]. (CIS 5.2.8, 5.2.10, PSS restricted)']);
		assert.deepEqual(run(t.replace('[all]', '[ALL]'), 'pss-capabilities_restricted').where, []);
	});

	it('does not exist before 1.22 and exempts Windows pods from 1.25', () => {
		const t = pod(`
containers:
  - name: web
    image: nginx
`);
		assert.deepEqual(run(t, 'pss-capabilities_restricted', { settings: { 'podSecurity.level': 'restricted', kubernetesVersion: '1.21' } }).where, []);
		assert.deepEqual(run(t, 'pss-capabilities_restricted').where, ['6:12-6:15 warning pss-capabilities_restricted | web']);
		const win = pod(`
os:
  name: windows
containers:
  - name: web
    image: mcr.microsoft.com/windows/nanoserver
`);
		assert.deepEqual(run(win, 'pss-capabilities_restricted').where, []);
	});
});

describe('PSS restricted: procMount_restricted (1.35+)', () => {
	const t = pod(`
hostUsers: false
containers:
  - name: web
    image: nginx
    securityContext:
      procMount: Unmasked
`);
	it('reports Unmasked in a user namespace, where baseline allows it', () => {
		const opts = { settings: { 'podSecurity.level': 'restricted' as const, kubernetesVersion: '1.35' } };
		const r = run(t, 'pss-procMount_restricted', opts);
		assert.deepEqual(r.where, ['10:19-10:27 warning pss-procMount_restricted | Unmasked']);
		assert.deepEqual(r.messages, [
			'Container "web" sets securityContext.procMount: Unmasked: it unmasks /proc, exposing kernel information and interfaces of the node. Remove it or set it to Default. (PSS restricted)',
		]);
		assert.deepEqual(run(t, 'pss-procMount', opts).where, []);
	});

	it('leaves other cases to the baseline check (one finding)', () => {
		const opts = { settings: { 'podSecurity.level': 'restricted' as const, kubernetesVersion: '1.34' } };
		assert.deepEqual(run(t, 'pss-procMount_restricted', opts).where, []);
		assert.deepEqual(run(t, 'pss-procMount', opts).where, ['10:19-10:27 warning pss-procMount | Unmasked']);
	});
});

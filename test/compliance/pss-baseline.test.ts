import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { at, covered, pod, pss, type RunOptions } from './helpers';

/** Findings of one rule as `range severity rule | covered text`, plus their messages. */
function run(text: string, rule: string, opts?: RunOptions): { where: string[]; messages: string[] } {
	const fs = pss(text, opts).filter((f) => f.ruleId === rule);
	return { where: fs.map((f) => `${at(f)} | ${covered(text, f)}`), messages: fs.map((f) => f.message) };
}

describe('PSS baseline: hostNamespaces', () => {
	it('reports each host namespace on its value, with its own CIS number', () => {
		const t = pod(`
hostNetwork: true
hostPID: true
hostIPC: true
containers:
  - name: web
    image: nginx
`);
		const r = run(t, 'pss-hostNamespaces');
		assert.deepEqual(r.where, [
			'5:15-5:19 warning pss-hostNamespaces | true',
			'6:11-6:15 warning pss-hostNamespaces | true',
			'7:11-7:15 warning pss-hostNamespaces | true',
		]);
		assert.deepEqual(r.messages, [
			"The pod shares the node's network namespace: it sees every connection on the node and can bind the node's ports (spec.hostNetwork: true). Remove it or set it to false. (CIS 5.2.5, PSS baseline)",
			"The pod shares the node's process namespace: it can see and signal every process on the node, other pods' included (spec.hostPID: true). Remove it or set it to false. (CIS 5.2.3, PSS baseline)",
			"The pod shares the node's IPC namespace: it can read shared memory of every process on the node (spec.hostIPC: true). Remove it or set it to false. (CIS 5.2.4, PSS baseline)",
		]);
	});

	it('accepts false and unset', () => {
		const t = pod(`
hostNetwork: false
hostPID: false
containers:
  - name: web
    image: nginx
`);
		assert.deepEqual(run(t, 'pss-hostNamespaces').where, []);
	});
});

describe('PSS baseline: privileged', () => {
	it('reports privileged: true on the value, naming the container and both controls', () => {
		const t = pod(`
containers:
  - name: web
    image: nginx
    securityContext:
      privileged: true
`);
		const r = run(t, 'pss-privileged');
		assert.deepEqual(r.where, ['9:20-9:24 warning pss-privileged | true']);
		assert.deepEqual(r.messages, [
			'Container "web" runs privileged (securityContext.privileged: true): it gets every host capability and device, so a compromise of the container is a compromise of the node. Set it to false. (CIS 5.2.2, PSS baseline)',
		]);
	});

	it('accepts privileged: false', () => {
		const t = pod(`
containers:
  - name: web
    image: nginx
    securityContext:
      privileged: false
`);
		assert.deepEqual(run(t, 'pss-privileged').where, []);
	});
});

describe('PSS baseline: capabilities_baseline', () => {
	it('reports each added capability outside the baseline set on its list item; NET_RAW also names CIS 5.2.8', () => {
		const t = pod(`
containers:
  - name: web
    image: nginx
    securityContext:
      capabilities:
        add: [CHOWN, SYS_ADMIN, NET_RAW]
`);
		const r = run(t, 'pss-capabilities_baseline');
		assert.deepEqual(r.where, ['10:23-10:32 warning pss-capabilities_baseline | SYS_ADMIN', '10:34-10:41 warning pss-capabilities_baseline | NET_RAW']);
		assert.equal(
			r.messages[0],
			'Container "web" adds the capability SYS_ADMIN, which the baseline level forbids: it widens what a compromised container can do to the node. Remove it from securityContext.capabilities.add. (CIS 5.2.9, PSS baseline)',
		);
		assert.match(r.messages[1], /adds the capability NET_RAW, .* \(CIS 5\.2\.8, 5\.2\.9, PSS baseline\)$/);
	});

	it('accepts every capability of the baseline set', () => {
		const t = pod(`
containers:
  - name: web
    image: nginx
    securityContext:
      capabilities:
        add: [AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT]
`);
		assert.deepEqual(run(t, 'pss-capabilities_baseline').where, []);
	});
});

describe('PSS baseline: hostPathVolumes', () => {
	it('reports the hostPath key of the volume', () => {
		const t = pod(`
containers:
  - name: web
    image: nginx
volumes:
  - name: docker
    hostPath:
      path: /var/run/docker.sock
`);
		const r = run(t, 'pss-hostPathVolumes');
		assert.deepEqual(r.where, ['10:6-10:14 warning pss-hostPathVolumes | hostPath']);
		assert.deepEqual(r.messages, [
			`Volume "docker" mounts the node's directory /var/run/docker.sock (hostPath): the pod can read or change the node's files. Use a persistentVolumeClaim, configMap, secret or emptyDir instead. (CIS 5.2.12, PSS baseline)`,
		]);
	});

	it('does not claim a read-only mount can change the node\'s files; one writable mount can', () => {
		const mounted = (readOnly: string) => pod(`
containers:
  - name: web
    image: nginx
    volumeMounts:
      - name: logs
        mountPath: /host/logs
        readOnly: true
  - name: shipper
    image: fluent-bit
    volumeMounts:
      - name: logs
        mountPath: /logs${readOnly}
volumes:
  - name: logs
    hostPath:
      path: /var/log
`);
		const ro = run(mounted('\n        readOnly: true'), 'pss-hostPathVolumes');
		assert.deepEqual(ro.messages, [`Volume "logs" mounts the node's directory /var/log (hostPath): the pod can read the node's files (node credentials, other pods' data), even mounted read-only. Use a persistentVolumeClaim, configMap, secret or emptyDir instead. (CIS 5.2.12, PSS baseline)`]);
		assert.match(run(mounted(''), 'pss-hostPathVolumes').messages[0], /: the pod can read or change the node's files\./);
	});

	it('accepts other volume types', () => {
		const t = pod(`
containers:
  - name: web
    image: nginx
volumes:
  - name: cache
    emptyDir: {}
`);
		assert.deepEqual(run(t, 'pss-hostPathVolumes').where, []);
	});
});

describe('PSS baseline: hostPorts', () => {
	it('reports a non-zero hostPort on its value', () => {
		const t = pod(`
containers:
  - name: web
    image: nginx
    ports:
      - containerPort: 80
        hostPort: 8080
      - containerPort: 443
        hostPort: 0
`);
		const r = run(t, 'pss-hostPorts');
		assert.deepEqual(r.where, ['10:20-10:24 warning pss-hostPorts | 8080']);
		assert.deepEqual(r.messages, [
			`Container "web" binds port 8080 on the node (hostPort): it bypasses network policies and exposes the pod on the node's address. Remove hostPort and use a Service. (CIS 5.2.13, PSS baseline)`,
		]);
	});
});

describe('PSS baseline: hostProbesAndHostLifecycle (1.34+)', () => {
	const t = pod(`
containers:
  - name: web
    image: nginx
    livenessProbe:
      httpGet:
        host: 169.254.169.254
        port: 80
    lifecycle:
      preStop:
        tcpSocket:
          host: ""
          port: 80
`);
	it('reports a probe host on its value from Kubernetes 1.34', () => {
		const r = run(t, 'pss-hostProbesAndHostLifecycle', { settings: { kubernetesVersion: '1.34' } });
		assert.deepEqual(r.where, ['10:16-10:31 warning pss-hostProbesAndHostLifecycle | 169.254.169.254']);
		assert.deepEqual(r.messages, [
			'Container "web" sends its livenessProbe httpGet to host "169.254.169.254": the kubelet would connect from the node to any address named here. Remove host to target the pod itself. (PSS baseline)',
		]);
	});

	it('does not exist before 1.34', () => {
		assert.deepEqual(run(t, 'pss-hostProbesAndHostLifecycle', { settings: { kubernetesVersion: '1.33' } }).where, []);
	});
});

describe('PSS baseline: appArmorProfile', () => {
	it('reports Unconfined on the pod and a container, and an unconfined annotation', () => {
		const t = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    metadata:
      annotations:
        container.apparmor.security.beta.kubernetes.io/web: unconfined
        container.apparmor.security.beta.kubernetes.io/side: localhost/my-profile
    spec:
      securityContext:
        appArmorProfile:
          type: Unconfined
      containers:
        - name: web
          image: nginx
          securityContext:
            appArmorProfile:
              type: Unconfined
        - name: side
          image: busybox
          securityContext:
            appArmorProfile:
              type: Localhost
              localhostProfile: my-profile
`;
		const r = run(t, 'pss-appArmorProfile');
		assert.deepEqual(r.where, [
			'13:16-13:26 warning pss-appArmorProfile | Unconfined',
			'19:20-19:30 warning pss-appArmorProfile | Unconfined',
			'8:60-8:70 warning pss-appArmorProfile | unconfined',
		]);
		assert.deepEqual(r.messages, [
			'The pod sets the AppArmor profile Unconfined (securityContext.appArmorProfile.type): it removes the confinement that stops a compromised container from reaching the node. Use RuntimeDefault or Localhost. (PSS baseline)',
			'Container "web" sets the AppArmor profile Unconfined (securityContext.appArmorProfile.type): it removes the confinement that stops a compromised container from reaching the node. Use RuntimeDefault or Localhost. (PSS baseline)',
			'Container "web" gets the AppArmor profile "unconfined" (annotation container.apparmor.security.beta.kubernetes.io/web): it removes the confinement that stops a compromised container from reaching the node. Use runtime/default or localhost/<profile>. (PSS baseline)',
		]);
	});

	it('accepts RuntimeDefault, Localhost and runtime/default', () => {
		const t = `apiVersion: v1
kind: Pod
metadata:
  name: p
  annotations:
    container.apparmor.security.beta.kubernetes.io/web: runtime/default
spec:
  securityContext:
    appArmorProfile:
      type: RuntimeDefault
  containers:
    - name: web
      image: nginx
`;
		assert.deepEqual(run(t, 'pss-appArmorProfile').where, []);
	});
});

describe('PSS baseline: seLinuxOptions', () => {
	const t = pod(`
securityContext:
  seLinuxOptions:
    type: spc_t
containers:
  - name: web
    image: nginx
    securityContext:
      seLinuxOptions:
        user: system_u
        role: system_r
        type: container_kvm_t
  - name: engine
    image: podman
    securityContext:
      seLinuxOptions:
        type: container_engine_t
`);
	it('reports a custom type, user and role, each on its value; container_kvm_t is allowed at every version', () => {
		const r = run(t, 'pss-seLinuxOptions', { settings: { kubernetesVersion: '1.31' } });
		assert.deepEqual(r.where, [
			'7:12-7:17 warning pss-seLinuxOptions | spc_t',
			'13:16-13:24 warning pss-seLinuxOptions | system_u',
			'14:16-14:24 warning pss-seLinuxOptions | system_r',
		]);
		assert.equal(
			r.messages[0],
			'The pod sets the SELinux type "spc_t" (securityContext.seLinuxOptions.type): a custom type can lift the container\'s SELinux confinement. Use container_t, container_init_t, container_kvm_t, container_engine_t or remove it. (PSS baseline)',
		);
		assert.equal(
			r.messages[1],
			'Container "web" sets the SELinux user "system_u" (securityContext.seLinuxOptions.user): a custom user can lift the container\'s SELinux confinement. Remove it. (PSS baseline)',
		);
	});

	it('allows container_engine_t from 1.31 (pod-security-admission seLinuxOptions_1_31), not at 1.30', () => {
		const r = run(t, 'pss-seLinuxOptions', { settings: { kubernetesVersion: '1.30' } });
		assert.deepEqual(r.where, [
			'7:12-7:17 warning pss-seLinuxOptions | spc_t',
			'13:16-13:24 warning pss-seLinuxOptions | system_u',
			'14:16-14:24 warning pss-seLinuxOptions | system_r',
			'20:16-20:34 warning pss-seLinuxOptions | container_engine_t',
		]);
		assert.match(r.messages[3], /Use container_t, container_init_t, container_kvm_t or remove it\. \(Kubernetes 1\.31 and later allow container_engine_t\.\) \(PSS baseline\)$/);
	});

	it('accepts container_t with no user or role', () => {
		const ok = pod(`
securityContext:
  seLinuxOptions:
    type: container_t
    level: "s0:c123,c456"
containers:
  - name: web
    image: nginx
`);
		assert.deepEqual(run(ok, 'pss-seLinuxOptions').where, []);
	});
});

describe('PSS baseline: procMount', () => {
	const spec = (hostUsers: string) =>
		pod(`
${hostUsers}
containers:
  - name: web
    image: nginx
    securityContext:
      procMount: Unmasked
  - name: side
    image: busybox
    securityContext:
      procMount: Default
`);
	it('reports Unmasked on its value', () => {
		const t = spec('hostUsers: true');
		const r = run(t, 'pss-procMount');
		assert.deepEqual(r.where, ['10:19-10:27 warning pss-procMount | Unmasked']);
		assert.deepEqual(r.messages, [
			'Container "web" sets securityContext.procMount: Unmasked: it unmasks /proc, exposing kernel information and interfaces of the node. Remove it or set it to Default. (PSS baseline)',
		]);
	});

	it('allows it in a user namespace from 1.35 (then procMount_restricted applies), not before', () => {
		const t = spec('hostUsers: false');
		assert.deepEqual(run(t, 'pss-procMount', { settings: { kubernetesVersion: '1.35' } }).where, []);
		assert.deepEqual(run(t, 'pss-procMount', { settings: { kubernetesVersion: '1.34' } }).where, ['10:19-10:27 warning pss-procMount | Unmasked']);
	});
});

describe('PSS baseline: seccompProfile_baseline', () => {
	it('reports Unconfined on the pod and on a container', () => {
		const t = pod(`
securityContext:
  seccompProfile:
    type: Unconfined
containers:
  - name: web
    image: nginx
    securityContext:
      seccompProfile:
        type: Unconfined
`);
		const r = run(t, 'pss-seccompProfile_baseline');
		assert.deepEqual(r.where, ['7:12-7:22 warning pss-seccompProfile_baseline | Unconfined', '13:16-13:26 warning pss-seccompProfile_baseline | Unconfined']);
		assert.deepEqual(r.messages, [
			'The pod sets the seccomp profile Unconfined (securityContext.seccompProfile.type): every system call of the kernel is open to the container. Use RuntimeDefault. (CIS 5.7.2, PSS baseline)',
			'Container "web" sets the seccomp profile Unconfined (securityContext.seccompProfile.type): every system call of the kernel is open to the container. Use RuntimeDefault. (CIS 5.7.2, PSS baseline)',
		]);
	});

	it('accepts RuntimeDefault, Localhost and unset', () => {
		const t = pod(`
securityContext:
  seccompProfile:
    type: RuntimeDefault
containers:
  - name: web
    image: nginx
    securityContext:
      seccompProfile:
        type: Localhost
        localhostProfile: profiles/web.json
  - name: side
    image: busybox
`);
		assert.deepEqual(run(t, 'pss-seccompProfile_baseline').where, []);
	});

	it('before 1.19 (an enforce-version pinned that low) reads the seccomp annotations instead of the fields', () => {
		const t = pod(`
containers:
  - name: web
    image: nginx
    securityContext:
      seccompProfile:
        type: Unconfined
`).replace('  name: p\n', '  name: p\n  annotations:\n    seccomp.security.alpha.kubernetes.io/pod: unconfined\n    container.seccomp.security.alpha.kubernetes.io/web: runtime/default\n');
		const at = (v: string) => run(t, 'pss-seccompProfile_baseline', { namespaces: {}, settings: { kubernetesVersion: v } }).where;
		assert.deepEqual(at('1.18'), ['5:46-5:56 warning pss-seccompProfile_baseline | unconfined']);
		assert.deepEqual(at('1.19'), ['13:16-13:26 warning pss-seccompProfile_baseline | Unconfined']);
	});
});

describe('PSS baseline: sysctls', () => {
	const t = pod(`
securityContext:
  sysctls:
    - name: net.ipv4.tcp_syncookies
      value: "1"
    - name: kernel.msgmax
      value: "65536"
    - name: net.ipv4.tcp_keepalive_time
      value: "600"
containers:
  - name: web
    image: nginx
`);
	it('reports an unsafe sysctl on its name', () => {
		const r = run(t, 'pss-sysctls', { settings: { kubernetesVersion: '1.29' } });
		assert.deepEqual(r.where, ['9:14-9:27 warning pss-sysctls | kernel.msgmax']);
		assert.deepEqual(r.messages, [
			'The pod sets the sysctl kernel.msgmax, which is not in the safe set of Kubernetes 1.29: it can weaken the node or affect other pods. Remove it from spec.securityContext.sysctls. (PSS baseline)',
		]);
	});

	it('knows which sysctls became safe in which version', () => {
		const r = run(t, 'pss-sysctls', { settings: { kubernetesVersion: '1.28' } });
		assert.deepEqual(r.where, ['9:14-9:27 warning pss-sysctls | kernel.msgmax', '11:14-11:41 warning pss-sysctls | net.ipv4.tcp_keepalive_time']);
	});
});

describe('PSS baseline: windowsHostProcess', () => {
	it('reports hostProcess: true on the pod and a container', () => {
		const t = pod(`
os:
  name: windows
securityContext:
  windowsOptions:
    hostProcess: true
hostNetwork: true
containers:
  - name: agent
    image: mcr.microsoft.com/windows/nanoserver
    securityContext:
      windowsOptions:
        hostProcess: true
`);
		const r = run(t, 'pss-windowsHostProcess');
		assert.deepEqual(r.where, ['9:19-9:23 warning pss-windowsHostProcess | true', '16:23-16:27 warning pss-windowsHostProcess | true']);
		assert.equal(
			r.messages[1],
			'Container "agent" runs as a Windows HostProcess container (securityContext.windowsOptions.hostProcess: true): it runs on the node itself with administrator access. Set it to false. (CIS 5.2.11, PSS baseline)',
		);
	});

	it('accepts hostProcess: false', () => {
		const t = pod(`
os:
  name: windows
containers:
  - name: agent
    image: mcr.microsoft.com/windows/nanoserver
    securityContext:
      windowsOptions:
        hostProcess: false
`);
		assert.deepEqual(run(t, 'pss-windowsHostProcess').where, []);
	});
});

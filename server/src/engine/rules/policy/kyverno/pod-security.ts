import { isPlainObject } from '../../../core/resource';
import { annotationsOf, wildcardMatch } from '../resources';
import type { Path, RuleResult } from '../types';

/**
 * Kyverno's `validate.podSecurity` (the Pod Security Standards, latest version): every baseline
 * control, and at `restricted` the restricted ones too, on a Pod or the pod template of a
 * controller; `exclude` entries exempt a control (for the containers whose image matches, where
 * images are given).
 */

type Json = Record<string, unknown>;

interface Violation {
	control: string;
	path: Path;
	image?: string;
	detail: string;
}

const BASELINE_CAPS = new Set(['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT']);
const SAFE_SYSCTLS = new Set(['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes']);
const RESTRICTED_VOLUMES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);
const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);

const obj = (v: unknown): Json => (isPlainObject(v) ? v : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** The pod spec and metadata of a Pod or of a controller's pod template, with the spec's path. */
function podOf(resource: Json): { spec: Json; meta: Json; at: Path } | undefined {
	const spec = obj(resource.spec);
	if (resource.kind === 'Pod') return { spec, meta: obj(resource.metadata), at: ['spec'] };
	if (resource.kind === 'CronJob') {
		const t = obj(obj(obj(spec.jobTemplate).spec).template);
		return { spec: obj(t.spec), meta: obj(t.metadata), at: ['spec', 'jobTemplate', 'spec', 'template', 'spec'] };
	}
	if (isPlainObject(spec.template)) return { spec: obj(spec.template.spec), meta: obj(spec.template.metadata), at: ['spec', 'template', 'spec'] };
	return undefined;
}

function check(pod: { spec: Json; meta: Json; at: Path }, restricted: boolean): Violation[] {
	const { spec, at } = pod;
	const out: Violation[] = [];
	const psc = obj(spec.securityContext);
	const containers: [Json, Path][] = [];
	for (const field of ['containers', 'initContainers', 'ephemeralContainers']) arr(spec[field]).forEach((c, i) => isPlainObject(c) && containers.push([c, [...at, field, i]]));
	const add = (control: string, path: Path, detail: string, image?: string) => out.push({ control, path, detail, image });
	for (const ns of ['hostNetwork', 'hostPID', 'hostIPC']) if (spec[ns] === true) add('Host Namespaces', [...at, ns], `${ns}=true`);
	if (obj(psc.windowsOptions).hostProcess === true) add('HostProcess', [...at, 'securityContext', 'windowsOptions', 'hostProcess'], 'hostProcess=true');
	arr(spec.volumes).forEach((v, i) => {
		const vol = obj(v);
		if (vol.hostPath !== undefined) add('HostPath Volumes', [...at, 'volumes', i, 'hostPath'], `volume ${String(vol.name)} is a hostPath`);
		if (restricted) {
			const type = Object.keys(vol).find((k) => k !== 'name');
			if (type && !RESTRICTED_VOLUMES.has(type)) add('Volume Types', [...at, 'volumes', i, type], `volume ${String(vol.name)} uses ${type}`);
		}
	});
	arr(psc.sysctls).forEach((s, i) => {
		if (!SAFE_SYSCTLS.has(String(obj(s).name))) add('Sysctls', [...at, 'securityContext', 'sysctls', i], `sysctl ${String(obj(s).name)}`);
	});
	const seLinux = (o: Json, path: Path, image?: string) => {
		const se = obj(o.seLinuxOptions);
		if (!SELINUX_TYPES.has(String(se.type ?? ''))) add('SELinux', [...path, 'seLinuxOptions', 'type'], `seLinuxOptions.type ${String(se.type)}`, image);
		if (se.user !== undefined || se.role !== undefined) add('SELinux', [...path, 'seLinuxOptions'], 'seLinuxOptions sets user or role', image);
	};
	seLinux(psc, [...at, 'securityContext']);
	const seccomp = (o: Json) => String(obj(o.seccompProfile).type ?? '');
	if (seccomp(psc) === 'Unconfined') add('Seccomp', [...at, 'securityContext', 'seccompProfile', 'type'], 'seccompProfile Unconfined');
	for (const [key, value] of Object.entries(annotationsOf({ metadata: pod.meta }))) {
		if (key.startsWith('container.apparmor.security.beta.kubernetes.io/') && !(value === 'runtime/default' || value.startsWith('localhost/'))) add('AppArmor', [...at.slice(0, -1), 'metadata', 'annotations', key], `AppArmor profile ${value}`);
	}
	let allNonRoot = true;
	for (const [c, path] of containers) {
		const sc = obj(c.securityContext);
		const image = typeof c.image === 'string' ? c.image : undefined;
		const scPath = [...path, 'securityContext'];
		if (sc.privileged === true) add('Privileged Containers', [...scPath, 'privileged'], `container ${String(c.name)} is privileged`, image);
		if (obj(sc.windowsOptions).hostProcess === true) add('HostProcess', [...scPath, 'windowsOptions', 'hostProcess'], 'hostProcess=true', image);
		arr(obj(sc.capabilities).add).forEach((cap, i) => {
			const name = String(cap);
			if (restricted ? name !== 'NET_BIND_SERVICE' : !BASELINE_CAPS.has(name)) add('Capabilities', [...scPath, 'capabilities', 'add', i], `container ${String(c.name)} adds ${name}`, image);
		});
		arr(c.ports).forEach((p, i) => {
			const hp = obj(p).hostPort;
			if (hp !== undefined && hp !== 0) add('Host Ports', [...path, 'ports', i, 'hostPort'], `hostPort ${String(hp)}`, image);
		});
		if (sc.procMount !== undefined && sc.procMount !== 'Default') add('/proc Mount Type', [...scPath, 'procMount'], `procMount ${String(sc.procMount)}`, image);
		if (seccomp(sc) === 'Unconfined') add('Seccomp', [...scPath, 'seccompProfile', 'type'], 'seccompProfile Unconfined', image);
		seLinux(sc, scPath, image);
		if (!restricted) continue;
		if (sc.allowPrivilegeEscalation !== false) add('Privilege Escalation', [...scPath, 'allowPrivilegeEscalation'], `container ${String(c.name)} does not set allowPrivilegeEscalation=false`, image);
		if (!arr(obj(sc.capabilities).drop).includes('ALL')) add('Capabilities', [...scPath, 'capabilities', 'drop'], `container ${String(c.name)} does not drop ALL`, image);
		if (!(seccomp(sc) === 'RuntimeDefault' || seccomp(sc) === 'Localhost' || (seccomp(sc) === '' && (seccomp(psc) === 'RuntimeDefault' || seccomp(psc) === 'Localhost'))))
			add('Seccomp', [...scPath, 'seccompProfile'], `container ${String(c.name)} has no RuntimeDefault or Localhost seccomp profile`, image);
		const nonRoot = sc.runAsNonRoot ?? psc.runAsNonRoot;
		if (nonRoot === false) add('Running as Non-root', [...scPath, 'runAsNonRoot'], `container ${String(c.name)} sets runAsNonRoot=false`, image);
		if (nonRoot !== true) allNonRoot = false;
		if (sc.runAsUser === 0) add('Running as Non-root user', [...scPath, 'runAsUser'], `container ${String(c.name)} runs as user 0`, image);
	}
	if (restricted) {
		if (!allNonRoot && psc.runAsNonRoot !== true && !out.some((v) => v.control === 'Running as Non-root')) add('Running as Non-root', [...at, 'securityContext', 'runAsNonRoot'], 'runAsNonRoot is not true');
		if (psc.runAsUser === 0) add('Running as Non-root user', [...at, 'securityContext', 'runAsUser'], 'the pod runs as user 0');
	}
	return out;
}

function excluded(v: Violation, exclude: unknown[]): boolean {
	return exclude.some((e) => {
		const x = obj(e);
		if (x.controlName !== v.control) return false;
		const images = arr(x.images).map(String);
		if (images.length === 0) return true;
		return v.image !== undefined && images.some((p) => wildcardMatch(p, v.image!));
	});
}

export function podSecurity(spec: Json, resource: Json, message: string | undefined): Pick<RuleResult, 'status' | 'message' | 'path'> {
	const pod = podOf(resource);
	if (!pod) return { status: 'skip', message: 'The resource has no pod spec.' };
	const level = String(spec.level ?? 'baseline');
	if (level === 'privileged') return { status: 'pass', message: 'The privileged level allows everything.' };
	const violations = check(pod, level === 'restricted').filter((v) => !excluded(v, arr(spec.exclude)));
	if (violations.length === 0) return { status: 'pass', message: `The pod meets Pod Security ${level}.` };
	const controls = [...new Set(violations.map((v) => v.control))];
	const detail = `It violates Pod Security "${level}:${String(spec.version ?? 'latest')}": ${controls.map((c) => `${c} (${violations.filter((v) => v.control === c).map((v) => v.detail).join(', ')})`).join('; ')}.`;
	return { status: 'fail', message: message ? `${message} ${detail}` : detail, path: violations[0].path };
}

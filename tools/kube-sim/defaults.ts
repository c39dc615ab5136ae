import type { Obj } from './store';

/**
 * What the API server does to an object it creates or updates, for the kinds GitOps repositories
 * deploy most: the common defaults (pod template and container fields, Deployment strategy and
 * history, Service IPs, protocols and affinity, Secret type and stringData), and canonical
 * quantities (`0.5` is stored as `500m`, `1024Mi` as `1Gi`), as k8s.io/apimachinery's
 * `resource.Quantity` writes them. Written for the simulator, independently of Fleetscope's own
 * drift normalisation, so tests of one check the other.
 */

const BINARY = [['Ei', 60], ['Pi', 50], ['Ti', 40], ['Gi', 30], ['Mi', 20], ['Ki', 10]] as const;
const DECIMAL_SUFFIX: Record<number, string> = { [-9]: 'n', [-6]: 'u', [-3]: 'm', 0: '', 3: 'k', 6: 'M', 9: 'G', 12: 'T', 15: 'P', 18: 'E' };
const DECIMAL_SCALE: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

/** A quantity in canonical form: binary suffixes where the input had one and the amount is a whole number of KiB, else decimal SI with the largest suffix that keeps an integer. */
export function canonicalQuantity(q: unknown): unknown {
	const text = typeof q === 'number' ? String(q) : typeof q === 'string' ? q.trim() : undefined;
	if (text === undefined) return q;
	const m = /^([+-]?\d*\.?\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?\d+|n|u|m|k|M|G|T|P|E)?$/.exec(text);
	if (!m) return q;
	const suffix = m[2] ?? '';
	if (/^(Ki|Mi|Gi|Ti|Pi|Ei)$/.test(suffix)) {
		const bytes = Number(m[1]) * 2 ** BINARY.find(([s]) => s === suffix)![1];
		if (Number.isInteger(bytes)) {
			for (const [s, p] of BINARY) if (bytes !== 0 && bytes % 2 ** p === 0) return `${bytes / 2 ** p}${s}`;
			return String(bytes);
		}
		return decimal(bytes);
	}
	const exp = /^[eE]/.test(suffix) ? Number(suffix.slice(1)) : DECIMAL_SCALE[suffix];
	return decimal(Number(m[1]) * 10 ** exp);
}

function decimal(value: number): string {
	if (value === 0) return '0';
	// The largest suffix whose mantissa is a whole number (Kubernetes rounds up below 1n).
	for (const exp of [18, 15, 12, 9, 6, 3, 0, -3, -6, -9]) {
		const m = value / 10 ** exp;
		if (Math.round(m) !== 0 && Math.abs(m - Math.round(m)) <= 1e-9 * Math.abs(m)) return `${Math.round(m)}${DECIMAL_SUFFIX[exp]}`;
	}
	return `${Math.ceil(value * 1e9)}n`;
}

const QUANTITY_MAPS = new Set(['limits', 'requests', 'hard']);

function canonicalResources(v: unknown, depth = 0): void {
	if (!v || typeof v !== 'object' || depth > 40) return;
	if (Array.isArray(v)) return v.forEach((x) => canonicalResources(x, depth + 1));
	const o = v as Obj;
	for (const [k, x] of Object.entries(o)) {
		if (QUANTITY_MAPS.has(k) && x && typeof x === 'object' && !Array.isArray(x)) {
			for (const [r, q] of Object.entries(x as Obj)) (x as Obj)[r] = canonicalQuantity(q);
		} else if (k === 'storage' || k === 'sizeLimit') o[k] = canonicalQuantity(x);
		else canonicalResources(x, depth + 1);
	}
}

function containerDefaults(c: Obj): void {
	const image = String(c.image ?? '');
	const tag = image.includes('@') ? 'digest' : image.slice(image.lastIndexOf('/') + 1).split(':')[1];
	c.imagePullPolicy ??= !tag || tag === 'latest' ? 'Always' : 'IfNotPresent';
	c.terminationMessagePath ??= '/dev/termination-log';
	c.terminationMessagePolicy ??= 'File';
	c.resources ??= {};
	for (const p of c.ports ?? []) p.protocol ??= 'TCP';
}

function podSpecDefaults(spec: Obj | undefined): void {
	if (!spec) return;
	for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) containerDefaults(c);
	spec.restartPolicy ??= 'Always';
	spec.dnsPolicy ??= 'ClusterFirst';
	spec.schedulerName ??= 'default-scheduler';
	spec.securityContext ??= {};
	spec.terminationGracePeriodSeconds ??= 30;
}

let nextIp = 10;

/** Applies the server's defaults to a new or updated object (in place); `old` keeps the IPs it was given. */
export function applyServerDefaults(o: Obj, old?: Obj): void {
	const group = String(o.apiVersion ?? '').includes('/') ? String(o.apiVersion).split('/')[0] : '';
	const kind = o.kind;
	if (group === 'apps' && ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'].includes(kind)) {
		o.spec ??= {};
		if (kind !== 'DaemonSet') o.spec.replicas ??= 1;
		o.spec.revisionHistoryLimit ??= 10;
		if (kind === 'Deployment') {
			o.spec.progressDeadlineSeconds ??= 600;
			o.spec.strategy ??= { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } };
		}
		podSpecDefaults(o.spec.template?.spec);
		o.metadata.generation = (old?.metadata?.generation ?? 0) + 1;
	}
	if (group === 'batch' && kind === 'Job') podSpecDefaults(o.spec?.template?.spec);
	if (group === 'batch' && kind === 'CronJob') {
		o.spec.concurrencyPolicy ??= 'Allow';
		o.spec.suspend ??= false;
		o.spec.successfulJobsHistoryLimit ??= 3;
		o.spec.failedJobsHistoryLimit ??= 1;
		podSpecDefaults(o.spec?.jobTemplate?.spec?.template?.spec);
	}
	if (group === '' && kind === 'Pod') podSpecDefaults(o.spec);
	if (group === '' && kind === 'Service') {
		const s = (o.spec ??= {});
		s.type ??= 'ClusterIP';
		s.sessionAffinity ??= 'None';
		if (s.type !== 'ExternalName') {
			const ip = old?.spec?.clusterIP ?? s.clusterIP ?? `10.96.0.${nextIp++ % 250}`;
			s.clusterIP = ip;
			s.clusterIPs ??= [ip];
			s.ipFamilies ??= ['IPv4'];
			s.ipFamilyPolicy ??= 'SingleStack';
			s.internalTrafficPolicy ??= 'Cluster';
		}
		for (const p of s.ports ?? []) {
			p.protocol ??= 'TCP';
			p.targetPort ??= p.port;
		}
	}
	if (group === '' && kind === 'Secret') {
		o.type ??= 'Opaque';
		if (o.stringData && typeof o.stringData === 'object') {
			o.data = { ...(o.data ?? {}) };
			for (const [k, v] of Object.entries(o.stringData as Obj)) o.data[k] = Buffer.from(String(v), 'utf8').toString('base64');
			delete o.stringData;
		}
	}
	if (group === '' && kind === 'PersistentVolumeClaim') o.spec.volumeMode ??= 'Filesystem';
	if (group === '' && kind === 'Namespace') o.metadata.labels = { ...(o.metadata.labels ?? {}), 'kubernetes.io/metadata.name': o.metadata.name };
	canonicalResources(o.spec);
}

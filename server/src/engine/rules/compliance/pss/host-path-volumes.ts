import { isPlainObject } from '../../../core/resource';
import { containersOf } from '../../../core/pod-spec';
import { pssRule, type PssViolation } from './pss-rule';

/**
 * PSA `hostPathVolumes` (baseline, 1.0): no `spec.volumes[*].hostPath`. At the restricted level
 * PSA's `restrictedVolumes` overrides this check and reports the same volume; here this rule keeps
 * it (one finding) and `restrictedVolumes` skips hostPath.
 */
export const hostPathVolumes = pssRule({
	checkId: 'hostPathVolumes',
	level: 'baseline',
	title: 'HostPath volumes',
	rationale: "A hostPath volume exposes the node's file system to the container: node credentials, the container runtime socket, other pods' data.",
	remediation: 'Replace the hostPath volume with a persistentVolumeClaim, configMap, secret, emptyDir or CSI volume.',
	cis: ['5.2.12'],
	alsoControls: ['PSS-restricted-restrictedVolumes'],
	evaluate(pod) {
		const out: PssViolation[] = [];
		const volumes = Array.isArray(pod.spec.volumes) ? pod.spec.volumes : [];
		// How the containers mount each volume: read-only everywhere, or writable somewhere.
		const mounts = new Map<string, boolean[]>();
		for (const c of containersOf(pod)) {
			const vm = Array.isArray(c.container.volumeMounts) ? c.container.volumeMounts : [];
			for (const m of vm) if (isPlainObject(m) && typeof m.name === 'string') mounts.set(m.name, [...(mounts.get(m.name) ?? []), m.readOnly === true]);
		}
		volumes.forEach((v, i) => {
			if (!isPlainObject(v) || v.hostPath === undefined || v.hostPath === null) return;
			const name = typeof v.name === 'string' ? `Volume "${v.name}"` : `Volume #${i + 1}`;
			const where = isPlainObject(v.hostPath) && typeof v.hostPath.path === 'string' ? ` ${v.hostPath.path}` : '';
			const used = typeof v.name === 'string' ? (mounts.get(v.name) ?? []) : [];
			const readOnly = used.length > 0 && used.every((ro) => ro);
			const what = readOnly ? "the pod can read the node's files (node credentials, other pods' data), even mounted read-only" : "the pod can read or change the node's files";
			out.push({
				path: [...pod.path, 'volumes', i, 'hostPath'],
				target: 'key',
				message: `${name} mounts the node's directory${where} (hostPath): ${what}. Use a persistentVolumeClaim, configMap, secret or emptyDir instead.`,
			});
		});
		return out;
	},
});

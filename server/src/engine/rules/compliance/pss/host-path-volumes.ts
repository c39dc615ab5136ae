import { isPlainObject } from '../../../core/resource';
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
		volumes.forEach((v, i) => {
			if (!isPlainObject(v) || v.hostPath === undefined || v.hostPath === null) return;
			const name = typeof v.name === 'string' ? `Volume "${v.name}"` : `Volume #${i + 1}`;
			const where = isPlainObject(v.hostPath) && typeof v.hostPath.path === 'string' ? ` ${v.hostPath.path}` : '';
			out.push({
				path: [...pod.path, 'volumes', i, 'hostPath'],
				target: 'key',
				message: `${name} mounts the node's directory${where} (hostPath): the pod can read or change the node's files. Use a persistentVolumeClaim, configMap, secret or emptyDir instead.`,
			});
		});
		return out;
	},
});

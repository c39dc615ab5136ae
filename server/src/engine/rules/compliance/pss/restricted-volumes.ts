import { isPlainObject } from '../../../core/resource';
import { pssRule, type PssViolation } from './pss-rule';

/** Volume sources the restricted level allows (`image` since the image volume source exists). */
const ALLOWED = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret', 'image']);

/** Inline volume sources PSA names as restricted (hostPath is reported by `hostPathVolumes`). */
const RESTRICTED = [
	'gcePersistentDisk',
	'awsElasticBlockStore',
	'gitRepo',
	'nfs',
	'iscsi',
	'glusterfs',
	'rbd',
	'flexVolume',
	'cinder',
	'cephfs',
	'flocker',
	'fc',
	'azureFile',
	'vsphereVolume',
	'quobyte',
	'azureDisk',
	'portworxVolume',
	'photonPersistentDisk',
	'scaleIO',
	'storageos',
];

/**
 * PSA `restrictedVolumes` (restricted, 1.0): volumes only of the allowed types. A volume with no
 * source at all is defaulted to emptyDir by the API server before admission, so it passes.
 */
export const restrictedVolumes = pssRule({
	checkId: 'restrictedVolumes',
	level: 'restricted',
	title: 'Restricted volume types',
	rationale: 'Inline volumes of node-attached or network storage types bypass the PersistentVolume access controls and can expose node or storage credentials.',
	remediation: 'Use a persistentVolumeClaim (backed by a PersistentVolume of that storage), or a configMap, secret, emptyDir, projected, downwardAPI, csi or ephemeral volume.',
	evaluate(pod) {
		const out: PssViolation[] = [];
		const volumes = Array.isArray(pod.spec.volumes) ? pod.spec.volumes : [];
		volumes.forEach((v, i) => {
			if (!isPlainObject(v)) return;
			if (Object.keys(v).some((k) => ALLOWED.has(k) && v[k] !== null && v[k] !== undefined)) return;
			if (v.hostPath !== undefined && v.hostPath !== null) return; // one finding: pss-hostPathVolumes
			const type = RESTRICTED.find((t) => v[t] !== undefined && v[t] !== null);
			if (!type) return;
			const name = typeof v.name === 'string' ? `Volume "${v.name}"` : `Volume #${i + 1}`;
			out.push({
				path: [...pod.path, 'volumes', i, type],
				target: 'key',
				message: `${name} is an inline ${type} volume, which the restricted level forbids: it bypasses PersistentVolume access control. Use a persistentVolumeClaim instead.`,
			});
		});
		return out;
	},
});

import { isPlainObject } from '../../../core/resource';
import { securitySetters } from '../../../core/pod-spec';
import { pssRule, type PssViolation } from './pss-rule';

const ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

function allowedAnnotation(v: string): boolean {
	return v === '' || v === 'runtime/default' || v.startsWith('localhost/');
}

/**
 * PSA `appArmorProfile` (baseline, 1.0): `securityContext.appArmorProfile.type` of the pod and the
 * containers must be RuntimeDefault or Localhost (or unset); the deprecated annotations
 * `container.apparmor.security.beta.kubernetes.io/*` must be `runtime/default`, `localhost/*` or empty.
 */
export const appArmorProfile = pssRule({
	checkId: 'appArmorProfile',
	level: 'baseline',
	title: 'AppArmor profile',
	rationale: 'The runtime default AppArmor profile confines what a container can do on the node; Unconfined turns that off.',
	remediation: 'Remove the Unconfined profile, or use RuntimeDefault or a Localhost profile.',
	evaluate(pod) {
		const out: PssViolation[] = [];
		for (const s of securitySetters(pod)) {
			const profile = s.securityContext?.appArmorProfile;
			if (!isPlainObject(profile) || typeof profile.type !== 'string') continue;
			if (profile.type === 'RuntimeDefault' || profile.type === 'Localhost') continue;
			out.push({
				path: [...s.scPath, 'appArmorProfile', 'type'],
				target: 'value',
				message: `${s.label} sets the AppArmor profile ${profile.type} (securityContext.appArmorProfile.type): it removes the confinement that stops a compromised container from reaching the node. Use RuntimeDefault or Localhost.`,
			});
		}
		const annotations = pod.metadata.annotations;
		if (isPlainObject(annotations)) {
			for (const [k, v] of Object.entries(annotations)) {
				if (!k.startsWith(ANNOTATION_PREFIX) || typeof v !== 'string' || allowedAnnotation(v)) continue;
				out.push({
					path: [...pod.metadataPath, 'annotations', k],
					target: 'value',
					message: `Container "${k.slice(ANNOTATION_PREFIX.length)}" gets the AppArmor profile "${v}" (annotation ${k}): it removes the confinement that stops a compromised container from reaching the node. Use runtime/default or localhost/<profile>.`,
				});
			}
		}
		return out;
	},
});

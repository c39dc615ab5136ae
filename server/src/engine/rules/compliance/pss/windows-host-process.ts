import { isPlainObject } from '../../../core/resource';
import { securitySetters } from '../../../core/pod-spec';
import { pssRule, type PssViolation } from './pss-rule';

/** PSA `windowsHostProcess` (baseline, 1.0): `windowsOptions.hostProcess` of the pod and the containers unset or false. */
export const windowsHostProcess = pssRule({
	checkId: 'windowsHostProcess',
	level: 'baseline',
	title: 'Windows HostProcess containers',
	rationale: 'A Windows HostProcess container runs directly on the node with the rights of a node administrator.',
	remediation: 'Remove securityContext.windowsOptions.hostProcess or set it to false.',
	cis: ['5.2.11'],
	evaluate(pod) {
		const out: PssViolation[] = [];
		for (const s of securitySetters(pod)) {
			const w = s.securityContext?.windowsOptions;
			if (!isPlainObject(w) || w.hostProcess !== true) continue;
			out.push({
				path: [...s.scPath, 'windowsOptions', 'hostProcess'],
				target: 'value',
				message: `${s.label} runs as a Windows HostProcess container (securityContext.windowsOptions.hostProcess: true): it runs on the node itself with administrator access. Set it to false.`,
			});
		}
		return out;
	},
});

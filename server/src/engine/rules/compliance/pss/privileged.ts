import { containersOf } from '../../../core/pod-spec';
import { pssRule, type PssViolation } from './pss-rule';

/** PSA `privileged` (baseline, 1.0): `securityContext.privileged` of every container must be unset or false. */
export const privileged = pssRule({
	checkId: 'privileged',
	level: 'baseline',
	title: 'Privileged containers',
	rationale: 'A privileged container gets every capability and the host devices: it is root on the node.',
	remediation: 'Set securityContext.privileged to false (or remove it) and grant only the capabilities the container needs.',
	cis: ['5.2.2'],
	evaluate(pod) {
		const out: PssViolation[] = [];
		for (const c of containersOf(pod)) {
			if (c.securityContext?.privileged !== true) continue;
			out.push({
				path: [...c.path, 'securityContext', 'privileged'],
				target: 'value',
				message: `${c.label} runs privileged (securityContext.privileged: true): it gets every host capability and device, so a compromise of the container is a compromise of the node. Set it to false.`,
			});
		}
		return out;
	},
});

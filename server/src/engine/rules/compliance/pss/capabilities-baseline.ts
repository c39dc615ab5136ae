import { containersOf } from '../../../core/pod-spec';
import { pssRule, type PssViolation } from './pss-rule';

/** Capabilities the baseline level allows containers to add (PSA `capabilities_baseline`, 1.0). */
export const BASELINE_CAPABILITIES = new Set([
	'AUDIT_WRITE',
	'CHOWN',
	'DAC_OVERRIDE',
	'FOWNER',
	'FSETID',
	'KILL',
	'MKNOD',
	'NET_BIND_SERVICE',
	'SETFCAP',
	'SETGID',
	'SETPCAP',
	'SETUID',
	'SYS_CHROOT',
]);

/**
 * PSA `capabilities_baseline` (baseline, 1.0): `securityContext.capabilities.add` only from the
 * baseline set. A finding also covers the restricted check `capabilities_restricted` for the same
 * entry, which is therefore not reported twice.
 */
export const capabilitiesBaseline = pssRule({
	checkId: 'capabilities_baseline',
	level: 'baseline',
	title: 'Added capabilities beyond the baseline set',
	rationale: 'Capabilities such as SYS_ADMIN, NET_ADMIN or NET_RAW let a container escape or attack the node and its neighbours.',
	remediation: 'Remove the capability from securityContext.capabilities.add; the baseline level allows only the default container capabilities.',
	cis: ['5.2.9'],
	cisSometimes: ['5.2.8'],
	alsoControls: ['PSS-restricted-capabilities_restricted'],
	evaluate(pod) {
		const out: PssViolation[] = [];
		for (const c of containersOf(pod)) {
			const caps = c.securityContext?.capabilities as Record<string, unknown> | undefined;
			const add = caps && Array.isArray(caps.add) ? caps.add : [];
			add.forEach((cap, i) => {
				if (typeof cap !== 'string' || BASELINE_CAPABILITIES.has(cap)) return;
				out.push({
					path: [...c.path, 'securityContext', 'capabilities', 'add', i],
					target: 'value',
					message: `${c.label} adds the capability ${cap}, which the baseline level forbids: it widens what a compromised container can do to the node. Remove it from securityContext.capabilities.add.`,
					cis: cap === 'NET_RAW' ? ['5.2.8', '5.2.9'] : ['5.2.9'],
				});
			});
		}
		return out;
	},
});

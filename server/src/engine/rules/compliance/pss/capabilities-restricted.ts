import { containersOf, missingSettingTarget } from '../../../core/pod-spec';
import { BASELINE_CAPABILITIES } from './capabilities-baseline';
import { pssRule, type PssViolation } from './pss-rule';

/**
 * PSA `capabilities_restricted` (restricted, 1.22; Windows pods exempt from 1.25): every container
 * drops `ALL` and adds at most `NET_BIND_SERVICE`. Added capabilities outside the baseline set are
 * reported by `pss-capabilities_baseline` (one finding), so this rule reports the ones baseline allows.
 */
export const capabilitiesRestricted = pssRule({
	checkId: 'capabilities_restricted',
	level: 'restricted',
	title: 'Capabilities not dropped',
	rationale: 'The default capability set (e.g. NET_RAW, CHOWN, SETUID) is more than most containers need; the restricted level drops all of them.',
	remediation: 'Set securityContext.capabilities.drop: ["ALL"] and add back only NET_BIND_SERVICE if the container binds a port below 1024.',
	cis: ['5.2.10'],
	cisSometimes: ['5.2.8', '5.2.9'],
	sinceMinor: 22,
	windowsExemptSince25: true,
	evaluate(pod) {
		const out: PssViolation[] = [];
		for (const c of containersOf(pod)) {
			const caps = c.securityContext?.capabilities as Record<string, unknown> | undefined;
			const drop = caps && Array.isArray(caps.drop) ? caps.drop : [];
			if (!drop.includes('ALL')) {
				// Pod Security compares the exact string: a lowercase (or mixed-case) "all" is not ALL.
				const i = drop.findIndex((d) => typeof d === 'string' && d.toUpperCase() === 'ALL');
				out.push(
					i >= 0
						? {
								path: [...c.path, 'securityContext', 'capabilities', 'drop', i],
								target: 'value',
								message: `${c.label} drops "${drop[i] as string}", but Pod Security requires exactly "ALL" in capital letters, so the restricted level rejects it. Write drop: ["ALL"].`,
								cis: ['5.2.8', '5.2.10'],
							}
						: {
								...missingSettingTarget(c, ['securityContext', 'capabilities', 'drop', 'ALL']),
								message: `${c.label} does not drop ALL capabilities, so it keeps the runtime's defaults such as NET_RAW. Set securityContext.capabilities.drop: ["ALL"].`,
								cis: ['5.2.8', '5.2.10'],
							},
				);
			}
			const add = caps && Array.isArray(caps.add) ? caps.add : [];
			add.forEach((cap, i) => {
				if (typeof cap !== 'string' || cap === 'NET_BIND_SERVICE' || !BASELINE_CAPABILITIES.has(cap)) return;
				out.push({
					path: [...c.path, 'securityContext', 'capabilities', 'add', i],
					target: 'value',
					message: `${c.label} adds the capability ${cap}; the restricted level allows adding only NET_BIND_SERVICE. Remove it from securityContext.capabilities.add.`,
					cis: ['5.2.9'],
				});
			});
		}
		return out;
	},
});

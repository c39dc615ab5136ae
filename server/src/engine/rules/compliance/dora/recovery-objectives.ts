import type { ComplianceProblem, ComplianceRule } from '../rule';
import { productionAppEntries } from './apps';
import { FACTS } from './facts';
import { isFleet } from './fleet';

/** DORA Art 8(1) with Art 11: critical or important production apps declare their recovery time and recovery point objectives. */
export const recoveryObjectives: ComplianceRule = {
	id: 'dora-recovery-objectives',
	title: 'Critical app without RTO or RPO',
	severity: 'warning',
	kinds: ['Fleet'],
	rationale:
		'The RTS 2024/1774 Art 4 asset records hold each asset\'s continuity requirements, recovery time and recovery point objectives included, and DORA Art 11 builds the response and recovery plans on them. Without them, backup frequency, redundancy and DR tests have nothing to be measured against.',
	remediation: 'Add rto and rpo durations (e.g. rto: 1h, rpo: 15m) to the app in the Fleet file.',
	controls: ['DORA-Art8(1)', 'DORA-Art11(1)'],
	appliesTo: isFleet,
	check(resource, ctx): ComplianceProblem[] {
		const out: ComplianceProblem[] = [];
		for (const e of productionAppEntries(resource, ctx)) {
			if (!e.critical) continue;
			const missing = (['rto', 'rpo'] as const).filter((k) => !e.fact(k));
			if (missing.length === 0) continue;
			const what = missing.map((k) => (k === 'rto' ? 'recovery time objective (rto)' : 'recovery point objective (rpo)')).join(' and no ');
			const add = missing.map((k) => `\`${k}: ${FACTS[k].example}\``).join(' and ');
			out.push({
				path: e.at('criticality'),
				target: 'value',
				message: `App "${e.name}" is ${e.fact('criticality')}, a critical or important function in DORA's terms, but has no ${what}: DORA's asset records and recovery plans (Art 8(1), Art 11) are measured against them. Add ${add} to this entry (or the label${missing.length > 1 ? 's' : ''} ${missing.map((k) => FACTS[k].label).join(', ')} on its Namespace). (DORA Art 8(1), Art 11(1))`,
			});
		}
		return out;
	},
};

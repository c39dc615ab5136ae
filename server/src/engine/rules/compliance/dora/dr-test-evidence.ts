import type { ComplianceProblem, ComplianceRule } from '../rule';
import { productionAppEntries } from './apps';
import { FACTS } from './facts';
import { isFleet } from './fleet';

function validDay(s: string): boolean {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
	const d = new Date(`${s}T00:00:00Z`);
	return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** The day one year before `today` (YYYY-MM-DD). */
function yearBefore(today: string): string {
	const d = new Date(`${today}T00:00:00Z`);
	d.setUTCFullYear(d.getUTCFullYear() - 1);
	return d.toISOString().slice(0, 10);
}

/**
 * DORA Art 11(6): a critical or important production app records when its disaster-recovery plan
 * was last tested (`lastDrTest: YYYY-MM-DD`), and that test is at most a year old.
 */
export const drTestEvidence: ComplianceRule = {
	id: 'dora-dr-test-evidence',
	title: 'No recent DR test recorded',
	severity: 'info',
	kinds: ['Fleet'],
	rationale:
		'DORA Art 11(6) asks for the ICT business continuity and response and recovery plans of critical or important functions to be tested at least yearly (and Art 12(2) for backup and restore procedures to be tested periodically). The date of the last test is the evidence an auditor asks for first.',
	remediation: 'Test the app\'s recovery (restore, switchover) and record the day with lastDrTest: YYYY-MM-DD in the Fleet file.',
	controls: ['DORA-Art11(6)', 'DORA-Art12(2)'],
	appliesTo: isFleet,
	check(resource, ctx): ComplianceProblem[] {
		const out: ComplianceProblem[] = [];
		const limit = yearBefore(ctx.today);
		for (const e of productionAppEntries(resource, ctx)) {
			if (!e.critical) continue;
			const last = e.fact('lastDrTest');
			const head = `App "${e.name}" is ${e.fact('criticality')}, a critical or important function in DORA's terms`;
			const tail = `DORA Art 11(6) asks for its recovery plans to be tested at least yearly. Record the last test with \`${FACTS.lastDrTest.key}: YYYY-MM-DD\` in this entry (or the label ${FACTS.lastDrTest.label} on its Namespace). (DORA Art 11(6), Art 12(2))`;
			if (!last) out.push({ path: e.at('criticality'), target: 'value', message: `${head}, but records no disaster-recovery test: ${tail}` });
			else if (!validDay(last)) out.push({ path: e.at('lastDrTest'), target: 'value', message: `${head}; its lastDrTest "${last}" is not a date (YYYY-MM-DD): ${tail}` });
			else if (last > ctx.today) out.push({ path: e.at('lastDrTest'), target: 'value', message: `${head}; its lastDrTest ${last} lies in the future: ${tail}` });
			else if (last < limit) out.push({ path: e.at('lastDrTest'), target: 'value', message: `${head}; its last disaster-recovery test (${last}) is more than a year old: ${tail}` });
		}
		return out;
	},
};

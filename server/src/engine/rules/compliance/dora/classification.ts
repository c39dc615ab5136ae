import type { ComplianceProblem, ComplianceRule } from '../rule';
import { productionAppEntries } from './apps';
import { FACTS } from './facts';
import { isFleet } from './fleet';

/** DORA Art 8(1): production apps are classified (criticality); critical or important ones name the business function they support. */
export const classification: ComplianceRule = {
	id: 'dora-classification',
	title: 'Production app not classified',
	severity: 'warning',
	kinds: ['Fleet'],
	rationale:
		'DORA Art 8(1) asks financial entities to identify and classify their ICT-supported business functions and the assets they depend on; the RTS 2024/1774 Art 4 asset records hold the classification and the business functions. The classification decides which DORA duties apply (backups, recovery objectives, tests, exit plans).',
	remediation: 'Give the app a criticality (low, medium, high or critical) in the Fleet file and, for high and critical apps, the businessFunction it supports.',
	controls: ['DORA-Art8(1)'],
	appliesTo: isFleet,
	check(resource, ctx): ComplianceProblem[] {
		const out: ComplianceProblem[] = [];
		for (const e of productionAppEntries(resource, ctx)) {
			const c = e.fact('criticality');
			if (!c) {
				out.push({
					path: ['spec', 'apps', e.index, 'name'],
					target: 'value',
					message: `App "${e.name}" runs in production but has no criticality: DORA Art 8(1) asks for ICT-supported functions to be classified, and the classification decides which continuity duties apply. Add \`criticality: low|medium|high|critical\` to this entry (or the label ${FACTS.criticality.label} on its Namespace). (DORA Art 8(1))`,
				});
			} else if (e.critical && !e.fact('businessFunction')) {
				out.push({
					path: e.at('criticality'),
					target: 'value',
					message: `App "${e.name}" is ${c}, a critical or important function in DORA's terms, but names no business function: DORA Art 8(1) asks which business function each critical ICT asset supports. Add \`businessFunction: <what it supports>\` to this entry (or the annotation ${FACTS.businessFunction.label} on its Namespace). (DORA Art 8(1))`,
				});
			}
		}
		return out;
	},
};

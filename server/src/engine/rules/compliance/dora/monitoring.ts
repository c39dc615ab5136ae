import type { ComplianceProblem, ComplianceRule } from '../rule';
import { containersOf, podSpecOf } from '../../../core/pod-spec';
import { criticalWorkload, LONG_RUNNING } from './workload';

/**
 * DORA Art 10(1): the containers of a critical or important production workload have at least a
 * readiness or liveness probe, so that a hung or failing instance is detected (and taken out of
 * service or restarted) without a human noticing first.
 */
export const monitoring: ComplianceRule = {
	id: 'dora-monitoring',
	title: 'Critical workload without health probes',
	severity: 'warning',
	kinds: LONG_RUNNING,
	rationale:
		'DORA Art 10(1) asks for mechanisms that promptly detect anomalous activities, ICT performance issues included. A container without readiness or liveness probe keeps receiving traffic while it hangs, and nothing alerts on it until users do.',
	remediation: 'Add a readinessProbe (and a livenessProbe) to every container of the workload.',
	controls: ['DORA-Art10(1)'],
	appliesTo: (r) => r.group === 'apps',
	check(resource, ctx): ComplianceProblem[] {
		const crit = criticalWorkload(resource, ctx);
		const pod = podSpecOf(resource);
		if (!crit || !pod) return [];
		return containersOf(pod)
			.filter((c) => c.kind === 'containers' && c.container.readinessProbe === undefined && c.container.livenessProbe === undefined)
			.map((c) => ({
				path: typeof c.container.name === 'string' ? [...c.path, 'name'] : c.path,
				target: typeof c.container.name === 'string' ? ('value' as const) : ('key' as const),
				message: `${c.label} of ${crit.who} (criticality ${crit.criticality}) has no readiness or liveness probe in production: a hung instance keeps serving and nothing detects it. DORA Art 10(1) asks for prompt detection of anomalous activities in critical functions. Add a readinessProbe and a livenessProbe. (DORA Art 10(1))`,
			}));
	},
};

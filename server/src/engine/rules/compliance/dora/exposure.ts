import { isPlainObject, type Resource } from '../../../core/resource';
import type { ComplianceProblem, ComplianceRule } from '../rule';
import { resourceFacts, factOf, whereToWrite } from './facts';

/** Annotations that make a LoadBalancer Service internal on EKS, GKE and AKS. */
const INTERNAL: [string, RegExp][] = [
	['service.beta.kubernetes.io/aws-load-balancer-internal', /^(true|0\.0\.0\.0\/0)$/i],
	['service.beta.kubernetes.io/aws-load-balancer-scheme', /^internal$/i],
	['networking.gke.io/load-balancer-type', /^internal$/i],
	['cloud.google.com/load-balancer-type', /^internal$/i],
	['service.beta.kubernetes.io/azure-load-balancer-internal', /^true$/i],
];

function annotations(r: Resource): Record<string, unknown> {
	const m = r.value.metadata;
	return isPlainObject(m) && isPlainObject(m.annotations) ? m.annotations : {};
}

/** Whether the object can be reached from outside the cluster: an Ingress, or a LoadBalancer Service without an internal-LB annotation. */
export function exposed(r: Resource): boolean {
	if (r.kind === 'Ingress') return r.group === 'networking.k8s.io' || r.group === 'extensions';
	if (r.kind !== 'Service' || r.group !== '') return false;
	const spec = r.value.spec;
	if (!isPlainObject(spec) || spec.type !== 'LoadBalancer') return false;
	const a = annotations(r);
	return !INTERNAL.some(([k, re]) => typeof a[k] === 'string' && re.test(a[k] as string));
}

/**
 * DORA RTS 2024/1774 Art 4(2)(b)(vii) under DORA Art 8(1): the asset records state each asset's
 * exposure to external networks. A production Ingress or public LoadBalancer whose app (or the
 * object itself) does not declare `internetExposed` is reported; either value counts as declared.
 */
export const exposure: ComplianceRule = {
	id: 'dora-internet-exposure',
	title: 'Internet exposure not declared',
	severity: 'info',
	kinds: ['Service', 'Ingress'],
	rationale:
		'The DORA asset records (Art 8(1), RTS 2024/1774 Art 4(2)(b)(vii)) state which ICT assets are exposed to external networks, the internet included: exposed assets need stricter protection and testing, and the register must match what is actually published.',
	remediation: 'Declare internetExposed: true (or false for an internal controller) on the app in the Fleet file, or the label fleetscope.io/internet-exposed on the object.',
	controls: ['DORA-Art8(1)'],
	appliesTo: exposed,
	check(resource, ctx): ComplianceProblem[] {
		// The exposure is a fact of the asset records (the Fleet file): without one, discovery's dora-fleet-file note suggests it.
		if (!ctx.production || !ctx.fleet.fleetFile) return [];
		const { app, facts } = resourceFacts(resource, ctx);
		if (factOf(facts, 'internetExposed')) return [];
		const how = resource.kind === 'Ingress' ? `Ingress "${resource.name ?? '?'}"` : `LoadBalancer Service "${resource.name ?? '?'}" (no internal load-balancer annotation)`;
		const whose = app ? `app "${app.name}"` : 'its app';
		return [
			{
				path: resource.kind === 'Ingress' ? ['metadata', 'name'] : ['spec', 'type'],
				target: 'value',
				message: `${how} publishes ${whose} outside the cluster in production, but ${app ? 'the app does not declare its internet exposure' : 'no internet exposure is declared for it'}: DORA's asset records (Art 8(1), RTS 2024/1774 Art 4(2)(b)(vii)) state each asset's exposure to external networks. Declare it with ${whereToWrite('internetExposed', app, 'this object')}. (DORA Art 8(1))`,
			},
		];
	},
};

import { isPlainObject, type Resource } from '../../../core/resource';
import type { IndexedObject } from '../../../core/objects';
import { podSpecOf } from '../../../core/pod-spec';
import type { ComplianceContext, ComplianceProblem, ComplianceRule } from '../rule';
import { inNamespace, scopesOf, hasIndex } from '../cross';
import { criticalWorkload } from './workload';

const ZONE_KEYS = new Set(['topology.kubernetes.io/zone', 'failure-domain.beta.kubernetes.io/zone']);

function labelsMatch(selector: unknown, labels: Record<string, unknown>): boolean {
	if (!isPlainObject(selector)) return false;
	if (Array.isArray(selector.matchExpressions) && selector.matchExpressions.length > 0) return true; // not evaluated: assume it selects
	const ml = isPlainObject(selector.matchLabels) ? selector.matchLabels : {};
	const keys = Object.keys(ml);
	return keys.length > 0 ? keys.every((k) => labels[k] === ml[k]) : true;
}

function candidates(ctx: ComplianceContext, kind: string, ns: string | undefined): IndexedObject[] {
	if (!ns) return [];
	return scopesOf(ctx).flatMap((s) => s.objects(kind)).filter((o) => inNamespace(o, ns, ctx.objects.complete) !== 'no');
}

function zoneSpread(spec: Record<string, unknown>): boolean {
	const tsc = Array.isArray(spec.topologySpreadConstraints) ? spec.topologySpreadConstraints : [];
	if (tsc.some((c) => isPlainObject(c) && typeof c.topologyKey === 'string' && ZONE_KEYS.has(c.topologyKey))) return true;
	const anti = isPlainObject(spec.affinity) && isPlainObject(spec.affinity.podAntiAffinity) ? spec.affinity.podAntiAffinity : undefined;
	if (!anti) return false;
	const terms = [
		...(Array.isArray(anti.requiredDuringSchedulingIgnoredDuringExecution) ? anti.requiredDuringSchedulingIgnoredDuringExecution : []),
		...(Array.isArray(anti.preferredDuringSchedulingIgnoredDuringExecution) ? anti.preferredDuringSchedulingIgnoredDuringExecution.map((p) => (isPlainObject(p) ? p.podAffinityTerm : undefined)) : []),
	];
	return terms.some((t) => isPlainObject(t) && typeof t.topologyKey === 'string' && ZONE_KEYS.has(t.topologyKey));
}

/** The fewest replicas that run: an HPA's minReplicas when one scales the workload, else spec.replicas (default 1). */
function minReplicas(resource: Resource, ctx: ComplianceContext): { min: number; hpa?: IndexedObject } {
	const hpa = candidates(ctx, 'HorizontalPodAutoscaler', resource.namespace).find((h) => {
		const spec = isPlainObject(h.value.spec) ? h.value.spec : {};
		const ref = isPlainObject(spec.scaleTargetRef) ? spec.scaleTargetRef : {};
		return ref.kind === resource.kind && ref.name === resource.name;
	});
	if (hpa) {
		const spec = hpa.value.spec as Record<string, unknown>;
		return { min: typeof spec.minReplicas === 'number' ? spec.minReplicas : 1, hpa };
	}
	const spec = isPlainObject(resource.value.spec) ? resource.value.spec : {};
	return { min: typeof spec.replicas === 'number' ? spec.replicas : 1 };
}

/**
 * DORA Art 10(1): a critical or important production Deployment or StatefulSet that is a single
 * point of failure: fewer than two replicas (an HPA's minReplicas counts), no PodDisruptionBudget
 * selecting its pods, or no spread over zones. In raw files shared with other environments the
 * replica count is not judged (overlays usually patch it); rendered sets are.
 */
export const singlePointOfFailure: ComplianceRule = {
	id: 'dora-single-point-of-failure',
	title: 'Critical workload is a single point of failure',
	severity: 'warning',
	kinds: ['Deployment', 'StatefulSet'],
	rationale:
		'DORA Art 10(1) asks financial entities to identify potential material single points of failure. One replica, no disruption budget (a node drain evicts every pod at once) or all pods in one zone each let one ordinary failure stop a critical function.',
	remediation: 'Run at least two replicas (or an HPA with minReplicas 2), add a PodDisruptionBudget, and spread the pods over zones with a topologySpreadConstraint on topology.kubernetes.io/zone.',
	controls: ['DORA-Art10(1)'],
	appliesTo: (r) => r.group === 'apps',
	check(resource, ctx): ComplianceProblem[] {
		const crit = criticalWorkload(resource, ctx);
		const pod = podSpecOf(resource);
		if (!crit || !pod || !resource.name || !hasIndex(ctx)) return [];
		const what = `${resource.kind} "${resource.name}" of ${crit.who} (criticality ${crit.criticality})`;
		const tail = 'DORA Art 10(1) asks for single points of failure of critical functions to be identified and removed.';
		const shared = !ctx.objects.complete && ctx.targets.some((t) => !t.production);
		const { min, hpa } = minReplicas(resource, ctx);
		if (min < 2 && !shared) {
			const spec = isPlainObject(resource.value.spec) ? resource.value.spec : {};
			const onReplicas = !hpa && typeof spec.replicas === 'number';
			return [
				{
					path: onReplicas ? ['spec', 'replicas'] : ['metadata', 'name'],
					target: 'value',
					message: `${what} runs ${min} replica${min === 1 ? '' : 's'} in production${hpa ? ` (HorizontalPodAutoscaler "${hpa.name}" minReplicas)` : ''}: when its pod or node fails, the function stops. ${tail} Run at least 2 replicas${hpa ? ' (minReplicas: 2)' : ''}. (DORA Art 10(1))`,
				},
			];
		}
		const out: ComplianceProblem[] = [];
		const labels = isPlainObject(pod.metadata.labels) ? pod.metadata.labels : {};
		const pdb = candidates(ctx, 'PodDisruptionBudget', resource.namespace).some((p) => p.apiVersion.startsWith('policy/') && isPlainObject(p.value.spec) && labelsMatch(p.value.spec.selector, labels));
		if (!pdb && resource.namespace) {
			out.push({
				path: ['metadata', 'name'],
				target: 'value',
				message: `${what} has no PodDisruptionBudget selecting its pods in production: a node drain or cluster upgrade may evict all of them at once. ${tail} Add a PodDisruptionBudget (e.g. maxUnavailable: 1) whose selector matches its pod labels. (DORA Art 10(1))`,
			});
		}
		if (!zoneSpread(pod.spec)) {
			out.push({
				path: pod.path,
				target: 'key',
				message: `${what} does not spread its pods over zones (no topologySpreadConstraint or podAntiAffinity on topology.kubernetes.io/zone): all replicas may land in one zone and fail with it. ${tail} Add a topologySpreadConstraint with topologyKey: topology.kubernetes.io/zone. (DORA Art 10(1))`,
			});
		}
		return out;
	},
};

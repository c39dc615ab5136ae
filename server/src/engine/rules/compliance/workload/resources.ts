import { isPlainObject } from '../../../core/resource';
import { containersOf, isPodTemplateKind, podSpecOf, POD_TEMPLATE_KINDS, type ContainerRef, type Obj } from '../../../core/pod-spec';
import type { ComplianceContext, ComplianceProblem, ComplianceRule } from '../rule';
import { andList, orList } from '../cis/rbac';

type Need = 'cpu request' | 'memory request' | 'memory limit';

const has = (m: unknown, key: string) => isPlainObject(m) && m[key] !== undefined && m[key] !== null && m[key] !== '';

/** What a LimitRange of the namespace fills in for containers that set nothing (Container-type limits). */
function limitRangeDefaults(ctx: ComplianceContext): Set<Need> {
	const out = new Set<Need>();
	// Raw files often leave the namespace to kustomize or Flux: then any LimitRange of the repo may be the one that applies.
	const ranges = ctx.namespace !== undefined ? ctx.objects.ofKind('LimitRange', ctx.namespace) : ctx.objects.complete ? [] : ctx.objects.ofKind('LimitRange');
	for (const lr of ranges) {
		const limits = isPlainObject(lr.value.spec) ? lr.value.spec.limits : undefined;
		if (!Array.isArray(limits)) continue;
		for (const l of limits) {
			if (!isPlainObject(l) || l.type !== 'Container') continue;
			// A request defaults to the default limit when the LimitRange sets no defaultRequest.
			if (has(l.defaultRequest, 'cpu') || has(l.default, 'cpu')) out.add('cpu request');
			if (has(l.defaultRequest, 'memory') || has(l.default, 'memory')) out.add('memory request');
			if (has(l.default, 'memory')) out.add('memory limit');
		}
	}
	return out;
}

/** What a container lacks; a request defaults to its limit, and pod-level resources (1.32+) cover every container. */
function missing(c: ContainerRef, podResources: Obj | undefined, defaults: Set<Need>): Need[] {
	const r = isPlainObject(c.container.resources) ? c.container.resources : {};
	const pod = podResources ?? {};
	const out: Need[] = [];
	if (!has(r.requests, 'cpu') && !has(r.limits, 'cpu') && !has(pod.requests, 'cpu') && !has(pod.limits, 'cpu') && !defaults.has('cpu request')) out.push('cpu request');
	if (!has(r.requests, 'memory') && !has(r.limits, 'memory') && !has(pod.requests, 'memory') && !has(pod.limits, 'memory') && !defaults.has('memory request')) out.push('memory request');
	if (!has(r.limits, 'memory') && !has(pod.limits, 'memory') && !defaults.has('memory limit')) out.push('memory limit');
	return out;
}

/**
 * Containers without cpu and memory requests or without a memory limit. CPU limits are not
 * required (see the rationale). Checked: regular containers and sidecars (init containers with
 * restartPolicy: Always), which run for the pod's whole life; plain init containers run one at a
 * time before them and ephemeral containers cannot set resources.
 */
export const workloadResources: ComplianceRule = {
	id: 'workload-resources',
	title: 'Container without resource requests or memory limit',
	severity: 'warning',
	kinds: POD_TEMPLATE_KINDS,
	rationale:
		'The scheduler places pods by their requests: a container without cpu and memory requests can land on a node that cannot run it, gets no guaranteed share under contention and is among the first evicted. Memory cannot be throttled, so a container without a memory limit can take the node\'s memory and get its neighbours OOM-killed. CPU limits are deliberately not required: CPU is throttled rather than exhausted, and a CPU limit throttles a container even while the node has idle CPU, which is why many platform teams set requests only. Available, predictably sized workloads and capacity planning are what DORA Art. 9(2) (and the capacity management of RTS 2024/1774 Art. 9) ask for.',
	remediation:
		'Set resources.requests.cpu, resources.requests.memory and resources.limits.memory on every container (a memory limit equal to the request gives predictable behaviour), or give the namespace a LimitRange with defaults.',
	controls: ['DORA-Art9(2)'],
	appliesTo: isPodTemplateKind,
	check(resource, ctx): ComplianceProblem[] {
		const pod = podSpecOf(resource);
		if (!pod) return [];
		const podResources = isPlainObject(pod.spec.resources) ? pod.spec.resources : undefined;
		let defaults: Set<Need> | undefined;
		const out: ComplianceProblem[] = [];
		for (const c of containersOf(pod)) {
			if (c.kind === 'ephemeralContainers' || (c.kind === 'initContainers' && c.container.restartPolicy !== 'Always')) continue;
			const lacks = missing(c, podResources, (defaults ??= limitRangeDefaults(ctx)));
			if (lacks.length === 0) continue;
			const where = isPlainObject(c.container.resources)
				? { path: [...c.path, 'resources'], target: 'key' as const }
				: typeof c.container.name === 'string'
					? { path: [...c.path, 'name'], target: 'value' as const }
					: { path: c.path, target: 'key' as const };
			const why = [
				...(lacks.includes('cpu request') || lacks.includes('memory request') ? ['the scheduler cannot place it by what it needs and it is evicted first under pressure'] : []),
				...(lacks.includes('memory limit') ? ['it can take all of the node\'s memory and get its neighbours OOM-killed'] : []),
			];
			out.push({
				...where,
				missing: lacks.map((n) => `${n.endsWith('limit') ? 'limits' : 'requests'}.${n.split(' ')[0]}`),
				message: `${c.label} sets no ${orList(lacks)}: ${why.join(', and ')}. Set ${andList(lacks.map((n) => `resources.${n.endsWith('limit') ? 'limits' : 'requests'}.${n.split(' ')[0]}`))} (a CPU limit is not needed). (DORA Art. 9(2))`,
			});
		}
		return out;
	},
};

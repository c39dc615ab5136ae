import { isPlainObject } from '../../core/resource';
import { matchResources } from './admission-match';
import { namedExpressions, validations, type CelValidator, type CelVerdict } from './cel-validations';
import type { Path, PolicyEngineName, PolicyWorld, RuleResult } from './types';

/**
 * What ValidatingAdmissionPolicy and Kyverno's ValidatingPolicy share: a spec of match constraints,
 * match conditions, variables and validations, evaluated with `CelValidator`; validationActions say
 * what a failure means (Deny: error, Warn: warning, Audit: information).
 */

type Json = Record<string, unknown>;

export interface CelPolicySpec {
	/** The rule name results carry ('' for the policy itself, `autogen-…` for generated variants). */
	rule: string;
	spec: Json;
}

export function severityOf(actions: unknown): 'error' | 'warning' | 'info' {
	const list = (Array.isArray(actions) ? actions : []).map((a) => String(a).toLowerCase());
	if (list.length === 0 || list.includes('deny')) return 'error';
	if (list.includes('warn')) return 'warning';
	return 'info';
}

/** Evaluates one spec (already matched or not) into a result, or undefined where it does not match. */
export function evaluateCelSpec(
	cel: CelValidator,
	engine: PolicyEngineName,
	policy: string,
	variant: CelPolicySpec,
	resource: Json,
	world: PolicyWorld,
	options: { actions: unknown; params?: unknown; extraMatch?: unknown },
): RuleResult | undefined {
	const base = { engine, policy, rule: variant.rule };
	const spec = variant.spec;
	for (const mc of [spec.matchConstraints, options.extraMatch]) {
		const m = matchResources(mc, resource, world);
		if (m === false) return undefined;
		if (m !== true) return { ...base, status: 'not-evaluated', message: `Not evaluated: whether the policy applies depends on ${m.unknown}.` };
	}
	const verdict: CelVerdict = cel.evaluate(
		{ matchConditions: namedExpressions(spec.matchConditions), variables: namedExpressions(spec.variables), validations: validations(spec.validations), ignoreErrors: String(spec.failurePolicy ?? 'Fail') === 'Ignore' },
		resource,
		world,
		options.params ?? null,
	);
	switch (verdict.status) {
		case 'pass':
			return { ...base, status: 'pass', message: 'Every validation holds.' };
		case 'fail': {
			const first = verdict.failures[0];
			const more = verdict.failures.length > 1 ? ` (and ${verdict.failures.length - 1} more failing validation${verdict.failures.length > 2 ? 's' : ''})` : '';
			return { ...base, rule: variant.rule || `validations[${first.index}]`, status: 'fail', message: `${first.message}${more}`, path: first.path as Path, severity: severityOf(options.actions) };
		}
		case 'skip':
			return { ...base, status: 'skip', message: verdict.reason };
		case 'error':
			return { ...base, status: 'error', message: verdict.reason };
		default:
			return { ...base, status: 'not-evaluated', message: verdict.reason };
	}
}

const isPodsOnly = (mc: unknown): boolean => {
	if (!isPlainObject(mc)) return false;
	const rules = Array.isArray(mc.resourceRules) ? mc.resourceRules : [];
	const selectorSet = (s: unknown) => isPlainObject(s) && ((isPlainObject(s.matchLabels) && Object.keys(s.matchLabels).length > 0) || (Array.isArray(s.matchExpressions) && s.matchExpressions.length > 0));
	if (selectorSet(mc.namespaceSelector) || selectorSet(mc.objectSelector) || rules.length === 0) return false;
	return rules.every((r) => isPlainObject(r) && !(Array.isArray(r.resourceNames) && r.resourceNames.length > 0) && Array.isArray(r.resources) && r.resources.length === 1 && r.resources[0] === 'pods');
};

const TARGETS: Record<string, { group: string; kind: string; cron: boolean }> = {
	daemonsets: { group: 'apps', kind: 'DaemonSet', cron: false },
	deployments: { group: 'apps', kind: 'Deployment', cron: false },
	replicasets: { group: 'apps', kind: 'ReplicaSet', cron: false },
	statefulsets: { group: 'apps', kind: 'StatefulSet', cron: false },
	jobs: { group: 'batch', kind: 'Job', cron: false },
	cronjobs: { group: 'batch', kind: 'CronJob', cron: true },
};

/** Replaces `object.spec`/`object.metadata` (not `.name`/`.namespace`) by the pod template's, as Kyverno's autogen does. */
function moveInto(text: string, to: string): string {
	return text.replace(/(^|[^\w.])(object|oldObject)\.(spec|metadata)(?![\w])(?!\.(?:name|namespace)(?![\w]))/g, (_m, pre: string, root: string, field: string) => `${pre}${root}.${to}.${field}`);
}

/**
 * The autogen variants of a Kyverno ValidatingPolicy on pods (pkg/cel/autogen): one for the pod
 * controllers (`autogen-defaults-…`, expressions on `object.spec.template`) and one for CronJobs
 * (`autogen-cronjobs-…`), each matching only its controllers.
 */
export function podControllerVariants(name: string, spec: Json): CelPolicySpec[] {
	if (!isPodsOnly(spec.matchConstraints)) return [];
	const autogen = isPlainObject(spec.autogen) && isPlainObject(spec.autogen.podControllers) ? spec.autogen.podControllers : undefined;
	const wanted = autogen && Array.isArray(autogen.controllers) ? autogen.controllers.map(String) : Object.keys(TARGETS);
	const mc = spec.matchConstraints as Json;
	const operations = isPlainObject((mc.resourceRules as unknown[])[0]) ? ((mc.resourceRules as Json[])[0].operations ?? ['CREATE', 'UPDATE']) : ['CREATE', 'UPDATE'];
	const out: CelPolicySpec[] = [];
	for (const cron of [false, true]) {
		const targets = wanted.filter((w) => TARGETS[w] && TARGETS[w].cron === cron);
		if (targets.length === 0) continue;
		const to = cron ? 'spec.jobTemplate.spec.template' : 'spec.template';
		const groups = [...new Set(targets.map((t) => TARGETS[t].group))].sort();
		const resourceRules = groups.map((g) => ({ apiGroups: [g], apiVersions: ['v1'], resources: targets.filter((t) => TARGETS[t].group === g).sort(), operations }));
		const guard = targets.map((t) => `(object.apiVersion == '${TARGETS[t].group}/v1' && object.kind =='${TARGETS[t].kind}')`).sort().join('||');
		const json = JSON.stringify({ ...spec, matchConstraints: { resourceRules }, matchConditions: namedExpressions(spec.matchConditions).map((m) => ({ name: m.name, expression: `!(${guard}) || (${m.expression})` })) });
		const moved = JSON.parse(json, (_k, v: unknown) => (typeof v === 'string' ? moveInto(v, to) : v)) as Json;
		out.push({ rule: `autogen-${cron ? 'cronjobs' : 'defaults'}-${name}`, spec: moved });
	}
	return out;
}

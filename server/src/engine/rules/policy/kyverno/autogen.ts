import { isPlainObject } from '../../../core/resource';
import { POD_CONTROLLERS } from '../resources';

/**
 * Kyverno's rules for pod controllers (pkg/autogen/v1): a rule on Pods also judges the pod template
 * of Deployments, DaemonSets, StatefulSets, ReplicaSets, ReplicationControllers and Jobs
 * (`autogen-<rule>`, the pattern under `spec.template`) and of CronJobs (`autogen-cronjob-<rule>`,
 * under `spec.jobTemplate.spec.template`); variables and CEL expressions on `request.object.spec`
 * and `.metadata` are moved into the template. The annotation
 * `pod-policies.kyverno.io/autogen-controllers` chooses the controllers (`none`: no autogen).
 */

type Json = Record<string, unknown>;

const ANNOTATION = 'pod-policies.kyverno.io/autogen-controllers';
const ALL_CONTROLLERS: readonly string[] = POD_CONTROLLERS;
const POD_KINDS = new Set<string>([...POD_CONTROLLERS, 'Pod']);

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const kindsOf = (d: unknown): string[] => (isPlainObject(d) ? arr(d.kinds).map(String) : []);
const bareKind = (k: string) => k.split('/').filter((p) => /^[A-Z*]/.test(p))[0] ?? k;
const hasKind = (kinds: string[], kind: string) => kinds.some((k) => bareKind(k) === kind || bareKind(k) === '*');

function descriptions(block: unknown): unknown[] {
	if (!isPlainObject(block)) return [];
	return [block.resources, ...arr(block.any).map((f) => (isPlainObject(f) ? f.resources : undefined)), ...arr(block.all).map((f) => (isPlainObject(f) ? f.resources : undefined))].filter(isPlainObject);
}

/** CanAutoGen: no name, selector or annotations in match/exclude, Pod not mixed with other kinds, and some pod kind. */
function canAutoGen(rules: Json[]): boolean {
	let needed = false;
	for (const r of rules) {
		if (r.generate !== undefined) return false;
		if (isPlainObject(r.mutate) && (r.mutate.patchesJson6902 || arr(r.mutate.foreach).some((f) => isPlainObject(f) && f.patchesJson6902))) return false;
		for (const d of [...descriptions(r.match), ...descriptions(r.exclude)]) {
			const desc = d as Json;
			const kinds = kindsOf(desc);
			if (desc.name || arr(desc.names).length > 0 || desc.selector || desc.annotations || (kinds.length > 1 && hasKind(kinds, 'Pod'))) return false;
			if (kinds.some((k) => POD_KINDS.has(bareKind(k)))) needed = true;
		}
	}
	return needed;
}

function allKinds(block: unknown): string[] {
	return descriptions(block).flatMap(kindsOf);
}

/** The filters of a match/exclude block with Pod kinds replaced. */
function retarget(block: Json | undefined, kinds: string[], onlyPod: boolean, legacy: boolean): Json | undefined {
	if (!block) return block;
	const out = clone(block);
	const swap = (f: unknown) => {
		if (!isPlainObject(f) || !isPlainObject(f.resources)) return;
		if (!onlyPod || hasKind(kindsOf(f.resources), 'Pod')) f.resources.kinds = [...kinds];
	};
	if (arr(out.any).length > 0) arr(out.any).forEach(swap);
	else if (arr(out.all).length > 0) arr(out.all).forEach(swap);
	else if (isPlainObject(out.resources) && (legacy || kindsOf(out.resources).length > 0)) out.resources.kinds = [...kinds];
	return out;
}

function wrap(pattern: unknown, key: string): unknown {
	return { spec: { [key]: pattern } };
}

/** generateRule: the rule re-targeted at `kinds`, its validation moved under `spec.<key>`; undefined if not generatable. */
function generateRule(name: string, rule: Json | undefined, key: string, kinds: string[], onlyPod: boolean): Json | undefined {
	if (!rule) return undefined;
	const r = clone(rule);
	r.name = name.slice(0, 63);
	r.match = retarget(r.match as Json, kinds, onlyPod, true);
	if (r.exclude) r.exclude = retarget(r.exclude as Json, kinds, onlyPod, false);
	const v = r.validate;
	if (!isPlainObject(v)) return undefined;
	const keep = (extra: Json): Json => ({ ...(v.message !== undefined ? { message: v.message } : {}), ...(v.failureAction ? { failureAction: v.failureAction } : {}), ...(v.failureActionOverrides ? { failureActionOverrides: v.failureActionOverrides } : {}), ...extra });
	if (v.pattern !== undefined) r.validate = keep({ pattern: wrap(v.pattern, key) });
	else if (v.deny !== undefined) r.validate = keep({ deny: v.deny });
	else if (v.podSecurity !== undefined) r.validate = keep({ podSecurity: v.podSecurity });
	else if (v.anyPattern !== undefined) r.validate = keep({ anyPattern: arr(v.anyPattern).map((p) => wrap(p, key)) });
	else if (v.foreach !== undefined) r.validate = keep({ foreach: v.foreach });
	else if (v.cel !== undefined) r.validate = clone(v);
	else return undefined;
	return r;
}

function forControllers(rule: Json, controllers: string[]): Json | undefined {
	const name = String(rule.name ?? '');
	if (name.startsWith('autogen-') || controllers.length === 0) return undefined;
	const matchKinds = allKinds(rule.match);
	const excludeKinds = allKinds(rule.exclude);
	if (!hasKind(matchKinds, 'Pod') || (excludeKinds.length > 0 && !hasKind(excludeKinds, 'Pod'))) return undefined;
	return generateRule(`autogen-${name}`, rule, 'template', [...controllers].sort(), true);
}

const REPLACEMENTS = {
	pod: [['request.object.spec', 'request.object.spec.template.spec'], ['request.oldObject.spec', 'request.oldObject.spec.template.spec'], ['request.object.metadata', 'request.object.spec.template.metadata'], ['request.oldObject.metadata', 'request.oldObject.spec.template.metadata']],
	podCel: [['object.spec', 'object.spec.template.spec'], ['oldObject.spec', 'oldObject.spec.template.spec'], ['object.metadata', 'object.spec.template.metadata'], ['oldObject.metadata', 'oldObject.spec.template.metadata']],
	cron: [['request.object.spec', 'request.object.spec.jobTemplate.spec.template.spec'], ['request.oldObject.spec', 'request.oldObject.spec.jobTemplate.spec.template.spec'], ['request.object.metadata', 'request.object.spec.jobTemplate.spec.template.metadata'], ['request.oldObject.metadata', 'request.oldObject.spec.jobTemplate.spec.template.metadata']],
	cronCel: [['object.spec', 'object.spec.jobTemplate.spec.template.spec'], ['oldObject.spec', 'oldObject.spec.jobTemplate.spec.template.spec'], ['object.metadata', 'object.spec.jobTemplate.spec.template.metadata'], ['oldObject.metadata', 'oldObject.spec.jobTemplate.spec.template.metadata']],
} as const;

/** convertRule: the field references of the whole rule moved into the pod template. */
function convert(rule: Json, cron: boolean): Json {
	const cel = isPlainObject(rule.validate) && rule.validate.cel !== undefined;
	const table = cron ? (cel ? REPLACEMENTS.cronCel : REPLACEMENTS.cron) : cel ? REPLACEMENTS.podCel : REPLACEMENTS.pod;
	let text = JSON.stringify(rule);
	for (const [from, to] of table) text = text.split(from).join(to);
	return JSON.parse(text) as Json;
}

/** The controllers autogen applies to, from the policy's annotation (default: all). */
function controllersOf(policy: Json): string[] {
	const meta = isPlainObject(policy.metadata) ? policy.metadata : {};
	const ann = isPlainObject(meta.annotations) ? meta.annotations[ANNOTATION] : undefined;
	if (typeof ann !== 'string' || ann === '') return [...ALL_CONTROLLERS];
	if (ann === 'none') return [];
	if (ann === 'all') return [...ALL_CONTROLLERS];
	return ann.split(',').map((s) => s.trim()).filter((s) => ALL_CONTROLLERS.includes(s));
}

/** The policy's rules followed by the rules Kyverno generates for pod controllers. */
export function rulesWithAutogen(policy: Json): Json[] {
	const spec = isPlainObject(policy.spec) ? policy.spec : {};
	const rules = arr(spec.rules).filter(isPlainObject) as Json[];
	if (!canAutoGen(rules)) return rules;
	const controllers = controllersOf(policy);
	if (controllers.length === 0) return rules;
	const generated: Json[] = [];
	const withoutCron = controllers.filter((c) => c !== 'CronJob');
	for (const rule of rules) {
		const pod = forControllers(rule, withoutCron);
		if (pod) generated.push(convert(pod, false));
		if (controllers.includes('CronJob')) {
			const base = forControllers(rule, controllers);
			const cron = generateRule(`autogen-cronjob-${String(rule.name ?? '')}`, base, 'jobTemplate', ['CronJob'], false);
			if (cron) generated.push(convert(cron, true));
		}
	}
	return [...rules.filter((r) => !String(r.name ?? '').startsWith('autogen-')), ...generated];
}

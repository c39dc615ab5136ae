import { isPlainObject } from '../../../core/resource';
import type { IndexedObject } from '../../../core/objects';
import { isGatekeeperConstraint } from '../../../context/repo-objects';
import type { Scope } from '../cross';

/**
 * Which enforcing admission policies enforce Pod Security for one namespace (CIS 5.2.1): a policy
 * counts only where it rejects pods (enforce/deny), its checks are Pod Security ones (Kyverno's
 * `podSecurity` subrule, a pattern, deny condition or CEL expression on privileged, host
 * namespaces, host paths and ports, capabilities, privilege escalation, seccomp, SELinux,
 * AppArmor, procMount or sysctls; a Gatekeeper pod-security constraint), and its match and exclude
 * select pods in that namespace (kinds, namespaces with wildcards, namespace selectors on the
 * namespace's labels). A policy requiring labels or image registries stops no privileged pod.
 */

export interface NamespaceFacts {
	name: string;
	labels: Record<string, string>;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (isPlainObject(v) ? v : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const strings = (v: unknown): string[] => list(v).filter((x): x is string => typeof x === 'string');

/** The fields a Pod Security check reads, as they appear in patterns, conditions and CEL. */
const PSS_FIELDS = /\b(privileged|hostNetwork|hostPID|hostIPC|hostPath|hostPort|hostProcess|allowPrivilegeEscalation|capabilities|runAsNonRoot|runAsUser|seccompProfile|seLinuxOptions|appArmorProfile|apparmor|procMount|sysctls)\b/;

function checksPodSecurity(v: unknown): boolean {
	return PSS_FIELDS.test(JSON.stringify(v ?? null));
}

/** `*` and `?` wildcards, as Kyverno and Gatekeeper match namespace names. */
function wildcard(pattern: string, name: string): boolean {
	const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
	return re.test(name);
}

/** A label selector (matchLabels, matchExpressions) against the namespace's labels. */
function selects(selector: unknown, labels: Record<string, string>): boolean {
	if (!isPlainObject(selector)) return true;
	for (const [k, v] of Object.entries(obj(selector.matchLabels))) if (labels[k] !== String(v)) return false;
	for (const e of list(selector.matchExpressions).map(obj)) {
		const key = typeof e.key === 'string' ? e.key : '';
		const values = strings(e.values);
		const ok =
			e.operator === 'In' ? key in labels && values.includes(labels[key])
			: e.operator === 'NotIn' ? !(key in labels) || !values.includes(labels[key])
			: e.operator === 'Exists' ? key in labels
			: e.operator === 'DoesNotExist' ? !(key in labels)
			: false;
		if (!ok) return false;
	}
	return true;
}

/** Whether a Kyverno resource filter (`resources:` of a match or exclude) selects pods of the namespace. */
function kyvernoFilterSelects(filter: unknown, ns: NamespaceFacts): boolean {
	const r = obj(obj(filter).resources);
	const kinds = strings(r.kinds);
	// Kyverno writes kinds as Pod, v1/Pod, */Pod or *; rules on pods are auto-generated for their controllers.
	if (kinds.length > 0 && !kinds.some((k) => k === '*' || /(^|\/)(Pod|\*)$/.test(k))) return false;
	const names = strings(r.namespaces);
	if (names.length > 0 && !names.some((n) => wildcard(n, ns.name))) return false;
	return selects(r.namespaceSelector, ns.labels);
}

/** A Kyverno match or exclude block: `any` (one filter), `all` (every filter) or the legacy single `resources`. */
function kyvernoBlockSelects(block: unknown, ns: NamespaceFacts, empty: boolean): boolean {
	const b = obj(block);
	if (Array.isArray(b.any)) return b.any.some((f) => kyvernoFilterSelects(f, ns));
	if (Array.isArray(b.all)) return b.all.length > 0 && b.all.every((f) => kyvernoFilterSelects(f, ns));
	if (isPlainObject(b.resources)) return kyvernoFilterSelects(b, ns);
	return empty;
}

function kyvernoRuleEnforces(rule: Obj, policy: Obj, ns: NamespaceFacts): boolean {
	const validate = obj(rule.validate);
	const enforce = (v: unknown) => typeof v === 'string' && v.toLowerCase() === 'enforce';
	// Kyverno 1.13+ moved the action into each rule (validate.failureAction); the policy-wide field is the default.
	if (!(enforce(validate.failureAction) || (!('failureAction' in validate) && enforce(obj(policy.spec).validationFailureAction)))) return false;
	const pss = isPlainObject(validate.podSecurity) ? validate.podSecurity.level !== 'privileged' : checksPodSecurity([validate.pattern, validate.anyPattern, validate.deny, validate.cel, validate.foreach]);
	if (!pss) return false;
	return kyvernoBlockSelects(rule.match, ns, false) && !kyvernoBlockSelects(rule.exclude, ns, false);
}

function enforcesKyverno(o: IndexedObject, ns: NamespaceFacts): boolean {
	if (!o.apiVersion.startsWith('kyverno.io/') || !isPlainObject(o.value.spec)) return false;
	return list(o.value.spec.rules).some((r) => isPlainObject(r) && isPlainObject(r.validate) && kyvernoRuleEnforces(r, o.value, ns));
}

/** Gatekeeper's pod-security constraint templates (gatekeeper-library pod-security-policy). */
const GATEKEEPER_PSS = /^K8sPSP|Privileged|HostNamespace|HostNetwork|HostFilesystem|Capabilities|PrivilegeEscalation|SeLinux|Seccomp|AppArmor|ProcMount|Sysctl/i;

function enforcesGatekeeper(o: IndexedObject, ns: NamespaceFacts): boolean {
	if (!isGatekeeperConstraint(o.apiVersion) || !GATEKEEPER_PSS.test(o.kind)) return false;
	const spec = obj(o.value.spec);
	if (spec.enforcementAction !== undefined && spec.enforcementAction !== 'deny') return false;
	const match = obj(spec.match);
	const kinds = list(match.kinds).map(obj);
	if (kinds.length > 0 && !kinds.some((k) => strings(k.kinds).some((x) => x === 'Pod' || x === '*') && (strings(k.apiGroups).length === 0 || strings(k.apiGroups).some((g) => g === '' || g === '*')))) return false;
	const names = strings(match.namespaces);
	if (names.length > 0 && !names.some((n) => wildcard(n, ns.name))) return false;
	if (strings(match.excludedNamespaces).some((n) => wildcard(n, ns.name))) return false;
	return selects(match.namespaceSelector, ns.labels);
}

/** Whether resource rules (of a ValidatingAdmissionPolicy or a Kyverno ValidatingPolicy) select pods. */
function rulesSelectPods(constraints: Obj): boolean {
	const rules = list(constraints.resourceRules).map(obj);
	return rules.length === 0 || rules.some((r) => strings(r.resources).some((x) => x === 'pods' || x === '*'));
}

function enforcesCel(policy: Obj, bindingMatch: Obj | undefined, ns: NamespaceFacts): boolean {
	const spec = obj(policy.spec);
	if (!checksPodSecurity([spec.validations, spec.variables])) return false;
	const constraints = obj(spec.matchConstraints);
	if (!rulesSelectPods(constraints) || !selects(constraints.namespaceSelector, ns.labels)) return false;
	return bindingMatch === undefined || selects(bindingMatch.namespaceSelector, ns.labels);
}

function enforcesValidatingPolicy(o: IndexedObject, ns: NamespaceFacts, scope: Scope): boolean {
	const spec = obj(o.value.spec);
	const actions = Array.isArray(spec.validationActions) ? spec.validationActions : undefined;
	// A Kyverno ValidatingPolicy defaults to Deny and carries its own checks.
	if (o.kind === 'ValidatingPolicy') return o.apiVersion.startsWith('policies.kyverno.io/') && (actions === undefined || actions.includes('Deny')) && enforcesCel(o.value, undefined, ns);
	// A native binding denies with the checks of the policy it names.
	if (!o.apiVersion.startsWith('admissionregistration.k8s.io/') || !actions?.includes('Deny')) return false;
	const policy = scope.objects('ValidatingAdmissionPolicy').find((p) => p.name === spec.policyName);
	return policy !== undefined && enforcesCel(policy.value, obj(spec.matchResources), ns);
}

/** The enforcing admission policies of a scope that enforce Pod Security for pods of namespace `ns`. */
export function podSecurityPolicies(scope: Scope, ns: NamespaceFacts, complete: boolean): IndexedObject[] {
	// A namespaced Kyverno Policy applies to its own namespace only.
	const kyverno = [...scope.objects('ClusterPolicy'), ...scope.objects('Policy').filter((p) => p.namespace === ns.name || (p.namespace === undefined && !complete))].filter((o) => enforcesKyverno(o, ns));
	const cel = [...scope.objects('ValidatingPolicy'), ...scope.objects('ValidatingAdmissionPolicyBinding')].filter((o) => enforcesValidatingPolicy(o, ns, scope));
	// Constraints have a kind per template: look at every indexed object of the constraints group.
	const gatekeeper = scope.all().filter((o) => enforcesGatekeeper(o, ns));
	return [...kyverno, ...cel, ...gatekeeper];
}

import type { NodePath } from '../../../core/parse';
import type { Resource } from '../../../core/resource';
import type { Severity } from '../../../core/types';
import { podSpecOf, POD_TEMPLATE_KINDS, isPodTemplateKind, type PodSpecRef } from '../../../core/pod-spec';
import type { ComplianceContext, ComplianceProblem, ComplianceRule, KubeMinor } from '../rule';

/** One violation of a PSS check, before the level's severity and the control suffix are added. */
export interface PssViolation {
	path: NodePath;
	target: 'key' | 'value';
	/** What is wrong, why and how to fix it, without the trailing `(CIS …, PSS …)`. */
	message: string;
	/** CIS Kubernetes v1.10 numbers this violation breaks (`5.2.3`); defaults to the check's `cis`. */
	cis?: string[];
}

/** The definition of one pod-security-admission check (`policy/check_<checkId>.go`). */
export interface PssCheckDef {
	/** pod-security-admission's own check ID, e.g. `allowPrivilegeEscalation`. */
	checkId: string;
	level: 'baseline' | 'restricted';
	title: string;
	rationale: string;
	remediation: string;
	/** CIS Kubernetes v1.10 numbers (`5.2.2`) every violation of this check breaks, unless the violation says otherwise. */
	cis?: string[];
	/** Further CIS numbers only some violations break (listed in the rule's controls). */
	cisSometimes?: string[];
	/** Other PSS controls a finding of this rule also evidences (a restricted check a baseline finding covers). */
	alsoControls?: string[];
	/** First Kubernetes minor version that has the check. */
	sinceMinor?: KubeMinor;
	/** From 1.25, pod-security-admission skips this check for pods with `spec.os.name: windows`. */
	windowsExemptSince25?: boolean;
	evaluate(pod: PodSpecRef, ctx: ComplianceContext): PssViolation[];
}

/**
 * Severity of a PSS finding at the level that applies (the namespace's `enforce` label, else the
 * setting `podSecurity.level`, the level the team requires):
 * - a violation of that level is an error where the label sets it (admission rejects the pod) and
 *   a warning where the setting does (nothing rejects it: a control not met);
 * - a restricted violation where the level is baseline is information: evidence toward the
 *   restricted level, which nobody requires there;
 * - at `privileged` (a label), baseline violations are information (admission allows them) and
 *   restricted ones are not reported.
 */
export function pssSeverity(check: 'baseline' | 'restricted', level: ComplianceContext['pss']['level'], source: ComplianceContext['pss']['source'] = 'namespace'): Severity | undefined {
	if (level === 'privileged') return check === 'baseline' ? 'info' : undefined;
	if (check === 'restricted' && level === 'baseline') return 'info';
	return source === 'namespace' ? 'error' : 'warning';
}

/** Builds the compliance rule `pss-<checkId>` from a PSS check definition. */
export function pssRule(def: PssCheckDef): ComplianceRule {
	const controls = [...[...(def.cis ?? []), ...(def.cisSometimes ?? [])].map((n) => `CIS-K8S-${n}`), `PSS-${def.level}-${def.checkId}`, ...(def.alsoControls ?? [])];
	// What a violation cites when it names no CIS numbers of its own: the same for every finding of the rule.
	let defaultRefs: string | undefined;
	return {
		id: `pss-${def.checkId}`,
		title: def.title,
		// The severity where a namespace's enforce label sets the level; where the setting does, every finding is a warning (see pssSeverity).
		severity: def.level === 'baseline' ? 'error' : 'warning',
		kinds: POD_TEMPLATE_KINDS,
		rationale: def.rationale,
		remediation: def.remediation,
		controls,
		appliesTo: isPodTemplateKind,
		evaluates: (resource, ctx) => evaluatedPod(def, resource, ctx) !== undefined,
		check(resource, ctx): ComplianceProblem[] {
			const pod = evaluatedPod(def, resource, ctx);
			if (!pod) return [];
			const severity = pssSeverity(def.level, ctx.pss.level, ctx.pss.source)!;
			const note =
				ctx.pss.level === 'privileged' ? ` Namespace "${ctx.namespace}" enforces the privileged level, so admission allows it.` : '';
			const violations = def.evaluate(pod, ctx);
			const out: ComplianceProblem[] = new Array(violations.length);
			for (let i = 0; i < violations.length; i++) {
				const v = violations[i];
				if (!v.cis) {
					out[i] = { path: v.path, target: v.target, message: `${v.message} (${(defaultRefs ??= referencesOf(def.cis ?? [], def.level))})${note}`, severity };
					continue;
				}
				// Only the CIS numbers this violation breaks (a rule lists every one some violation may break).
				const controls = [...v.cis.map((n) => `CIS-K8S-${n}`), `PSS-${def.level}-${def.checkId}`, ...(def.alsoControls ?? [])];
				out[i] = { path: v.path, target: v.target, message: `${v.message} (${referencesOf(v.cis, def.level)})${note}`, severity, controls };
			}
			return out;
		},
	};
}

/**
 * The pod spec a PSS check evaluates, or undefined where it decides nothing: a restricted check at
 * the privileged level, a check newer than the Kubernetes version, a Windows pod the check skips
 * from 1.25, a resource without a pod spec.
 */
function evaluatedPod(def: PssCheckDef, resource: Resource, ctx: ComplianceContext): PodSpecRef | undefined {
	if (!pssSeverity(def.level, ctx.pss.level)) return undefined;
	if (def.sinceMinor !== undefined && ctx.pss.minor < def.sinceMinor) return undefined;
	const pod = podSpecOf(resource);
	if (!pod) return undefined;
	if (def.windowsExemptSince25 && pod.windows && ctx.pss.minor >= 25) return undefined;
	return pod;
}

/** `CIS 5.2.1, 5.2.2, PSS baseline`: what a finding cites. */
function referencesOf(cis: readonly string[], level: string): string {
	return [...(cis.length ? [`CIS ${cis.join(', ')}`] : []), `PSS ${level}`].join(', ');
}

/** `"a", "b"` for messages. */
export function quoteList(items: string[]): string {
	return items.map((i) => `"${i}"`).join(', ');
}

import type { CheckContext, RepoContext, ResourceCheck } from '../engine';
import type { NodePath } from '../parse';
import type { Resource } from '../resource';
import { registerRule } from '../rules';
import type { SchemaProblem } from '../schema/types';
import type { Severity } from '../types';
import type { FleetscopeSettings } from '../../../../shared/settings';
import { complianceContext, type NamespaceDirectory } from './context';
import type { FleetApp, FleetModel, TargetCluster } from '../fleet/types';
import type { ObjectIndex } from '../objects';

/** Pod Security Standards levels, as in the `pod-security.kubernetes.io/enforce` label. */
export type PssLevel = 'privileged' | 'baseline' | 'restricted';

/** A Kubernetes minor version (`1.30` → 30). Major is always 1; `latest` is `Infinity`. */
export type KubeMinor = number;

/**
 * What a compliance rule knows besides the resource itself. Pure data and lookups: rules never
 * read files. Later slices add the fleet model (targets, environments) and a whole-repo index.
 */
export interface ComplianceContext {
	/** Repo-relative path of the file being checked. */
	path: string;
	/** Today, `YYYY-MM-DD` (UTC), from the engine's clock (DR test evidence, end-of-support dates). */
	today: string;
	/** The namespace the resource lands in (metadata.namespace), if the file says. */
	namespace: string | undefined;
	/** Pod Security Standards level and version that apply to this resource. */
	pss: {
		level: PssLevel;
		/** Where the level comes from, for messages. */
		source: 'namespace' | 'setting';
		/** The Kubernetes minor version whose PSS semantics apply. */
		minor: KubeMinor;
	};
	/** Labels of a Namespace object of the repo, or undefined where the repo has none. */
	namespaceLabels(name: string): Record<string, string> | undefined;
	settings: FleetscopeSettings;
	repo: RepoContext;
	/** The clusters the resource is deployed to (empty where the fleet model knows none). */
	targets: readonly TargetCluster[];
	/**
	 * The clusters the resource itself declares: a ClusterClaim's own cluster (the Fleet's clusters
	 * that name this claim file, else the claim's name and environment). Empty for other kinds.
	 */
	declared: readonly TargetCluster[];
	/** Whether any of the target or declared clusters runs a production environment. */
	production: boolean;
	/**
	 * Objects for cross-resource rules: what the resource's cluster receives when the check runs on
	 * a rendered target, else every object the repository's raw files declare (`complete: false`).
	 */
	objects: ObjectIndex;
	fleet: FleetModel;
	/** The Fleet apps the resource belongs to (their paths reach its file), for DORA facts. */
	apps: readonly FleetApp[];
}

/** A problem one rule found: a path in the resource plus where on that node to put it. */
export interface ComplianceProblem {
	path: NodePath;
	/** `value`: the offending value; `key`: the key of the offending or nearest existing field. */
	target: 'key' | 'value';
	/** What is wrong, why it matters and how to fix it, naming the container and the controls. */
	message: string;
	/** Overrides the rule's default severity (PSS findings depend on the namespace's level). */
	severity?: Severity;
	/** The settings a quick fix adds (finding `data.missing`), e.g. `requests.cpu`. */
	missing?: string[];
	/**
	 * The controls this problem breaks, where fewer than the rule's (`hostNetwork` breaks CIS 5.2.5,
	 * not the 5.2.3 and 5.2.4 of the same rule); absent: all of the rule's controls.
	 */
	controls?: string[];
}

/** One compliance check: metadata for SARIF, docs and hovers, plus a pure check function. */
export interface ComplianceRule {
	/** Stable rule id, e.g. `pss-privileged`. */
	id: string;
	title: string;
	severity: Severity;
	/** Kinds the rule reads (the rule may narrow further with `appliesTo`). */
	kinds: readonly string[];
	/** Why the rule exists. */
	rationale: string;
	/** How to fix a finding, in one or two sentences. */
	remediation: string;
	/** Every control the rule evidences: `CIS-K8S-5.2.2`, `PSS-baseline-privileged`, `DORA-Art9(2)`. */
	controls: string[];
	/**
	 * The rule judges production only (the DORA rules): its severities are already the production
	 * ones, so production targets do not raise them again.
	 */
	productionOnly?: boolean;
	appliesTo?(resource: Resource): boolean;
	/**
	 * Whether the rule decides anything about a resource it applies to, in this context (absent:
	 * yes): false where `check` returns nothing without looking (a restricted PSS check at the
	 * privileged level). A compliance report counts a control as passed only where it was evaluated.
	 */
	evaluates?(resource: Resource, ctx: ComplianceContext): boolean;
	check(resource: Resource, ctx: ComplianceContext): ComplianceProblem[];
}

export interface ComplianceHostOptions {
	/**
	 * Where namespace labels come from. Without it, the engine's `RepoContext` is asked when it
	 * implements `namespaceLabels` (see `NamespaceDirectory`), else no namespace is known.
	 */
	namespaces?: NamespaceDirectory;
}

/** One level up for production: hint stays hint (a hint is not a finding to act on), error stays error. */
const RAISED: Record<Severity, Severity> = { hint: 'hint', info: 'warning', warning: 'error', error: 'error' };

/** `a`, `a and b`, `a, b and c`. */
function names(list: string[]): string {
	return list.length <= 1 ? list.join('') : `${list.slice(0, -1).join(', ')} and ${list[list.length - 1]}`;
}

/**
 * Why this rule's findings are raised one level, or undefined: the resource reaches a production
 * cluster or is the ClusterClaim of one, the setting `compliance.productionEscalation` is on, and
 * the user has not set the rule's severity (an explicit `fleetscope.severity` entry is final).
 */
export function escalationReason(ruleId: string, ctx: ComplianceContext): string | undefined {
	if (ctx.settings['compliance.productionEscalation'] === false || ctx.settings.severity[ruleId] !== undefined) return undefined;
	const reached = [...new Set(ctx.targets.filter((t) => t.production).map((t) => t.name))];
	const declared = [...new Set(ctx.declared.filter((t) => t.production).map((t) => t.name))].filter((n) => !reached.includes(n));
	const parts = [
		...(reached.length > 0 ? [`it reaches the production cluster${reached.length > 1 ? 's' : ''} ${names(reached)}`] : []),
		...(declared.length > 0 ? [`it declares the production cluster${declared.length > 1 ? 's' : ''} ${names(declared)}`] : []),
	];
	return parts.length > 0 ? parts.join(' and ') : undefined;
}

const patchFiles = new WeakMap<CheckContext, boolean>();

/** Whether the analysed file is a kustomize patch, asked once per analysis (every rule asks). */
function isPatch(ctx: CheckContext): boolean {
	let v = patchFiles.get(ctx);
	if (v === undefined) patchFiles.set(ctx, (v = ctx.repo.isPatchFile(ctx.path)));
	return v;
}

/**
 * Registers the rule's metadata (SARIF `rules[]`, docs) and wraps it as an engine plugin. Each
 * problem becomes one finding on the exact node; production targets raise it one level (the
 * message says why), and the engine applies the user's severity overrides.
 */
export function toResourceCheck(rule: ComplianceRule, options: ComplianceHostOptions = {}): ResourceCheck {
	registerRule({ id: rule.id, title: rule.title, defaultSeverity: rule.severity, rationale: rule.rationale, remediation: rule.remediation, controls: [...rule.controls] });
	const kinds = new Set(rule.kinds);
	return {
		id: rule.id,
		compliance: true,
		appliesTo: (r) => kinds.has(r.kind) && (rule.appliesTo?.(r) ?? true),
		check: (r: Resource, ctx: CheckContext): SchemaProblem[] => {
			const cctx = complianceContext(r, ctx, options.namespaces);
			const problems = rule.check(r, cctx);
			if (problems.length === 0) return [];
			const reason = rule.productionOnly ? undefined : escalationReason(rule.id, cctx);
			return problems.map((p) => {
				const base = p.severity ?? rule.severity;
				const severity = reason ? RAISED[base] : base;
				const message = severity === base ? p.message : `${p.message} Raised from ${base} to ${severity} because ${reason}.`;
				const data = { path: p.path, ...(p.missing ? { missing: [...p.missing] } : {}), ...(p.controls ? { controls: p.controls } : {}) };
				return { ruleId: rule.id, path: p.path, target: p.target, message, severity, data };
			});
		},
		// A kustomize patch is a fragment of a resource: finding nothing in it is no evidence of a pass.
		evaluates: (r: Resource, ctx: CheckContext): boolean => !isPatch(ctx) && (rule.evaluates?.(r, complianceContext(r, ctx, options.namespaces)) ?? true),
	};
}

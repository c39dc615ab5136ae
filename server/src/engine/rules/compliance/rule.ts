import type { RepoContext } from '../../context/check-context';
import type { NodePath } from '../../core/parse';
import type { Resource } from '../../core/resource';
import type { PolicyRef, Severity } from '../../core/types';
import type { FleetscopeSettings } from '../../../../../shared/settings';
import type { FleetApp, FleetModel, TargetCluster } from '../../fleet/types';
import type { FleetIndex } from '../../fleet/fleet-index';
import type { ObjectIndex } from '../../core/objects';

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
	/** Lookups over `fleet`. */
	fleetIndex: FleetIndex;
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
	/** For the repository's admission policies judging a rendered object (`policy` findings): which policy and rule. */
	policy?: PolicyRef;
}

/** One compliance check: metadata for SARIF, docs and hovers, plus a pure check function. */
export interface ComplianceRule {
	/** Stable rule id, e.g. `pss-privileged`. */
	id: string;
	title: string;
	severity: Severity;
	/** Kinds the rule reads (the rule may narrow further with `appliesTo`); `*`: every kind. */
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

import type { FleetscopeSettings } from '../../../../shared/settings';
import type { ObjectIndex } from '../core/objects';
import type { Resource } from '../core/resource';
import type { SchemaProblem } from '../schema/types';
import type { FleetModel, TargetCluster } from '../fleet/types';
import type { ExemptionSet, FleetExemption } from '../fleet/exemptions';
import type { FleetIndex } from '../fleet/fleet-index';

/**
 * The contracts between the rules and the engine that runs them: what a check knows of the
 * repository (RepoContext), what it receives per file (CheckContext), what it is (ResourceCheck).
 */

/** What the engine knows about the repository around a file (built by the host from the file system). */
export interface RepoContext {
	/** Repo-relative posix paths of kustomize patch files (partial by design). */
	isPatchFile(path: string): boolean;
	/** Whether a repo-relative path (file or directory) exists. */
	exists(path: string): boolean;
	/**
	 * Changes whenever a repo fact a check may read changes (paths, patch files, namespaces), so
	 * cached results of unchanged documents are re-validated only then. Undefined: never changes.
	 */
	readonly version?: number;
	/** Objects declared anywhere in the repository (raw files), for cross-resource rules. */
	readonly objects?: ObjectIndex;
	/** The fleet model: environments, clusters, apps, and which clusters each file reaches. */
	readonly fleet?: FleetModel;
	/** Labels of a Namespace the repository declares (Pod Security levels), or undefined. */
	namespaceLabels?(name: string): Record<string, string> | undefined;
	/** The exemptions the Fleet file declares (`spec.compliance.exemptions`), expired ones included. */
	fleetExemptions?(): readonly FleetExemption[];
	/** The same exemptions, as the engine applies them. */
	readonly exemptions?: ExemptionSet;
	/** Lookups over `fleet` (apps by path, problems by document), owned by whoever holds the model. */
	readonly fleetIndex?: FleetIndex;
	/** Compliance findings of what each cluster receives, placed on the source documents (kustomize rendering). */
	readonly rendered?: RenderedView;
	/** Whether kustomize reads the file before a cluster receives it (YAML 1.2: `on` and `yes` are strings there). */
	readsThroughKustomize?(path: string): boolean;
	/** What the live state of the clusters says about a resource (absent: no live state). */
	readonly live?: LiveView;
	/** The repository's settings file (`.fleetscope.yaml`…) that applies, whose mistakes are findings on it. */
	readonly settingsFile?: string;
	/** Where the clusters differ from Git, on the lines that declare it (absent: no drift known). */
	readonly drift?: DriftView;
}

/** A drift finding on one line of a file: the line that produced the value a cluster runs otherwise. */
export interface DriftLineFinding {
	/** 0-based line. */
	line: number;
	ruleId: string;
	severity: 'info' | 'warning' | 'error' | 'hint';
	message: string;
}

/** What the engine asks of the drift between Git and the clusters, per file. */
export interface DriftView {
	findings(path: string): readonly DriftLineFinding[];
}

/**
 * The live state of the clusters a repository's files reach, as the engine asks it: the problems
 * of one resource against every cluster its file reaches whose state is known. Pure lookups in
 * memory: nothing is fetched.
 */
export interface LiveView {
	/** Everything the problems depend on (cluster states, bindings, the repository's objects): equal keys, equal problems. */
	readonly key: string;
	problems(resource: Resource, path: string, partial: boolean): SchemaProblem[];
}

export const EMPTY_REPO: RepoContext = { isPatchFile: () => false, exists: () => true };

/** A check that runs on resources of some kinds after schema validation (semantic rules). */
export interface ResourceCheck {
	readonly id: string;
	/** The only kinds `appliesTo` can accept, where the check knows them: the engine then skips it for other kinds without asking. */
	readonly kinds?: ReadonlySet<string>;
	appliesTo(resource: Resource): boolean;
	check(resource: Resource, ctx: CheckContext): SchemaProblem[];
	/**
	 * Whether the check really evaluated a resource it applies to, in this context (absent: yes).
	 * False where it looks at the kind but decides nothing: a PSS restricted check in a namespace
	 * that enforces `privileged`, a check newer than the Kubernetes version. Compliance reports
	 * count a control as passed only where a rule evidencing it evaluated the resource.
	 */
	evaluates?(resource: Resource, ctx: CheckContext): boolean;
	/**
	 * A compliance rule: where the fleet's renders cover a document (some cluster receives an object
	 * rendered from it), its compliance findings come from the renders instead (`RepoContext.rendered`).
	 */
	readonly compliance?: boolean;
}

/** The checks that evaluated one resource of a file (see `ResourceCheck.evaluates`), for compliance reports. */
export interface Evaluation {
	/** The resource's `documentIndex`, as in `FileAnalysis.resources`. */
	documentIndex: number;
	/** Ids of the checks that evaluated it, in check order. */
	checks: readonly string[];
}

export interface CheckContext {
	/** Repo-relative path of the file being checked. */
	path: string;
	/** Today, `YYYY-MM-DD` (UTC), from the engine's clock. */
	today: string;
	repo: RepoContext;
	settings: FleetscopeSettings;
	/** The clusters the file reaches (empty where the fleet model knows none). */
	targets: readonly TargetCluster[];
	/** The objects cross-resource rules see: the repository's raw files, or what one cluster receives. */
	objects: ObjectIndex;
	fleet: FleetModel;
	/** Lookups over `fleet`. */
	fleetIndex: FleetIndex;
	/** The file is a kustomize patch: a fragment of a resource (no missing-required problems, no evidence of a pass). */
	partial: boolean;
	/** Values checks derive once per resource in this context (the compliance context), owned by the context. */
	readonly perResource: WeakMap<object, unknown>;
}

/** A compliance problem placed on a source document, from the rendered targets. */
export interface RenderedProblem extends SchemaProblem {
	/** The clusters where it holds. */
	clusters: string[];
	/** The rendered object it was found on (its final namespace, for Fleet exemptions). */
	object: { kind: string; name?: string; namespace?: string };
}

/** What the engine asks of the rendered targets for one document of a file. */
export interface RenderedView {
	/** Whether some cluster receives an object rendered from this document: its compliance findings then come from the renders. */
	covers(path: string, documentIndex: number): boolean;
	problems(path: string, documentIndex: number): readonly RenderedProblem[];
	/** The compliance rules that evaluated an object rendered from this document (for the report's pass counts). */
	evaluated(path: string, documentIndex: number): readonly string[];
	/** Changes when anything of the above changes for the file (cached validations are redone then). */
	stamp(path: string): string;
}

export const NO_RENDERS: RenderedView = { covers: () => false, problems: () => [], evaluated: () => [], stamp: () => '' };


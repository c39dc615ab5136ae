import type { PromotionStyle } from '../../../../shared/protocol';
import type { Range } from '../core/types';

/**
 * The fleet model: which environments exist (in promotion order), which clusters run them, which
 * Git paths are synced to each cluster, which apps run where at which version, and which clusters
 * every file of the repository reaches. Pure data, built by `discoverFleet` from the repository's
 * documents; the CLI prints it (`fleetscope fleet`), rules read it through `TargetCluster`, the
 * live-state and drift features key their work on its clusters.
 */

/** Whether a fact was written down (Fleet file, ClusterClaim, labels) or inferred from names and layout. */
export type Provenance = 'declared' | 'inferred';

/** A place in a file of the repository (zero-based range, repo-relative posix path). */
export interface SourceLocation {
	file: string;
	/** Computed on first read where discovery made it (it needs the document's position-keeping parse). */
	readonly range: Range;
	/** Identifies the place without computing its range (`file#document/json/path`): what comparisons use. */
	readonly anchor?: string;
}

export interface FleetEnvironment {
	name: string;
	/** Position in the promotion order, 0 first (dev before staging before production). */
	order: number;
	/** The environments changes are promoted from (Fleet `promotion.from`, or the previous one when inferred). */
	promotesFrom: string[];
	/** Production environments raise compliance findings one level (see `compliance.productionEscalation`). */
	production: boolean;
	/** What a promotion into this environment needs (Fleet `environments[].promotion`), if declared. */
	promotion?: EnvironmentPromotion;
	source: Provenance;
	location?: SourceLocation;
}

/** Fleet `environments[].promotion`, besides `from`: the gates of a promotion into the environment. */
export interface EnvironmentPromotion {
	/** How long the source environment must have run a version (`24h`), as written. */
	minSoak?: string;
	/** How many approvals the pull request needs. */
	approvals?: number;
	/** Who is asked to review: user names, or `org/team` (GitHub teams). */
	reviewers?: string[];
	/** Where it is declared (the environment's `promotion` key). */
	location?: SourceLocation;
}

/** How an app is promoted: copy the versions (value), or make the target's directory equal to the source's (directory). */
export type { PromotionStyle };

/** Fleet `apps[].promotion`. */
export interface AppPromotion {
	style: PromotionStyle;
	/** Directory style: the sub-directory of each environment's path that is copied (default: the whole path). */
	directory?: string;
	/** Reviewers asked besides the environment's. */
	reviewers?: string[];
	location?: SourceLocation;
}

/** How a Git path reaches a cluster. */
export type SyncKind = 'fleet' | 'flux-kustomization' | 'flux-helmrelease' | 'argo-application' | 'argo-applicationset' | 'kustomize-overlay';

/** One Git path synced to a cluster, and the object that syncs it. */
export interface SyncSource {
	kind: SyncKind;
	/** Name of the syncing object (Flux Kustomization, Argo Application), or the cluster's name for `fleet`. */
	name: string;
	/** Repo-relative directory (or file) that is synced; '' is the repository root. */
	path: string;
	/** Where the syncing object declares the path. */
	location?: SourceLocation;
	/** Flux `targetNamespace` / Argo `destination.namespace`: objects without a namespace land there. */
	targetNamespace?: string;
	/** Flux `postBuild.substitute` variables. */
	substitute?: Record<string, string>;
	/** Names of the Flux Kustomizations this one depends on. */
	dependsOn?: readonly string[];
	/** The document of the syncing object (a Flux Kustomization), whose fields shape what is applied. */
	object?: { file: string; documentIndex: number };
	/** Argo CD builds the path with this config-management plugin ('' when Argo CD discovers which): not rendered. */
	plugin?: string;
}

export interface FleetCluster {
	name: string;
	environment?: string;
	region?: string;
	/** aws, gcp, azure, onprem. */
	provider?: string;
	/** The kubeconfig context to reach it (Fleet `kubeContext`), if declared. */
	kubeContext?: string;
	/** `major.minor` from its ClusterClaim. */
	kubernetesVersion?: string;
	/** Repo-relative path of its ClusterClaim file. */
	claim?: string;
	labels: Record<string, string>;
	/** Every Git path synced to the cluster, directly or through Flux/Argo objects. */
	syncs: SyncSource[];
	source: Provenance;
	/** Fields not written down but inferred from names and layout (`environment`, `region`, `provider`). */
	inferred: string[];
	location?: SourceLocation;
}

/** The version of one artifact of an app that one environment runs, and where Git sets it. */
export interface AppVersion {
	environment: string;
	/** The clusters of that environment that receive it (all of them unless a cluster overrides it). */
	clusters: string[];
	/** Image name (`ghcr.io/acme/orders-api`), chart name, or Git repository URL. */
	artifact: string;
	/** Tag, digest, chart version or Git revision. */
	version: string;
	kind: 'image' | 'chart' | 'git';
	location: SourceLocation;
}

export interface FleetApp {
	name: string;
	/** DORA facts: owner, criticality, rto, rpo and any `fleetscope.io/*` value, from the Fleet file or labels. */
	facts: Record<string, string>;
	/** Git paths per environment (Fleet `apps[].environments`, or inferred overlays). */
	paths: Record<string, string[]>;
	versions: AppVersion[];
	/** How the app is promoted (Fleet `apps[].promotion`); absent: value promotion. */
	promotion?: AppPromotion;
	/** Environments that run an older version than an environment earlier in the promotion order. */
	behind: { environment: string; artifact: string; version: string; newerIn: string; newer: string }[];
	source: Provenance;
	location?: SourceLocation;
}

/** A broken reference in the fleet graph (missing path, unknown sourceRef, dependsOn cycle). */
export interface FleetProblem {
	ruleId: string;
	severity: 'error' | 'warning' | 'info';
	message: string;
	location: SourceLocation;
	/** The document and the JSON path inside it, so the engine places the finding on the current text. */
	documentIndex: number;
	path: (string | number)[];
	target: 'key' | 'value';
}

export interface FleetModel {
	/** In promotion order. */
	environments: FleetEnvironment[];
	clusters: FleetCluster[];
	apps: FleetApp[];
	/** Repo-relative YAML path → names of the clusters it reaches (absent: reaches none). */
	files: Record<string, string[]>;
	problems: FleetProblem[];
	/**
	 * The repository's Fleet file, where it has one: DORA rules that need its facts stay silent
	 * without it, and its `spec.compliance.enforce` lists the environments whose compliance
	 * findings are raised one level (see `compliance.productionEscalation`).
	 */
	fleetFile?: { file: string; enforce: readonly string[] };
}

/** What a rule knows of one cluster a resource is deployed to. */
export interface TargetCluster {
	name: string;
	environment?: string;
	region?: string;
	provider?: string;
	kubernetesVersion?: string;
	/**
	 * Where `kubernetesVersion` is the version a live cluster runs: the one its ClusterClaim (or Fleet
	 * file) declares, which the static checks judged the files at. Absent: none is declared.
	 */
	declaredKubernetesVersion?: string;
	production: boolean;
}

export const EMPTY_FLEET: FleetModel = { environments: [], clusters: [], apps: [], files: {}, problems: [] };

/** Environment names that mean production when the Fleet file does not say. */
export function looksLikeProduction(environment: string | undefined): boolean {
	return environment !== undefined && /^(prod|production|prd|live)([-_].*)?$/i.test(environment);
}

/**
 * Whether an environment counts as production: as the Fleet's environments say, else (an
 * environment the fleet does not declare) by its name.
 */
export function isProductionEnvironment(fleet: FleetModel, environment: string | undefined): boolean {
	if (environment === undefined) return false;
	const declared = fleet.environments.find((e) => e.name === environment);
	return declared ? declared.production : looksLikeProduction(environment);
}

import type { ComplianceProfile, FleetscopeSettings } from '../../../../shared/settings';
import type { FleetModel } from '../fleet/types';
import type { FleetExemption } from '../fleet/exemptions';
import type { RuleMeta } from '../core/rule-meta';
import type { Finding, Severity } from '../core/types';

/**
 * The types of the compliance report: what `buildReport` (model.ts) reads, and the report it
 * returns, which IS the JSON shape of `fleetscope report --format json` (docs/cli.md): fields are
 * only ever added; `formatVersion` changes if one ever has to change.
 */

export const REPORT_FORMAT_VERSION = 1;

export type FrameworkId = ComplianceProfile;

// ---- input --------------------------------------------------------------------------------

/** What the report keeps of one analysed file (the analysis itself can be dropped). */
export interface ReportFile {
	/** Repo-relative posix path. */
	path: string;
	/** Why the file was not validated (Helm template, SOPS, binary, too large, unreadable). */
	skipped?: string;
	resources: ReportResource[];
	/** Every finding of the file (exempted ones are hints with `data.exempted`). */
	findings: readonly Finding[];
	/** Its `fleetscope-ignore` comments that name rules and give a reason; zero-based lines. */
	inline: InlineExemption[];
}

export interface ReportResource {
	apiVersion: string;
	kind: string;
	name?: string;
	namespace?: string;
	documentIndex: number;
	/** Zero-based first and last line of the document. */
	startLine: number;
	endLine: number;
	/** Ids of the checks that evaluated it. */
	checks: readonly string[];
}

export interface InlineExemption {
	line: number;
	/** Alone on its line: it covers the next line. */
	own: boolean;
	rules: string[];
	reason: string;
}

export interface ReportInput {
	files: readonly ReportFile[];
	fleet: FleetModel;
	/** The Fleet file's exemptions (`RepoIndex.fleetExemptions()`), expired ones included. */
	fleetExemptions: readonly FleetExemption[];
	settings: FleetscopeSettings;
	/** When the report is generated; its UTC day judges exemption expiry, as the engine did. */
	generatedAt: Date;
	version: string;
	/** The checked root, as the report names it. */
	root: string;
	settingsFile?: string;
	/** Files the engine failed on (`path: error`). */
	internalErrors?: readonly string[];
	/** Rule metadata (default: the engine's registry). */
	rules?: readonly RuleMeta[];
}

// ---- output (the JSON shape) --------------------------------------------------------------

export interface Counts {
	/** Resource × control pairs evaluated: passed + failed + exempted. */
	evaluated: number;
	passed: number;
	failed: number;
	exempted: number;
	/** (passed + exempted) / evaluated, rounded down to 4 decimals; null when nothing was evaluated. */
	score: number | null;
}

export interface ControlCounts extends Counts {
	/** `CIS-K8S-5.2.2`, `PSS-baseline-privileged`, `DORA-Art12(3)`. */
	control: string;
	framework: FrameworkId;
	/** The rules that evidence it (ids; see `rules`). */
	rules: string[];
}

export interface ReportCluster {
	name: string;
	region?: string;
	provider?: string;
	kubernetesVersion?: string;
	/** Resources (with at least one evaluated control) that reach the cluster. */
	resources: number;
	summary: Counts;
	controls: ControlCounts[];
}

export interface ReportSection {
	/** `env:<name>`, `not-deployed` or `repository`. */
	id: string;
	/**
	 * `environment`: resources reaching the environment's clusters, each counted once however many
	 * clusters it reaches; `not-deployed`: resources reaching no known cluster; `repository`: every
	 * resource, when the fleet model knows no cluster.
	 */
	kind: 'environment' | 'not-deployed' | 'repository';
	name: string;
	/** Position in the promotion order (environments only). */
	order?: number;
	production: boolean;
	/** False for an environment only a cluster names (not in the Fleet's environments). */
	declared: boolean;
	resources: number;
	summary: Counts;
	controls: ControlCounts[];
	clusters: ReportCluster[];
}

export interface ReportFinding {
	/** Repo-relative path; lines and columns 1-based, `endColumn` exclusive. */
	file: string;
	line: number;
	column: number;
	endLine: number;
	endColumn: number;
	ruleId: string;
	severity: Severity;
	/** The controls of enabled frameworks it breaks. */
	controls: string[];
	message: string;
	resource?: { kind: string; name?: string; namespace?: string };
	status: 'fail' | 'exempted';
	/** Id of the exemption that covers it (see `exemptions`). */
	exemption?: string;
	/** Id of an expired exemption that would have covered it: it fails again. */
	expiredExemption?: string;
	environments: string[];
	clusters: string[];
}

export interface ReportExemption {
	/** `inline:<file>:<line>` or `fleet:<file>#<n>` (n: 1-based position in the file's exemptions). */
	id: string;
	source: 'inline' | 'fleet';
	/** The file that declares it: the manifest with the comment, or the Fleet file. */
	file: string;
	/** 1-based line of an inline comment. */
	line?: number;
	rules: string[];
	/** What a Fleet exemption matches (namespace, kind, name, path glob). */
	match?: { namespace?: string; kind?: string; name?: string; path?: string };
	reason: string;
	/** `YYYY-MM-DD`, inclusive. */
	expires?: string;
	/** `expired`: past its date, it covers nothing; `unused`: covers no finding. */
	status: 'active' | 'expired' | 'unused';
	/** Findings it covers (active) or would cover (expired). */
	findings: number;
}

export interface ReportFramework {
	id: FrameworkId;
	name: string;
	/** On in `compliance.profiles`. */
	enabled: boolean;
	/** Rules Fleetscope has that evidence it. */
	rules: number;
	/** Distinct controls evaluated in this repository. */
	controls: number;
}

export interface ComplianceReport {
	formatVersion: typeof REPORT_FORMAT_VERSION;
	report: 'compliance';
	tool: { name: 'fleetscope'; version: string };
	/** ISO 8601, UTC. */
	generatedAt: string;
	root: string;
	settingsFile?: string;
	settings: {
		kubernetesVersion: string;
		podSecurityLevel: string;
		profiles: ComplianceProfile[];
		/** The version each cluster of the fleet was judged at: its ClusterClaim's, else the setting. */
		clusterVersions: { cluster: string; version: string; source: 'claim' | 'setting' }[];
	};
	frameworks: ReportFramework[];
	scoring: string;
	fleet: { environments: number; clusters: number };
	/** The whole repository, each resource once. */
	summary: Counts & { resources: number };
	sections: ReportSection[];
	findings: ReportFinding[];
	exemptions: ReportExemption[];
	/** Title and controls of every rule the report names. */
	rules: Record<string, { title: string; controls: string[] }>;
	coverage: {
		files: number;
		/** Files not validated, so not evidence either way. */
		skipped: { file: string; reason: string }[];
		/** Resources in the checked files, and those with at least one evaluated control. */
		resources: number;
		resourcesEvaluated: number;
		/** Findings that evidence no enabled framework (schema, syntax): `fleetscope check` reports them. */
		otherFindings: number;
		internalErrors: string[];
	};
}

/**
 * Fleetscope's custom LSP messages, defined once for the server and the client. This file stays
 * free of LSP packages (the engine's architecture test covers `shared/`), so each message is a
 * typed descriptor; `server/src/lsp/protocol.ts` and `client/src/protocol.ts` turn it into a
 * `RequestType` with the same parameter and result types.
 */

/** A request's method name with its parameter and result types attached (phantom fields, never set). */
export interface RequestDescriptor<P, R> {
	readonly method: string;
	readonly _types?: [P, R];
}

/** What the server is doing: workspace scan progress and, for one document, how its last validation went. */
export namespace StatusRequest {
	export const method = 'fleetscope/status' as const;
	export const type: RequestDescriptor<StatusParams, StatusResult> = { method };
}

export interface StatusParams {
	/** A document URI to report on, if any. */
	uri?: string;
}

export interface StatusResult {
	/** Workspace folders the server validates. */
	folders: string[];
	/** The background scan of workspace files: files validated so far, files to validate, and whether it is still running. */
	scan: { running: boolean; validated: number; total: number };
	/** Open documents the server tracks. */
	openDocuments: number;
	/** The last validation of `params.uri`, if it is open. */
	document?: DocumentStatus;
}

export interface DocumentStatus {
	/** The document version the diagnostics belong to. */
	version: number;
	/** YAML documents in the file. */
	documents: number;
	/**
	 * Documents parsed and validated anew for this version; the others were reused unchanged
	 * from the previous version (an edit in one document of a multi-document file re-validates only it).
	 */
	reparsedDocuments: number;
	/** Analyses of this document since it was opened: one per edit, and one more only when its repository or settings changed. */
	analyses: number;
	findings: number;
	/** Why the file was not validated (Helm template, binary, too large), if so. */
	skipped?: string;
}

/**
 * The compliance evidence report of one workspace folder (command "Fleetscope: Compliance Report"):
 * the folder validated from disk, open documents with their current text, rendered as one
 * self-contained HTML document (no script, nothing external).
 */
export namespace ComplianceReportRequest {
	export const method = 'fleetscope/complianceReport' as const;
	export const type: RequestDescriptor<ComplianceReportParams, ComplianceReportResult> = { method };
}

export interface ComplianceReportParams {
	/** URI of a workspace folder the server validates (one of `StatusResult.folders`). */
	folderUri: string;
}

export interface ComplianceReportResult {
	/** The report: a complete HTML document. */
	html: string;
	/** One line: the score per section, failing and exempted findings, expired exemptions. */
	summary: string;
	/** Files the report covers. */
	files: number;
}

/** A notification's method name with its parameter type attached (a phantom field, never set). */
export interface NotificationDescriptor<P> {
	readonly method: string;
	readonly _types?: [P];
}

/** The `initializationOptions` of the `initialize` request, sent by the client. */
export interface InitializationOptions {
	/**
	 * Whether the workspace is trusted (VS Code workspace trust). Unless it is `true`, the server
	 * contacts no cluster and runs no kubeconfig credential plugin. Other editors pass `true` to
	 * have live cluster state.
	 */
	workspaceTrusted?: boolean;
}

/** Client to server: the user trusted the workspace (it can only become trusted during a session). */
export namespace WorkspaceTrustedNotification {
	export const method = 'fleetscope/workspaceTrusted' as const;
	export const type: NotificationDescriptor<Record<string, never>> = { method };
}

/**
 * The live clusters of the workspace folders: one entry per cluster of each folder's fleet, with
 * the kubeconfig context it is reached through and ONE status (for `Fleetscope: Show Status` and the
 * cluster tree).
 */
export namespace ClustersRequest {
	export const method = 'fleetscope/clusters' as const;
	export const type: RequestDescriptor<ClustersParams, ClustersResult> = { method };
}

/** Server to client: a cluster's status or state changed (ask `fleetscope/clusters` again). */
export namespace ClustersChangedNotification {
	export const method = 'fleetscope/clustersChanged' as const;
	export const type: NotificationDescriptor<Record<string, never>> = { method };
}

export interface ClustersParams {
	/** Only the clusters of this workspace folder. */
	folderUri?: string;
}

export interface ClustersResult {
	/** `on`: clusters are contacted; `untrusted`: the workspace is not trusted; `disabled`: `fleetscope.live.enabled` is off everywhere. */
	live: 'on' | 'untrusted' | 'disabled';
	clusters: ClusterInfo[];
}

/**
 * What a cluster's connection is doing now (`server/src/host/live/status.ts` reports it): one
 * status per cluster, in words a user can act on.
 */
export type ClusterConnectionStatus =
	/** Fetching for the first time. */
	| 'connecting'
	/** Fetched and watched. */
	| 'connected'
	/** Connected, but some kinds (or namespaces) may not be listed: checks that need them are skipped. */
	| 'forbidden-partial'
	/** Not connected now (see `reason`); the last state seen, from memory or the disk cache, is used. */
	| 'cached'
	/** From a snapshot directory: never connects. */
	| 'snapshot'
	/** Not connected and no state at all, for the reason the kind says. */
	| 'unreachable'
	| 'timeout'
	| 'tls-error'
	| 'unauthorized'
	| 'forbidden'
	/** The credential plugin (exec, auth provider) failed. */
	| 'auth-error'
	/** An exec plugin or auth provider in an untrusted workspace: not run, not retried. */
	| 'refused'
	/** The context is not in the kubeconfig, or the kubeconfig cannot be read: not retried. */
	| 'config-error'
	| 'stopped';

/**
 * One status per cluster in the editor: the connection statuses, and those the server adds:
 * `no-context` (no kubeconfig context for the cluster: not contacted), `disabled`
 * (`fleetscope.live.enabled` is off) and `untrusted`.
 */
export type ClusterStatusName = ClusterConnectionStatus | 'no-context' | 'disabled' | 'untrusted';

export interface ClusterInfo {
	/** URI of the workspace folder whose fleet has the cluster. */
	folderUri: string;
	/** The cluster's name in the fleet (and in diagnostics). */
	cluster: string;
	environment?: string;
	production: boolean;
	/** The kubeconfig context, if one is known. */
	context?: string;
	/** Where the context comes from: `fleetscope.clusters`, the Fleet file's `kubeContext`, or a context named like the cluster. */
	contextSource?: 'setting' | 'fleet' | 'name';
	status: ClusterStatusName;
	/** One sentence a user can act on (never a credential). */
	message: string;
	/** ISO time this status began. */
	since?: string;
	/** ISO time of the last successful fetch or watch event. */
	lastSuccess?: string;
	/** The cluster's Kubernetes version (`v1.27.16-eks-2f008fe`), from the state in use. */
	kubernetesVersion?: string;
	/** Where the state in use comes from: watched now, or the disk cache of an earlier session. */
	stateOrigin?: 'live' | 'cache' | 'snapshot';
	/** When that state was last known to be current. */
	fetchedAt?: string;
	/** `group|kind` of kinds not (completely) listed because it is forbidden. */
	forbidden?: string[];
	/** How the context authenticates (`token`, `exec`, …), never the credential. */
	auth?: string;
	/** Repository files that reach the cluster (its claim included). */
	files: number;
}

/**
 * The Kyverno CLI tests (`kyverno-test.yaml`) of the workspace folders, run by the server's policy
 * engine (the Testing view: a test item per file, a child per expected result).
 */
export namespace PolicyTestsRequest {
	export const method = 'fleetscope/policyTests' as const;
	export const type: RequestDescriptor<PolicyTestsParams, PolicyTestsResult> = { method };
}

export interface PolicyTestsParams {
	/** Run only this test file (a file URI); absent: every kyverno-test.yaml of every workspace folder. */
	uri?: string;
}

export interface PolicyTestsResult {
	tests: PolicyTestFileResult[];
}

export interface PolicyTestFileResult {
	/** The test file's URI. */
	uri: string;
	/** Its path relative to its workspace folder. */
	label: string;
	/** What is wrong with the test itself (a file it names cannot be read), if anything. */
	error?: string;
	results: PolicyTestRowResult[];
}

export interface PolicyTestRowResult {
	policy: string;
	rule: string;
	kind: string;
	namespace: string;
	resource: string;
	/** What the test expects: pass, fail, skip, error or warn. */
	expected: string;
	/** What Fleetscope computed: pass, fail, skip, error, or not-evaluated (mutate, generate and image rules). */
	actual: string;
	/** The policy's message for a failure, or why the result is what it is. */
	reason: string;
	/** Whether actual agrees with expected; absent where the row is not evaluated. */
	agrees?: boolean;
	/** Zero-based line of the row's resource in the test file, where found. */
	line?: number;
}

/**
 * Drift: where each cluster differs from Git (docs/drift.md). The same shapes are the CLI's
 * `fleetscope drift --format json` (pinned by tests) and what the editor's Drift view, drift
 * diagnostics and CodeLens read; `computeDrift` in `server/src/engine/drift` produces them.
 */
export type DriftState = 'in-sync' | 'drifted' | 'missing' | 'extraneous' | 'unmanaged' | 'unknown' | 'skipped';

/** `drifted` when any object is drifted, missing or extraneous; else `unknown` when something could not be read; else `in-sync`. */
export type DriftClusterState = 'in-sync' | 'drifted' | 'unknown';

/** A line of the repository (repo-relative posix path, 1-based line). */
export interface DriftSource {
	file: string;
	line: number;
}

/** One field that differs: Git's value and the live one (null when absent), who set the live one and when. */
export interface DriftField {
	/** `spec.template.spec.containers[name=web].image`: dots, list items by merge key. */
	path: string;
	desired: unknown;
	live: unknown;
	/** The managedFields manager that last set the live value (`kubectl-edit`), if known. */
	manager: string | null;
	/** When it did (ISO time from managedFields), if known. */
	time: string | null;
	/** The line that produced Git's value (the patch, the `images` entry, the base). */
	source: DriftSource | null;
}

export interface DriftObject {
	apiVersion: string;
	kind: string;
	namespace: string | null;
	name: string;
	state: DriftState;
	/** The object's first line in Git (null for objects only the cluster has). */
	source: DriftSource | null;
	/** The differing fields (`drifted` only; empty otherwise). */
	fields: DriftField[];
	/** Why, in a sentence, for every state but `in-sync` and plain `drifted` (and for Secrets: their data is never read). */
	reason: string | null;
}

export interface DriftCluster {
	name: string;
	/** The kubeconfig context or snapshot directory its live state came from, if any. */
	context: string | null;
	state: DriftClusterState;
	objects: DriftObject[];
}

export interface DriftReport {
	clusters: DriftCluster[];
}

/** The drift of a workspace folder's connected clusters (the Drift view); refreshed on `fleetscope/driftChanged`. */
export namespace DriftRequest {
	export const method = 'fleetscope/drift' as const;
	export const type: RequestDescriptor<DriftParams, DriftResult> = { method };
}

export interface DriftParams {
	/** A workspace folder URI; absent: every folder. */
	folderUri?: string;
}

export interface DriftResult {
	folders: { folderUri: string; report: DriftReport }[];
}

/** The two documents Show Diff opens for one object of one cluster: Git's and the live one, normalised, Secret values masked. */
export namespace DriftDiffRequest {
	export const method = 'fleetscope/driftDiff' as const;
	export const type: RequestDescriptor<DriftDiffParams, DriftDiffResult | null> = { method };
}

export interface DriftDiffParams {
	folderUri: string;
	cluster: string;
	object: Pick<DriftObject, 'apiVersion' | 'kind' | 'namespace' | 'name'>;
}

export interface DriftDiffResult {
	/** YAML of what Git sends the cluster (as the API server would store it). */
	desired: string;
	/** YAML of what the cluster runs, cut to the fields Git declares; empty when the cluster does not have it. */
	live: string;
}

/** A folder's drift report changed (the Drift view, CodeLenses and the Clusters view refresh). */
export namespace DriftChangedNotification {
	export const method = 'fleetscope/driftChanged' as const;
	export const type: NotificationDescriptor<{ folderUri: string }> = { method };
}

/*
 * The fleet explorer (the Fleetscope sidebar, its status bar item, Render Cluster, Compare
 * Environments, Reveal File in Fleet, and the CLI's `clusters` and `promotion`): every view is fed
 * by one request below, answered from the workspace layer (`server/src/workspace/views/`), and asks
 * again when the server pushes a change notification (never polling): `FleetChangedNotification`
 * after a rediscovery, `FindingsChangedNotification` after a round of background validation,
 * `ClustersChangedNotification` when a cluster's status or state changes.
 */

/** The folder a notification is about. */
export interface FolderChangeParams {
	/** URI of the workspace folder. */
	folderUri: string;
}

/** Server to client: a folder's fleet model was discovered anew and changed. Once per rediscovery, never per keystroke. */
export namespace FleetChangedNotification {
	export const method = 'fleetscope/fleetChanged' as const;
	export const type: NotificationDescriptor<FolderChangeParams> = { method };
}

/**
 * Server to client: a folder's findings changed after a round of background validation (the
 * workspace scan, files validated again after a change on disk, a rediscovery or a cluster's new
 * state). Never per keystroke: an open document's own findings are in its diagnostics.
 */
export namespace FindingsChangedNotification {
	export const method = 'fleetscope/findingsChanged' as const;
	export const type: NotificationDescriptor<FolderChangeParams> = { method };
}

/** Parameters of the explorer's view requests. */
export interface ExplorerParams {
	/** Only this workspace folder (default: every folder the server validates). */
	folderUri?: string;
}

/** Findings by severity (exempted findings, which are hints, are not counted). */
export interface FindingCounts {
	error: number;
	warning: number;
	info: number;
}

/** A line of a repository file. */
export interface FileLine {
	/** Repo-relative posix path. */
	file: string;
	/** 1-based. */
	line: number;
}

/** The Clusters view and the status bar: environments in promotion order, then their clusters. */
export namespace FleetClustersRequest {
	export const method = 'fleetscope/explorer/clusters' as const;
	export const type: RequestDescriptor<ExplorerParams, FleetClustersResult> = { method };
}

export interface FleetClustersResult {
	/** As `ClustersResult.live`: whether clusters are contacted at all. */
	live: ClustersResult['live'];
	folders: FleetClustersFolder[];
}

export interface FleetClustersFolder {
	folderUri: string;
	name: string;
	/** The Fleet file, when the fleet is declared (not only inferred from the layout). */
	fleetFile?: string;
	/** The commit the repository's HEAD points at, which sync revisions are compared with. */
	head?: { commit: string; ref?: string };
	/** Why the HEAD commit is unknown (not a git repository), when it is. */
	headNote?: string;
	/** The workspace scan: finding counts are complete once it is no longer running. */
	scan: { running: boolean; validated: number; total: number };
	environments: FleetEnvironmentRow[];
	summary: { clusters: number; connected: number; findings: FindingCounts };
}

export interface FleetEnvironmentRow {
	/** The environment's name; '' for clusters that name none. */
	name: string;
	/** Position in the promotion order, 0 first. */
	order: number;
	production: boolean;
	/** False for an environment only a cluster names (not in the Fleet's environments). */
	declared: boolean;
	promotesFrom: string[];
	clusters: FleetClusterRow[];
}

/** What the row of one cluster says: its facts, its connection, what its GitOps controllers report, its findings. */
export interface FleetClusterRow {
	name: string;
	environment?: string;
	region?: string;
	provider?: string;
	/** `major.minor` as the cluster's ClusterClaim writes it. */
	claimVersion?: string;
	/** The ClusterClaim file and the line of its version (or of its kind). */
	claim?: FileLine;
	/** The server's gitVersion (`v1.27.16-eks-2f008fe`), from the state in use. */
	liveVersion?: string;
	/** The live minor version is not the claim's. */
	versionDiffers: boolean;
	status: ClusterStatusName;
	/** One sentence a user can act on (never a credential). */
	message: string;
	context?: string;
	contextSource?: ClusterInfo['contextSource'];
	/** `live`, `cached, 2 h old`, `snapshot, 3 days old`; absent without a state. */
	stateAge?: string;
	/** When the state in use was last known to be current. */
	fetchedAt?: string;
	/** How many Flux and Argo CD objects the cluster reports, and how many are failed, progressing, or Ready on another commit than HEAD. */
	syncCounts: { total: number; failed: number; progressing: number; behind: number };
	/** The objects that failed (at most 10; all of them: `FleetClusterRequest`). */
	failing: SyncStatusRow[];
	/**
	 * The row's sync state in one word: `failed` (an object is not Ready, or out of sync or degraded),
	 * `progressing`, `behind` (all Ready, but some applied revision is not the repository's HEAD),
	 * `ready`, `unknown` (no state), `none` (the state has no GitOps object).
	 */
	syncState: 'failed' | 'progressing' | 'behind' | 'ready' | 'unknown' | 'none';
	/** Where the Flux Operator runs: its FluxReport. */
	fluxReport?: FluxReportRow;
	/** Findings of the files that reach the cluster. */
	findings: FindingCounts;
	/** Repository files that reach it (its claim included). */
	files: number;
}

/**
 * One cluster in full (the Clusters view asks when a cluster is expanded): what each of its Flux and
 * Argo CD objects reports, and the repository's sources of the cluster.
 */
export namespace FleetClusterRequest {
	export const method = 'fleetscope/explorer/cluster' as const;
	export const type: RequestDescriptor<{ folderUri: string; cluster: string }, FleetClusterDetail> = { method };
}

export interface FleetClusterDetail {
	/** What the cluster's Flux and Argo CD objects report (status fields, read live). */
	sync: SyncStatusRow[];
	/** The repository's GitOps sources of the cluster: each Flux Kustomization, HelmRelease or Argo CD Application and the path it syncs. */
	sources: FleetSourceRow[];
}

/** One Flux Kustomization or HelmRelease, or Argo CD Application, as the cluster reports it. */
export interface SyncStatusRow {
	kind: 'Kustomization' | 'HelmRelease' | 'Application';
	namespace?: string;
	name: string;
	/** Flux: the Ready condition; Argo CD: synced and healthy; null: not reported yet. */
	ready: boolean | null;
	/** The Ready condition's reason (`ReconciliationFailed`), or Argo CD's health status. */
	reason?: string;
	message?: string;
	/** Flux `lastAppliedRevision` (`main@sha1:…`), a HelmRelease's chart version, Argo CD `sync.revision`. */
	revision?: string;
	/** The repository's HEAD commit, where the revision names a commit. */
	headRevision?: string;
	/** Whether the revision's commit is HEAD; null when it names no commit or HEAD is unknown. */
	atHead: boolean | null;
	/** Flux `spec.path` / Argo CD `spec.source.path`. */
	path?: string;
	suspended?: boolean;
	/** Argo CD: `Synced`, `OutOfSync`, `Unknown`. */
	syncStatus?: string;
	/** Argo CD: `Healthy`, `Progressing`, `Degraded`, … */
	health?: string;
	/** When the Ready condition last changed. */
	since?: string;
}

/** The Flux Operator's `FluxReport`: the Flux distribution, its components and the cluster sync. */
export interface FluxReportRow {
	version?: string;
	/** The distribution's status (`Installed`, `Upgraded`, …). */
	distribution?: string;
	components: { name: string; ready: boolean; status: string; image?: string }[];
	sync?: { id: string; path?: string; ready: boolean; status: string; source?: string };
	/** The report's Ready condition. */
	ready: boolean | null;
	message?: string;
}

/** A GitOps source of a cluster in the repository. */
export interface FleetSourceRow {
	/** `flux-kustomization`, `flux-helmrelease`, `argo-application`, `argo-applicationset`, `kustomize-overlay`, `fleet`. */
	kind: string;
	name: string;
	/** Repo-relative path it syncs ('' for the root). */
	path: string;
	/** Where the syncing object declares it. */
	declaredAt?: FileLine;
	/** Index in the row's `sync` of what the cluster reports of it. */
	live?: number;
}

/** The Promotion view: apps, then one row per environment in promotion order. */
export namespace FleetPromotionRequest {
	export const method = 'fleetscope/explorer/promotion' as const;
	export const type: RequestDescriptor<ExplorerParams, FleetPromotionResult> = { method };
}

export interface FleetPromotionResult {
	folders: { folderUri: string; name: string; environments: string[]; apps: PromotionAppRow[] }[];
}

export interface PromotionAppRow {
	name: string;
	/** Inferred from the layout (not in the Fleet file's apps). */
	inferred: boolean;
	style: PromotionStyle;
	/** In promotion order; only environments the app runs in. */
	environments: PromotionEnvironmentRow[];
}

export interface PromotionEnvironmentRow {
	name: string;
	production: boolean;
	/** Its clusters that receive the app. */
	clusters: string[];
	/** What Git sets, with the line that sets it. */
	versions: PromotionVersionRow[];
	/** The environment it is promoted from runs newer versions: which. */
	behind: { of: string; versions: PromotionVersionRow[] } | null;
	/** What the Fleet file requires to promote into it (order, minimum soak, approvals); empty for the first environment. */
	gates: { name: Extract<PromotionGateName, 'order' | 'soak' | 'approvals'>; detail: string }[];
	/** The environment a promotion into this one comes from, if any. */
	promotesFrom?: string;
	/** Open promotion pull requests into this environment (filled where the server knows them). */
	pullRequests?: PromotionPullRequestStatus[];
}

export interface PromotionVersionRow {
	artifact: string;
	kind: 'image' | 'chart' | 'git';
	version: string;
	/** Repo-relative file and 1-based line that set it. */
	file: string;
	line: number;
}

/** The Compliance view: frameworks, their controls with counts per environment; the numbers of the compliance report. */
export namespace FleetComplianceRequest {
	export const method = 'fleetscope/explorer/compliance' as const;
	export const type: RequestDescriptor<ExplorerParams, FleetComplianceResult> = { method };
}

export interface FleetComplianceResult {
	folders: ComplianceFolderRow[];
}

export interface ComplianceCounts {
	evaluated: number;
	passed: number;
	failed: number;
	exempted: number;
}

export interface ComplianceFolderRow {
	folderUri: string;
	name: string;
	/** False while the workspace scan runs (or background validation is off): the counts cover the files validated so far. */
	complete: boolean;
	files: number;
	/** The report's sections: environments in promotion order, then resources that reach no cluster. */
	sections: { id: string; name: string; production: boolean; summary: ComplianceCounts }[];
	frameworks: ComplianceFrameworkRow[];
}

export interface ComplianceFrameworkRow {
	id: string;
	name: string;
	controls: ComplianceControlRow[];
}

export interface ComplianceControlRow {
	/** `CIS-K8S-5.2.2`, `DORA-Art12(3)`. */
	control: string;
	/** The rules that evidence it, with their titles. */
	rules: { id: string; title: string }[];
	/** Counts per section (`sections[].id`), as the report's tables. */
	sections: ({ id: string } & ComplianceCounts)[];
	/** Findings of the control (failing and exempted), over the whole repository. */
	findings: number;
}

/** The findings of one control (a Compliance view node's children, loaded when it is expanded). */
export namespace ComplianceFindingsRequest {
	export const method = 'fleetscope/explorer/complianceFindings' as const;
	export const type: RequestDescriptor<{ folderUri: string; control: string }, { findings: ComplianceFindingRow[] }> = { method };
}

export interface ComplianceFindingRow {
	file: string;
	/** 1-based; `endColumn` exclusive. */
	line: number;
	column: number;
	endLine: number;
	endColumn: number;
	ruleId: string;
	severity: 'error' | 'warning' | 'info' | 'hint';
	message: string;
	status: 'fail' | 'exempted';
	resource?: { kind: string; name?: string; namespace?: string };
	environments: string[];
}

/** Render Cluster: what one cluster receives, as a YAML stream, each object headed by its origin. */
export namespace RenderClusterRequest {
	export const method = 'fleetscope/explorer/render' as const;
	export const type: RequestDescriptor<{ folderUri: string; cluster: string }, RenderClusterResult> = { method };
}

export interface RenderClusterResult {
	text: string;
	objects: number;
	/** What could not be rendered (`file: severity: message`). */
	notes: string[];
}

/**
 * Compare with previous environment: an app's render for one cluster of an environment, as it is
 * and as the promotion from the environment before it would make it.
 */
export namespace CompareEnvironmentsRequest {
	export const method = 'fleetscope/explorer/compare' as const;
	export const type: RequestDescriptor<CompareEnvironmentsParams, CompareEnvironmentsResult> = { method };
}

export interface CompareEnvironmentsParams {
	folderUri: string;
	app: string;
	/** The target environment. */
	environment: string;
	/** One of its clusters (default: the first that receives the app). */
	cluster?: string;
}

export interface CompareEnvironmentsResult {
	app: string;
	from: string;
	to: string;
	cluster: string;
	/** The app's objects the cluster receives now, and after the promotion. */
	before: string;
	after: string;
	/** Files the promotion changes. */
	changes: string[];
	/** Why there is nothing to compare, or what could not be promoted. */
	notes: string[];
}

/** Reveal File in Fleet (and the CodeLens on a file's first line): the clusters and environments a file reaches. */
export namespace FileReachRequest {
	export const method = 'fleetscope/explorer/reach' as const;
	export const type: RequestDescriptor<{ uri: string }, FileReachResult> = { method };
}

export interface FileReachResult {
	folderUri?: string;
	/** Repo-relative path, when the file is in a workspace folder. */
	file?: string;
	clusters: { name: string; environment?: string }[];
	environments: string[];
}

/** Connect / Disconnect Cluster: start or stop watching one cluster for this session. */
export namespace ConnectClusterRequest {
	export const method = 'fleetscope/explorer/connect' as const;
	export const type: RequestDescriptor<{ folderUri: string; cluster: string; connected: boolean }, { status: ClusterStatusName; message: string }> = { method };
}

/** Create Fleet file: a Fleet file written from what was inferred, for the user to review and save. */
export namespace FleetFileDraftRequest {
	export const method = 'fleetscope/explorer/fleetFileDraft' as const;
	export const type: RequestDescriptor<{ folderUri: string }, { text: string; file: string; existing?: string }> = { method };
}

/*
 * Promotion (`fleetscope promote`, and the editor's `Fleetscope: Promote...`): the plan that moves
 * an app's versions (or directory) from one environment to the next, its gates, and the pull
 * request that carries it. Types only; `server/src/engine/promotion/` computes them,
 * `server/src/workspace/promotion/` runs git and the hosting APIs. The CLI's JSON is a projection
 * of `PromotionPlan` (`promotionJson` in `server/src/cli/promote-format.ts`).
 */

/** How an app is promoted: copy the versions (the default), or make the target's directory equal to the source's. */
export type PromotionStyle = 'value' | 'directory';

/** The gates, in the order they are reported. */
export type PromotionGateName = 'order' | 'soak' | 'approvals' | 'compliance' | 'live';

/**
 * One change as a person reads it. Value style: the scalar that sets a version (`before` the
 * target's value, `after` the source's). Directory style: one changed region of a file, its lines
 * joined with `\n` (`before` empty for added lines, `after` empty for removed ones).
 */
export interface PromotionEdit {
	/** Repo-relative posix path. */
	file: string;
	/** 1-based line in the file as it is now (for an added file: 1). */
	line: number;
	before: string;
	after: string;
}

/** A whole file as the promotion commit writes it: what git receives. */
export interface PromotionFileChange {
	file: string;
	action: 'modify' | 'add' | 'delete';
	/** The text the plan was computed from (absent for `add`); the commit is refused when the base branch differs. */
	before?: string;
	/** The new text (absent for `delete`). */
	after?: string;
}

/** One artifact the promotion moves: from what the target runs to what the source runs. */
export interface PromotionArtifact {
	artifact: string;
	kind: 'image' | 'chart' | 'git';
	/** What the target environment runs now. */
	from: string;
	/** What the source environment runs (and the target will). */
	to: string;
	/** The line that sets it in the target (1-based), and the source's. */
	file: string;
	line: number;
	sourceFile: string;
	sourceLine: number;
	/** The target environment's clusters that receive it. */
	clusters: string[];
}

/** A gate's outcome. `not-checked` passes (e.g. live, without cluster state); `overridden` failed and was overridden with a reason. */
export type PromotionGateStatus = 'passed' | 'failed' | 'overridden' | 'not-checked';

export interface PromotionGate {
	name: PromotionGateName;
	/** Whether the gate lets the promotion through on its own (an overridden gate did not pass). */
	passed: boolean;
	/** One sentence: what was checked and what was found (a failure says what to do). */
	detail: string;
	status: PromotionGateStatus;
	/** The reason given with `--override-gate` (or in the editor's modal). */
	override?: { reason: string };
}

/** A new error-level finding the promotion would introduce for the target environment's clusters. */
export interface PromotionFinding {
	file: string;
	/** 1-based. */
	line: number;
	ruleId: string;
	message: string;
}

/** The plan: everything the diff preview, the confirmation and the pull request need. */
export interface PromotionPlan {
	app: string;
	/** Source environment. */
	from: string;
	/** Target environment. */
	to: string;
	style: PromotionStyle;
	artifacts: PromotionArtifact[];
	edits: PromotionEdit[];
	changes: PromotionFileChange[];
	/** The target environment's clusters the change reaches. */
	clusters: string[];
	gates: PromotionGate[];
	/** Whether a gate failed without an override: nothing may be pushed. */
	blocked: boolean;
	/** Nothing to change: the target already runs what the source runs. */
	upToDate: boolean;
	compliance: { newFindings: PromotionFinding[] };
	/** `fleetscope/promote/<app>/<environment>`. */
	branch: string;
	title: string;
	/** Markdown, ending in the hidden machine-readable block (`<!-- fleetscope-promotion: {...} -->`). */
	body: string;
	/** The commit message (title, blank line, a short summary). */
	commitMessage: string;
	labels: string[];
	/** Users and `org/team` slugs asked to review. */
	reviewers: string[];
	/** Approvals the target environment requires (Fleet `promotion.approvals`). */
	requiredApprovals: number;
	/** What could not be promoted and why (an artifact the target does not set, a line with nothing to copy). */
	notes: string[];
	/**
	 * Every file the plan was computed from, with its text then (null: it did not exist): the files
	 * it changes and the source environment's files it copied from. The commit is refused when the
	 * remote's default branch has them otherwise (pull, or push your changes, and plan again).
	 */
	basis: { file: string; text: string | null }[];
}

/** The pull (merge) request opened or updated for a plan. */
export interface PromotionPullRequest {
	url: string;
	number: number;
	/** True when this run created it; false when an open one from the same branch was updated. */
	created: boolean;
}

/** An open promotion pull request, for the explorer's Promotion view. */
export interface PromotionPullRequestStatus {
	app: string;
	/** The target environment. */
	environment: string;
	from?: string;
	url: string;
	number: number;
	title: string;
	branch: string;
	draft: boolean;
	/** The combined state of the head commit's checks (GitHub check runs and statuses, GitLab pipeline). */
	checks: 'success' | 'failure' | 'pending' | 'none';
	/** Approving reviews (GitHub: latest review per user; GitLab: approvals). */
	approvals: number;
	changesRequested: number;
	/** Whether the body carries Fleetscope's machine-readable block (else it was recognised by its branch name). */
	recognised: boolean;
}

/** Tokens the editor got for the hosting API (VS Code's GitHub sign-in, a GitLab token from SecretStorage): used for this call only, never stored, logged or written. */
export interface PromotionCredentials {
	github?: string;
	gitlab?: string;
}

export interface PromotionParams {
	/** The workspace folder of the fleet. */
	folderUri: string;
	app: string;
	/** The target environment. */
	to: string;
	/** The source environment (default: the target's `promotion.from`). */
	from?: string;
	/** Failed gates let through, each with the reason recorded in the pull request. */
	overrides?: { gate: PromotionGateName; reason: string }[];
}

/** `Fleetscope: Promote...` step one: the plan (edits, whole-file changes for the diff preview, gates, the pull request's words). Writes nothing. */
export namespace PromotionPlanRequest {
	export const method = 'fleetscope/promotionPlan' as const;
	export const type: RequestDescriptor<PromotionParams, PromotionPlanResult> = { method };
}

export type PromotionPlanResult =
	| {
			plan: PromotionPlan;
			/** The remote's host, for the editor to know which token opens the pull request (`other`: only a compare URL). */
			host?: 'github' | 'gitlab' | 'other';
			/** Whether the server already has a token for that host (GITHUB_TOKEN, GITLAB_TOKEN): the editor then asks for none. */
			hostToken: boolean;
	  }
	| { error: string };

/** Step two, after the preview: branch, commit and push (after `fleetscope/confirmPush`), then the pull request or its compare URL. */
export namespace PromoteRequest {
	export const method = 'fleetscope/promote' as const;
	export const type: RequestDescriptor<PromoteParams, PromoteResult> = { method };
}

export interface PromoteParams extends PromotionParams {
	/** The remote to push to (default origin). */
	remote?: string;
	/** Open (or update) the pull request through the host's API; else the compare URL comes back. */
	openPullRequest: boolean;
	credentials?: PromotionCredentials;
}

export type PromoteResult =
	| { result: 'pushed' | 'unchanged' | 'declined' | 'blocked' | 'up-to-date'; branch: string; remote: string; pullRequest?: PromotionPullRequest; compareUrl?: string; warnings: string[] }
	| { error: string; pushed: boolean; /** The host refused the editor's token (401): the editor forgets the one it kept. */ tokenRejected?: boolean };

/** Asked by the server, once, right before it pushes: the editor answers with a modal naming the branch and the remote. */
export namespace ConfirmPushRequest {
	export const method = 'fleetscope/confirmPush' as const;
	export const type: RequestDescriptor<ConfirmPushParams, boolean> = { method };
}

export interface ConfirmPushParams {
	branch: string;
	remote: string;
	/** The remote's URL, without credentials. */
	url: string;
	/** The branch it starts from, or the existing branch it adds a commit to. */
	base: string;
	branchExists: boolean;
}

/** The open promotion pull requests of a folder's remote (the Promotion view's rows). */
export namespace PromotionPullRequestsRequest {
	export const method = 'fleetscope/promotionPullRequests' as const;
	export const type: RequestDescriptor<{ folderUri: string; credentials?: PromotionCredentials }, { pullRequests: PromotionPullRequestStatus[]; error?: string }> = { method };
}

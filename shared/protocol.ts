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

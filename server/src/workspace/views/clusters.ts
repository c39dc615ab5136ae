import type { ClusterInfo, ClusterStatusName, FileLine, FindingCounts, FleetClusterDetail, FleetClusterRow, FleetClustersFolder, FleetEnvironmentRow, FleetSourceRow, FluxReportRow, SyncStatusRow } from '../../../../shared/protocol';
import type { DocumentStore } from '../../engine/fleet/reader';
import { looksLikeProduction, type FleetCluster, type FleetModel, type SourceLocation, type SyncSource } from '../../engine/fleet/types';
import { commitOfRevision, type GitOpsObjectState } from '../../engine/live/gitops';
import { stateAge, type ClusterState } from '../../engine/live/state';
import type { HeadResult } from '../../host/git/head';

/**
 * The Clusters view (and `fleetscope clusters`): environments in promotion order, then their
 * clusters, each with its versions (claim and live), its connection, what its GitOps controllers
 * report against the repository's HEAD, and the findings of the files that reach it; a cluster in
 * full (`clusterDetail`: every GitOps object and source) when it is expanded. Pure over its input:
 * the editor and the CLI gather the live side differently and format the same rows.
 */

/** What is known of one cluster's connection: the editor's live connection, or the CLI's `--context` / `--snapshot`. */
export interface ClusterLive {
	status: ClusterStatusName;
	message: string;
	context?: string;
	contextSource?: ClusterInfo['contextSource'];
	state?: ClusterState;
}

export interface ClustersViewInput {
	folderUri: string;
	name: string;
	fleet: FleetModel;
	/** The fleet's document store (to find the line of each claim's version). */
	documents?: DocumentStore;
	live(cluster: string): ClusterLive;
	findings(files: Iterable<string>): FindingCounts;
	head: HeadResult;
	scan: FleetClustersFolder['scan'];
	now: Date;
}

const CONNECTED: ReadonlySet<ClusterStatusName> = new Set(['connected', 'forbidden-partial']);

export function clustersView(input: ClustersViewInput): FleetClustersFolder {
	const { fleet } = input;
	const head = 'commit' in input.head ? input.head : undefined;
	const reaching = filesByCluster(fleet);
	const environments = environmentRows(fleet).map((e) => ({ ...e, clusters: fleet.clusters.filter((c) => (c.environment ?? '') === e.name).map((c) => clusterRow(c, input, head?.commit, reaching.get(c.name) ?? new Set())) }));
	const rows = environments.flatMap((e) => e.clusters);
	const fleetFile = input.documents?.ofKinds(['Fleet']).find((d) => d.apiVersion.startsWith('platform.gitops.io/'))?.file;
	return {
		folderUri: input.folderUri,
		name: input.name,
		...(fleetFile ? { fleetFile } : {}),
		...(head ? { head } : { headNote: 'note' in input.head ? input.head.note : undefined }),
		scan: input.scan,
		environments,
		summary: {
			clusters: rows.length,
			connected: rows.filter((r) => CONNECTED.has(r.status)).length,
			findings: input.findings(Object.keys(fleet.files).concat(fleet.clusters.flatMap((c) => (c.claim ? [c.claim] : [])))),
		},
	};
}

/** The environments in promotion order, then those only a cluster names, then '' for clusters without one (as the compliance report orders them). */
function environmentRows(fleet: FleetModel): Omit<FleetEnvironmentRow, 'clusters'>[] {
	const declared = [...fleet.environments].sort((a, b) => a.order - b.order);
	const out: Omit<FleetEnvironmentRow, 'clusters'>[] = declared.map((e) => ({ name: e.name, order: e.order, production: e.production, declared: true, promotesFrom: e.promotesFrom }));
	const named = [...new Set(fleet.clusters.map((c) => c.environment).filter((e): e is string => e !== undefined && !declared.some((d) => d.name === e)))].sort();
	for (const name of named) out.push({ name, order: out.length, production: looksLikeProduction(name), declared: false, promotesFrom: [] });
	if (fleet.clusters.some((c) => c.environment === undefined)) out.push({ name: '', order: out.length, production: false, declared: false, promotesFrom: [] });
	return out.filter((e) => fleet.clusters.some((c) => (c.environment ?? '') === e.name) || e.declared);
}

export const lineOf = (l: SourceLocation | undefined): FileLine | undefined => (l ? { file: l.file, line: l.range.start.line + 1 } : undefined);

/** What a cluster's GitOps objects report, against HEAD. */
function syncRows(state: ClusterState | undefined, headCommit: string | undefined): SyncStatusRow[] {
	return (state?.gitops ?? []).filter((g) => g.kind !== 'FluxReport').map((g) => syncRow(g, headCommit));
}

/** One cluster in full: every GitOps object it reports and the repository's sources of it (undefined: no such cluster). */
export function clusterDetail(input: ClustersViewInput, cluster: string): FleetClusterDetail | undefined {
	const c = input.fleet.clusters.find((x) => x.name === cluster);
	if (!c) return undefined;
	const sync = syncRows(input.live(c.name).state, 'commit' in input.head ? input.head.commit : undefined);
	return { sync, sources: c.syncs.map((s) => sourceRow(s, sync)) };
}

const FAILED_HEALTH = new Set(['Degraded', 'Missing']);
const failedSync = (s: SyncStatusRow) => !s.suspended && (s.kind === 'Application' ? FAILED_HEALTH.has(s.health ?? '') : s.ready === false);
const progressingSync = (s: SyncStatusRow) => !s.suspended && !failedSync(s) && (s.ready === null || s.health === 'Progressing' || s.syncStatus === 'OutOfSync');

/** The files that reach each cluster (its claim included), in one pass over the model. */
function filesByCluster(fleet: FleetModel): Map<string, Set<string>> {
	const out = new Map<string, Set<string>>(fleet.clusters.map((c) => [c.name, new Set(c.claim ? [c.claim] : [])]));
	for (const [rel, names] of Object.entries(fleet.files)) for (const n of names) out.get(n)?.add(rel);
	return out;
}

function clusterRow(c: FleetCluster, input: ClustersViewInput, headCommit: string | undefined, files: ReadonlySet<string>): FleetClusterRow {
	const live = input.live(c.name);
	const state = live.state;
	const sync = syncRows(state, headCommit);
	const failed = sync.filter(failedSync);
	const report = state?.gitops?.find((g) => g.kind === 'FluxReport');
	const fluxReport = report ? fluxReportRow(report) : undefined;
	const liveMinor = state ? /^v?(\d+\.\d+)/.exec(state.version.gitVersion)?.[1] : undefined;
	return {
		name: c.name,
		...(c.environment ? { environment: c.environment } : {}),
		...(c.region ? { region: c.region } : {}),
		...(c.provider ? { provider: c.provider } : {}),
		...(c.kubernetesVersion ? { claimVersion: c.kubernetesVersion } : {}),
		...(c.claim ? { claim: claimLine(c.claim, input.documents) } : {}),
		...(state?.version.gitVersion ? { liveVersion: state.version.gitVersion } : {}),
		versionDiffers: !!liveMinor && !!c.kubernetesVersion && liveMinor !== c.kubernetesVersion,
		status: live.status,
		message: live.message,
		...(live.context ? { context: live.context, ...(live.contextSource ? { contextSource: live.contextSource } : {}) } : {}),
		...(state ? { stateAge: stateAge(state, input.now), fetchedAt: state.fetchedAt } : {}),
		syncCounts: { total: sync.length, failed: failed.length, progressing: sync.filter(progressingSync).length, behind: sync.filter((s) => !s.suspended && s.atHead === false).length },
		failing: failed.slice(0, 10),
		syncState: syncStateOf(state, sync, fluxReport),
		...(fluxReport ? { fluxReport } : {}),
		findings: input.findings(files),
		files: files.size,
	};
}

/** The line that sets the claim's Kubernetes version (else the claim's first line). */
function claimLine(file: string, documents: DocumentStore | undefined): FileLine {
	const doc = documents?.documents(file).find((d) => d.kind === 'ClusterClaim');
	return doc ? { file, line: doc.locate(['spec', 'kubernetes', 'version']).range.start.line + 1 } : { file, line: 1 };
}

function syncRow(g: GitOpsObjectState, headCommit: string | undefined): SyncStatusRow {
	const commit = commitOfRevision(g.revision);
	return {
		kind: g.kind as SyncStatusRow['kind'],
		...(g.namespace ? { namespace: g.namespace } : {}),
		name: g.name,
		ready: g.ready,
		...(g.reason ? { reason: g.reason } : {}),
		...(g.message ? { message: g.message } : {}),
		...(g.revision ? { revision: g.revision } : {}),
		...(commit && headCommit ? { headRevision: headCommit } : {}),
		atHead: commit && headCommit ? commit === headCommit : null,
		...(g.path ? { path: g.path } : {}),
		...(g.suspended ? { suspended: true } : {}),
		...(g.syncStatus ? { syncStatus: g.syncStatus } : {}),
		...(g.health ? { health: g.health } : {}),
		...(g.since ? { since: g.since } : {}),
	};
}

function fluxReportRow(g: GitOpsObjectState): FluxReportRow {
	const r = g.report ?? { components: [] };
	return {
		...(r.version ? { version: r.version } : {}),
		...(r.distribution ? { distribution: r.distribution } : {}),
		components: r.components,
		...(r.sync ? { sync: r.sync } : {}),
		ready: g.ready,
		...(g.message ? { message: g.message } : {}),
	};
}

function syncStateOf(state: ClusterState | undefined, sync: SyncStatusRow[], report: FluxReportRow | undefined): FleetClusterRow['syncState'] {
	if (!state) return 'unknown';
	if (sync.length === 0 && !report) return 'none';
	const reportFailed = report && (report.ready === false || report.sync?.ready === false || report.components.some((c) => !c.ready));
	if (reportFailed || sync.some(failedSync)) return 'failed';
	if (sync.some(progressingSync)) return 'progressing';
	if (sync.some((s) => !s.suspended && s.atHead === false)) return 'behind';
	return 'ready';
}

const LIVE_KIND: Record<string, SyncStatusRow['kind'] | undefined> = { 'flux-kustomization': 'Kustomization', 'flux-helmrelease': 'HelmRelease', 'argo-application': 'Application' };

const normalPath = (p: string | undefined) => (p ?? '').replace(/^\.\//, '').replace(/\/+$/, '').replace(/^\.$/, '');

function sourceRow(s: SyncSource, sync: SyncStatusRow[]): FleetSourceRow {
	const kind = LIVE_KIND[s.kind];
	// A Fleet `path` is synced by whatever Kustomization of the cluster applies that path (flux-system, usually).
	const live = kind ? sync.findIndex((x) => x.kind === kind && x.name === s.name) : s.kind === 'fleet' ? sync.findIndex((x) => x.kind === 'Kustomization' && normalPath(x.path) === normalPath(s.path)) : -1;
	const declaredAt = lineOf(s.location);
	return { kind: s.kind, name: s.name, path: s.path, ...(declaredAt ? { declaredAt } : {}), ...(live >= 0 ? { live } : {}) };
}

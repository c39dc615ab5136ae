import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type {
	CompareEnvironmentsParams,
	CompareEnvironmentsResult,
	ComplianceFindingRow,
	FileReachResult,
	FleetClusterDetail,
	FleetClustersResult,
	FleetComplianceResult,
	FleetPromotionResult,
	RenderClusterResult,
} from '../../../shared/protocol';
import { EMPTY_FLEET } from '../engine/fleet/types';
import { readHead } from '../host/git/head';
import type { Folder } from './folder';
import { clusterDetail, clustersView, type ClusterLive, type ClustersViewInput } from './views/clusters';
import { compareEnvironments } from './views/compare';
import { complianceView, controlFindings, folderReport } from './views/compliance';
import { fleetFileDraft } from './views/fleet-draft';
import { promotionView } from './views/promotion';
import { fileReach } from './views/reach';
import { clusterRender, renderedDocument } from './views/rendered';
import type { Workspace } from './workspace';

/**
 * What the editor's fleet explorer asks of the workspace: one method per view or command, each
 * gathering the folder's snapshot, fleet state, kept findings and live connections and handing them
 * to the pure views of `views/`. The language server's handlers (`lsp/explorer.ts`) only call these.
 */
export class Explorer {
	constructor(
		private readonly workspace: Workspace,
		/** Fleetscope's version (the compliance report model records it). */
		private readonly toolVersion: string,
		private readonly clock: () => Date = () => new Date(),
	) {}

	/** The folders a request is about: the one named, else all. */
	private async foldersOf(folderUri: string | undefined): Promise<Folder[]> {
		const list = folderUri === undefined ? [...this.workspace.folders] : [this.folder(folderUri)];
		const ready = list.filter((f): f is Folder => f !== undefined);
		await Promise.all(ready.map((f) => f.ready()));
		// Outermost first, as the user sees the workspace.
		return ready.sort((a, b) => a.root.length - b.root.length || a.root.localeCompare(b.root));
	}

	/** The folder with this URI (compared as paths: clients encode URIs differently). */
	folder(folderUri: string): Folder | undefined {
		let root: string;
		try {
			root = path.normalize(fileURLToPath(folderUri));
		} catch {
			return undefined;
		}
		return this.workspace.folders.find((f) => f.root === root);
	}

	/** What the Clusters view's functions read of one folder: its fleet, its live connections, its kept findings, HEAD. */
	private async clustersInput(folder: Folder, statuses: Awaited<ReturnType<Workspace['live']['clusters']>>): Promise<ClustersViewInput> {
		const state = await folder.fleet();
		const infos = new Map(statuses.clusters.filter((c) => c.folderUri === folder.uri).map((c) => [c.cluster, c]));
		const before: ClusterLive =
			statuses.live === 'untrusted'
				? { status: 'untrusted', message: 'the workspace is not trusted: no cluster is contacted' }
				: statuses.live === 'disabled'
					? { status: 'disabled', message: 'live cluster state is off (fleetscope.live.enabled)' }
					: { status: 'connecting', message: 'connects once the workspace is validated' };
		return {
			folderUri: folder.uri,
			name: folder.name,
			fleet: folder.snapshot.fleet ?? EMPTY_FLEET,
			documents: state.documents,
			live: (cluster) => {
				const info = infos.get(cluster);
				if (!info) return before;
				const state = this.workspace.live.connected(folder).find((c) => c.cluster === cluster)?.state;
				return { status: info.status, message: info.message, context: info.context, contextSource: info.contextSource, state };
			},
			findings: (files) => folder.findings.sum(files),
			head: await readHead(folder.root),
			scan: { ...this.workspace.scanProgress },
			now: this.clock(),
		};
	}

	async clusters(folderUri?: string): Promise<FleetClustersResult> {
		const statuses = await this.workspace.live.clusters(folderUri);
		const folders = [];
		for (const folder of await this.foldersOf(folderUri)) folders.push(clustersView(await this.clustersInput(folder, statuses)));
		return { live: statuses.live, folders };
	}

	async cluster(folderUri: string, cluster: string): Promise<FleetClusterDetail | undefined> {
		const folder = (await this.foldersOf(folderUri))[0];
		return folder ? clusterDetail(await this.clustersInput(folder, await this.workspace.live.clusters(folder.uri)), cluster) : undefined;
	}

	async promotion(folderUri?: string): Promise<FleetPromotionResult> {
		const folders = [];
		for (const folder of await this.foldersOf(folderUri)) {
			const fleet = folder.snapshot.fleet ?? EMPTY_FLEET;
			folders.push({ folderUri: folder.uri, name: folder.name, environments: [...fleet.environments].sort((a, b) => a.order - b.order).map((e) => e.name), apps: promotionView(fleet) });
		}
		return { folders };
	}

	async compliance(folderUri?: string): Promise<FleetComplianceResult> {
		const folders = [];
		for (const folder of await this.foldersOf(folderUri)) {
			const settings = await this.workspace.settings(folder);
			const complete = settings.validateWorkspace && !this.workspace.scanProgress.running;
			folders.push(complianceView(folderReport(folder, settings, this.clock(), this.toolVersion), folder, complete));
		}
		return { folders };
	}

	async complianceFindings(folderUri: string, control: string): Promise<{ findings: ComplianceFindingRow[] }> {
		const folder = (await this.foldersOf(folderUri))[0];
		if (!folder) return { findings: [] };
		return { findings: controlFindings(folderReport(folder, await this.workspace.settings(folder), this.clock(), this.toolVersion), control) };
	}

	async render(folderUri: string, cluster: string): Promise<RenderClusterResult | undefined> {
		const folder = (await this.foldersOf(folderUri))[0];
		if (!folder) return undefined;
		const state = await folder.fleet();
		if (!state.model.clusters.some((c) => c.name === cluster)) return undefined;
		return renderedDocument(cluster, clusterRender(state, state.model, cluster));
	}

	async compare(params: CompareEnvironmentsParams): Promise<CompareEnvironmentsResult | undefined> {
		const folder = (await this.foldersOf(params.folderUri))[0];
		return folder ? compareEnvironments(folder.root, await folder.fleet(), params) : undefined;
	}

	async reach(file: string | undefined): Promise<FileReachResult> {
		const loc = this.workspace.locate(file);
		if (!loc) return { clusters: [], environments: [] };
		await loc.folder.ready();
		return { folderUri: loc.folder.uri, file: loc.rel, ...fileReach(loc.folder.snapshot.fleet ?? EMPTY_FLEET, loc.rel) };
	}

	/** Stops watching one cluster of a folder for this session, or connects it again; undefined for a cluster the folder does not have. */
	connect(folderUri: string, cluster: string, connected: boolean): { status: 'connecting' | 'stopped'; message: string } | undefined {
		const folder = this.folder(folderUri);
		if (!folder?.snapshot.fleet?.clusters.some((c) => c.name === cluster)) return undefined;
		const key = `${folder.uri}|${cluster}`;
		if (connected === this.workspace.disconnected.has(key)) {
			if (connected) this.workspace.disconnected.delete(key);
			else this.workspace.disconnected.add(key);
			this.workspace.live.refresh();
		}
		return connected ? { status: 'connecting', message: `connecting to ${cluster}` } : { status: 'stopped', message: `${cluster} is disconnected for this session` };
	}

	async fleetFileDraft(folderUri: string): Promise<{ text: string; file: string; existing?: string } | undefined> {
		const folder = (await this.foldersOf(folderUri))[0];
		if (!folder) return undefined;
		const state = await folder.fleet();
		const existing = state.documents.ofKinds(['Fleet']).find((d) => d.apiVersion.startsWith('platform.gitops.io/'))?.file;
		return { text: fleetFileDraft(state.model, folder.name), file: 'fleet.yaml', ...(existing ? { existing } : {}) };
	}
}

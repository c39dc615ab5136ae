import type { KubeConfig } from '@kubernetes/client-node';
import type { DriftReport } from '../../../shared/protocol';
import type { FleetscopeSettings } from '../../../shared/settings';
import { computeDrift, DriftFindings, driftDocuments, driftInputs, DriftProjection, groupOf, storeLocator, type DriftDocuments, type LiveFor } from '../engine/drift';
import type { LiveObjects } from '../engine/live/full-objects';
import { dryRunObjects } from '../host/live/dry-run';
import { FullObjectsSource } from '../host/live/full-objects';
import type { Folder } from './folder';

/** A cluster of a folder the live connections reach: what reading its full objects needs. */
export interface ConnectedCluster {
	cluster: string;
	context: string;
	kubeconfig: KubeConfig;
}

export interface DriftHost {
	settings(folder: Folder): Promise<FleetscopeSettings>;
	/** The folder's clusters with a connection (none in an untrusted workspace or with live state off). */
	connected(folder: Folder): readonly ConnectedCluster[];
	/** These files' drift findings changed: analyse them again. */
	changed(folder: Folder, files: ReadonlySet<string>): void;
	/** The folder's drift report changed (the Drift view, CodeLenses and the Clusters view refresh). */
	driftChanged(folder: Folder): void;
	log(line: string): void;
}

interface ClusterObjects {
	cluster: string;
	/** Context and what is read of it: a new source when either changes. */
	key: string;
	context: string;
	source: FullObjectsSource;
	objects?: LiveObjects;
	error?: string;
}

interface FolderDrift {
	clusters: Map<string, ClusterObjects>;
	report?: DriftReport;
	/** The last report as sent to the editor (driftChanged is sent only when it differs). */
	reportKey?: string;
	/** Computations so far. */
	computed: number;
	/** Bumped when a computation starts: an older one still running drops its result. */
	generation: number;
	findings?: DriftFindings;
	timer?: NodeJS.Timeout;
	/** Messages say how long ago a field was set: they are renewed this often while there is drift. */
	ages?: NodeJS.Timeout;
}

/** Watch events arriving together are computed once (ms). */
const DEBOUNCE_MS = 150;
const AGE_REFRESH_MS = 5 * 60_000;

/**
 * Drift in the editor: for each folder's connected clusters, the full objects of the kinds the
 * repository declares (GET, LIST and WATCH only, Secrets as metadata, each object cut to what Git
 * declares), compared with what each cluster receives (`computeDrift`). The report feeds the Drift
 * view; its findings become the folder's snapshot's drift view (diagnostics on the source lines).
 * Typing never waits for it: it runs when the renders or the clusters change.
 */
export class DriftMonitor {
	private readonly folders = new Map<Folder, FolderDrift>();
	private disposed = false;

	constructor(private readonly host: DriftHost) {}

	/** The folder's last drift report (undefined: nothing connected yet). */
	report(folder: Folder): DriftReport | undefined {
		return this.folders.get(folder)?.report;
	}

	/** How many times the folder's drift was computed. */
	computations(folder: Folder): number {
		return this.folders.get(folder)?.computed ?? 0;
	}

	/**
	 * Starts, re-targets or stops the folder's full-object sources to match its connected clusters
	 * and what its renders declare, then computes drift. Called when connections change and after
	 * each render.
	 */
	async refresh(folder: Folder): Promise<void> {
		if (this.disposed) return;
		const fd = this.folders.get(folder) ?? { clusters: new Map(), computed: 0, generation: 0 };
		this.folders.set(folder, fd);
		const settings = await this.host.settings(folder);
		const connected = settings['live.enabled'] && settings['drift.enabled'] ? this.host.connected(folder) : [];
		const fleet = await folder.fleet();
		// What the renders declare matters only to connected clusters (with live state off, or before any connects: nothing to read).
		const projection = connected.length > 0 ? DriftProjection.fromRenders(fleet.renders) : DriftProjection.fromRenders([]);
		const reads = connected.length > 0 ? JSON.stringify([projection.kinds().map((k) => [k.group, k.kind, projection.signature(k.group, k.kind)]), projection.namespaces()]) : '';
		const wanted = new Set(connected.map((c) => c.cluster));
		for (const [name, c] of fd.clusters) {
			if (wanted.has(name)) continue;
			c.source.stop();
			fd.clusters.delete(name);
		}
		for (const c of connected) {
			const key = `${c.context}|${reads}`;
			const before = fd.clusters.get(c.cluster);
			if (before?.key === key) continue;
			before?.source.stop();
			let source: FullObjectsSource;
			try {
				// Only ever created for a connected cluster of a trusted workspace: the user's kubeconfig runs as kubectl would run it.
				source = new FullObjectsSource({ context: c.context, cluster: c.cluster, kubeconfig: c.kubeconfig, allowExec: true, projection, namespaces: projection.namespaces() });
			} catch (e) {
				this.host.log(`[drift] ${c.cluster}: ${e instanceof Error ? e.message : String(e)}`);
				continue;
			}
			const entry: ClusterObjects = { cluster: c.cluster, key, context: c.context, source };
			fd.clusters.set(c.cluster, entry);
			void this.read(folder, fd, entry);
		}
		this.computeSoon(folder, fd);
	}

	/** Reads a cluster's objects once, then keeps them current with watches. */
	private async read(folder: Folder, fd: FolderDrift, entry: ClusterObjects): Promise<void> {
		try {
			entry.objects = await entry.source.fetch();
			entry.error = undefined;
		} catch (e) {
			entry.error = e instanceof Error ? e.message : String(e);
		}
		// Replaced meanwhile (another context, more to read): the newer source reports.
		if (this.disposed || fd.clusters.get(entry.cluster) !== entry) return;
		this.computeSoon(folder, fd);
		if (entry.objects) entry.source.watch(() => {
			entry.objects = entry.source.snapshot();
			this.computeSoon(folder, fd);
		});
	}

	private computeSoon(folder: Folder, fd: FolderDrift): void {
		if (this.disposed) return;
		clearTimeout(fd.timer);
		fd.timer = setTimeout(() => void this.compute(folder, fd).catch((e) => this.host.log(`[drift] computing the drift of ${folder.name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`)), DEBOUNCE_MS);
	}

	/** Compares every connected cluster's objects with its render; the files whose drift findings changed are analysed again. */
	private async compute(folder: Folder, fd: FolderDrift): Promise<void> {
		if (this.disposed) return;
		const generation = ++fd.generation;
		const settings = await this.host.settings(folder);
		const fleet = await folder.fleet();
		const live = new Map<string, LiveFor>();
		for (const [name, c] of fd.clusters) {
			if (!c.objects) {
				live.set(name, { context: c.context, unavailable: c.error ?? 'not read yet' });
				continue;
			}
			const render = fleet.renders.find((r) => r.cluster === name);
			const dryRun = render && settings['drift.serverSideDryRun'] ? await dryRunObjects(c.source, render, c.objects, DriftProjection.fromRenders(fleet.renders), true) : undefined;
			live.set(name, { objects: c.objects, context: c.context, dryRun });
		}
		// One cluster at a time, the editor served in between (5 clusters of 2,000 objects take over a second in all).
		let report: DriftReport | undefined;
		if (live.size > 0) {
			const options = { locate: storeLocator(fleet.documents), ignore: settings['drift.ignore'], unmanaged: settings['drift.unmanaged'] };
			report = { clusters: [] };
			for (const input of driftInputs(fleet.model, fleet.renders, fleet.documents, live)) {
				report.clusters.push(...computeDrift([input], options).clusters);
				await new Promise((r) => setImmediate(r));
				if (this.disposed || generation !== fd.generation) return;
			}
		}
		if (this.disposed || generation !== fd.generation) return;
		const computed = report ? DriftFindings.of(report, new Date()) : undefined;
		const changed = DriftFindings.changed(fd.findings, computed);
		// Unchanged findings keep their object: the snapshot, and every analysis made with it, stays valid.
		const findings = changed.size === 0 && (fd.findings === undefined) === (computed === undefined) ? fd.findings : computed;
		fd.report = report;
		fd.computed++;
		fd.findings = findings;
		folder.setDrift(findings);
		if (changed.size > 0) this.host.changed(folder, changed);
		// A watch event that changed nothing the views show (a status, a resourceVersion) does not make them reload.
		const key = report ? JSON.stringify(report) : '';
		if (changed.size > 0 || key !== fd.reportKey) {
			fd.reportKey = key;
			this.host.driftChanged(folder);
		}
		clearTimeout(fd.ages);
		if (report?.clusters.some((c) => c.objects.some((o) => o.state === 'drifted'))) fd.ages = setTimeout(() => this.computeSoon(folder, fd), AGE_REFRESH_MS);
	}

	/** The two documents Show Diff opens for one object of one cluster: Git's and the live one, normalised, Secret values masked. */
	async documents(folder: Folder, cluster: string, object: { apiVersion: string; kind: string; namespace: string | null; name: string }): Promise<DriftDocuments | undefined> {
		const fleet = await folder.fleet();
		const render = fleet.renders.find((r) => r.cluster === cluster);
		const group = groupOf(object.apiVersion);
		const desired = render?.objects.find(({ object: o }) => {
			const meta = (o.value.metadata ?? {}) as { name?: string; namespace?: string };
			// Git may leave the namespace to the sync (its target namespace, else default).
			return typeof o.value.apiVersion === 'string' && groupOf(o.value.apiVersion) === group && o.value.kind === object.kind && meta.name === object.name && (meta.namespace === undefined || meta.namespace === object.namespace);
		});
		const live = this.folders.get(folder)?.clusters.get(cluster)?.objects?.kinds[`${group}|${object.kind}`]?.items.find((o) => o.metadata.name === object.name && (o.metadata.namespace ?? null) === object.namespace);
		if (!desired && !live) return undefined;
		return desired ? driftDocuments(desired.object.value, live) : { desired: {}, live: live as unknown as Record<string, unknown> };
	}

	/** Stops every source (nothing is written anywhere). */
	dispose(): void {
		this.disposed = true;
		for (const fd of this.folders.values()) {
			clearTimeout(fd.timer);
			clearTimeout(fd.ages);
			for (const c of fd.clusters.values()) c.source.stop();
		}
		this.folders.clear();
	}
}

import { isPlainObject } from '../core/resource';

/**
 * What a cluster's GitOps controllers report: the status of Flux Kustomizations and HelmReleases,
 * Argo CD Applications and the Flux Operator's FluxReport. Reading these status fields is the one
 * exception to metadata-only live state (docs/explorer.md): each object is rebuilt here field by
 * field from untrusted JSON, keeping only what the explorer shows (never a spec, an annotation or
 * anything else a controller put there), with messages cut short and URL credentials masked.
 */

/** The kinds whose status is read, by API group. */
export const GITOPS_KINDS = [
	{ group: 'kustomize.toolkit.fluxcd.io', kind: 'Kustomization' },
	{ group: 'helm.toolkit.fluxcd.io', kind: 'HelmRelease' },
	{ group: 'argoproj.io', kind: 'Application' },
	{ group: 'fluxcd.controlplane.io', kind: 'FluxReport' },
] as const;

export type GitOpsKind = (typeof GITOPS_KINDS)[number]['kind'];

export interface FluxReportState {
	version?: string;
	distribution?: string;
	components: { name: string; ready: boolean; status: string; image?: string }[];
	sync?: { id: string; path?: string; ready: boolean; status: string; source?: string };
}

export interface GitOpsObjectState {
	kind: GitOpsKind;
	group: string;
	namespace?: string;
	name: string;
	/** Flux and FluxReport: the Ready condition; Argo CD: synced and healthy; null: not reported yet. */
	ready: boolean | null;
	/** The Ready condition's reason, or Argo CD's health status. */
	reason?: string;
	message?: string;
	/** Flux `lastAppliedRevision`, a HelmRelease's last applied chart version, Argo CD `status.sync.revision`. */
	revision?: string;
	/** Flux `spec.path`, Argo CD `spec.source.path`. */
	path?: string;
	suspended?: boolean;
	/** Argo CD `status.sync.status`. */
	syncStatus?: string;
	/** Argo CD `status.health.status`. */
	health?: string;
	/** When the Ready condition last changed. */
	since?: string;
	/** FluxReport only. */
	report?: FluxReportState;
}

const MAX_TEXT = 600;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** A controller's message, cut short, with the user info of any URL masked. */
function text(v: unknown): string | undefined {
	const s = str(v);
	if (s === undefined) return undefined;
	const masked = s.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/\s@]+@/gi, '$1***@');
	return masked.length > MAX_TEXT ? `${masked.slice(0, MAX_TEXT)}…` : masked;
}

function readyCondition(status: unknown): { ready: boolean | null; reason?: string; message?: string; since?: string } {
	const conditions = isPlainObject(status) && Array.isArray(status.conditions) ? status.conditions : [];
	const c = conditions.find((x): x is Record<string, unknown> => isPlainObject(x) && x.type === 'Ready');
	if (!c) return { ready: null };
	return {
		ready: c.status === 'True' ? true : c.status === 'False' ? false : null,
		...(str(c.reason) ? { reason: str(c.reason) } : {}),
		...(text(c.message) ? { message: text(c.message) } : {}),
		...(str(c.lastTransitionTime) ? { since: str(c.lastTransitionTime) } : {}),
	};
}

const defined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/** The kept status of one GitOps object (a full object from a list, a watch or a dump); undefined for any other object. */
export function gitopsStateOf(object: unknown): GitOpsObjectState | undefined {
	if (!isPlainObject(object) || typeof object.apiVersion !== 'string' || !isPlainObject(object.metadata)) return undefined;
	const group = object.apiVersion.includes('/') ? object.apiVersion.slice(0, object.apiVersion.lastIndexOf('/')) : '';
	const known = GITOPS_KINDS.find((k) => k.group === group && k.kind === object.kind);
	const name = str(object.metadata.name);
	if (!known || !name) return undefined;
	const base = { kind: known.kind, group, ...(str(object.metadata.namespace) ? { namespace: str(object.metadata.namespace) } : {}), name };
	const spec = isPlainObject(object.spec) ? object.spec : {};
	const status = isPlainObject(object.status) ? object.status : {};
	switch (known.kind) {
		case 'Kustomization':
			return defined({ ...base, ...readyCondition(status), revision: str(status.lastAppliedRevision), path: str(spec.path), suspended: spec.suspend === true ? true : undefined });
		case 'HelmRelease': {
			// helm-controller v2 keeps a history (newest first); v2beta1 a lastAppliedRevision.
			const latest = Array.isArray(status.history) && isPlainObject(status.history[0]) ? status.history[0] : undefined;
			return defined({ ...base, ...readyCondition(status), revision: str(latest?.chartVersion) ?? str(status.lastAppliedRevision), suspended: spec.suspend === true ? true : undefined });
		}
		case 'Application': {
			const sync = isPlainObject(status.sync) ? status.sync : {};
			const health = isPlainObject(status.health) ? status.health : {};
			const source = isPlainObject(spec.source) ? spec.source : Array.isArray(spec.sources) && isPlainObject(spec.sources[0]) ? spec.sources[0] : {};
			const op = isPlainObject(status.operationState) ? status.operationState : {};
			const syncStatus = str(sync.status);
			const healthStatus = str(health.status);
			const ready = syncStatus === undefined && healthStatus === undefined ? null : syncStatus === 'Synced' && healthStatus === 'Healthy';
			const conditionMessage = Array.isArray(status.conditions) ? status.conditions.map((c) => (isPlainObject(c) ? text(c.message) : undefined)).find(Boolean) : undefined;
			const message = op.phase === 'Failed' || op.phase === 'Error' ? text(op.message) : (text(health.message) ?? conditionMessage);
			return defined({ ...base, ready, reason: healthStatus, message, revision: str(sync.revision), path: str(source.path), syncStatus, health: healthStatus, since: str(op.finishedAt) });
		}
		case 'FluxReport': {
			const dist = isPlainObject(spec.distribution) ? spec.distribution : {};
			const components = (Array.isArray(spec.components) ? spec.components : []).filter(isPlainObject).flatMap((c) =>
				str(c.name) ? [defined({ name: str(c.name)!, ready: c.ready === true, status: text(c.status) ?? '', image: str(c.image) })] : [],
			);
			const s = isPlainObject(spec.sync) ? spec.sync : undefined;
			const sync = s && str(s.id) ? defined({ id: str(s.id)!, path: str(s.path), ready: s.ready === true, status: text(s.status) ?? '', source: text(s.source) }) : undefined;
			const report: FluxReportState = defined({ version: str(dist.version), distribution: str(dist.status), components, sync });
			return defined({ ...base, ...readyCondition(status), report });
		}
	}
}

/** The GitOps objects of a cached or exported state, rebuilt field by field (see `sanitizeState`). */
export function sanitizeGitOps(raw: unknown): GitOpsObjectState[] {
	if (!Array.isArray(raw)) return [];
	const out: GitOpsObjectState[] = [];
	for (const r of raw) {
		if (!isPlainObject(r)) continue;
		const known = GITOPS_KINDS.find((k) => k.kind === r.kind && k.group === r.group);
		const name = str(r.name);
		if (!known || !name) continue;
		const report = isPlainObject(r.report) ? r.report : undefined;
		out.push(
			defined({
				kind: known.kind,
				group: known.group,
				namespace: str(r.namespace),
				name,
				ready: r.ready === true ? true : r.ready === false ? false : null,
				reason: str(r.reason),
				message: text(r.message),
				revision: str(r.revision),
				path: str(r.path),
				suspended: r.suspended === true ? true : undefined,
				syncStatus: str(r.syncStatus),
				health: str(r.health),
				since: str(r.since),
				report: report
					? defined({
							version: str(report.version),
							distribution: str(report.distribution),
							components: (Array.isArray(report.components) ? report.components : []).filter(isPlainObject).flatMap((c) => (str(c.name) ? [defined({ name: str(c.name)!, ready: c.ready === true, status: text(c.status) ?? '', image: str(c.image) })] : [])),
							sync: isPlainObject(report.sync) && str(report.sync.id) ? defined({ id: str(report.sync.id)!, path: str(report.sync.path), ready: report.sync.ready === true, status: text(report.sync.status) ?? '', source: text(report.sync.source) }) : undefined,
						})
					: undefined,
			}),
		);
	}
	return out;
}

/**
 * The commit a revision names: Flux `main@sha1:<hex>` (or the older `main/<hex>`), Argo CD's bare
 * hash. Undefined for what names no commit (a chart version, a tag).
 */
export function commitOfRevision(revision: string | undefined): string | undefined {
	if (!revision) return undefined;
	const m = /(?:^|@sha(?:1|256):|\/)([0-9a-f]{40}|[0-9a-f]{64})$/.exec(revision);
	return m?.[1];
}

import { GITOPS_KINDS, gitopsStateOf, type GitOpsObjectState } from '../../engine/live/gitops';
import type { ServedKind } from '../../engine/live/state';
import type { KubeClient } from './client';
import { KubeRequestError } from './errors';

/**
 * The GitOps objects of one cluster connection (Flux Kustomizations and HelmReleases, Argo CD
 * Applications, the Flux Operator's FluxReport): listed with their status and kept current by the
 * connection's watches (`ClusterConnection` calls in here). Only what `gitopsStateOf` keeps is held;
 * a kind the cluster does not serve is not asked for, a kind the user may not list is skipped.
 */

/** One watched GitOps kind, cluster-wide. */
export interface GitOpsScope {
	group: string;
	kind: string;
	/** The list path (`/apis/kustomize.toolkit.fluxcd.io/v1/kustomizations`). */
	path: string;
	rv: string;
	items: Map<string, GitOpsObjectState>;
}

const PAGE = 100;

export class GitOpsScopes {
	private list: GitOpsScope[] = [];

	/** The kinds listed at the last sync (the connection watches each). */
	scopes(): readonly GitOpsScope[] {
		return this.list;
	}

	/** Lists every GitOps kind the cluster serves; a forbidden kind is left out (its status cannot be shown). */
	async sync(client: KubeClient, servedAs: (k: { group: string; kind: string }) => { groupVersion: string; def: ServedKind } | undefined): Promise<void> {
		const scopes: GitOpsScope[] = [];
		for (const k of GITOPS_KINDS) {
			const served = servedAs(k);
			if (!served) continue;
			const scope: GitOpsScope = { group: k.group, kind: k.kind, path: `/apis/${served.groupVersion}/${served.def.plural}`, rv: '', items: new Map() };
			try {
				await this.relist(client, scope);
				scopes.push(scope);
			} catch (e) {
				if (!(e instanceof KubeRequestError) || e.kind !== 'forbidden') throw e;
			}
		}
		this.list = scopes;
	}

	/** Lists one kind anew (paginated; full objects, of which only the status is kept). */
	async relist(client: KubeClient, scope: GitOpsScope): Promise<void> {
		const items = new Map<string, GitOpsObjectState>();
		let cont = '';
		do {
			const page = await client.get<{ items?: unknown[]; metadata?: { resourceVersion?: string; continue?: string } }>(`${scope.path}?limit=${PAGE}${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`);
			for (const item of page.items ?? []) {
				// A list's items carry no apiVersion or kind: the scope says what they are.
				const o = item && typeof item === 'object' ? { apiVersion: `${scope.group}/v`, kind: scope.kind, ...(item as Record<string, unknown>) } : item;
				const g = gitopsStateOf(o);
				if (g) items.set(`${g.namespace ?? ''}/${g.name}`, g);
			}
			scope.rv = page.metadata?.resourceVersion ?? scope.rv;
			cont = page.metadata?.continue ?? '';
		} while (cont);
		scope.items = items;
	}

	/** A watch event of one scope; true when what is kept changed. */
	event(scope: GitOpsScope, type: string, object: Record<string, unknown>): boolean {
		const rv = (object.metadata as { resourceVersion?: string } | undefined)?.resourceVersion;
		if (rv) scope.rv = rv;
		if (type === 'BOOKMARK') return false;
		const g = gitopsStateOf({ apiVersion: `${scope.group}/v`, kind: scope.kind, ...object });
		if (!g) return false;
		const id = `${g.namespace ?? ''}/${g.name}`;
		if (type === 'DELETED') return scope.items.delete(id);
		if (JSON.stringify(scope.items.get(id)) === JSON.stringify(g)) return false;
		scope.items.set(id, g);
		return true;
	}

	/** What the state carries: every kept object, in kind then namespace/name order; undefined when none. */
	frozen(): GitOpsObjectState[] | undefined {
		const out = this.list.flatMap((s) => [...s.items.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, g]) => g));
		return out.length > 0 ? out : undefined;
	}
}

import * as vscode from 'vscode';
import { DriftDiffRequest, type DriftDiffParams, type DriftDiffResult } from '../../../shared/protocol';
import type { Ctx } from '../ctx';
import type { DriftTarget } from './nodes';

/**
 * The two read-only documents of Show Diff, under the `fleetscope:` scheme (served by
 * `ExplorerDocuments`): `fleetscope:/drift/<cluster>/<namespace>/<kind>/<name>.git.yaml` is what Git
 * sends the cluster, `….live.yaml` what the cluster runs, both normalised by the server
 * (`fleetscope/driftDiff`, Secret values masked). Both sides come from one answer; an open diff
 * follows the cluster as its drift changes.
 */

export const DRIFT_PREFIX = '/drift/';

export function driftDiffUris(t: Pick<DriftTarget, 'folderUri' | 'cluster' | 'object'>): { git: vscode.Uri; live: vscode.Uri } {
	const o = t.object;
	const query = new URLSearchParams({ folder: t.folderUri, cluster: t.cluster, apiVersion: o.apiVersion, kind: o.kind, namespace: o.namespace ?? '', name: o.name }).toString();
	const base = `${DRIFT_PREFIX}${t.cluster}/${o.namespace ?? '_cluster'}/${o.kind}/${o.name}`;
	return { git: vscode.Uri.from({ scheme: 'fleetscope', path: `${base}.git.yaml`, query }), live: vscode.Uri.from({ scheme: 'fleetscope', path: `${base}.live.yaml`, query }) };
}

function paramsOf(uri: vscode.Uri): DriftDiffParams {
	const q = new URLSearchParams(uri.query);
	return { folderUri: q.get('folder') ?? '', cluster: q.get('cluster') ?? '', object: { apiVersion: q.get('apiVersion') ?? '', kind: q.get('kind') ?? '', namespace: q.get('namespace') || null, name: q.get('name') ?? '' } };
}

export class DriftDocuments implements vscode.Disposable {
	/** One answer per object: its two sides are asked for one after the other. */
	private readonly answers = new Map<string, Promise<DriftDiffResult | null>>();
	private readonly subscription: vscode.Disposable;

	constructor(
		private readonly ctx: Ctx,
		changed: vscode.EventEmitter<vscode.Uri>,
	) {
		this.subscription = ctx.onDidChangeDrift(() => {
			this.answers.clear();
			for (const d of vscode.workspace.textDocuments) if (d.uri.scheme === 'fleetscope' && d.uri.path.startsWith(DRIFT_PREFIX)) changed.fire(d.uri);
		});
	}

	/** The server's answer for the object of this URI, asked for now (Show Diff, before it opens the diff). */
	diff(uri: vscode.Uri): Promise<DriftDiffResult | null> {
		let answer = this.answers.get(uri.query);
		if (!answer) {
			// Not cancelled with the side that asked first: the other side waits for the same answer.
			answer = this.ctx.request(DriftDiffRequest.type, paramsOf(uri));
			this.answers.set(uri.query, answer);
			answer.catch(() => this.answers.delete(uri.query));
		}
		return answer;
	}

	async provide(uri: vscode.Uri): Promise<string> {
		const p = paramsOf(uri);
		const what = `${p.object.kind} ${p.object.namespace ? `${p.object.namespace}/` : ''}${p.object.name}`;
		const r = await this.diff(uri);
		if (!r) return `# ${what} is neither in what Git sends ${p.cluster} nor in what Fleetscope read of it (any more).\n`;
		if (uri.path.endsWith('.git.yaml')) return r.desired && r.desired !== '{}\n' ? r.desired : `# ${what} is not in Git: ${p.cluster} has it, Git does not send it.\n`;
		return r.live || `# ${what} is not in ${p.cluster}: Git sends it, the cluster does not have it.\n`;
	}

	dispose(): void {
		this.subscription.dispose();
	}
}

import * as vscode from 'vscode';
import { CompareEnvironmentsRequest, RenderClusterRequest, type CompareEnvironmentsResult, type PromotionPlan } from '../../../shared/protocol';
import type { Ctx } from '../ctx';

/**
 * The read-only documents of the explorer, under the `fleetscope:` scheme: what a cluster receives
 * (`fleetscope:/rendered/<cluster>.yaml?…`, Render Cluster) and the two sides of Compare with
 * previous environment (`fleetscope:/compare/…/before.yaml`, `…/after.yaml`). Their text comes from
 * the server when VS Code asks for it; a rendered document follows the fleet as it changes.
 */
export const SCHEME = 'fleetscope';

export function renderedUri(folderUri: string, cluster: string): vscode.Uri {
	return vscode.Uri.from({ scheme: SCHEME, path: `/rendered/${cluster}.yaml`, query: new URLSearchParams({ folder: folderUri, cluster }).toString() });
}

export function compareUris(p: { folderUri: string; app: string; environment: string; cluster: string }): { before: vscode.Uri; after: vscode.Uri } {
	const query = new URLSearchParams({ folder: p.folderUri, app: p.app, environment: p.environment, cluster: p.cluster }).toString();
	const base = `/compare/${p.app}/${p.environment}/${p.cluster}`;
	return { before: vscode.Uri.from({ scheme: SCHEME, path: `${base}/before.yaml`, query }), after: vscode.Uri.from({ scheme: SCHEME, path: `${base}/after.yaml`, query }) };
}

export class ExplorerDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
	private readonly changed = new vscode.EventEmitter<vscode.Uri>();
	readonly onDidChange = this.changed.event;
	/** One comparison per query: its two sides are asked for one after the other. */
	private readonly comparisons = new Map<string, Promise<CompareEnvironmentsResult>>();
	/** The files of the promotion plans previewed in this session, by query: their text before and after. */
	private readonly promotions = new Map<string, { before: string; after: string }>();
	private previews = 0;
	private readonly subscriptions: vscode.Disposable[];

	constructor(private readonly ctx: Ctx) {
		this.subscriptions = [
			vscode.workspace.registerTextDocumentContentProvider(SCHEME, this),
			this.changed,
			// What a cluster receives changes with the fleet: open rendered documents show it again.
			ctx.onDidChangeFleet(() => {
				this.comparisons.clear();
				for (const d of vscode.workspace.textDocuments) if (d.uri.scheme === SCHEME && d.uri.path.startsWith('/rendered/')) this.changed.fire(d.uri);
			}),
		];
	}

	async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
		const q = new URLSearchParams(uri.query);
		const folderUri = q.get('folder') ?? '';
		try {
			if (uri.path.startsWith('/rendered/')) return (await this.ctx.request(RenderClusterRequest.type, { folderUri, cluster: q.get('cluster') ?? '' }, token)).text;
			if (uri.path.startsWith('/promotion/')) {
				// `/promotion/<preview>/<before|after>/<file>`: the file's name keeps its language.
				const [, , preview, side] = uri.path.split('/');
				const texts = this.promotions.get(preview);
				return (side === 'before' ? texts?.before : texts?.after) ?? '';
			}
			if (uri.path.startsWith('/compare/')) {
				const params = { folderUri, app: q.get('app') ?? '', environment: q.get('environment') ?? '', cluster: q.get('cluster') ?? '' };
				let result = this.comparisons.get(uri.query);
				if (!result) this.comparisons.set(uri.query, (result = this.ctx.request(CompareEnvironmentsRequest.type, params)));
				const r = await result;
				return uri.path.endsWith('/before.yaml') ? r.before : r.after;
			}
		} catch (e) {
			this.comparisons.delete(uri.query);
			return `# Fleetscope could not produce this document: ${e instanceof Error ? e.message : String(e)}\n`;
		}
		return '';
	}

	/**
	 * Opens the preview of a promotion: one diff per file the commit writes, as it is now and as the
	 * promotion leaves it (a new file against nothing, a deleted one against nothing). Nothing is written.
	 */
	async showPromotion(plan: PromotionPlan): Promise<{ before: vscode.Uri; after: vscode.Uri }[]> {
		const opened: { before: vscode.Uri; after: vscode.Uri }[] = [];
		for (const change of plan.changes) {
			const preview = `${++this.previews}`;
			this.promotions.set(preview, { before: change.before ?? '', after: change.after ?? '' });
			const uris = { before: vscode.Uri.from({ scheme: SCHEME, path: `/promotion/${preview}/before/${change.file}` }), after: vscode.Uri.from({ scheme: SCHEME, path: `/promotion/${preview}/after/${change.file}` }) };
			await vscode.commands.executeCommand('vscode.diff', uris.before, uris.after, `${change.file}: ${plan.to} now ↔ promoted from ${plan.from}`, { preview: false });
			opened.push(uris);
		}
		return opened;
	}

	/** A comparison asked for now (the command shows its notes before opening the diff). */
	compare(p: { folderUri: string; app: string; environment: string; cluster: string }): Promise<CompareEnvironmentsResult> {
		const query = compareUris(p).before.query;
		const result = this.ctx.request(CompareEnvironmentsRequest.type, p);
		this.comparisons.set(query, result);
		return result;
	}

	dispose(): void {
		for (const d of this.subscriptions) d.dispose();
	}
}

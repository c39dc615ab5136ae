import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import type { ExplorerNode } from './nodes';

/**
 * One explorer view: a tree of `ExplorerNode`s from a source that asks the server, refreshed when
 * one of its events fires (the server's change notifications, a restart, Refresh), at most once per
 * burst, never on a timer. Children are computed when a node is expanded.
 */

/** Fires within this time after the first of a burst of events: one refresh for a burst (ms). */
const REFRESH_DELAY_MS = 50;

export class ExplorerTree implements vscode.TreeDataProvider<ExplorerNode>, vscode.Disposable {
	private readonly changed = new vscode.EventEmitter<ExplorerNode | undefined>();
	readonly onDidChangeTreeData = this.changed.event;
	private readonly parents = new Map<string, ExplorerNode | undefined>();
	private readonly subscriptions: vscode.Disposable[] = [];
	private roots?: Promise<ExplorerNode[]>;
	private timer?: NodeJS.Timeout;
	/** Loads so far (the extension-host tests wait on refreshes by this count). */
	loads = 0;
	readonly view: vscode.TreeView<ExplorerNode>;

	constructor(
		readonly id: string,
		private readonly ctx: Ctx,
		/** What makes the view load again. */
		events: vscode.Event<unknown>[],
		/** The root nodes (the view's code is imported when they are first asked for). */
		private readonly source: () => Promise<ExplorerNode[]>,
	) {
		this.view = vscode.window.createTreeView(id, { treeDataProvider: this, showCollapseAll: true });
		this.subscriptions.push(this.view, this.changed, ctx.onDidChangeServer(() => this.refresh()), ctx.onDidRequestRefresh(() => this.refresh()));
		for (const e of events) this.subscriptions.push(e(() => this.refreshSoon()));
	}

	/** Loads the roots again now. */
	refresh(): void {
		clearTimeout(this.timer);
		this.timer = undefined;
		this.roots = undefined;
		this.changed.fire(undefined);
	}

	private refreshSoon(): void {
		this.timer ??= setTimeout(() => this.refresh(), REFRESH_DELAY_MS);
	}

	getTreeItem(n: ExplorerNode): vscode.TreeItem {
		const item = new vscode.TreeItem(n.label, n.children ? (n.expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed) : vscode.TreeItemCollapsibleState.None);
		item.id = n.id;
		item.description = n.description;
		if (n.tooltip) item.tooltip = new vscode.MarkdownString(n.tooltip);
		if (n.icon) item.iconPath = new vscode.ThemeIcon(n.icon.id, n.icon.color ? new vscode.ThemeColor(n.icon.color) : undefined);
		item.contextValue = n.contextValue;
		if (n.file) item.resourceUri = fileUri(n.file.folderUri, n.file.path);
		if (n.open) item.command = { command: 'fleetscope.openLocation', title: 'Open', arguments: [n.open] };
		else if (n.url) item.command = { command: 'vscode.open', title: 'Open', arguments: [vscode.Uri.parse(n.url)] };
		else if (n.command) item.command = n.command;
		return item;
	}

	async getChildren(n?: ExplorerNode): Promise<ExplorerNode[]> {
		let children: ExplorerNode[];
		if (!n) {
			this.roots ??= this.load();
			children = await this.roots;
		} else children = (await n.children?.()) ?? [];
		for (const c of children) this.parents.set(c.id, n);
		return children;
	}

	getParent(n: ExplorerNode): ExplorerNode | undefined {
		return this.parents.get(n.id);
	}

	private async load(): Promise<ExplorerNode[]> {
		this.loads++;
		this.parents.clear();
		if (!this.ctx.isRunning) {
			this.view.message = undefined;
			return [];
		}
		try {
			const nodes = await this.source();
			this.view.message = undefined;
			return nodes;
		} catch (e) {
			const message = e instanceof Error ? e.message : String(e);
			this.ctx.log.warn(`${this.id}: ${message}`);
			this.view.message = `Could not load this view: ${message}`;
			return [];
		}
	}

	/** The first node, depth first, that satisfies `pred`, expanding only the nodes `descend` allows (others' children may ask the server). */
	async find(pred: (n: ExplorerNode) => boolean, descend: (n: ExplorerNode) => boolean): Promise<ExplorerNode | undefined> {
		const walk = async (nodes: ExplorerNode[]): Promise<ExplorerNode | undefined> => {
			for (const n of nodes) {
				if (pred(n)) return n;
				if (!descend(n)) continue;
				const hit = await walk(await this.getChildren(n));
				if (hit) return hit;
			}
			return undefined;
		};
		return walk(await this.getChildren());
	}

	dispose(): void {
		clearTimeout(this.timer);
		for (const d of this.subscriptions.splice(0)) d.dispose();
	}
}

/** The `file:` URI of a repository file, from its folder's URI. */
export function fileUri(folderUri: string, path: string): vscode.Uri {
	return vscode.Uri.joinPath(vscode.Uri.parse(folderUri), ...path.split('/'));
}

/** The context keys of the views' welcome content and `when` clauses. */
export function setFleetFound(found: boolean): void {
	void vscode.commands.executeCommand('setContext', 'fleetscope.explorerLoaded', true);
	void vscode.commands.executeCommand('setContext', 'fleetscope.fleetFound', found);
}

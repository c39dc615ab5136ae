import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FleetscopeApi } from '../../client/src/extension';
import type { ExplorerNode } from '../../client/src/views/nodes';
import type { ExplorerTree } from '../../client/src/views/tree';
import { test, until } from './harness';

/**
 * The fleet explorer through the `vscode` API, in a real extension host (VS Code through
 * @vscode/test-electron, or code-server's): the example fleet is the workspace, its two simulated
 * clusters are in KUBECONFIG. Tree items, command results and opened editors are asserted as a
 * user would meet them.
 */

let api: FleetscopeApi;
const folder = () => vscode.workspace.workspaceFolders![0].uri;

async function children(tree: ExplorerTree, n?: ExplorerNode): Promise<ExplorerNode[]> {
	return tree.getChildren(n);
}

/** The node with this label under the path of labels (each level expanded through the provider). */
async function node(tree: ExplorerTree, ...labels: string[]): Promise<ExplorerNode> {
	let current: ExplorerNode | undefined;
	for (const label of labels) {
		const kids = await children(tree, current);
		current = kids.find((k) => k.label === label);
		assert.ok(current, `no "${label}" among ${kids.map((k) => k.label).join(', ')}`);
	}
	return current!;
}

const item = (tree: ExplorerTree, n: ExplorerNode) => tree.getTreeItem(n);
const icon = (i: vscode.TreeItem) => (i.iconPath instanceof vscode.ThemeIcon ? i.iconPath.id : undefined);

test('the extension activates without waiting for the server, and the server starts', async () => {
	const ext = vscode.extensions.getExtension<FleetscopeApi>('fleetscope.fleetscope');
	assert.ok(ext, 'fleetscope.fleetscope is installed');
	api = await ext.activate();
	assert.ok(api.views.clusters && api.views.promotion && api.views.compliance);
	await until('the language server to run', () => api.ctx.isRunning || undefined, [api.ctx.onDidChangeServer]);
});

test('Clusters: both simulated clusters with versions, connection and sync state; the failing Kustomization; a warning icon where the versions differ', async () => {
	const tree = api.views.clusters;
	const events = [tree.onDidChangeTreeData as vscode.Event<unknown>];
	await until('both clusters connected, their GitOps state in', async () => {
		tree.refresh();
		const prod = (await children(tree, await node(tree, 'production'))).find((n) => n.label === 'prod-us-east-1');
		const staging = (await children(tree, await node(tree, 'staging'))).find((n) => n.label === 'staging-eu-west-1');
		return prod?.description?.includes('connected · behind HEAD') && staging?.description?.includes('connected · 1 sync failed') ? true : undefined;
	}, events);
	const staging = item(tree, await node(tree, 'staging', 'staging-eu-west-1'));
	assert.equal(staging.label, 'staging-eu-west-1');
	assert.match(String(staging.description), /^1\.35\.2 · connected · 1 sync failed · \d+ errors/);
	assert.equal(icon(staging), 'error');
	assert.equal(staging.contextValue, 'cluster claim context connected');
	assert.equal(staging.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
	assert.ok(staging.tooltip instanceof vscode.MarkdownString);
	const prod = item(tree, await node(tree, 'production', 'prod-us-east-1'));
	assert.match(String(prod.description), /^1\.27\.16 \(claim 1\.35\) · connected · behind HEAD/);
	assert.equal(icon(prod), 'warning');
	const apps = item(tree, await node(tree, 'staging', 'staging-eu-west-1', 'apps'));
	assert.match(String(apps.description), /^Kustomization · apps\/staging · HealthCheckFailed · main@sha1:[0-9a-f]{7}/);
	assert.equal(icon(apps), 'error');
	assert.equal(apps.resourceUri?.toString(), vscode.Uri.joinPath(folder(), 'clusters/staging-eu-west-1/apps.yaml').toString());
});

test('clicking a source opens its file at the line that declares it', async () => {
	const apps = item(api.views.clusters, await node(api.views.clusters, 'staging', 'staging-eu-west-1', 'apps'));
	assert.equal(apps.command?.command, 'fleetscope.openLocation');
	await vscode.commands.executeCommand(apps.command!.command, ...(apps.command!.arguments ?? []));
	const editor = vscode.window.activeTextEditor!;
	assert.equal(editor.document.uri.toString(), vscode.Uri.joinPath(folder(), 'clusters/staging-eu-west-1/apps.yaml').toString());
	assert.equal(editor.selection.active.line, 14);
	assert.equal(editor.document.lineAt(14).text.trim(), 'path: ./apps/staging');
});

test('Render Cluster: a read-only document with what the cluster receives, each object headed by its origin', async () => {
	const rendered = await node(api.views.clusters, 'staging', 'staging-eu-west-1', 'Rendered manifests');
	const cmd = item(api.views.clusters, rendered).command!;
	const editor = (await vscode.commands.executeCommand<vscode.TextEditor>(cmd.command, ...(cmd.arguments ?? [])))!;
	assert.equal(editor.document.uri.scheme, 'fleetscope');
	assert.equal(editor.document.languageId, 'yaml');
	const text = editor.document.getText();
	assert.match(text, /^# What staging-eu-west-1 receives: \d+ objects/);
	assert.match(text, /# Source: apps\/base\/orders-api\/deployment\.yaml \(via apps\/staging\)\napiVersion: apps\/v1\nkind: Deployment\nmetadata:\n {2}name: orders-api/);
});

test('Open Claim and Copy Context Name act on the cluster of the item', async () => {
	const prod = await node(api.views.clusters, 'production', 'prod-us-east-1');
	const editor = (await vscode.commands.executeCommand<vscode.TextEditor>('fleetscope.openClaim', prod))!;
	assert.ok(editor.document.uri.path.endsWith('/claims/prod-us-east-1.yaml'));
	assert.equal(editor.document.lineAt(editor.selection.active.line).text.trim(), 'version: "1.35"');
	const context = await vscode.commands.executeCommand<string>('fleetscope.copyContextName', prod);
	assert.equal(context, 'arn:aws:eks:us-east-1:444455556666:cluster/prod-us-east-1');
	assert.equal(await vscode.env.clipboard.readText(), context);
});

test('Disconnect and Connect Cluster change the cluster\'s row', async () => {
	const tree = api.views.clusters;
	const prod = await node(tree, 'production', 'prod-us-east-1');
	assert.equal(await vscode.commands.executeCommand('fleetscope.disconnectCluster', prod), 'stopped');
	const stopped = await until('prod-us-east-1 disconnected', async () => {
		const n = await node(tree, 'production', 'prod-us-east-1');
		return n.description?.includes('stopped') ? n : undefined;
	}, [tree.onDidChangeTreeData as vscode.Event<unknown>]);
	assert.equal(stopped.contextValue, 'cluster claim context disconnected');
	assert.equal(await vscode.commands.executeCommand('fleetscope.connectCluster', stopped), 'connecting');
	await until('prod-us-east-1 connected again', async () => ((await node(tree, 'production', 'prod-us-east-1')).description?.includes('connected') ? true : undefined), [tree.onDidChangeTreeData as vscode.Event<unknown>]);
});

test('Reveal File in Fleet: the CodeLens says which clusters a file reaches; revealing selects the cluster', async () => {
	const uri = vscode.Uri.joinPath(folder(), 'apps/production/kustomization.yaml');
	await vscode.window.showTextDocument(uri);
	const lenses = await until('the CodeLens', async () => {
		const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
		return l?.some((x) => x.command?.command === 'fleetscope.revealInFleet') ? l : undefined;
	}, [api.ctx.onDidChangeFleet]);
	const lens = lenses.find((x) => x.command?.command === 'fleetscope.revealInFleet')!;
	assert.equal(lens.range.start.line, 0);
	assert.equal(lens.command!.title, 'reaches 2 clusters: prod-eu-west-1, prod-us-east-1');
	assert.equal(await api.ctx.revealCluster(folder().toString(), 'prod-us-east-1'), true);
	// The selection comes back from the workbench asynchronously (a remote window: a round trip).
	await until('prod-us-east-1 selected in the Clusters view', () => (api.views.clusters.view.selection[0]?.label === 'prod-us-east-1' ? true : undefined), [api.views.clusters.view.onDidChangeSelection as vscode.Event<unknown>]);
});

test('Promotion: the behind marker, and Compare with Previous Environment opens a diff of exactly what the promotion changes', async () => {
	const tree = api.views.promotion;
	const production = await node(tree, 'orders-api', 'production');
	const row = item(tree, production);
	assert.equal(row.description, '2.14.0 · behind: staging runs 2.14.1');
	assert.equal(row.contextValue, 'promotionEnvironment compare behind');
	assert.equal(icon(row), 'warning');
	await vscode.commands.executeCommand(row.command!.command, ...(row.command!.arguments ?? []));
	assert.equal(vscode.window.activeTextEditor!.document.lineAt(vscode.window.activeTextEditor!.selection.active.line).text.trim(), 'newTag: 2.14.0');
	const uris = (await vscode.commands.executeCommand<{ before: vscode.Uri; after: vscode.Uri }>('fleetscope.compareWithPrevious', { ...production, target: { ...production.target, clusters: ['prod-us-east-1'] } }))!;
	const tab = vscode.window.tabGroups.activeTabGroup.activeTab!;
	assert.ok(tab.input instanceof vscode.TabInputTextDiff, 'a diff editor is open');
	assert.equal((tab.input as vscode.TabInputTextDiff).original.toString(), uris.before.toString());
	const before = (await vscode.workspace.openTextDocument(uris.before)).getText().split('\n');
	const after = (await vscode.workspace.openTextDocument(uris.after)).getText().split('\n');
	const changed = before.flatMap((l, i) => (l === after[i] ? [] : [`${l.trim()} -> ${after[i].trim()}`]));
	assert.equal(changed.length, 1, changed.join('\n'));
	assert.match(changed[0], /^image: ghcr\.io\/acme\/orders-api:2\.14\.0@sha256:\w+ -> image: ghcr\.io\/acme\/orders-api:2\.14\.1@sha256:\w+$/);
});

test('Compliance: frameworks, a control with failures per environment, its findings open at their line', async () => {
	const tree = api.views.compliance;
	const cis = await until('the compliance view complete', async () => {
		tree.refresh();
		const n = (await children(tree)).find((x) => x.label === 'CIS Kubernetes Benchmark');
		return n && !n.description?.includes('validating') ? n : undefined;
	}, [tree.onDidChangeTreeData as vscode.Event<unknown>]);
	const control = (await children(tree, cis)).find((n) => n.label === 'CIS-K8S-5.1.1')!;
	assert.equal(item(tree, control).description, 'dev 1 failed · staging 1 failed · production 1 failed · performance 1 failed');
	const [finding] = await children(tree, control);
	const f = item(tree, finding);
	assert.match(String(f.label), /^[\w./-]+\.yaml:\d+$/);
	const [file, line] = String(f.label).split(':');
	assert.equal(f.resourceUri?.toString(), vscode.Uri.joinPath(folder(), file).toString());
	await vscode.commands.executeCommand(f.command!.command, ...(f.command!.arguments ?? []));
	const editor = vscode.window.activeTextEditor!;
	assert.equal(vscode.workspace.asRelativePath(editor.document.uri), file);
	assert.equal(editor.selection.active.line + 1, Number(line));
});

import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FleetscopeApi } from '../../client/src/extension';
import type { ExplorerNode } from '../../client/src/views/nodes';
import type { ExplorerTree } from '../../client/src/views/tree';
import { test, until } from './harness';

/**
 * Drift in a real extension host: the example fleet, its two simulated clusters in KUBECONFIG, the
 * production one carrying the drift planted in tools/kube-sim/fixtures/production.yaml (kubectl set
 * image put podinfo 6.5.4 where Git says 6.5.3, kubectl edit switched its log level, its
 * PodDisruptionBudget was deleted, a ConfigMap lingers after it left Git). The Drift view, its
 * actions, the drift CodeLens and the Clusters view's drift counts, as a user meets them.
 */

const PROD_CONTEXT = 'arn:aws:eks:us-east-1:444455556666:cluster/prod-us-east-1';
const folder = () => vscode.workspace.workspaceFolders![0].uri;
let api: FleetscopeApi;

async function activated(): Promise<FleetscopeApi> {
	api ??= await vscode.extensions.getExtension<FleetscopeApi>('fleetscope.fleetscope')!.activate();
	return api;
}

/** The node with this label under the path of labels, or undefined. */
async function find(tree: ExplorerTree, ...labels: string[]): Promise<ExplorerNode | undefined> {
	let current: ExplorerNode | undefined;
	for (const label of labels) {
		current = (await tree.getChildren(current)).find((k) => k.label === label);
		if (!current) return undefined;
	}
	return current;
}

const icon = (i: vscode.TreeItem) => (i.iconPath instanceof vscode.ThemeIcon ? i.iconPath.id : undefined);

/** The drifted Deployment of prod-us-east-1, once the cluster has been read and compared. */
async function deployment(): Promise<ExplorerNode> {
	const tree = (await activated()).views.drift;
	return until('the planted drift of prod-us-east-1 in the Drift view', async () => {
		tree.refresh();
		const n = await find(tree, 'prod-us-east-1', 'podinfo', 'Deployment podinfo');
		return n?.description === 'drifted · 2 fields' ? n : undefined;
	}, [tree.onDidChangeTreeData as vscode.Event<unknown>, api.ctx.onDidChangeDrift]);
}

test('Drift: the view shows the planted drift of prod-us-east-1: the image and log level changed by hand, the deleted PDB, the lingering ConfigMap; staging in sync', async () => {
	const d = await deployment();
	const tree = api.views.drift;
	const prod = tree.getTreeItem((await find(tree, 'prod-us-east-1'))!);
	assert.match(String(prod.description), /^1 drifted · 1 missing · 1 extraneous · 2 unknown · \d+ in sync$/);
	assert.equal(icon(prod), 'diff-modified');
	assert.match(String(tree.getTreeItem((await find(tree, 'staging-eu-west-1'))!).description), /^in sync · \d+ objects$/);
	const item = tree.getTreeItem(d);
	assert.equal(item.contextValue, 'driftObject drifted source diff kubectl');
	assert.equal(item.command?.command, 'fleetscope.drift.showDiff');
	assert.equal(item.collapsibleState, vscode.TreeItemCollapsibleState.Expanded);
	const fields = (await tree.getChildren(d)).map((f) => `${f.label}: ${f.description}`);
	assert.equal(fields.length, 2, fields.join('\n'));
	assert.match(fields[0], /^containers\[name=podinfo\]\.image: …\/podinfo:6\.5\.3@sha256:\w+… -> …\/podinfo:6\.5\.4 · kubectl-set \d+ h ago$/);
	assert.match(fields[1], /^containers\[name=podinfo\]\.command\[2\]: --level=info -> --level=debug · kubectl-edit \d+ min ago$/);
	const podinfo = (await tree.getChildren((await find(tree, 'prod-us-east-1', 'podinfo'))!)).map((n) => `${n.label} ${n.contextValue}`);
	assert.deepEqual(podinfo, ['Deployment podinfo driftObject drifted source diff kubectl', 'PodDisruptionBudget podinfo driftObject missing source diff kubectl', 'ConfigMap podinfo-legacy driftObject extraneous diff kubectl']);
});

test('Drift: Show Diff opens a diff of two fleetscope: documents whose sides show Git\'s image and the live one', async () => {
	const d = await deployment();
	const uris = (await vscode.commands.executeCommand<{ git: vscode.Uri; live: vscode.Uri }>('fleetscope.drift.showDiff', d))!;
	const tab = await until('the diff editor', () => {
		const t = vscode.window.tabGroups.activeTabGroup.activeTab;
		return t?.input instanceof vscode.TabInputTextDiff ? t : undefined;
	}, [vscode.window.tabGroups.onDidChangeTabs as vscode.Event<unknown>]);
	const input = tab.input as vscode.TabInputTextDiff;
	assert.equal(input.original.toString(), uris.git.toString());
	assert.equal(input.modified.toString(), uris.live.toString());
	assert.equal(tab.label, 'Deployment podinfo/podinfo: Git ↔ prod-us-east-1');
	assert.equal(uris.git.scheme, 'fleetscope');
	const git = (await vscode.workspace.openTextDocument(uris.git)).getText();
	const live = (await vscode.workspace.openTextDocument(uris.live)).getText();
	assert.match(git, /image: ghcr\.io\/stefanprodan\/podinfo:6\.5\.3@sha256:/);
	assert.match(git, /- --level=info/);
	assert.match(live, /image: ghcr\.io\/stefanprodan\/podinfo:6\.5\.4\n/);
	assert.match(live, /- --level=debug/);
});

test('Drift: Open Source opens the line that produced Git\'s value; Copy kubectl Command copies a command through the cluster\'s context', async () => {
	const d = await deployment();
	const [image] = await api.views.drift.getChildren(d);
	const editor = (await vscode.commands.executeCommand<vscode.TextEditor>('fleetscope.drift.openSource', image))!;
	assert.equal(vscode.workspace.asRelativePath(editor.document.uri), 'apps/production/kustomization.yaml');
	assert.match(editor.document.lineAt(editor.selection.active.line).text, /^\s*- name: ghcr\.io\/stefanprodan\/podinfo/);
	const object = (await vscode.commands.executeCommand<vscode.TextEditor>('fleetscope.drift.openSource', d))!;
	assert.equal(vscode.workspace.asRelativePath(object.document.uri), 'apps/base/podinfo/deployment.yaml');
	assert.equal(object.selection.active.line, 0);
	const command = await vscode.commands.executeCommand<string>('fleetscope.drift.copyKubectlCommand', d);
	assert.equal(command, `kubectl --context ${PROD_CONTEXT} -n podinfo get deployment.apps podinfo -o yaml`);
	assert.equal(await vscode.env.clipboard.readText(), command);
});

test('Drift: the CodeLens on the drifted object\'s first line reveals it in the Drift view', async () => {
	await deployment();
	const uri = vscode.Uri.joinPath(folder(), 'apps/base/podinfo/deployment.yaml');
	await vscode.window.showTextDocument(uri);
	const lens = await until('the drift CodeLens', async () => {
		const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
		return lenses?.find((l) => l.command?.command === 'fleetscope.drift.reveal');
	}, [api.ctx.onDidChangeDrift]);
	assert.equal(lens.range.start.line, 0);
	assert.equal(lens.command!.title, 'drifted in 1 cluster: prod-us-east-1');
	assert.equal(await vscode.commands.executeCommand(lens.command!.command, ...(lens.command!.arguments ?? [])), 'prod-us-east-1');
	await until('Deployment podinfo selected in the Drift view', () => (api.views.drift.view.selection[0]?.label === 'Deployment podinfo' ? true : undefined), [api.views.drift.view.onDidChangeSelection as vscode.Event<unknown>]);
});

test('Clusters: prod-us-east-1\'s row says its drift', async () => {
	await deployment();
	const tree = api.views.clusters;
	const prod = await until('the drift counts on prod-us-east-1', async () => {
		tree.refresh();
		const n = await find(tree, 'production', 'prod-us-east-1');
		return n?.description?.includes('1 drifted · 1 missing · 1 extraneous') ? n : undefined;
	}, [tree.onDidChangeTreeData as vscode.Event<unknown>]);
	assert.match(prod.description!, /· behind HEAD · 1 drifted · 1 missing · 1 extraneous · \d+ errors/);
	assert.match(prod.tooltip!, /Drift \(Git versus live\): 1 drifted, 1 missing, 1 extraneous, 2 unknown; \d+ in sync/);
});

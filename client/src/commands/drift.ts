import * as vscode from 'vscode';
import { DriftRequest, type DriftState } from '../../../shared/protocol';
import type { Ctx } from '../ctx';
import { kubectlCommand } from '../views/drift';
import { driftDiffUris } from '../views/drift-documents';
import type { ExplorerDocuments } from '../views/documents';
import type { DriftTarget, ExplorerNode } from '../views/nodes';
import { fileUri } from '../views/tree';
import { openLocation } from './explorer';

/**
 * The Drift view's commands: Show Diff, Open Source, Copy kubectl Command on an object (or one of
 * its fields) of the view, on a plain `DriftTarget`, or, from the palette, on an object picked among
 * those that are not in sync; and the drift CodeLens's `fleetscope.drift.reveal`, which reveals the
 * object in the Drift view. What they show comes from the server's report.
 */

function targetOf(arg: unknown): DriftTarget | undefined {
	const t = (arg as ExplorerNode | undefined)?.target ?? (arg as DriftTarget | undefined);
	return t?.kind === 'drift' ? t : undefined;
}

/** Asks for an object of the drift report (`pred`: only those the command can act on). */
async function pickObject(ctx: Ctx, placeHolder: string, pred: (state: DriftState, t: DriftTarget) => boolean): Promise<DriftTarget | undefined> {
	const result = await ctx.request(DriftRequest.type, {});
	const items = result.folders.flatMap((f) =>
		f.report.clusters.flatMap((c) =>
			c.objects
				.filter((o) => o.state !== 'in-sync')
				.map((o) => ({ o, t: { kind: 'drift', folderUri: f.folderUri, cluster: c.name, context: c.context, object: { apiVersion: o.apiVersion, kind: o.kind, namespace: o.namespace, name: o.name, state: o.state, source: o.source } } as DriftTarget }))
				.filter(({ o, t }) => pred(o.state, t))
				.map(({ o, t }) => ({
					label: `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`,
					description: `${c.name} · ${o.state}`,
					detail: o.state === 'drifted' ? o.fields.map((x) => x.path).join(', ') : (o.reason ?? undefined),
					t,
				})),
		),
	);
	if (items.length === 0) {
		void vscode.window.showInformationMessage('Fleetscope finds no drift for this in the connected clusters: every object it compared is as Git says.');
		return undefined;
	}
	return (await vscode.window.showQuickPick(items, { placeHolder, matchOnDescription: true, matchOnDetail: true }))?.t;
}

const DIFFABLE = new Set<DriftState>(['drifted', 'missing', 'extraneous', 'unmanaged']);
const nameOf = (t: DriftTarget) => `${t.object.kind} ${t.object.namespace ? `${t.object.namespace}/` : ''}${t.object.name}`;

/** Show Diff: what Git sends the cluster and what it runs, side by side (read-only, normalised by the server, Secret values masked). */
export async function showDiff(ctx: Ctx, documents: ExplorerDocuments, arg?: unknown): Promise<{ git: vscode.Uri; live: vscode.Uri } | undefined> {
	const t = targetOf(arg) ?? (await pickObject(ctx, 'Object to compare: what Git sends the cluster and what it runs', (s) => DIFFABLE.has(s)));
	if (!t) return undefined;
	const uris = driftDiffUris(t);
	if (!(await documents.drift.diff(uris.git))) {
		void vscode.window.showInformationMessage(`${nameOf(t)} is neither in what Git sends ${t.cluster} nor in what Fleetscope read of it: nothing to compare.`);
		return undefined;
	}
	await vscode.commands.executeCommand('vscode.diff', uris.git, uris.live, `${nameOf(t)}: Git ↔ ${t.cluster}`, { preview: true });
	return uris;
}

/** Open Source: the line that produced a field's value in Git, or the object's first line. */
export async function openSource(ctx: Ctx, arg?: unknown): Promise<vscode.TextEditor | undefined> {
	const t = targetOf(arg) ?? (await pickObject(ctx, 'Object whose source to open', (_, x) => x.object.source !== null));
	if (!t) return undefined;
	const at = t.field?.source ?? t.object.source;
	if (!at) {
		void vscode.window.showInformationMessage(`${nameOf(t)} is not in Git: only ${t.cluster} has it (${t.object.state}).`);
		return undefined;
	}
	return openLocation({ folderUri: t.folderUri, path: at.file, line: at.line });
}

/** Copy kubectl Command: `kubectl --context <the context Fleetscope reads the cluster by> -n <ns> get <kind> <name> -o yaml`. */
export async function copyKubectlCommand(ctx: Ctx, arg?: unknown): Promise<string | undefined> {
	const t = targetOf(arg) ?? (await pickObject(ctx, 'Object to copy a kubectl command for (through the context Fleetscope reads its cluster by)', () => true));
	if (!t) return undefined;
	const command = kubectlCommand(t);
	await vscode.env.clipboard.writeText(command);
	void vscode.window.setStatusBarMessage(`Copied ${command}${t.context ? ` (the context Fleetscope reads ${t.cluster} by)` : ''}`, 5000);
	return command;
}

/** The drift CodeLens: reveals the object declared at that line in the Drift view; where it differs in several clusters, asks which. */
export async function revealDrift(ctx: Ctx, arg?: unknown): Promise<string | undefined> {
	const a = arg as { file?: unknown; line?: unknown; clusters?: unknown } | undefined;
	if (typeof a?.file !== 'string' || typeof a.line !== 'number' || !Array.isArray(a.clusters)) return undefined;
	const clusters = a.clusters.filter((c): c is string => typeof c === 'string');
	const cluster = clusters.length > 1 ? await vscode.window.showQuickPick(clusters, { placeHolder: `Cluster whose drift of ${a.file}:${a.line} to show` }) : clusters[0];
	if (!cluster) return undefined;
	// The file the lens is on: its folder is the one whose report names it (nested folders: the innermost).
	const editor = vscode.window.activeTextEditor?.document.uri.toString();
	const matches = (n: ExplorerNode, strict: boolean) => {
		const t = n.target;
		return t?.kind === 'drift' && !t.field && t.cluster === cluster && t.object.source?.file === a.file && t.object.source?.line === a.line && (!strict || fileUri(t.folderUri, a.file as string).toString() === editor);
	};
	await vscode.commands.executeCommand('fleetscope.drift.focus');
	if ((await ctx.revealDrift((n) => matches(n, true))) || (await ctx.revealDrift((n) => matches(n, false)))) return cluster;
	void vscode.window.showInformationMessage(`The Drift view no longer lists ${a.file}:${a.line} in ${cluster}: its drift changed meanwhile.`);
	return undefined;
}

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { PolicyTestsRequest, type PolicyTestFileResult, type PolicyTestRowResult } from '../../../shared/protocol';
import { requestType } from '../protocol';

/**
 * The Kyverno CLI tests of the workspace (`kyverno-test.yaml`) in VS Code's Testing view: a test
 * item per test file, a child per expected result. The server runs them with its policy engine
 * (`fleetscope/policyTests`); Run marks each row passed or failed with expected and actual, Debug
 * also writes every row's reason to the Fleetscope output. Nothing is read until the Testing view
 * asks (activation does no I/O).
 */
export function registerPolicyTests(client: () => LanguageClient | undefined, log: vscode.LogOutputChannel): vscode.Disposable {
	const controller = vscode.tests.createTestController('fleetscopePolicyTests', 'Fleetscope policy tests');
	const refresh = async (): Promise<void> => {
		const result = await request(client(), log);
		if (result) sync(controller, result.tests);
	};
	controller.resolveHandler = async (item) => {
		if (!item) await refresh();
	};
	controller.refreshHandler = () => refresh();
	const run = (debug: boolean) => (req: vscode.TestRunRequest, token: vscode.CancellationToken) => runTests(controller, client(), log, req, token, debug);
	controller.createRunProfile('Run', vscode.TestRunProfileKind.Run, run(false), true);
	controller.createRunProfile('Debug (show each reason)', vscode.TestRunProfileKind.Debug, run(true), true);
	// New, changed or deleted test files: the tree is listed again once it has been shown.
	const watcher = vscode.workspace.createFileSystemWatcher('**/kyverno-test.yaml');
	const changed = () => {
		if (controller.items.size > 0) void refresh();
	};
	return vscode.Disposable.from(controller, watcher, watcher.onDidCreate(changed), watcher.onDidDelete(changed), watcher.onDidChange(changed));
}

async function request(c: LanguageClient | undefined, log: vscode.LogOutputChannel, uri?: string): Promise<{ tests: PolicyTestFileResult[] } | undefined> {
	if (!c?.isRunning()) {
		log.warn('The Fleetscope language server is not running: the policy tests cannot be listed or run.');
		return undefined;
	}
	try {
		return await c.sendRequest(requestType(PolicyTestsRequest.type), uri ? { uri } : {});
	} catch (e) {
		log.error(`Policy tests failed: ${e instanceof Error ? e.message : String(e)}`);
		return undefined;
	}
}

const rowId = (file: string, i: number) => `${file}#${i}`;

function rowLabel(r: PolicyTestRowResult): string {
	return `${r.policy}${r.rule ? `/${r.rule}` : ''} · ${r.kind} ${r.resource} → ${r.expected}`;
}

/** The item of one test file, its children the file's rows (created or updated in place). */
function fileItem(controller: vscode.TestController, t: PolicyTestFileResult): vscode.TestItem {
	const uri = vscode.Uri.parse(t.uri);
	const file = controller.items.get(t.uri) ?? controller.createTestItem(t.uri, t.label, uri);
	file.label = t.label;
	file.error = t.error;
	file.children.replace(
		t.results.map((r, i) => {
			const child = controller.createTestItem(rowId(t.uri, i), rowLabel(r), uri);
			if (r.line !== undefined) child.range = new vscode.Range(r.line, 0, r.line, 0);
			return child;
		}),
	);
	return file;
}

/** Makes the tree match the server's list: one item per file, one child per row. */
function sync(controller: vscode.TestController, tests: readonly PolicyTestFileResult[]): void {
	controller.items.replace(tests.map((t) => fileItem(controller, t)));
}

function message(r: PolicyTestRowResult): vscode.TestMessage {
	return vscode.TestMessage.diff(`Expected ${r.expected}, Fleetscope computed ${r.actual}: ${r.reason}`, r.expected, r.actual);
}

async function runTests(controller: vscode.TestController, c: LanguageClient | undefined, log: vscode.LogOutputChannel, req: vscode.TestRunRequest, token: vscode.CancellationToken, debug: boolean): Promise<void> {
	const run = controller.createTestRun(req);
	// The files to run: those asked for (a row runs its file), else all.
	const asked = req.include ?? [...iterate(controller.items)];
	const fileIds = [...new Set(asked.map((i) => i.id.split('#')[0]))];
	const excluded = new Set((req.exclude ?? []).map((i) => i.id));
	try {
		for (const id of fileIds) {
			if (token.isCancellationRequested) break;
			const result = await request(c, log, id);
			const t = result?.tests[0];
			const file = controller.items.get(id);
			if (!t || !file) {
				if (file) run.errored(file, new vscode.TestMessage('Fleetscope could not run this test file (see the Fleetscope output).'));
				continue;
			}
			const item = fileItem(controller, t);
			run.started(item);
			if (t.error) run.errored(item, new vscode.TestMessage(t.error));
			let failed = false;
			t.results.forEach((r, i) => {
				const child = item.children.get(rowId(id, i));
				if (!child || excluded.has(child.id) || (req.include && !req.include.some((x) => x.id === id || x.id === child.id))) return;
				if (debug) log.info(`${t.label}: ${rowLabel(r)}: ${r.actual} — ${r.reason}`);
				if (r.agrees === undefined) run.skipped(child);
				else if (r.agrees) run.passed(child);
				else {
					failed = true;
					run.failed(child, message(r));
				}
				if (debug || r.agrees === false) run.appendOutput(`${rowLabel(r)}: ${r.actual} (${r.reason})\r\n`, undefined, child);
			});
			if (!t.error) (failed ? run.failed(item, new vscode.TestMessage('Some expected results do not agree.')) : run.passed(item));
		}
	} finally {
		run.end();
		if (debug) log.show(true);
	}
}

function* iterate(items: vscode.TestItemCollection): Generator<vscode.TestItem> {
	const all: vscode.TestItem[] = [];
	items.forEach((i) => all.push(i));
	yield* all;
}

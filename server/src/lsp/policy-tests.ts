import * as path from 'node:path';
import { ErrorCodes, ResponseError, type Connection, type TextDocuments } from 'vscode-languageserver';
import type { SegmentedDocument } from './text-document';
import { PolicyTestsRequest, type PolicyTestFileResult, type PolicyTestsParams, type PolicyTestsResult } from '../../../shared/protocol';
import { PolicyEvaluator } from '../engine/rules/policy/policy-set';
import { agrees } from '../engine/rules/policy/testing/kyverno-test';
import { findPolicyTests, readText, runPolicyTestFile } from '../host/policy-tests';
import { requestType } from './protocol';
import { uriToPath } from './uri';
import type { Workspace } from '../workspace/workspace';

/**
 * `fleetscope/policyTests`: the Kyverno CLI tests of the workspace folders (or one test file), run
 * by the policy engine with the editor's unsaved text where a file is open, for the client's
 * Testing view. The handler owns its policy evaluator (compiled policies are reused between runs).
 */

export interface PolicyTestsHost {
	workspace: Workspace;
	documents: TextDocuments<SegmentedDocument>;
}

export function registerPolicyTests(connection: Connection, host: PolicyTestsHost): void {
	const evaluator = new PolicyEvaluator();
	connection.onRequest(requestType(PolicyTestsRequest.type), (params: PolicyTestsParams) => {
		try {
			return policyTests(host, evaluator, params);
		} catch (e) {
			connection.console.error(`policyTests failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
			throw new ResponseError(ErrorCodes.InternalError, `Fleetscope could not run the policy tests: ${e instanceof Error ? e.message : String(e)}`);
		}
	});
}

/** The line of a result row's resource in the test file (block or flow list): where its test item sits. */
function lineOf(lines: readonly string[], resource: string): number | undefined {
	const escaped = resource.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	const re = new RegExp(`(^|[\\s\\[,"'])${escaped}($|[\\s\\],"'])`);
	const i = lines.findIndex((l) => re.test(l) && !/^\s*(name|policy|rule|kind):/.test(l));
	return i < 0 ? undefined : i;
}

export function policyTests(host: PolicyTestsHost, evaluator: PolicyEvaluator, params: PolicyTestsParams): PolicyTestsResult {
	const open = new Map<string, string>();
	for (const d of host.documents.all()) {
		const file = uriToPath(d.uri);
		if (file) open.set(path.resolve(file), d.getText());
	}
	const read = (p: string) => open.get(path.resolve(p)) ?? readText(p);
	let files: { file: string; folderRoot: string; uriOf: (rel: string) => string }[] = [];
	if (params?.uri) {
		const file = uriToPath(params.uri);
		const loc = file ? host.workspace.locate(file) : undefined;
		if (!file || !loc) throw new ResponseError(ErrorCodes.InvalidParams, `${String(params.uri)} is not a file of a workspace folder of the Fleetscope server.`);
		files = [{ file: path.resolve(file), folderRoot: loc.folder.root, uriOf: (rel) => loc.folder.uriOfFile(rel) }];
	} else {
		// A test of a nested workspace folder belongs to that folder (listed once).
		for (const folder of host.workspace.folders) for (const file of findPolicyTests(folder.root)) if (host.workspace.locate(file)?.folder === folder) files.push({ file, folderRoot: folder.root, uriOf: (rel) => folder.uriOfFile(rel) });
	}
	const tests: PolicyTestFileResult[] = [];
	for (const f of files) {
		const rel = path.relative(f.folderRoot, f.file).split(path.sep).join('/');
		const result = runPolicyTestFile(evaluator, f.file, rel, read);
		const lines = (read(f.file) ?? '').split('\n');
		tests.push({
			uri: f.uriOf(rel),
			label: rel,
			...(result.error ? { error: result.error } : {}),
			results: result.results.map((r) => ({
				policy: r.policy,
				rule: r.rule,
				kind: r.kind,
				namespace: r.namespace,
				resource: r.resource,
				expected: r.expected,
				actual: r.actual,
				reason: r.reason,
				...(r.actual === 'not-evaluated' ? {} : { agrees: agrees(r) }),
				...(lineOf(lines, r.resource) !== undefined ? { line: lineOf(lines, r.resource) } : {}),
			})),
		});
	}
	return { tests };
}

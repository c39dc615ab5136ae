import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseFile } from '../engine/core/parse';
import type { PolicyEvaluator } from '../engine/rules/policy/policy-set';
import { isKyvernoTest, runKyvernoTest, type TestFileResult } from '../engine/rules/policy/testing/kyverno-test';

/**
 * Kyverno CLI tests on disk, for `fleetscope policy test` and the editor's Testing view: finding
 * every `kyverno-test.yaml` under a directory (hidden directories included: the Kyverno policy
 * library keeps its tests in `.kyverno-test/`), and running one through the engine's test runner
 * with files read from disk (or, in the editor, from the open documents first).
 */

const SKIP_DIRS = new Set(['node_modules', '.git']);

export function findPolicyTests(dir: string, out: string[] = []): string[] {
	let entries: string[];
	try {
		entries = readdirSync(dir).sort();
	} catch {
		return out;
	}
	for (const name of entries) {
		if (SKIP_DIRS.has(name)) continue;
		const p = `${dir}/${name}`;
		let directory: boolean;
		try {
			directory = statSync(p).isDirectory();
		} catch {
			continue;
		}
		if (directory) findPolicyTests(p, out);
		else if (name === 'kyverno-test.yaml') out.push(resolve(p));
	}
	return out;
}

export function readText(path: string): string | undefined {
	try {
		return readFileSync(path, 'utf8');
	} catch {
		return undefined;
	}
}

/** Runs the test file `file` (an absolute path); `label` names it in the results. */
export function runPolicyTestFile(evaluator: PolicyEvaluator, file: string, label: string, read: (path: string) => string | undefined = readText): TestFileResult {
	const text = read(file);
	const value = text === undefined ? undefined : parseFile(text).documents[0]?.value;
	if (!isKyvernoTest(value)) return { file: label, results: [], error: text === undefined ? 'the file cannot be read' : 'not a cli.kyverno.io Test' };
	return runKyvernoTest(evaluator, label, value, (p) => read(resolve(dirname(file), p)));
}

import { statSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { PolicyEvaluator } from '../engine/rules/policy/policy-set';
import { agrees, type TestFileResult, type TestRow } from '../engine/rules/policy/testing/kyverno-test';
import { findPolicyTests, runPolicyTestFile } from '../host/policy-tests';
import { UsageError, type PolicyTestOptions } from './args';

/**
 * `fleetscope policy test [DIR...]`: every `kyverno-test.yaml` under the directories (hidden ones
 * included: the policy library keeps them in `.kyverno-test/`), run by Fleetscope's policy engine
 * and compared with its expected results. Exit 0 when every row agrees, 1 on a mismatch; rows
 * Fleetscope does not evaluate (mutate, generate) are listed, not counted as mismatches.
 */

export interface PolicyTestReport {
	tests: TestFileResult[];
}

export function runPolicyTests(options: PolicyTestOptions, cwd: string): PolicyTestReport {
	const dirs = (options.dirs.length > 0 ? options.dirs : ['.']).map((d) => resolve(cwd, d));
	for (const d of dirs) {
		try {
			statSync(d);
		} catch {
			throw new UsageError(`no such directory: ${relative(cwd, d) || d}`);
		}
	}
	const files = dirs.flatMap((d) => (statSync(d).isFile() ? [d] : findPolicyTests(d)));
	if (files.length === 0) throw new UsageError(`no kyverno-test.yaml under ${options.dirs.join(', ') || '.'}`);
	const evaluator = new PolicyEvaluator();
	return { tests: files.map((f) => runPolicyTestFile(evaluator, f, relative(cwd, f).split('\\').join('/'))) };
}

/** Whether the report fails: a row that disagrees (not-evaluated rows do not count). */
export function hasMismatch(report: PolicyTestReport): boolean {
	return report.tests.some((t) => t.results.some((r) => r.actual !== 'not-evaluated' && !agrees(r)));
}

/** The JSON of the issue's shape: tests, each file with its result rows. */
export function formatPolicyJson(report: PolicyTestReport): string {
	const row = (r: TestRow) => ({ policy: r.policy, rule: r.rule, kind: r.kind, namespace: r.namespace, resource: r.resource, expected: r.expected, actual: r.actual, reason: r.reason });
	return `${JSON.stringify({ tests: report.tests.map((t) => ({ file: t.file, results: t.results.map(row) })) }, null, 2)}\n`;
}

export function formatPolicyText(report: PolicyTestReport): string {
	const lines: string[] = [];
	let agree = 0;
	let mismatch = 0;
	let notEvaluated = 0;
	for (const t of report.tests) {
		lines.push(t.file);
		if (t.error) lines.push(`  ! ${t.error}`);
		for (const r of t.results) {
			const what = `${r.policy}${r.rule ? `/${r.rule}` : ''} ${r.kind} ${r.namespace && !r.resource.includes('/') ? `${r.namespace}/` : ''}${r.resource}`;
			if (r.actual === 'not-evaluated') {
				notEvaluated++;
				lines.push(`  - ${what}: expected ${r.expected}, not evaluated (${r.reason})`);
			} else if (agrees(r)) {
				agree++;
				lines.push(`  ✓ ${what}: ${r.actual}`);
			} else {
				mismatch++;
				lines.push(`  ✗ ${what}: expected ${r.expected}, got ${r.actual} (${r.reason})`);
			}
		}
	}
	lines.push('', `${report.tests.length} test file${report.tests.length === 1 ? '' : 's'}: ${agree} agree, ${mismatch} mismatch${mismatch === 1 ? '' : 'es'}, ${notEvaluated} not evaluated (mutate, generate or image rules)`);
	return `${lines.join('\n')}\n`;
}

/** Runs `policy test` for the CLI: the report to stdout or --output, the exit code (usage errors are main's). */
export function runPolicyTestCommand(options: PolicyTestOptions, io: { cwd: string; stdout(s: string): void; stderr(s: string): void }): number {
	const report = runPolicyTests(options, io.cwd);
	const text = options.format === 'json' ? formatPolicyJson(report) : formatPolicyText(report);
	if (options.output) {
		writeFileSync(options.output, text);
		io.stderr(`Policy test report written to ${options.output}\n`);
	} else io.stdout(text);
	return hasMismatch(report) ? 1 : 0;
}

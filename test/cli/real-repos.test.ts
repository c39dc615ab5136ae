import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { EXAMPLE_FLEET, EXPECTATIONS_FILE, plantedAt, plantedFindings, runExample } from './example-fleet';
import { ensureCliBuilt, runCli } from './run';

/**
 * The "done when" of the foundation: `fleetscope check` on the public fluxcd
 * flux2-kustomize-helm-example repository reports no error (a false-positive guard), and on the
 * example fleet each planted mistake is reported at its exact line.
 */
before(() => ensureCliBuilt());

interface JsonFinding {
	file: string;
	line: number;
	column: number;
	severity: string;
	ruleId: string;
	message: string;
}

test('fluxcd/flux2-kustomize-helm-example: no error-level finding at the rules\' own severities', async () => {
	const r = await runCli(['check', 'test/fixtures/real-world/flux2-kustomize-helm-example', '--format', 'json', '--no-production-escalation']);
	const report = JSON.parse(r.stdout);
	const errors = report.findings.filter((f: JsonFinding) => f.severity === 'error');
	assert.deepEqual(errors, [], 'false positives on a real repository');
	assert.equal(r.code, 0);
	// Every manifest of the fixture was checked (a check that finds no file cannot pass this test).
	assert.equal(report.summary.files, 20);
});

test('fluxcd/flux2-kustomize-helm-example: with production escalation on, the only errors are compliance warnings of files that reach its production cluster, saying so', async () => {
	const r = await runCli(['check', 'test/fixtures/real-world/flux2-kustomize-helm-example', '--format', 'json']);
	const errors = JSON.parse(r.stdout).findings.filter((f: JsonFinding) => f.severity === 'error');
	assert.ok(errors.length > 0, 'the example has no NetworkPolicy and no Pod Security label: warnings that production raises');
	for (const e of errors as JsonFinding[]) assert.match(e.message, /Raised from warning to error because it reaches the production cluster production\.$/, `${e.file}:${e.line} ${e.ruleId}`);
});

test('examples/fleet: every planted mistake is reported at its exact line', async () => {
	assert.ok(existsSync(EXPECTATIONS_FILE), `${EXPECTATIONS_FILE} is missing: it lists the planted mistakes of ${EXAMPLE_FLEET} as [{id, file, line, ruleId, messageIncludes}]`);
	assert.ok(existsSync(EXAMPLE_FLEET), `${EXAMPLE_FLEET} is missing`);
	assert.ok(plantedFindings().length > 0, `${EXPECTATIONS_FILE} lists no mistakes`);
	// The example fleet is the checked root: its files are reported relative to it. On the example's day
	// (in this process): DR-test ages and end-of-support dates move with time.
	const versions = [undefined, ...new Set(plantedFindings().flatMap((p) => (p.kubernetesVersion ? [p.kubernetesVersion] : [])))];
	for (const v of versions) {
		const r = await runExample(['check', EXAMPLE_FLEET, '--format', 'json', '--fail-on', 'never', ...(v ? ['--kubernetes-version', v] : [])]);
		assert.equal(r.code, 0, r.stderr);
		const findings: JsonFinding[] = JSON.parse(r.stdout).findings;
		for (const e of plantedAt(v)) {
			const match = findings.find((f) => f.file === e.file && f.line === e.line && f.ruleId === e.ruleId && f.message.includes(e.messageIncludes));
			const near = findings.filter((f) => f.file === e.file).map((f) => `${f.line}:${f.column} ${f.ruleId} ${f.message}`);
			assert.ok(match, `expected ${e.ruleId} at ${e.file}:${e.line}${v ? ` (--kubernetes-version ${v})` : ''} with "${e.messageIncludes}"; that file has:\n${near.join('\n') || '(no findings)'}`);
		}
	}
});

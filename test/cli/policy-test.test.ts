import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureCliBuilt, runCli } from './run';

/**
 * `fleetscope policy test`: Kyverno CLI tests without the kyverno binary, on fixtures whose
 * expected results were written by hand (test/fixtures/policy-tests/README.md).
 */

ensureCliBuilt();
const FIXTURES = 'test/fixtures/policy-tests';

test('every expectation agrees: exit 0, one line per result', async () => {
	const r = await runCli(['policy', 'test', `${FIXTURES}/passing`]);
	assert.equal(r.code, 0, r.stderr);
	assert.match(r.stdout, /✓ disallow-latest\/require-image-tag Pod default\/untagged-pod: fail/);
	assert.match(r.stdout, /✓ max-replicas Deployment default\/big-deploy: fail/);
	assert.match(r.stdout, /1 test file: 12 agree, 0 mismatches, 0 not evaluated/);
});

test('JSON has the issue\'s shape, with Fleetscope\'s actual result and reason per row', async () => {
	const r = await runCli(['policy', 'test', `${FIXTURES}/passing`, '--format', 'json']);
	assert.equal(r.code, 0, r.stderr);
	const json = JSON.parse(r.stdout) as { tests: { file: string; results: Record<string, string>[] }[] };
	assert.equal(json.tests.length, 1);
	assert.equal(json.tests[0].file, `${FIXTURES}/passing/kyverno-test.yaml`);
	const row = json.tests[0].results.find((x) => x.policy === 'max-replicas' && x.resource === 'big-deploy');
	assert.deepEqual(Object.keys(row!).sort(), ['actual', 'expected', 'kind', 'namespace', 'policy', 'reason', 'resource', 'rule'].sort());
	assert.equal(row!.actual, 'fail');
	assert.equal(row!.expected, 'fail');
	assert.equal(row!.reason, 'at most 5 replicas, not 9');
	assert.equal(row!.namespace, 'default');
});

test('a wrong expectation is a mismatch: exit 1, saying expected and actual with the reason', async () => {
	const r = await runCli(['policy', 'test', `${FIXTURES}/failing`]);
	assert.equal(r.code, 1);
	assert.match(r.stdout, /✗ disallow-latest\/validate-image-tag Pod shop\/latest-pod: expected pass, got fail \(Using a mutable image tag/);
});

test('a mutate rule is listed as not evaluated and does not fail the run', async () => {
	const r = await runCli(['policy', 'test', `${FIXTURES}/mutate`, '--format', 'json']);
	assert.equal(r.code, 0, r.stderr);
	const json = JSON.parse(r.stdout) as { tests: { results: { actual: string }[] }[] };
	assert.equal(json.tests[0].results[0].actual, 'not-evaluated');
});

test('a test that names a missing file fails with the reason', async () => {
	const r = await runCli(['policy', 'test', `${FIXTURES}/broken`]);
	assert.equal(r.code, 1);
	assert.match(r.stdout, /the test cannot read missing-policy\.yaml, missing-resources\.yaml/);
});

test('several directories at once, and --output writes the report to a file', async () => {
	const dir = mkdtempSync(join(tmpdir(), 'fleetscope-policy-test-'));
	try {
		const out = join(dir, 'report.json');
		const r = await runCli(['policy', 'test', `${FIXTURES}/passing`, `${FIXTURES}/mutate`, '--format', 'json', '--output', out]);
		assert.equal(r.code, 0, r.stderr);
		assert.equal(r.stdout, '');
		assert.match(r.stderr, /written to/);
		assert.equal((JSON.parse(readFileSync(out, 'utf8')) as { tests: unknown[] }).tests.length, 2);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});

test('usage errors exit 2: no such directory, no test under it, a wrong format or subcommand', async () => {
	for (const args of [
		['policy', 'test', 'no/such/dir'],
		['policy', 'test', 'server/src/cli'],
		['policy', 'test', FIXTURES, '--format', 'sarif'],
		['policy', 'run'],
		['policy', 'test', FIXTURES, '--fail-on', 'warning'],
	]) {
		const r = await runCli(args);
		assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
		assert.match(r.stderr, /fleetscope: /);
	}
});

import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureCliBuilt, runCli } from './run';

/**
 * The end-to-end test (test/e2e/run.mjs) asserts exact Problems panel rows for its fixture
 * repositories; these checks catch a new rule firing on them in the fast suite, not minutes later.
 */

before(() => ensureCliBuilt());

interface J {
	findings: { file: string; line: number; column: number; ruleId: string }[];
}
const brief = (j: J) => j.findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.ruleId}`);

test('e2e-repo: exactly the two planted mistakes', async () => {
	const r = await runCli(['check', 'test/fixtures/e2e-repo', '--format', 'json']);
	assert.deepEqual(brief(JSON.parse(r.stdout)), ['apps/web/deployment.yaml:9:13 schema-type', 'apps/web/deployment.yaml:24:11 schema-unknown-field']);
});

test('e2e-live-repo: the ExternalSecret has no static finding (its only one is live), the Fleet file two DORA notes', async () => {
	const r = await runCli(['check', 'test/fixtures/e2e-live-repo', '--format', 'json']);
	assert.deepEqual(brief(JSON.parse(r.stdout)), ['fleet.yaml:10:3 dora-provider-concentration', 'fleet.yaml:13:15 dora-region-concentration']);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { conformance } from './conformance-run';

/**
 * The Kyverno policy library's own tests (test/fixtures/kyverno-policies, ten categories copied
 * unchanged from kyverno/policies): at least 95% of the validate result rows agree with Kyverno's
 * expected results. `npm run conformance` prints the same measure per category.
 */
test('Kyverno policy library conformance: at least 95% of validate rows agree, in every category', () => {
	const report = conformance('test/fixtures/kyverno-policies');
	assert.equal(report.categories.length, 10, 'ten categories');
	assert.ok(report.total > 2500, `validate rows measured: ${report.total}`);
	const overall = report.agree / report.total;
	assert.ok(overall >= 0.95, `overall agreement ${(overall * 100).toFixed(1)}%; misses:\n${report.misses.slice(0, 20).map((m) => `${m.file} ${m.policy}/${m.rule} ${m.kind} ${m.resource}: expected ${m.expected}, got ${m.actual} (${m.reason})`).join('\n')}`);
	for (const c of report.categories) assert.ok(c.total === 0 || c.agree / c.total >= 0.95, `${c.name}: ${c.agree}/${c.total}`);
	// Mutate and generate rows are outside the measure, and reported as such.
	assert.ok(report.outside > 0);
});

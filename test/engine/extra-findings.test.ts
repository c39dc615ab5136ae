import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type ExtraProblems } from '../../server/src/engine/analysis/engine';
import { EMPTY_REPO } from '../../server/src/engine/context/check-context';
import type { Resource } from '../../server/src/engine/core/resource';
import { bareEngine, brief } from './helpers';
// Registers the live rules, whose default severities the placed findings take.
import '../../server/src/engine/rules/live';

/**
 * `Engine.extraFindings`: problems from outside the engine (the live cluster state) placed like the
 * engine's own and cached per YAML document, so typing in one document re-checks only that one.
 */

const DOC = (name: string, secret: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  volumes:\n    - name: db\n      secret:\n        secretName: ${secret}\n`;

/** Reports every secret volume of a Pod as missing; counts the resources it was asked about. */
function missingSecrets(key = 'k1'): ExtraProblems & { calls: string[] } {
	const calls: string[] = [];
	return {
		key,
		calls,
		problems(r: Resource) {
			calls.push(String(r.name));
			return [{ ruleId: 'live-missing-reference', path: ['spec', 'volumes', 0, 'secret', 'secretName'], target: 'value', message: `Secret of ${r.name} is missing` }];
		},
	};
}

test('extra problems are placed on the exact value, with the rule\'s default severity', () => {
	const engine = bareEngine();
	const a = engine.analyze({ path: 'pod.yaml', text: DOC('a', 'db-credentials') });
	const f = engine.extraFindings(a, EMPTY_REPO, missingSecrets());
	assert.deepEqual(f.map(brief), ['8:20-8:34 live-missing-reference']);
	assert.deepEqual([f[0].severity, f[0].message], ['error', 'Secret of a is missing']);
});

test('cached per document: an edit in one document of a file asks again only for that one; a new key asks for all', () => {
	const engine = bareEngine();
	const text = `${DOC('a', 'x')}---\n${DOC('b', 'y')}`;
	const extra = missingSecrets();
	const v1 = engine.analyze({ path: 'pods.yaml', text });
	assert.deepEqual(engine.extraFindings(v1, EMPTY_REPO, extra).map(brief), ['8:20-8:21 live-missing-reference', '18:20-18:21 live-missing-reference']);
	assert.deepEqual(extra.calls, ['a', 'b']);
	// A line added to the first document: only it is checked again, the second one's finding moves down.
	const v2 = engine.analyze({ path: 'pods.yaml', text: `# note\n${text}` }, EMPTY_REPO, v1);
	assert.deepEqual(engine.extraFindings(v2, EMPTY_REPO, extra).map(brief), ['9:20-9:21 live-missing-reference', '19:20-19:21 live-missing-reference']);
	assert.deepEqual(extra.calls, ['a', 'b', 'a']);
	// Nothing changed: nothing is asked.
	engine.extraFindings(v2, EMPTY_REPO, extra);
	assert.deepEqual(extra.calls, ['a', 'b', 'a']);
	// Another cluster state: every document again.
	const next = missingSecrets('k2');
	engine.extraFindings(v2, EMPTY_REPO, next);
	assert.deepEqual(next.calls, ['a', 'b']);
});

test('severity settings and inline exemptions apply to extra findings; the directive is not reported twice', () => {
	const off = bareEngine({ severity: { 'live-missing-reference': 'off' } });
	assert.deepEqual(off.extraFindings(off.analyze({ path: 'pod.yaml', text: DOC('a', 'x') }), EMPTY_REPO, missingSecrets()), []);
	const engine = bareEngine();
	const text = DOC('a', 'x # fleetscope-ignore live-missing-reference -- created by the platform team out of band');
	const f = engine.extraFindings(engine.analyze({ path: 'pod.yaml', text }), EMPTY_REPO, missingSecrets());
	assert.deepEqual(f.map((x) => [brief(x), x.severity, x.message]), [['8:20-8:21 live-missing-reference', 'hint', 'Exempted (created by the platform team out of band): Secret of a is missing']]);
	const noReason = DOC('a', 'x # fleetscope-ignore live-missing-reference');
	const g = engine.extraFindings(engine.analyze({ path: 'pod.yaml', text: noReason }), EMPTY_REPO, missingSecrets());
	assert.deepEqual(g.map((x) => [x.ruleId, x.severity]), [['live-missing-reference', 'error']]);
});

test('documents that are not resources, and skipped files, get none', () => {
	const engine = bareEngine();
	const extra = missingSecrets();
	assert.deepEqual(engine.extraFindings(engine.analyze({ path: 'x.yaml', text: 'just: data\n---\n- a list\n' }), EMPTY_REPO, extra), []);
	assert.deepEqual(engine.extraFindings(engine.analyze({ path: 'c.yaml', text: '{{ .Values.x }}\nkind: Pod\n' }), EMPTY_REPO, extra), []);
	assert.deepEqual(extra.calls, []);
});

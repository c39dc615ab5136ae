import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EMPTY_REPO, type LiveView, type RepoContext } from '../../server/src/engine/context/check-context';
import type { Resource } from '../../server/src/engine/core/resource';
import type { Finding } from '../../server/src/engine/core/types';
import { bareEngine, brief } from './helpers';

/**
 * The live source of the finding pipeline (`RepoContext.live`): problems from outside the engine
 * (the live cluster state) placed like the engine's own, in the same analysis, and cached per YAML
 * document under the view's key, so typing in one document re-checks only that one and a change of
 * the live state re-runs only the live checks.
 */

const DOC = (name: string, secret: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  volumes:\n    - name: db\n      secret:\n        secretName: ${secret}\n`;

/** Reports every secret volume of a Pod as missing; counts the resources it was asked about. */
function missingSecrets(key = 'k1'): LiveView & { calls: string[] } {
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

const withLive = (live: LiveView): RepoContext => ({ ...EMPTY_REPO, live });
const liveOnly = (fs: readonly Finding[]) => fs.filter((f) => f.ruleId.startsWith('live-'));

test('live problems are placed on the exact value, with the rule\'s default severity', () => {
	const engine = bareEngine();
	const f = liveOnly(engine.analyze({ path: 'pod.yaml', text: DOC('a', 'db-credentials') }, withLive(missingSecrets())).findings);
	assert.deepEqual(f.map(brief), ['8:20-8:34 live-missing-reference']);
	assert.deepEqual([f[0].severity, f[0].message], ['error', 'Secret of a is missing']);
});

test('cached per document: an edit in one document of a file asks again only for that one; a new key asks for all', () => {
	const engine = bareEngine();
	const text = `${DOC('a', 'x')}---\n${DOC('b', 'y')}`;
	const live = missingSecrets();
	const repo = withLive(live);
	const v1 = engine.analyze({ path: 'pods.yaml', text }, repo);
	assert.deepEqual(liveOnly(v1.findings).map(brief), ['8:20-8:21 live-missing-reference', '18:20-18:21 live-missing-reference']);
	assert.deepEqual(live.calls, ['a', 'b']);
	// A line added to the first document: only it is checked again, the second one's finding moves down.
	const v2 = engine.analyze({ path: 'pods.yaml', text: `# note\n${text}` }, repo, v1);
	assert.deepEqual(liveOnly(v2.findings).map(brief), ['9:20-9:21 live-missing-reference', '19:20-19:21 live-missing-reference']);
	assert.deepEqual(live.calls, ['a', 'b', 'a']);
	// Nothing changed: nothing is asked.
	engine.analyze({ path: 'pods.yaml', text: `# note\n${text}` }, repo, v2);
	assert.deepEqual(live.calls, ['a', 'b', 'a']);
	// Another cluster state: every document again.
	const next = missingSecrets('k2');
	engine.analyze({ path: 'pods.yaml', text: `# note\n${text}` }, withLive(next), v2);
	assert.deepEqual(next.calls, ['a', 'b']);
});

test('severity settings and inline exemptions apply to live findings; the directive is not reported twice', () => {
	const off = bareEngine({ severity: { 'live-missing-reference': 'off' } });
	assert.deepEqual(liveOnly(off.analyze({ path: 'pod.yaml', text: DOC('a', 'x') }, withLive(missingSecrets())).findings), []);
	const engine = bareEngine();
	const text = DOC('a', 'x # fleetscope-ignore live-missing-reference -- created by the platform team out of band');
	const f = engine.analyze({ path: 'pod.yaml', text }, withLive(missingSecrets())).findings;
	assert.deepEqual(f.map((x) => [brief(x), x.severity, x.message]), [['8:20-8:21 live-missing-reference', 'hint', 'Exempted (created by the platform team out of band): Secret of a is missing']]);
	const noReason = DOC('a', 'x # fleetscope-ignore live-missing-reference');
	const g = engine.analyze({ path: 'pod.yaml', text: noReason }, withLive(missingSecrets())).findings;
	assert.deepEqual(g.map((x) => [x.ruleId, x.severity]), [['exemption-invalid', 'warning'], ['live-missing-reference', 'error']]);
});

test('documents that are not resources, and skipped files, get none', () => {
	const engine = bareEngine();
	const live = missingSecrets();
	assert.deepEqual(liveOnly(engine.analyze({ path: 'x.yaml', text: 'just: data\n---\n- a list\n' }, withLive(live)).findings), []);
	assert.deepEqual(liveOnly(engine.analyze({ path: 'c.yaml', text: '{{ .Values.x }}\nkind: Pod\n' }, withLive(live)).findings), []);
	assert.deepEqual(live.calls, []);
});

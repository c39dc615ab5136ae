import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverUpdate } from '../../tools/kube-sim/writes';
import { argoRules, helmReleaseRules, IgnoreRules, ruleMatches } from '../../server/src/engine/drift/ignore';
import { driftRepo, edit, find } from './helpers';
import { DRIFT_REPO } from './repo';

/** Ignore rules: each kind of rule hides exactly the differences it names, and nothing else. */

const PROD = 'prod-eu-west-1';
const T = '2026-05-01T11:00:00Z';

/** The demo drift: replicas scaled by kubectl, the image changed by kubectl set image. */
function drifted() {
	const r = driftRepo(DRIFT_REPO);
	let live = edit(r.deployed(PROD), 'Deployment', 'web', (o) => serverUpdate(o, (x) => (x.spec.replicas = 5), { manager: 'kubectl-scale', time: T }));
	live = edit(live, 'Deployment', 'web', (o) => serverUpdate(o, (x) => (x.spec.template.spec.containers[0].image = 'ghcr.io/acme/web:0.9.0'), { manager: 'kubectl-set', time: T }));
	return { r, live };
}

const paths = (o: { fields: { path: string }[] }) => o.fields.map((f) => f.path);

test('without rules both differences are drift', () => {
	const { r, live } = drifted();
	assert.deepEqual(paths(find(r.drift(PROD, live), 'Deployment', 'web')), ['spec.replicas', 'spec.template.spec.containers[name=web].image']);
});

test('fleetscope.drift.ignore with jsonPointers hides that field only, on the clusters and kinds it names', () => {
	const { r, live } = drifted();
	const ignore = [{ kind: 'Deployment', jsonPointers: ['/spec/replicas'] }];
	assert.deepEqual(paths(find(r.drift(PROD, live, { ignore }), 'Deployment', 'web')), ['spec.template.spec.containers[name=web].image']);
	// Another cluster, another kind: the rule does not apply.
	assert.equal(find(r.drift(PROD, live, { ignore: [{ cluster: 'staging-*', jsonPointers: ['/spec/replicas'] }] }), 'Deployment', 'web').fields.length, 2);
	assert.equal(find(r.drift(PROD, live, { ignore: [{ kind: 'StatefulSet', jsonPointers: ['/spec/replicas'] }] }), 'Deployment', 'web').fields.length, 2);
});

test('jqPathExpressions select the container by name (jqjs); a JSON pointer by position works on either side', () => {
	const { r, live } = drifted();
	const jq = [{ kind: 'Deployment', jqPathExpressions: ['.spec.template.spec.containers[] | select(.name == "web") | .image'] }];
	assert.deepEqual(paths(find(r.drift(PROD, live, { ignore: jq }), 'Deployment', 'web')), ['spec.replicas']);
	const other = [{ kind: 'Deployment', jqPathExpressions: ['.spec.template.spec.containers[] | select(.name == "sidecar") | .image'] }];
	assert.equal(find(r.drift(PROD, live, { ignore: other }), 'Deployment', 'web').fields.length, 2);
	const pointer = [{ kind: 'Deployment', jsonPointers: ['/spec/template/spec/containers/0/image'] }];
	assert.deepEqual(paths(find(r.drift(PROD, live, { ignore: pointer }), 'Deployment', 'web')), ['spec.replicas']);
});

test('managedFieldsManagers hides the fields that manager set, not the others', () => {
	const { r, live } = drifted();
	assert.deepEqual(paths(find(r.drift(PROD, live, { ignore: [{ managedFieldsManagers: ['kubectl-scale'] }] }), 'Deployment', 'web')), ['spec.template.spec.containers[name=web].image']);
});

test('a rule without fields skips the whole object, saying which rule', () => {
	const { r, live } = drifted();
	const web = find(r.drift(PROD, live, { ignore: [{ kind: 'Deployment', name: 'web', namespace: 'web' }] }), 'Deployment', 'web');
	assert.equal(web.state, 'skipped');
	assert.equal(web.reason, 'Ignored by fleetscope.drift.ignore[0].');
});

test('Argo CD ignoreDifferences of the Application that syncs the object apply to it', () => {
	const { r, live } = drifted();
	const rules = argoRules({ ignoreDifferences: [{ group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] }, { kind: 'Deployment', managedFieldsManagers: ['kubectl-set'] }] }, 'Application argocd/shop');
	assert.equal(rules[0].origin, 'Application argocd/shop: ignoreDifferences[0]');
	const owners = [{ kind: 'argo-application' as const, name: 'shop', namespace: 'argocd', path: 'apps/production', rules }];
	assert.deepEqual(paths(find(r.drift(PROD, live, { owners }), 'Deployment', 'web')), []);
	// The rules of an Application that syncs another path do not.
	const elsewhere = [{ ...owners[0], path: 'apps/other' }];
	assert.equal(find(r.drift(PROD, live, { owners: elsewhere }), 'Deployment', 'web').fields.length, 2);
});

test('HelmRelease driftDetection.ignore rules: JSON pointers with a target', () => {
	const rules = helmReleaseRules({ driftDetection: { mode: 'enabled', ignore: [{ paths: ['/spec/replicas'], target: { kind: 'Deployment' } }, { paths: [] }] } }, 'HelmRelease web/redis');
	assert.deepEqual(rules, [{ origin: 'HelmRelease web/redis: driftDetection.ignore[0]', group: undefined, kind: 'Deployment', name: undefined, namespace: undefined, jsonPointers: ['/spec/replicas'] }]);
	assert.equal(ruleMatches(rules[0], { group: 'apps', kind: 'Deployment', name: 'redis', namespace: 'web', cluster: 'c' }), true);
	assert.equal(ruleMatches(rules[0], { group: '', kind: 'Service', name: 'redis', namespace: 'web', cluster: 'c' }), false);
	const m = new IgnoreRules(rules).fieldMatcher(rules, { spec: { replicas: 1 } }, { spec: { replicas: 2 } }, undefined);
	assert.equal(m([{ key: 'spec' }, { key: 'replicas' }], ['spec', 'replicas'], ['spec', 'replicas']), true);
	assert.equal(m([{ key: 'spec' }, { key: 'paused' }], ['spec', 'paused'], ['spec', 'paused']), false);
});

test('a jq expression jqjs cannot compile ignores nothing and is reported once', () => {
	const rules = new IgnoreRules([{ origin: 'fleetscope.drift.ignore[0]', jqPathExpressions: ['.spec.[ | nope'] }]);
	const m = rules.fieldMatcher(rules.rules, { spec: { replicas: 1 } }, { spec: { replicas: 2 } }, undefined);
	assert.equal(m([{ key: 'spec' }, { key: 'replicas' }], ['spec', 'replicas'], ['spec', 'replicas']), false);
	rules.fieldMatcher(rules.rules, {}, {}, undefined);
	assert.equal(rules.problems.length, 1);
	assert.match(rules.problems[0].message, /is not supported by Fleetscope's jq \(jqjs\)/);
});

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Diagnostic, Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { PolicyTestsRequest, type PolicyTestsResult } from '../../shared/protocol';
import { ensureServerBuilt, positionOf, Session, uriOf } from './harness';

/**
 * The repository's admission policies in the editor: findings on the offending node as you type,
 * hovers naming the policy and rule with a link to its file, CEL compile errors on the
 * expression's characters, and the Kyverno CLI tests answered for the Testing view.
 */

let root: string;
let session: Session;
const file = (rel: string) => join(root, rel);
const write = (rel: string, text: string) => {
	mkdirSync(dirname(file(rel)), { recursive: true });
	writeFileSync(file(rel), text);
};
const policy = (d: { diagnostics: Diagnostic[] }) => d.diagnostics.filter((x) => x.code === 'policy');
/** The errors among them (the workspace's test policies add Audit-only notes on the same objects). */
const errors = (d: { diagnostics: Diagnostic[] }) => policy(d).filter((x) => x.severity === 1);

const POLICY = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: require-team
spec:
  validationFailureAction: Enforce
  rules:
  - name: team-label
    match:
      any:
      - resources:
          kinds: [Deployment]
    validate:
      message: "Deployments need a team label."
      pattern:
        metadata:
          labels:
            team: "?*"
`;

const WEB = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels:
    app: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.27
`;

const VAP = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: max-replicas
spec:
  matchConstraints:
    resourceRules:
    - apiGroups: [apps]
      apiVersions: [v1]
      operations: [CREATE]
      resources: [deployments]
  validations:
  - expression: "object.spec.replicas <= 5"
    message: "At most 5 replicas."
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: max-replicas
spec:
  policyName: max-replicas
  validationActions: [Deny]
`;

before(async () => {
	ensureServerBuilt();
	root = mkdtempSync(join(tmpdir(), 'fleetscope-policy-'));
	write('policies/require-team.yaml', POLICY);
	write('policies/max-replicas.yaml', VAP);
	write('apps/web.yaml', WEB);
	cpSync('test/fixtures/policy-tests/passing', file('tests/passing'), { recursive: true });
	session = await Session.start({ folders: [root] });
	await session.logged(/^Validated \d+ workspace files/);
});
after(async () => {
	await session?.stop();
	rmSync(root, { recursive: true, force: true });
});

test('a resource that breaks a repository policy gets its finding on the offending node, with the policy\'s message', { timeout: 30_000 }, async () => {
	const p = await session.diagnostics(uriOf(file('apps/web.yaml')), (x) => errors(x).length > 0);
	const [d] = errors(p);
	assert.equal(d.severity, 1);
	assert.match(d.message, /^Deployments need a team label\. The Kyverno ClusterPolicy "require-team" \(rule "team-label"\) rejects this object at admission/);
	// The missing label's nearest node: metadata.labels of the Deployment itself.
	assert.deepEqual(d.range.start, positionOf(WEB, 'labels:'));
});

test('hover on the finding names the policy and the rule, and links to the policy\'s file', { timeout: 30_000 }, async () => {
	const uri = uriOf(file('apps/web.yaml'));
	await session.open(uri, WEB);
	await session.diagnosticsOfVersion(uri, 1);
	const h = await session.request<Hover>('textDocument/hover', { textDocument: { uri }, position: positionOf(WEB, 'labels:', 2) });
	const md = (h.contents as MarkupContent).value;
	assert.match(md, /\*Policy:\* Kyverno policy `require-team`, rule `team-label` · \[policies\/require-team\.yaml\]\(\.\.\/policies\/require-team\.yaml\)/);
	assert.match(md, /\[policy\]\(https:\/\/\S+\/policy\.md\)/);
});

test('typing the label clears the finding; breaking the VAP adds its own', { timeout: 30_000 }, async () => {
	const uri = uriOf(file('apps/web.yaml'));
	const fixed = WEB.replace('    app: web\nspec', '    app: web\n    team: shop\nspec');
	const cleared = session.nextDiagnostics(uri, (x) => errors(x).length === 0);
	await session.change(uri, 2, [{ text: fixed }]);
	await cleared;
	const big = fixed.replace('spec:\n  selector', 'spec:\n  replicas: 9\n  selector');
	const denied = session.nextDiagnostics(uri, (x) => errors(x).some((d) => /At most 5 replicas/.test(d.message)));
	await session.change(uri, 3, [{ text: big }]);
	const d = errors(await denied).find((x) => /At most 5 replicas/.test(x.message))!;
	assert.match(d.message, /^At most 5 replicas\. The ValidatingAdmissionPolicy "max-replicas" \(rule "validations\[0\]", binding "max-replicas"\) rejects this object at admission/);
	assert.deepEqual(d.range.start, positionOf(big, 'replicas: 9'));
});

test('a CEL typo in a policy file is an error on the mistyped characters', { timeout: 30_000 }, async () => {
	const uri = uriOf(file('policies/max-replicas.yaml'));
	const typo = VAP.replace('object.spec.replicas <= 5', 'object.spec.replicas <= 5 && objct.x');
	await session.open(uri, typo);
	const p = await session.diagnostics(uri, (x) => policy(x).length > 0);
	const [d] = policy(p);
	assert.equal(d.severity, 1);
	assert.match(d.message, /does not compile: undeclared reference to 'objct'/);
	assert.deepEqual(d.range, { start: positionOf(typo, 'objct'), end: positionOf(typo, 'objct', 5) });
});

test('the resources a Kyverno CLI test names are test data, never judged (bad on purpose)', { timeout: 30_000 }, async () => {
	const uri = uriOf(file('tests/passing/resources.yaml'));
	const p = await session.diagnostics(uri, () => true);
	assert.deepEqual(policy(p), []);
});

test('the Kyverno CLI tests of the workspace are run for the Testing view', { timeout: 30_000 }, async () => {
	const all = await session.request<PolicyTestsResult>(PolicyTestsRequest.method, {});
	assert.equal(all.tests.length, 1);
	const t = all.tests[0];
	assert.equal(t.label, 'tests/passing/kyverno-test.yaml');
	assert.equal(t.uri, uriOf(file('tests/passing/kyverno-test.yaml')));
	assert.equal(t.results.length, 12);
	assert.ok(t.results.every((r) => r.agrees === true), JSON.stringify(t.results.filter((r) => !r.agrees)));
	const big = t.results.find((r) => r.resource === 'big-deploy' && r.policy === 'max-replicas');
	assert.equal(big?.actual, 'fail');
	assert.equal(typeof big?.line, 'number');
	// One file, by URI, with an unsaved edit that breaks an expectation.
	const uri = t.uri;
	const text = `${'apiVersion: cli.kyverno.io/v1alpha1\nkind: Test\nmetadata:\n  name: edited\npolicies:\n- disallow-latest.yaml\nresources:\n- resources.yaml\nresults:\n'}- policy: disallow-latest\n  rule: validate-image-tag\n  kind: Pod\n  resources: [latest-pod]\n  result: pass\n`;
	await session.open(uri, text);
	const one = await session.request<PolicyTestsResult>(PolicyTestsRequest.method, { uri });
	assert.equal(one.tests.length, 1);
	assert.deepEqual(one.tests[0].results.map((r) => [r.resource, r.expected, r.actual, r.agrees]), [['latest-pod', 'pass', 'fail', false]]);
});

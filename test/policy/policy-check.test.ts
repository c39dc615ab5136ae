import { test } from 'node:test';
import assert from 'node:assert/strict';
import { covered, findingsOf, fleetWith, policyFindings } from './helpers';

/**
 * The repository's admission policies judge its objects as you type: findings on the offending
 * node with the policy's own message, severity from failureAction / validationActions, the
 * compliant case silent, exceptions honoured, and the fleet deciding which objects a deployed
 * policy judges.
 */

const requireLabels = (action: string) => `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: require-team-label
spec:
  validationFailureAction: ${action}
  rules:
  - name: check-team
    match:
      any:
      - resources:
          kinds: [Pod]
    validate:
      message: "The label team is required."
      pattern:
        metadata:
          labels:
            team: "?*"
`;

const deployment = (labels: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels:
        app: web${labels}
    spec:
      containers:
      - name: web
        image: nginx:1.27
`;

test('a Kyverno Enforce rule is an error on the offending node (through autogen, on a Deployment), with the policy\'s message', async () => {
	const files = { 'policies/require.yaml': requireLabels('Enforce'), 'apps/web.yaml': deployment('') };
	const fs = policyFindings(await findingsOf(files, 'apps/web.yaml'));
	assert.equal(fs.length, 1);
	const f = fs[0];
	assert.equal(f.severity, 'error');
	assert.match(f.message, /^The label team is required\. The Kyverno ClusterPolicy "require-team-label" \(rule "autogen-check-team"\) rejects this object at admission/);
	assert.match(f.message, /declared in policies\/require\.yaml/);
	// The missing label's nearest existing node: the template's labels.
	assert.equal(covered(files['apps/web.yaml'], f), 'labels');
	assert.equal(f.range.start.line, 10);
	assert.deepEqual(f.data?.policy, { engine: 'kyverno', policy: 'require-team-label', rule: 'autogen-check-team', file: 'policies/require.yaml' });
});

test('Audit is a warning; the compliant object has no finding', async () => {
	assert.equal(policyFindings(await findingsOf({ 'p.yaml': requireLabels('Audit'), 'web.yaml': deployment('') }, 'web.yaml'))[0].severity, 'warning');
	assert.deepEqual(policyFindings(await findingsOf({ 'p.yaml': requireLabels('Enforce'), 'web.yaml': deployment('\n        team: shop') }, 'web.yaml')), []);
});

test('a PolicyException of the repository exempts the object', async () => {
	const exception = `apiVersion: kyverno.io/v2
kind: PolicyException
metadata:
  name: web-exempt
  namespace: shop
spec:
  exceptions:
  - policyName: require-team-label
    ruleNames: [check-team, autogen-check-team]
  match:
    any:
    - resources:
        kinds: [Deployment]
        names: [web]
`;
	assert.deepEqual(policyFindings(await findingsOf({ 'p.yaml': requireLabels('Enforce'), 'x.yaml': exception, 'web.yaml': deployment('') }, 'web.yaml')), []);
});

const vap = (actions: string, binding = true) => `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: max-replicas
spec:
  failurePolicy: Fail
  matchConstraints:
    resourceRules:
    - apiGroups: [apps]
      apiVersions: [v1]
      operations: [CREATE, UPDATE]
      resources: [deployments]
  validations:
  - expression: "object.spec.replicas <= 5"
    message: "At most 5 replicas."
${binding ? `---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: max-replicas-binding
spec:
  policyName: max-replicas
  validationActions: [${actions}]
` : ''}`;

const replicas = (n: number) => deployment('\n        team: shop').replace('spec:\n  selector', `spec:\n  replicas: ${n}\n  selector`);

test('a ValidatingAdmissionPolicy with its binding: Deny is an error on the field its expression reads, Warn a warning, Audit information', async () => {
	const deny = policyFindings(await findingsOf({ 'vap.yaml': vap('Deny'), 'web.yaml': replicas(9) }, 'web.yaml'));
	assert.equal(deny.length, 1);
	assert.equal(deny[0].severity, 'error');
	assert.match(deny[0].message, /^At most 5 replicas\..*ValidatingAdmissionPolicy "max-replicas"/);
	assert.equal(covered(replicas(9), deny[0]), 'replicas');
	assert.deepEqual(deny[0].data?.policy?.engine, 'vap');
	assert.equal(policyFindings(await findingsOf({ 'vap.yaml': vap('Warn'), 'web.yaml': replicas(9) }, 'web.yaml'))[0].severity, 'warning');
	assert.equal(policyFindings(await findingsOf({ 'vap.yaml': vap('Audit'), 'web.yaml': replicas(9) }, 'web.yaml'))[0].severity, 'info');
	assert.deepEqual(policyFindings(await findingsOf({ 'vap.yaml': vap('Deny'), 'web.yaml': replicas(3) }, 'web.yaml')), []);
});

test('a ValidatingAdmissionPolicy no binding names judges nothing, and its file says so', async () => {
	const files = { 'vap.yaml': vap('Deny', false), 'web.yaml': replicas(9) };
	assert.deepEqual(policyFindings(await findingsOf(files, 'web.yaml')), []);
	const notes = policyFindings(await findingsOf(files, 'vap.yaml'));
	assert.equal(notes.length, 1);
	assert.equal(notes[0].severity, 'info');
	assert.match(notes[0].message, /No ValidatingAdmissionPolicyBinding/);
});

test('a CEL compile error in a policy is an error on the expression\'s exact characters', async () => {
	const text = vap('Deny').replace('"object.spec.replicas <= 5"', '"object.spec.replicas <= 5 && objet.spec.x"');
	const fs = policyFindings(await findingsOf({ 'vap.yaml': text }, 'vap.yaml'));
	assert.equal(fs.length, 1);
	assert.equal(fs[0].severity, 'error');
	assert.equal(covered(text, fs[0]), 'objet');
	assert.match(fs[0].message, /does not compile: undeclared reference to 'objet'/);
	const folded = vap('Deny').replace('  - expression: "object.spec.replicas <= 5"', '  - expression: >-\n      object.spec.replicas <= 5 &&\n      object.spec.template.spec.containers.all(c, c.image.startWith("x"))');
	const f2 = policyFindings(await findingsOf({ 'vap.yaml': folded }, 'vap.yaml'));
	assert.equal(f2.length, 1);
	assert.equal(covered(folded, f2[0]).startsWith('.') || covered(folded, f2[0]).startsWith('s'), true);
	assert.equal(f2[0].range.start.line, 15, 'on the second line of the folded expression');
});

test('mutate and generate rules are not evaluated: said once per policy, as information', async () => {
	const policy = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: defaults
spec:
  rules:
  - name: add-label
    match: {any: [{resources: {kinds: [Pod]}}]}
    mutate:
      patchStrategicMerge: {metadata: {labels: {x: y}}}
  - name: make-quota
    match: {any: [{resources: {kinds: [Namespace]}}]}
    generate: {kind: ResourceQuota, apiVersion: v1, name: q, namespace: "{{request.object.metadata.name}}", data: {}}
`;
	const fs = policyFindings(await findingsOf({ 'p.yaml': policy }, 'p.yaml'));
	assert.equal(fs.length, 1);
	assert.equal(fs[0].severity, 'info');
	assert.match(fs[0].message, /does not evaluate mutate, generate rules \("add-label", "make-quota"\)/);
});

test('a Flux HelmRelease v2 with neither chart nor chartRef is an error (its CRD\'s validation rule); with a chart it is not', async () => {
	const hr = (extra: string) => `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: podinfo
  namespace: apps
spec:
  interval: 10m${extra}
`;
	const bad = policyFindings(await findingsOf({ 'hr.yaml': hr('') }, 'hr.yaml'));
	assert.equal(bad.length, 1);
	assert.equal(bad[0].severity, 'error');
	assert.match(bad[0].message, /^either chart or chartRef must be set\. The helmreleases\.helm\.toolkit\.fluxcd\.io CRD has this validation rule/);
	assert.equal(covered(hr(''), bad[0]), 'spec');
	assert.deepEqual(bad[0].data?.policy?.engine, 'crd');
	const good = hr('\n  chart:\n    spec:\n      chart: podinfo\n      sourceRef: {kind: HelmRepository, name: podinfo}');
	assert.deepEqual(policyFindings(await findingsOf({ 'hr.yaml': good }, 'hr.yaml')), []);
	const both = hr('\n  chart:\n    spec:\n      chart: podinfo\n      sourceRef: {kind: HelmRepository, name: podinfo}\n  chartRef: {kind: OCIRepository, name: podinfo}');
	assert.equal(policyFindings(await findingsOf({ 'hr.yaml': both }, 'hr.yaml')).length, 1);
});

test('a policy deployed to some clusters judges what those clusters receive; one deployed nowhere judges every object', async () => {
	const files = { 'policies/require.yaml': requireLabels('Enforce'), 'apps/a/web.yaml': deployment(''), 'apps/b/web.yaml': deployment('') };
	const fleet = fleetWith({ 'policies/require.yaml': ['cluster-a'], 'apps/a/web.yaml': ['cluster-a'], 'apps/b/web.yaml': ['cluster-b'] });
	assert.equal(policyFindings(await findingsOf(files, 'apps/a/web.yaml', fleet)).length, 1, 'cluster-a has the policy');
	assert.equal(policyFindings(await findingsOf(files, 'apps/b/web.yaml', fleet)).length, 0, 'cluster-b does not');
	const nowhere = fleetWith({ 'apps/a/web.yaml': ['cluster-a'], 'apps/b/web.yaml': ['cluster-b'] });
	assert.equal(policyFindings(await findingsOf(files, 'apps/b/web.yaml', nowhere)).length, 1);
});

test('a kustomize patch is never judged (it is a fragment)', async () => {
	const files = {
		'p.yaml': requireLabels('Enforce'),
		'overlay/kustomization.yaml': 'resources: [../base]\npatches:\n- path: patch.yaml\n',
		'overlay/patch.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n',
	};
	assert.deepEqual(policyFindings(await findingsOf(files, 'overlay/patch.yaml')), []);
});

test('a Gatekeeper Constraint: its parameters are checked against its ConstraintTemplate, and a note says Rego is not evaluated', async () => {
	const template = `apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata:
  name: k8srequiredlabels
spec:
  crd:
    spec:
      names:
        kind: K8sRequiredLabels
      validation:
        openAPIV3Schema:
          type: object
          properties:
            labels:
              type: array
              items: {type: string}
  targets:
  - target: admission.k8s.gatekeeper.sh
    rego: "package k8srequiredlabels"
`;
	const constraint = (params: string) => `apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sRequiredLabels
metadata:
  name: need-team
spec:
  match:
    kinds:
    - apiGroups: [""]
      kinds: [Namespace]
  parameters:
${params}
`;
	const bad = await findingsOf({ 't.yaml': template, 'c.yaml': constraint('    lables: [team]') }, 'c.yaml');
	assert.ok(bad.some((f) => f.ruleId === 'schema-unknown-field' && /lables/.test(f.message)), bad.map((f) => f.message).join('\n'));
	const good = await findingsOf({ 't.yaml': template, 'c.yaml': constraint('    labels: [team]') }, 'c.yaml');
	assert.deepEqual(good.filter((f) => f.ruleId.startsWith('schema')), []);
	const note = policyFindings(good);
	assert.equal(note.length, 1);
	assert.equal(note[0].severity, 'info');
	assert.match(note[0].message, /Rego needs an OPA runtime/);
});

test('a Kyverno policy with {{ }} variables is validated, not skipped as a Helm template; a Helm-templated policy still is', async () => {
	const kyverno = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: deny-nodeport
spec:
  rules:
  - name: no-nodeport
    match: {any: [{resources: {kinds: [Service]}}]}
    validate:
      message: "{{ request.object.metadata.name }} is a NodePort"
      deny:
        conditions:
          any:
          - key: "{{ request.object.spec.type }}"
            operator: Equals
            value: NodePort
`;
	const own = await findingsOf({ 'p.yaml': kyverno }, 'p.yaml');
	assert.ok(!own.some((f) => f.ruleId === 'file-skipped'), own.map((f) => f.message).join('\n'));
	const svc = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  type: NodePort\n  ports: [{port: 80}]\n';
	const fs = policyFindings(await findingsOf({ 'p.yaml': kyverno, 's.yaml': svc }, 's.yaml'));
	assert.equal(fs.length, 1);
	assert.match(fs[0].message, /^web is a NodePort\./);
	const helm = await findingsOf({ 'p.yaml': kyverno.replace('name: deny-nodeport', 'name: {{ .Values.name }}') }, 'p.yaml');
	assert.ok(helm.some((f) => f.ruleId === 'file-skipped'));
});

test('the resources a Kyverno CLI test names are test data: never judged', async () => {
	const test = 'apiVersion: cli.kyverno.io/v1alpha1\nkind: Test\nmetadata:\n  name: t\npolicies:\n- ../p.yaml\nresources:\n- resource.yaml\nresults: []\n';
	const files = { 'p.yaml': requireLabels('Enforce'), 'tests/kyverno-test.yaml': test, 'tests/resource.yaml': deployment(''), 'apps/web.yaml': deployment('') };
	assert.deepEqual(policyFindings(await findingsOf(files, 'tests/resource.yaml')), []);
	// So are the files its results name: what a mutate rule is expected to produce.
	const mutateTest = test.replace('results: []', 'results:\n- policy: p\n  rule: r\n  resources: [web]\n  kind: Deployment\n  patchedResources: patched.yaml\n  result: pass');
	const withPatched = { ...files, 'tests/kyverno-test.yaml': mutateTest, 'tests/patched.yaml': deployment('') };
	assert.deepEqual(policyFindings(await findingsOf(withPatched, 'tests/patched.yaml')), []);
	assert.equal(policyFindings(await findingsOf(files, 'apps/web.yaml')).length, 1);
});

test('the resources a chainsaw test applies are test data too, even where its checks make the test file partial', async () => {
	const chainsaw = [
		'apiVersion: chainsaw.kyverno.io/v1alpha1',
		'kind: Test',
		'metadata:',
		'  name: t',
		'spec:',
		'  steps:',
		'  - try:',
		'    - apply:',
		'        file: ../p.yaml',
		'    - apply:',
		'        expect:',
		'        - check:',
		'            ($error != null): true',
		'        file: bad-deployment.yaml',
		'',
	].join('\n');
	const files = { 'p.yaml': requireLabels('Enforce'), '.chainsaw-test/chainsaw-test.yaml': chainsaw, '.chainsaw-test/bad-deployment.yaml': deployment(''), 'apps/web.yaml': deployment('') };
	assert.deepEqual(policyFindings(await findingsOf(files, '.chainsaw-test/bad-deployment.yaml')), []);
	assert.equal(policyFindings(await findingsOf(files, 'apps/web.yaml')).length, 1);
});

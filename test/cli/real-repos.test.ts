import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { EXAMPLE_FLEET, EXPECTATIONS_FILE, plantedAt, plantedFindings, runExample } from './example-fleet';
import { ensureCliBuilt, runCli } from './run';

/**
 * Repositories nobody here wrote, checked as a new user would: `fleetscope check` with default
 * settings. Every error-level finding is pinned here with why it is right (the goal on the Flux
 * example and the Argo CD layout: none); a false error costs more trust than a missed check. And
 * on the example fleet, each planted mistake is reported at its exact line.
 *
 * - test/fixtures/real-world/flux2-kustomize-helm-example: fluxcd/flux2-kustomize-helm-example,
 *   unchanged (Apache-2.0, LICENSE inside).
 * - test/fixtures/real-world/argocd-example-layout: our own repository in the layout of
 *   argoproj/argocd-example-apps (plain, kustomize, Helm, a config-management plugin, an app of apps).
 * - test/fixtures/kyverno-policies: ten categories of the kyverno/policies library, unchanged
 *   (Apache-2.0): policies, their kyverno CLI tests and chainsaw tests.
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

async function check(root: string, ...flags: string[]): Promise<{ code: number; findings: JsonFinding[]; files: number }> {
	const r = await runCli(['check', root, '--format', 'json', ...flags]);
	assert.equal(r.stderr, '');
	const report = JSON.parse(r.stdout);
	return { code: r.code ?? -1, findings: report.findings, files: report.summary.files };
}

const brief = (fs: JsonFinding[]) => fs.map((f) => `${f.file}:${f.line} ${f.severity} ${f.ruleId}`);
const errors = (fs: JsonFinding[]) => brief(fs.filter((f) => f.severity === 'error'));

const FLUX = 'test/fixtures/real-world/flux2-kustomize-helm-example';
const ARGO = 'test/fixtures/real-world/argocd-example-layout';
const KYVERNO = 'test/fixtures/kyverno-policies';

test('fluxcd/flux2-kustomize-helm-example: no error-level finding with default settings, exit 0', async () => {
	const r = await check(FLUX);
	assert.deepEqual(errors(r.findings), [], 'false errors on a real repository');
	assert.equal(r.code, 0);
	// Every manifest was checked, the schema plugin's .fluxschema.yml included (a tool config, not an object).
	assert.equal(r.files, 27);
	assert.ok(!r.findings.some((f) => f.file === '.fluxschema.yml'));
	// Production findings keep their severity and say so; no Fleet file: one note suggests it, no owner findings.
	const network = r.findings.filter((f) => f.ruleId === 'cis-namespace-network-policy');
	assert.deepEqual(network.map((f) => f.severity), ['warning', 'warning', 'warning']);
	for (const f of network) assert.match(f.message, / \(production\)$/);
	assert.deepEqual(brief(r.findings.filter((f) => f.ruleId.startsWith('dora-fleet') || f.ruleId === 'dora-owner')), ['clusters/production/apps.yaml:5 info dora-fleet-file']);
});

test('fluxcd/flux2-kustomize-helm-example: with --production-escalation, the errors are the compliance warnings of production files, saying why', async () => {
	const r = await check(FLUX, '--production-escalation');
	const raised = r.findings.filter((f) => f.severity === 'error');
	assert.ok(raised.length > 0, 'the example has no NetworkPolicy and no Pod Security label');
	for (const e of raised) assert.match(e.message, /Raised from warning to error because it reaches the production cluster production\.$/, `${e.file}:${e.line} ${e.ruleId}`);
	assert.equal(r.code, 1);
});

test('Argo CD example layout: no error-level finding; Helm templates skipped, the plugin-built path said so at information level', async () => {
	const r = await check(ARGO);
	assert.deepEqual(errors(r.findings), [], 'false errors on an Argo CD layout');
	assert.equal(r.code, 0);
	// The kustomization of the config-management plugin names all.yaml, which the plugin writes at sync time.
	assert.deepEqual(brief(r.findings.filter((f) => f.ruleId === 'kustomize-unsupported')), ['plugins/kustomized-helm/kustomization.yaml:4 info kustomize-unsupported']);
	// Chart templates with {{ }} are skipped with a note; the plain, kustomize and sync-wave manifests are judged.
	assert.deepEqual(
		r.findings.filter((f) => f.ruleId === 'file-skipped').map((f) => f.file),
		['apps/templates/guestbook.yaml', 'apps/templates/helm-guestbook.yaml', 'apps/templates/kustomize-guestbook.yaml', 'apps/templates/kustomized-helm.yaml', 'apps/templates/sync-waves.yaml', 'helm-guestbook/templates/deployment.yaml', 'helm-guestbook/templates/service.yaml', 'plugins/kustomized-helm/templates/deployment.yaml'],
	);
	for (const f of ['guestbook/guestbook-ui-deployment.yaml', 'kustomize-guestbook/guestbook-ui-deployment.yaml', 'sync-waves/manifests.yaml']) assert.ok(r.findings.some((x) => x.file === f && x.ruleId === 'workload-resources'), f);
});

test('kyverno/policies (ten categories): every error-level finding pinned and justified', async () => {
	const r = await check(KYVERNO, '--fail-on', 'never');
	assert.equal(r.files, 1237);
	assert.deepEqual(errors(r.findings).sort(), [
		// The check-deprecated-apis tests feed Kyverno a CronJob of batch/v1beta1 and a FlowSchema of
		// flowcontrol.apiserver.k8s.io/v1beta2 on purpose; Kubernetes 1.30 (the default version) no longer
		// serves either, so no cluster of that version accepts them.
		'best-practices-cel/check-deprecated-apis/.kyverno-test/resource.yaml:1 error api-removed',
		'best-practices-cel/check-deprecated-apis/.kyverno-test/resource.yaml:44 error api-removed',
		'best-practices-vpol/check-deprecated-apis/.kyverno-test/resource.yaml:1 error api-removed',
		'best-practices-vpol/check-deprecated-apis/.kyverno-test/resource.yaml:44 error api-removed',
		'best-practices/check-deprecated-apis/.kyverno-test/resource.yaml:1 error api-removed',
		'best-practices/check-deprecated-apis/.kyverno-test/resource.yaml:44 error api-removed',
		// badpod01-new names a port with only hostPort: containerPort is required, so the API server
		// rejects the pod before the policy under test ever sees it (the test passes for the wrong reason).
		'pod-security-cel/baseline/disallow-host-ports/.chainsaw-test/pod-bad.yaml:10 error schema-required',
		// badpod16 sets allowPrivilegeEscalation in the pod's securityContext, where PodSecurityContext has
		// no such field: strict field validation (kubectl's default) rejects it.
		'pod-security-cel/restricted/require-run-as-nonroot/.chainsaw-test/pod-bad.yaml:223 error schema-unknown-field',
		'pod-security-cel/restricted/require-run-as-nonroot/.kyverno-test/resource.yaml:225 error schema-unknown-field',
		'pod-security-vpol/baseline/disallow-host-ports/.chainsaw-test/pod-bad.yaml:10 error schema-required',
		'pod-security-vpol/restricted/require-run-as-nonroot/.chainsaw-test/pod-bad.yaml:223 error schema-unknown-field',
		'pod-security-vpol/restricted/require-run-as-nonroot/.kyverno-test/resource.yaml:225 error schema-unknown-field',
		'pod-security/baseline/disallow-host-ports/.chainsaw-test/pod-bad.yaml:10 error schema-required',
		'pod-security/restricted/require-run-as-nonroot/.chainsaw-test/pod-bad.yaml:223 error schema-unknown-field',
		'pod-security/restricted/require-run-as-nonroot/.kyverno-test/resource.yaml:225 error schema-unknown-field',
	]);
	// Not errors any more: kyverno CLI inputs (cli.kyverno.io Values, UserInfo, Test) and chainsaw tests are
	// tool configs; chainsaw's assert files (a ClusterPolicy with only its status) are partial; baseline
	// violations of the deliberately bad test pods are warnings (no namespace label enforces them).
	assert.ok(!r.findings.some((f) => f.ruleId === 'schema-required' && /policy-ready\.yaml$|chainsaw-step-\d+-assert/.test(f.file)));
	assert.ok(!r.findings.some((f) => /metadata is missing/.test(f.message)));
	// The policies with {{ }} variables are validated now (they were skipped as Helm templates).
	assert.ok(!r.findings.some((f) => f.ruleId === 'file-skipped' && /template/i.test(f.message)));
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

test('examples/fleet in the terminal: one readable line per finding, none past 200 characters', async () => {
	const r = await runExample(['check', EXAMPLE_FLEET, '--fail-on', 'never']);
	const lines = r.stdout.trimEnd().split('\n').filter((l) => l !== '');
	const findings = lines.slice(0, -1);
	assert.ok(findings.length > 80);
	assert.deepEqual(findings.filter((l) => [...l].length > 200), []);
	for (const l of findings) assert.match(l, /^\S+:\d+:\d+ +(error|warning|info|hint) +[a-z0-9_-]+[A-Za-z0-9_]* +\S/);
});

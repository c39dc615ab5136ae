import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ComplianceReport } from '../../server/src/engine/report/model';
import { plantedFindings } from './example-fleet';
import { ensureCliBuilt, runCli, tempRepo } from './run';

/** `fleetscope report` end to end: the built CLI on the example fleet and on small repositories. */

before(() => ensureCliBuilt());

const FLEET = `apiVersion: platform.gitops.io/v1alpha1
kind: Fleet
metadata:
  name: fleet
spec:
  environments:
    - name: dev
  compliance:
    exemptions:
      - rules: [pss-privileged]
        match: {namespace: monitoring, name: node-exporter}
        reason: Reads host metrics, SEC-77
        expires: "2999-01-31"
      - rules: [pss-hostPorts]
        match: {namespace: monitoring}
        reason: Old waiver
        expires: "2001-06-30"
`;

const DAEMONSET = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: node-exporter
  namespace: monitoring
spec:
  selector: {matchLabels: {app: x}}
  template:
    metadata: {labels: {app: x}}
    spec:
      serviceAccountName: node-exporter
      securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
      containers:
        - name: agent
          image: agent:1.0
          ports: [{containerPort: 9100, hostPort: 9100}]
          securityContext:
            allowPrivilegeEscalation: false
            capabilities: {drop: [ALL]}
            privileged: true
            # fleetscope-ignore pss-readOnlyRootFilesystem,cis-default-namespace -- <script>alert(1)</script> reviewed
`;

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: tool
  namespace: tools
spec:
  serviceAccountName: tool
  securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
  containers:
    - name: tool
      image: tool:1.0
      securityContext:
        allowPrivilegeEscalation: false
        # fleetscope-ignore pss-capabilities_restricted -- needs the default set, SEC-9
        capabilities: {add: [CHOWN]}
`;

test('the example fleet: exit 0 with findings (check is the gate), one section per environment in promotion order, the planted PSS mistakes in staging', async () => {
	const r = await runCli(['report', 'examples/fleet', '--format', 'json']);
	assert.equal(r.code, 0, r.stderr);
	const report = JSON.parse(r.stdout) as ComplianceReport;
	assert.equal(report.formatVersion, 1);
	// The planted mistake (c) names an environment the Fleet does not declare: it comes after the declared ones.
	assert.deepEqual(
		report.sections.map((s) => s.id),
		['env:dev', 'env:staging', 'env:production', 'env:performance', 'not-deployed'],
	);
	// Every planted Pod Security mistake is in staging (the debug Deployment and legacy-batch), and fails there.
	const pss = (f: { file: string; line: number; ruleId: string }) => `${f.file}:${f.line} ${f.ruleId}`;
	const planted = plantedFindings().filter((p) => p.ruleId.startsWith('pss-') && !p.kubernetesVersion);
	assert.ok(planted.length >= 20, 'the example plants Pod Security mistakes');
	assert.deepEqual(
		report.findings.filter((f) => f.ruleId.startsWith('pss-')).map((f) => `${pss(f)} ${f.status} ${f.environments.join(',')}`).sort(),
		planted.map((p) => `${pss(p)} fail staging`).sort(),
	);
	// The one exempted finding: its assessment is the exemption's reason.
	assert.deepEqual(
		report.findings.filter((f) => f.status !== 'fail').map((f) => `${f.file}:${f.line} ${f.ruleId} ${f.status}`),
		['fleet.yaml:40 dora-region-concentration exempted'],
	);
	const privileged = (id: string) => {
		const c = report.sections.find((s) => s.id === id)!.controls.find((x) => x.control === 'CIS-K8S-5.2.2');
		return c && [c.evaluated, c.passed, c.failed];
	};
	// podinfo, orders-api and statements in staging and production; staging also runs the planted debug
	// Deployment (the one privileged container) and the six legacy-batch workloads. Replica patches are not workloads.
	assert.deepEqual(privileged('env:staging'), [10, 9, 1]);
	assert.deepEqual(privileged('env:production'), [3, 3, 0]);
	assert.equal(report.coverage.files, 96);
	assert.ok(report.coverage.otherFindings >= 7, 'the schema and Fleet mistakes are not compliance findings');
	assert.match(r.stderr, /^Compliance score: Environment dev \d+ %, Environment staging \d+ %, Environment production \d+ %, Environment performance \d+ %, Not deployed to a known cluster \d+ % · \d+ failing, 1 exempted finding · 96 files\n$/);
});

test('md to stdout, html to a file: the summary goes to stderr either way', async () => {
	const md = await runCli(['report', 'examples/fleet', '--format', 'md']);
	assert.equal(md.code, 0, md.stderr);
	assert.match(md.stdout, /^# Compliance report: fleet\n/);
	assert.match(md.stdout, /\n\| apps\/staging\/debug-deployment\.yaml:48 \| pss-privileged \| CIS-K8S-5\.2\.2, PSS-baseline-privileged \| error \| fail \|/);
	const repo = tempRepo({});
	try {
		const out = join(repo.root, 'report.html');
		const html = await runCli(['report', 'examples/fleet', '-o', out]);
		assert.equal(html.code, 0, html.stderr);
		assert.equal(html.stdout, '');
		assert.match(html.stderr, new RegExp(`Compliance report written to ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n$`));
		assert.match(readFileSync(out, 'utf8'), /^<!DOCTYPE html>/, 'html is the default format');
	} finally {
		repo.dispose();
	}
});

test('exemptions: a live Fleet one, an expired one (its finding fails, flagged), inline ones with file:line and reason', async () => {
	const repo = tempRepo({ 'fleet.yaml': FLEET, 'monitoring/node-exporter.yaml': DAEMONSET, 'tools/pod.yaml': POD });
	try {
		// Pod Security only: the fixtures are about exemptions, not about image digests or resource requests.
		const r = await runCli(['report', repo.root, '--format', 'json', '--profile', 'pss']);
		assert.equal(r.code, 0, r.stderr);
		const report = JSON.parse(r.stdout) as ComplianceReport;
		assert.deepEqual(
			report.findings.map((f) => [`${f.file}:${f.line}`, f.ruleId, f.status, f.exemption ?? f.expiredExemption ?? '']),
			[
				['monitoring/node-exporter.yaml:16', 'pss-hostPorts', 'fail', 'fleet:fleet.yaml#2'],
				['monitoring/node-exporter.yaml:20', 'pss-privileged', 'exempted', 'fleet:fleet.yaml#1'],
				// drop ALL is missing, and CHOWN is added: two findings on the line the comment covers.
				['tools/pod.yaml:15', 'pss-capabilities_restricted', 'exempted', 'inline:tools/pod.yaml:14'],
				['tools/pod.yaml:15', 'pss-capabilities_restricted', 'exempted', 'inline:tools/pod.yaml:14'],
			],
		);
		assert.deepEqual(
			report.exemptions.map((e) => [e.id, e.status, e.findings, e.reason, e.expires ?? '']),
			[
				['fleet:fleet.yaml#1', 'active', 1, 'Reads host metrics, SEC-77', '2999-01-31'],
				['fleet:fleet.yaml#2', 'expired', 1, 'Old waiver', '2001-06-30'],
				['inline:monitoring/node-exporter.yaml:21', 'unused', 0, '<script>alert(1)</script> reviewed', ''],
				['inline:tools/pod.yaml:14', 'active', 2, 'needs the default set, SEC-9', ''],
			],
		);
		const html = await runCli(['report', repo.root, '--format', 'html', '--profile', 'pss']);
		assert.ok(html.stdout.includes('&lt;script&gt;alert(1)&lt;/script&gt; reviewed'));
		assert.ok(!html.stdout.includes('<script>'));
		assert.match(html.stderr, /· 1 expired exemption ·/);
	} finally {
		repo.dispose();
	}
});

test('--profile and --pss-level act as in check; --fail-on and check formats are usage errors', async () => {
	const repo = tempRepo({ 'tools/pod.yaml': POD });
	try {
		const pss = JSON.parse((await runCli(['report', repo.root, '--format', 'json', '--profile', 'pss'])).stdout) as ComplianceReport;
		assert.deepEqual(pss.settings.profiles, ['pss']);
		assert.ok(pss.sections[0].controls.length > 0);
		assert.ok(pss.sections[0].controls.every((c) => c.framework === 'pss'), 'no CIS control when only pss is on');
		const restricted = JSON.parse((await runCli(['report', repo.root, '--format', 'json', '--pss-level', 'restricted'])).stdout) as ComplianceReport;
		assert.equal(restricted.settings.podSecurityLevel, 'restricted');
	} finally {
		repo.dispose();
	}
	const failOn = await runCli(['report', '--fail-on', 'error']);
	assert.equal(failOn.code, 2);
	assert.match(failOn.stderr, /--fail-on is an option of check/);
	const sarif = await runCli(['report', '--format', 'sarif']);
	assert.equal(sarif.code, 2);
	assert.match(sarif.stderr, /--format must be one of html, md, json, got "sarif"/);
	const unknown = await runCli(['audit']);
	assert.match(unknown.stderr, /unknown command "audit": the commands are check, report, fleet, render, snapshot, promote, drift, policy test, clusters and promotion/);
});

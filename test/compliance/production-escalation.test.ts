import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../../server/src/engine/analysis/engine';
import { EMPTY_REPO, type RepoContext } from '../../server/src/engine/context/check-context';
import { complianceChecks } from '../../server/src/engine/rules/compliance';
import { toResourceCheck } from '../../server/src/engine/rules/compliance/resource-check';
import type { FleetCluster, FleetModel } from '../../server/src/engine/fleet/types';
import type { Finding } from '../../server/src/engine/core/types';
import { defaultSettings, normaliseSettings, type FleetscopeSettings } from '../../shared/settings';
import { NO_SCHEMAS } from '../engine/helpers';

/** Severity in context: findings in files that reach production are raised one level, through the real Engine. */

const cluster = (name: string, environment: string, extra: Partial<FleetCluster> = {}): FleetCluster => ({ name, environment, labels: {}, syncs: [], source: 'declared', ...extra, inferred: extra.inferred ?? [] });

const FLEET: FleetModel = {
	environments: [
		{ name: 'dev', order: 0, promotesFrom: [], production: false, source: 'declared' },
		{ name: 'live', order: 1, promotesFrom: ['dev'], production: true, source: 'declared' },
	],
	clusters: [cluster('dev-1', 'dev'), cluster('prod-eu', 'live', { claim: 'claims/prod-eu.yaml' }), cluster('prod-us', 'live'), cluster('lab-1', 'prod-lab')],
	apps: [],
	files: { 'apps/web.yaml': ['dev-1', 'prod-eu', 'prod-us'], 'apps/dev-only.yaml': ['dev-1'], 'apps/lab.yaml': ['lab-1'] },
	problems: [],
};

const repo: RepoContext = { ...EMPTY_REPO, fleet: FLEET };

function analyze(path: string, text: string, settings: Partial<FleetscopeSettings> = {}, r: RepoContext = repo): Finding[] {
	const engine = new Engine(NO_SCHEMAS, { ...defaultSettings(), ...settings }, [...complianceChecks]);
	return engine.analyze({ path, text }, r).findings;
}

const brief = (fs: Finding[]) => fs.map((f) => `${f.severity} ${f.ruleId}`);

/** A Deployment with one baseline error, restricted warnings (baseline level) and an info (image by tag). */
const WORKLOAD = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    spec:
      securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
      containers:
        - name: web
          image: ghcr.io/acme/web:1.4
          resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {memory: 64Mi}}
          securityContext:
            privileged: true
            capabilities: {drop: [ALL]}
`;

describe('production escalation', () => {
	it('raises each compliance finding one level where the file reaches production, naming the clusters', () => {
		const fs = analyze('apps/web.yaml', WORKLOAD);
		assert.deepEqual(brief(fs), ['error pss-privileged', 'error pss-allowPrivilegeEscalation', 'warning cis-image-provenance']);
		assert.equal(
			fs.find((f) => f.ruleId === 'pss-allowPrivilegeEscalation')!.message,
			'Container "web" does not set securityContext.allowPrivilegeEscalation: false, so a process can gain more privileges than its parent (setuid binaries). Add allowPrivilegeEscalation: false to its securityContext. (CIS 5.2.6, PSS restricted) Raised from warning to error because it reaches the production clusters prod-eu and prod-us.',
		);
		assert.match(fs.find((f) => f.ruleId === 'cis-image-provenance')!.message, / Raised from info to warning because it reaches the production clusters prod-eu and prod-us\.$/);
		// An error cannot go higher, and says nothing about it.
		assert.doesNotMatch(fs.find((f) => f.ruleId === 'pss-privileged')!.message, /Raised/);
	});

	it('leaves files that reach no production cluster alone (a declared non-production environment, or none known)', () => {
		const expected = ['error pss-privileged', 'warning pss-allowPrivilegeEscalation', 'info cis-image-provenance'];
		assert.deepEqual(brief(analyze('apps/dev-only.yaml', WORKLOAD)), expected);
		assert.deepEqual(brief(analyze('apps/unknown.yaml', WORKLOAD)), expected);
		// An environment the Fleet does not declare counts by its name: "prod-lab" looks like production.
		assert.deepEqual(brief(analyze('apps/lab.yaml', WORKLOAD)), ['error pss-privileged', 'error pss-allowPrivilegeEscalation', 'warning cis-image-provenance']);
		assert.deepEqual(brief(analyze('apps/web.yaml', WORKLOAD, {}, EMPTY_REPO)), expected);
	});

	it('is off with compliance.productionEscalation: false, and a rule whose severity the user set keeps it', () => {
		assert.deepEqual(brief(analyze('apps/web.yaml', WORKLOAD, { 'compliance.productionEscalation': false })), [
			'error pss-privileged',
			'warning pss-allowPrivilegeEscalation',
			'info cis-image-provenance',
		]);
		const fs = analyze('apps/web.yaml', WORKLOAD, { severity: { 'cis-image-provenance': 'info' } });
		assert.deepEqual(brief(fs), ['error pss-privileged', 'error pss-allowPrivilegeEscalation', 'info cis-image-provenance']);
		assert.doesNotMatch(fs.find((f) => f.ruleId === 'cis-image-provenance')!.message, /Raised/);
	});

	it('an exempted finding stays a hint in production', () => {
		const exempted = WORKLOAD.replace('            privileged: true', '            privileged: true # fleetscope-ignore pss-privileged -- node agent, reviewed');
		const f = analyze('apps/web.yaml', exempted).find((x) => x.ruleId === 'pss-privileged')!;
		assert.equal(f.severity, 'hint');
	});

	it('a hint stays a hint: only info and warning are raised', () => {
		const hintRule = toResourceCheck({
			id: 'test-escalation-hint',
			title: 'Test',
			severity: 'hint',
			kinds: ['ConfigMap'],
			rationale: 'Test.',
			remediation: 'Test.',
			controls: ['CIS-K8S-5.7.4'],
			check: () => [
				{ path: ['metadata', 'name'], target: 'value', message: 'A hint.' },
				{ path: ['metadata', 'name'], target: 'value', message: 'An info.', severity: 'info' },
			],
		});
		const engine = new Engine(NO_SCHEMAS, defaultSettings(), [hintRule]);
		const fs = engine.analyze({ path: 'apps/web.yaml', text: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n' }, repo).findings;
		assert.deepEqual(
			fs.map((f) => `${f.severity} ${f.message}`),
			['hint A hint.', 'warning An info. Raised from info to warning because it reaches the production clusters prod-eu and prod-us.'],
		);
	});

	it('a ClusterClaim is raised when it declares a production cluster: the Fleet cluster naming the file, else its own environment', () => {
		const claim = (env: string) => `apiVersion: platform.gitops.io/v1alpha1
kind: ClusterClaim
metadata:
  name: prod-eu-west-1
spec:
  cloudProvider: aws
  region: eu-west-1
  environment: ${env}
  kubernetes:
    version: "1.30"
  controlPlane:
    endpointAccess: private
    logging: [api, audit]
  encryption:
    secretsKmsKey: arn:aws:kms:eu-west-1:111122223333:key/abc
  network:
    policy: cilium
  identity:
    workloadIdentity: true
`;
		const logging = (fs: Finding[]) => fs.find((f) => f.ruleId === 'cis-managed-control-plane-logging')!;
		// Named by the Fleet: its cluster and environment count, whatever the claim says.
		const byFleet = logging(analyze('claims/prod-eu.yaml', claim('staging')));
		assert.equal(byFleet.severity, 'error');
		assert.match(byFleet.message, / \(CIS EKS 2\.1\.1\) Raised from warning to error because it declares the production cluster prod-eu\.$/);
		// Not named by the Fleet: the claim's own name and environment.
		const own = logging(analyze('claims/other.yaml', claim('production'), {}, EMPTY_REPO));
		assert.equal(own.severity, 'error');
		assert.match(own.message, /because it declares the production cluster prod-eu-west-1\.$/);
		assert.equal(logging(analyze('claims/other.yaml', claim('staging'), {}, EMPTY_REPO)).severity, 'warning');
		assert.equal(logging(analyze('claims/other.yaml', claim('production'), { 'compliance.productionEscalation': false }, EMPTY_REPO)).severity, 'warning');
	});

	it('the setting is read from client and settings-file spellings and defaults to on', () => {
		assert.equal(defaultSettings()['compliance.productionEscalation'], true);
		assert.equal(normaliseSettings({ 'compliance.productionEscalation': false })['compliance.productionEscalation'], false);
		assert.equal(normaliseSettings({ compliance: { productionEscalation: false } })['compliance.productionEscalation'], false);
		assert.equal(normaliseSettings({ 'compliance.productionEscalation': 'no' })['compliance.productionEscalation'], true);
		assert.deepEqual(normaliseSettings({ compliance: { allowedRegistries: [' ghcr.io/acme ', '', 'ghcr.io/acme'] } })['compliance.allowedRegistries'], ['ghcr.io/acme']);
		assert.deepEqual(normaliseSettings({ 'compliance.allowedRegistries': 'ghcr.io' })['compliance.allowedRegistries'], []);
	});
});

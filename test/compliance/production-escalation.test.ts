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

/**
 * Severity in context, through the real Engine: a finding in a file that reaches production keeps its
 * rule's severity and says (production); it is raised one level only where the Fleet file enforces
 * the environment (`spec.compliance.enforce`) or the setting `compliance.productionEscalation` is on.
 */

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
/** The same fleet whose Fleet file lists environments in `spec.compliance.enforce`. */
const enforcing = (...enforce: string[]): RepoContext => ({ ...EMPTY_REPO, fleet: { ...FLEET, fleetFile: { file: 'fleet.yaml', enforce } } });
const ON = { 'compliance.productionEscalation': true } as const;

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
	// No namespace enforces Pod Security: privileged breaks the required baseline (a warning), the restricted check is evidence (info).
	const AS_IS = ['warning pss-privileged', 'info pss-allowPrivilegeEscalation', 'info cis-image-provenance'];
	const RAISED = ['error pss-privileged', 'warning pss-allowPrivilegeEscalation', 'warning cis-image-provenance'];

	it('is off by default: findings of a file that reaches production keep their severity and say (production)', () => {
		assert.equal(defaultSettings()['compliance.productionEscalation'], false);
		const fs = analyze('apps/web.yaml', WORKLOAD);
		assert.deepEqual(brief(fs), AS_IS);
		assert.equal(
			fs.find((f) => f.ruleId === 'pss-allowPrivilegeEscalation')!.message,
			'Container "web" does not set securityContext.allowPrivilegeEscalation: false, so a process can gain more privileges than its parent (setuid binaries). Add allowPrivilegeEscalation: false to its securityContext. (CIS 5.2.6, PSS restricted) (production)',
		);
		for (const f of fs) assert.doesNotMatch(f.message, /Raised/);
		// Elsewhere nothing is added.
		for (const f of analyze('apps/dev-only.yaml', WORKLOAD)) assert.doesNotMatch(f.message, /\(production\)|Raised/);
	});

	it('the setting raises each finding one level where the file reaches production, naming the clusters', () => {
		const fs = analyze('apps/web.yaml', WORKLOAD, ON);
		assert.deepEqual(brief(fs), RAISED);
		assert.equal(
			fs.find((f) => f.ruleId === 'pss-allowPrivilegeEscalation')!.message,
			'Container "web" does not set securityContext.allowPrivilegeEscalation: false, so a process can gain more privileges than its parent (setuid binaries). Add allowPrivilegeEscalation: false to its securityContext. (CIS 5.2.6, PSS restricted) Raised from info to warning because it reaches the production clusters prod-eu and prod-us.',
		);
		assert.match(fs.find((f) => f.ruleId === 'cis-image-provenance')!.message, / Raised from info to warning because it reaches the production clusters prod-eu and prod-us\.$/);
	});

	it('the Fleet file raises them in the environments spec.compliance.enforce lists, by name or as production', () => {
		assert.deepEqual(brief(analyze('apps/web.yaml', WORKLOAD, {}, enforcing('live'))), RAISED);
		// `production` stands for every production environment (here "live"; "prod-lab" counts by its name).
		assert.deepEqual(brief(analyze('apps/web.yaml', WORKLOAD, {}, enforcing('production'))), RAISED);
		assert.deepEqual(brief(analyze('apps/lab.yaml', WORKLOAD, {}, enforcing('production'))), RAISED);
		// A non-production environment is raised when listed, and says so without calling it production.
		const dev = analyze('apps/dev-only.yaml', WORKLOAD, {}, enforcing('dev'));
		assert.deepEqual(brief(dev), RAISED);
		assert.match(dev.find((f) => f.ruleId === 'cis-image-provenance')!.message, / Raised from info to warning because it reaches the enforced cluster dev-1\.$/);
		// Listing another environment leaves this file's findings alone.
		assert.deepEqual(brief(analyze('apps/lab.yaml', WORKLOAD, {}, enforcing('dev'))), AS_IS);
	});

	it('leaves files that reach no production cluster alone (a declared non-production environment, or none known)', () => {
		assert.deepEqual(brief(analyze('apps/dev-only.yaml', WORKLOAD, ON)), AS_IS);
		assert.deepEqual(brief(analyze('apps/unknown.yaml', WORKLOAD, ON)), AS_IS);
		// An environment the Fleet does not declare counts by its name: "prod-lab" looks like production.
		assert.deepEqual(brief(analyze('apps/lab.yaml', WORKLOAD, ON)), RAISED);
		assert.deepEqual(brief(analyze('apps/web.yaml', WORKLOAD, ON, EMPTY_REPO)), AS_IS);
	});

	it('a rule whose severity the user set keeps it', () => {
		const fs = analyze('apps/web.yaml', WORKLOAD, { ...ON, severity: { 'cis-image-provenance': 'info' } });
		assert.deepEqual(brief(fs), ['error pss-privileged', 'warning pss-allowPrivilegeEscalation', 'info cis-image-provenance']);
		assert.doesNotMatch(fs.find((f) => f.ruleId === 'cis-image-provenance')!.message, /Raised/);
	});

	it('an exempted finding stays a hint in production', () => {
		const exempted = WORKLOAD.replace('            privileged: true', '            privileged: true # fleetscope-ignore pss-privileged -- node agent, reviewed');
		const f = analyze('apps/web.yaml', exempted, ON).find((x) => x.ruleId === 'pss-privileged')!;
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
		const engine = new Engine(NO_SCHEMAS, { ...defaultSettings(), ...ON }, [hintRule]);
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
		const byFleet = logging(analyze('claims/prod-eu.yaml', claim('staging'), ON));
		assert.equal(byFleet.severity, 'error');
		assert.match(byFleet.message, / \(CIS EKS 2\.1\.1\) Raised from warning to error because it declares the production cluster prod-eu\.$/);
		// Not named by the Fleet: the claim's own name and environment.
		const own = logging(analyze('claims/other.yaml', claim('production'), ON, EMPTY_REPO));
		assert.equal(own.severity, 'error');
		assert.match(own.message, /because it declares the production cluster prod-eu-west-1\.$/);
		assert.equal(logging(analyze('claims/other.yaml', claim('staging'), ON, EMPTY_REPO)).severity, 'warning');
		// Off (the default): kept, and said to be production.
		const kept = logging(analyze('claims/prod-eu.yaml', claim('staging')));
		assert.equal(kept.severity, 'warning');
		assert.match(kept.message, / \(CIS EKS 2\.1\.1\) \(production\)$/);
	});

	it('the setting is read from client and settings-file spellings and defaults to off', () => {
		assert.equal(defaultSettings()['compliance.productionEscalation'], false);
		assert.equal(normaliseSettings({ 'compliance.productionEscalation': true })['compliance.productionEscalation'], true);
		assert.equal(normaliseSettings({ compliance: { productionEscalation: true } })['compliance.productionEscalation'], true);
		assert.equal(normaliseSettings({ 'compliance.productionEscalation': 'yes' })['compliance.productionEscalation'], false);
		assert.deepEqual(normaliseSettings({ compliance: { allowedRegistries: [' ghcr.io/acme ', '', 'ghcr.io/acme'] } })['compliance.allowedRegistries'], ['ghcr.io/acme']);
		assert.deepEqual(normaliseSettings({ 'compliance.allowedRegistries': 'ghcr.io' })['compliance.allowedRegistries'], []);
	});
});

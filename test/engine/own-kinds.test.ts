import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import { apiVersionChecks, ownKindChecks } from '../../server/src/engine/rules/checks';
import { Engine } from '../../server/src/engine/analysis/engine';
import { type RepoContext } from '../../server/src/engine/context/check-context';
import { isIncluded, isYamlFile } from '../../server/src/engine/core/paths';
import type { Finding } from '../../server/src/engine/core/types';
import { nodeEngineDeps } from '../../server/src/host/engine-deps';
import { openRepository } from '../../server/src/workspace/standalone';
import { nodeFileSystem } from '../../server/src/host/node-fs';
import { complete } from '../../server/src/engine/services/completion';
import { hover } from '../../server/src/engine/services/hover';
import { defaultSettings } from '../../shared/settings';
import { check, registry, show, yaml } from './schema-helpers';
import { EXAMPLE_DAY, plantedAt, plantedFindings } from '../cli/example-fleet';

/** The engine as the hosts build it for our kinds: the Node registry, schema checks and the own-kind checks. */
const engine = new Engine(registry, defaultSettings(), [...apiVersionChecks, ...ownKindChecks]);

function repo(...paths: string[]): RepoContext {
	const set = new Set(paths);
	return { isPatchFile: () => false, exists: (p) => set.has(p) };
}

const REPO = repo('clusters/dev', 'clusters/prod', 'claims/dev.yaml', 'claims/prod.yaml', 'apps/dev', 'apps/prod');

function run(text: string, r: RepoContext = REPO): string[] {
	return check(text, { path: 'fleet.yaml', repo: r, engine });
}

/** A valid Fleet, with `overrides` replacing whole lines by their zero-based number. */
function fleet(overrides: Record<number, string | string[]> = {}): string {
	const lines: (string | string[])[] = [
		'apiVersion: platform.gitops.io/v1alpha1', // 0
		'kind: Fleet',
		'metadata:',
		'  name: acme',
		'spec:',
		'  environments:', // 5
		'    - name: dev',
		'    - name: production',
		'      promotion:',
		'        from: dev',
		'        minSoak: 24h', // 10
		'        approvals: 2',
		'  clusters:',
		'    - name: dev-1',
		'      environment: dev',
		'      provider: aws', // 15
		'      path: clusters/dev',
		'      claim: claims/dev.yaml',
		'    - name: prod-1',
		'      environment: production',
		'      path: ./clusters/prod/', // 20
		'      claim: claims/prod.yaml',
		'  apps:',
		'    - name: web',
		'      criticality: high',
		'      rto: 4h', // 25
		'      environments:',
		'        dev: apps/dev',
		'        production: apps/prod',
		'  compliance:',
		'    profiles: [cis, pss]', // 30
		'    exemptions:',
		'      - rules: [pss-privileged]',
		'        match: {namespace: kube-system}',
		'        reason: CNI needs it',
		'        expires: "2027-01-31"', // 35
	];
	for (const [i, v] of Object.entries(overrides)) lines[Number(i)] = v;
	return yaml(...lines.flat());
}

describe('Fleet', () => {
	it('a consistent fleet has no finding', () => {
		assert.deepEqual(run(fleet()), []);
	});

	it('a cluster naming an unknown environment is reported on the value, listing the known ones', () => {
		assert.deepEqual(run(fleet({ 19: '      environment: prod' })), [
			'19:19-19:23 fleet-semantics Cluster "prod-1" names the environment "prod", which is not in spec.environments (known: dev, production).',
		]);
	});

	it('repeated environment, cluster and app names are reported on the second one', () => {
		const text = fleet({ 6: ['    - name: dev', '    - name: dev'], 18: '    - name: dev-1', 28: ['        production: apps/prod', '    - name: web'] });
		assert.deepEqual(run(text), [
			'7:12-7:15 fleet-semantics Environment "dev" is declared twice: spec.environments[0] has the same name.',
			'19:12-19:17 fleet-semantics Cluster "dev-1" is declared twice: spec.clusters[0] has the same name.',
			'30:12-30:15 fleet-semantics App "web" is declared twice: spec.apps[0] has the same name.',
		]);
	});

	it('spec.compliance.enforce takes declared environments and production; another name raises nothing and is reported on it', () => {
		assert.deepEqual(run(fleet({ 30: ['    profiles: [cis, pss]', '    enforce: [production, dev]'] })), []);
		assert.deepEqual(run(fleet({ 30: ['    profiles: [cis, pss]', '    enforce: [prod]'] })), [
			'31:14-31:18 fleet-semantics spec.compliance.enforce names the environment "prod", which is not in spec.environments (known: dev, production), so it raises nothing. Name a declared environment, or production for every production one.',
		]);
		// The schema: a list of unique names.
		assert.deepEqual(run(fleet({ 30: ['    profiles: [cis, pss]', '    enforce: production'] })).map((l) => l.split(' ')[1]), ['schema-type']);
	});

	it('promotion from an unknown environment is reported on promotion.from', () => {
		assert.deepEqual(run(fleet({ 9: '        from: qa' })), [
			'9:14-9:16 fleet-semantics Environment "production" is promoted from "qa", which is not in spec.environments (known: dev, production).',
		]);
	});

	it('a promotion cycle is named in promotion order, on the first environment of the cycle', () => {
		const text = fleet({ 6: ['    - name: dev', '    - name: staging', '      promotion: {from: production}'], 9: '        from: staging' });
		assert.deepEqual(run(text), ['8:24-8:34 fleet-semantics The promotion order has a cycle: staging → production → staging. Promotion must start from an environment that is promoted from none.']);
	});

	it('an environment promoted from itself is a cycle', () => {
		assert.deepEqual(run(fleet({ 9: '        from: production' })), [
			'9:14-9:24 fleet-semantics The promotion order has a cycle: production → production. Promotion must start from an environment that is promoted from none.',
		]);
	});

	it('cluster paths, claims and app overlays that do not exist are reported, saying which path', () => {
		const text = fleet({ 16: '      path: clusters/dve', 21: '      claim: claims/prod.yml', 28: '        production: apps/production' });
		assert.deepEqual(run(text), [
			'16:12-16:24 fleet-semantics spec.clusters[0].path points at "clusters/dve", which does not exist in the repository.',
			'21:13-21:28 fleet-semantics spec.clusters[1].claim points at "claims/prod.yml", which does not exist in the repository.',
			'28:20-28:35 fleet-semantics spec.apps[0].environments.production points at "apps/production", which does not exist in the repository.',
		]);
	});

	it('an app overlay for an unknown environment is reported on its key', () => {
		const text = fleet({ 28: '        prod: apps/prod' });
		assert.deepEqual(run(text), ['28:8-28:12 fleet-semantics App "web" has an overlay for the environment "prod", which is not in spec.environments (known: dev, production).']);
	});

	it('schema: an exemption needs a reason and a date-shaped expiry', () => {
		const text = fleet({ 34: '        reason: ""', 35: '        expires: 31/01/2027' });
		const found = run(text);
		assert.equal(found.length, 2, found.join('\n'));
		assert.match(found[0], /^34:16-34:18 schema-value spec\.compliance\.exemptions\[0\]\.reason /);
		assert.match(found[1], /^35:17-35:27 schema-value spec\.compliance\.exemptions\[0\]\.expires /);
	});

	it('an exemption whose reason is only blanks is reported: it exempts nothing', () => {
		assert.deepEqual(run(fleet({ 34: '        reason: "   "' })), [
			'34:16-34:21 fleet-semantics This exemption\'s reason is blank, so it exempts nothing: write why its findings are acceptable.',
		]);
	});
});

/** A valid ClusterClaim, with `overrides` replacing whole lines by their zero-based number. */
function claim(overrides: Record<number, string | string[]> = {}): string {
	const lines: (string | string[])[] = [
		'apiVersion: platform.gitops.io/v1alpha1', // 0
		'kind: ClusterClaim',
		'metadata:',
		'  name: prod-eu',
		'spec:',
		'  cloudProvider: aws', // 5
		'  region: eu-west-1',
		'  environment: production',
		'  kubernetes:',
		'    version: "1.30"',
		'  nodeGroups:', // 10
		'    - name: workloads',
		'      instanceType: m6i.xlarge',
		'      minSize: 3',
		'      maxSize: 3',
		'      taints: [{key: dedicated, value: gpu, effect: NoSchedule}]', // 15
		'  controlPlane:',
		'    endpointAccess: private',
		'    logging: [api, audit]',
		'  backup: {velero: true, locationRegion: eu-central-1}',
	];
	for (const [i, v] of Object.entries(overrides)) lines[Number(i)] = v;
	return yaml(...lines.flat());
}

describe('ClusterClaim', () => {
	it('a valid claim has no finding', () => {
		assert.deepEqual(run(claim()), []);
		assert.deepEqual(run(claim({ 5: '  cloudProvider: gcp', 6: '  region: europe-west1-b' })), [], 'a GKE zone names its region');
		assert.deepEqual(run(claim({ 5: '  cloudProvider: azure', 6: '  region: West Europe' })), [], 'Azure display names are accepted');
	});

	it('schema: the optional fields the managed-cluster rules read are accepted, typos and wrong types are not', () => {
		const full = claim({
			5: '  cloudProvider: gcp',
			6: '  region: europe-west1',
			9: ['    version: "1.30"', '    releaseChannel: regular', '    alphaFeatures: false'],
			15: [
				'      taints: [{key: dedicated, value: gpu, effect: NoSchedule}]',
				'      imageType: COS_CONTAINERD',
				'      serviceAccount: pool@acme.iam.gserviceaccount.com',
				'      autoRepair: true',
				'      autoUpgrade: true',
				'      secureBoot: true',
				'      integrityMonitoring: true',
			],
			19: [
				'  backup: {velero: true, locationRegion: eu-central-1}',
				'  observability: {logging: true, monitoring: true}',
				'  encryption: {secretsKmsKey: projects/acme/locations/europe-west1/keyRings/gke/cryptoKeys/secrets}',
				'  network: {policy: cilium, privateNodes: true}',
				'  identity: {nodeServiceAccount: gke-nodes@acme.iam.gserviceaccount.com, workloadIdentity: true}',
				'  access: {clientCertificates: false, legacyAbac: false, entraId: false, localAccounts: false}',
				'  security: {shieldedNodes: true, imageScanning: true}',
			],
		});
		assert.deepEqual(run(full), []);
		assert.deepEqual(run(claim({ 19: ['  backup: {velero: true, locationRegion: eu-central-1}', '  identity: {workloadIdentiy: true}'] })), [
			'20:13-20:28 schema-unknown-field spec.identity.workloadIdentiy is not a field of ClusterClaim.spec.identity. Did you mean workloadIdentity?',
		]);
		const wrong = run(claim({ 19: ['  backup: {velero: true, locationRegion: eu-central-1}', '  network: {policy: vpc-cni, privateNodes: "yes"}'] }));
		assert.equal(wrong.length, 1, wrong.join('\n'));
		assert.match(wrong[0], /^20:43-20:48 schema-type spec\.network\.privateNodes must be a boolean/);
	});

	it('minSize above maxSize is reported on minSize', () => {
		assert.deepEqual(run(claim({ 13: '      minSize: 5' })), [
			'13:15-13:16 claim-semantics spec.nodeGroups[0].minSize of node group "workloads" is 5, larger than its maxSize 3: the group cannot be created.',
		]);
	});

	it('an unknown region suggests the closest one of the provider', () => {
		assert.deepEqual(run(claim({ 6: '  region: eu-wset-1' })), ['6:10-6:19 claim-semantics spec.region "eu-wset-1" is not an AWS region. Did you mean eu-west-1?']);
		assert.deepEqual(run(claim({ 5: '  cloudProvider: gcp', 6: '  region: europe-west-1' })), ['6:10-6:23 claim-semantics spec.region "europe-west-1" is not a GCP region. Did you mean europe-west1?']);
		assert.deepEqual(run(claim({ 5: '  cloudProvider: gcp' })), ['6:10-6:19 claim-semantics spec.region "eu-west-1" is an AWS region, but spec.cloudProvider is gcp: GCP has no such region.']);
	});

	it('schema: an unknown field is reported on its key with a did-you-mean', () => {
		assert.deepEqual(run(claim({ 17: '    endpointAcess: private' })), [
			'17:4-17:17 schema-unknown-field spec.controlPlane.endpointAcess is not a field of ClusterClaim.spec.controlPlane. Did you mean endpointAccess?',
		]);
	});

	it('schema: an unquoted version is the YAML 1.1 trap', () => {
		assert.deepEqual(run(claim({ 9: '    version: 1.30' })), ['9:13-9:17 yaml11-trap spec.kubernetes.version must be a string: 1.30 is read as the number 1.3. Quote it: "1.30"']);
	});

	it('schema: cloudProvider outside aws, gcp, azure', () => {
		assert.deepEqual(run(claim({ 5: '  cloudProvider: aws2' })), ['5:17-5:21 schema-enum spec.cloudProvider must be one of aws, gcp, azure, got the string "aws2". Did you mean aws?']);
	});

	it('hover shows the schema description; completion offers the enum values', () => {
		const text = claim();
		const at = (needle: string) => text.indexOf(needle);
		const analysis = engine.analyze({ path: 'claim.yaml', text }, REPO);
		const h = hover(analysis, registry, at('endpointAccess') + 3);
		assert.ok(h, 'no hover on endpointAccess');
		assert.match(h.markdown, /spec\.controlPlane\.endpointAccess/);
		assert.match(h.markdown, /Where the API server endpoint is reachable from\./);
		assert.deepEqual(h.range, { start: { line: 17, character: 4 }, end: { line: 17, character: 18 } });
		const blank = claim({ 17: '    endpointAccess: ' });
		const items = complete(engine.analyze({ path: 'claim.yaml', text: blank }, REPO), registry, blank.indexOf('endpointAccess: ') + 'endpointAccess: '.length);
		assert.deepEqual(items.map((i) => i.label), ['private', 'public', 'public-and-private']);
	});

	it('the hosts ship the own-kind checks', async () => {
		const { nodeEngineDeps } = await import('../../server/src/host/engine-deps');
		const ids = nodeEngineDeps().checks.map((c) => c.id);
		assert.ok(ids.includes('fleet-semantics') && ids.includes('claim-semantics'), ids.join(', '));
	});
});

/**
 * The demo repository, checked as the hosts check it (every shipped check, the repo index and the
 * fleet model of examples/fleet, on the example's day): the planted mistakes are found, and nothing
 * else is reported, at any severity. The README's table and the files' comments name each of them.
 */
describe('the example fleet (examples/fleet)', () => {
	const ROOT = 'examples/fleet';
	const byFile = new Map<string, Finding[]>();
	const planted = plantedAt(undefined);

	before(async () => {
		const settings = defaultSettings();
		const { registry, checks } = nodeEngineDeps();
		// The example's day: end-of-support dates (claims' Kubernetes versions) and DR-test ages move with time.
		const hostEngine = new Engine(registry, settings, checks, () => EXAMPLE_DAY);
		const fs = nodeFileSystem(ROOT);
		// The fleet model tells which clusters each file reaches (production raises severities, DORA judges production),
		// and compliance judges what each cluster receives (the renders), as the hosts do.
		const folder = await openRepository(ROOT, { registry, checks, clock: () => EXAMPLE_DAY });
		await folder.render({ settings, today: hostEngine.today() });
		const index = folder.snapshot;
		for (const rel of (await fs.listFiles()).filter((f) => isYamlFile(f) && isIncluded(f, settings)).sort()) {
			const text = readFileSync(`${ROOT}/${rel}`, 'utf8');
			byFile.set(rel, hostEngine.analyze({ path: rel, text }, index).findings);
		}
	});

	const shown = (file: string) => (byFile.get(file) ?? []).map(show);

	it('the Fleet reports the cluster naming an unknown environment on the value, listing the known ones', () => {
		assert.ok(shown('fleet.yaml').includes('57:19-57:30 fleet-semantics Cluster "perf-eu-west-1" names the environment "performance", which is not in spec.environments (known: dev, staging, production).'), shown('fleet.yaml').join('\n'));
	});

	it('the healthy ClusterClaims are clean; prod-eu-west-1 has its unquoted version and minSize > maxSize', () => {
		const claims = [...byFile.keys()].filter((f) => f.startsWith('claims/'));
		assert.deepEqual(claims, ['claims/dev-eu-west-1.yaml', 'claims/dr-eu-central-1.yaml', 'claims/prod-eu-west-1.yaml', 'claims/prod-us-east-1.yaml', 'claims/sandbox-europe-west1.yaml', 'claims/staging-eu-west-1.yaml']);
		for (const f of ['claims/dev-eu-west-1.yaml', 'claims/prod-us-east-1.yaml', 'claims/staging-eu-west-1.yaml']) assert.deepEqual(shown(f), [], f);
		assert.deepEqual(shown('claims/prod-eu-west-1.yaml'), [
			'10:13-10:17 yaml11-trap spec.kubernetes.version must be a string: 1.30 is read as the number 1.3. Quote it: "1.30"',
			'20:15-20:16 claim-semantics spec.nodeGroups[1].minSize of node group "workloads" is 5, larger than its maxSize 3: the group cannot be created.',
		]);
	});

	it('every finding, of every severity, is a planted mistake of test/fixtures/example-expectations.json, and each is found', () => {
		const reported = [...byFile].flatMap(([file, fs]) => fs.map((f) => `${file}:${f.range.start.line + 1} ${f.ruleId}`)).sort();
		assert.deepEqual(reported, planted.map((p) => `${p.file}:${p.line} ${p.ruleId}`).sort());
		for (const p of planted) {
			const f = (byFile.get(p.file) ?? []).filter((x) => x.range.start.line + 1 === p.line && x.ruleId === p.ruleId);
			assert.ok(f.some((x) => x.message.includes(p.messageIncludes)), `${p.file}:${p.line} ${p.ruleId}: no message includes "${p.messageIncludes}"`);
		}
		// The healthy apps stay clean: podinfo and orders-api have no finding at all.
		for (const file of byFile.keys()) if (/^apps\/(base|dev|production)\//.test(file) && file !== 'apps/dev/podinfo-config.yaml') assert.deepEqual(shown(file), [], file);
	});

	it('the README table lists exactly the planted mistakes, with file, line and rule', () => {
		const readme = readFileSync(`${ROOT}/README.md`, 'utf8');
		// | a3 | `apps/staging/debug-deployment.yaml` | 47 | what | `pss-allowPrivilegeEscalation`, `pss-capabilities_restricted` |
		const rows = [...readme.matchAll(/^\| ([a-z]\d*) \| `([^`]+)` \| (\d+) \| .* \| ([^|]+) \|$/gm)];
		assert.ok(rows.length > 50, `README.md: only ${rows.length} table rows`);
		const listed = rows.flatMap((r) => [...r[4].matchAll(/`([a-z][\w-]*)`( \(Kubernetes (1\.\d+)\))?/g)].map((m) => `${r[1]} ${r[2]}:${r[3]} ${m[1]}${m[3] ? ` @${m[3]}` : ''}`));
		const expected = plantedFindings().map((p) => `${p.id} ${p.file}:${p.line} ${p.ruleId}${p.kubernetesVersion ? ` @${p.kubernetesVersion}` : ''}`);
		assert.deepEqual([...new Set(listed)].sort(), [...new Set(expected)].sort());
	});

	it('each planted mistake has its id in a comment at most three lines above it (or on its line)', () => {
		for (const p of plantedFindings()) {
			const lines = readFileSync(`${ROOT}/${p.file}`, 'utf8').split('\n');
			const near = lines.slice(Math.max(0, p.line - 4), p.line).filter((l) => l.includes('#') && l.slice(l.indexOf('#')).includes(`(${p.id})`));
			assert.ok(near.length > 0, `${p.file}:${p.line} (${p.id}, ${p.ruleId}): no comment naming (${p.id}) on the three lines above`);
		}
	});
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { check, CLUSTERS, fleetModel, reach, type FleetInput } from './fleet-helpers';

const prodOf = (files: Record<string, string>, apps: FleetInput['apps'] = [], cluster = 'prod-1') => fleetModel({ clusters: CLUSTERS, apps, files: reach(files, [cluster]) });
const claim = (extra: string, env = 'production') =>
	`apiVersion: platform.gitops.io/v1alpha1\nkind: ClusterClaim\nmetadata:\n  name: c1\nspec:\n  cloudProvider: aws\n  region: eu-west-1\n  environment: ${env}\n${extra}`;

describe('DORA Art 9(2): dora-encryption', () => {
	it('a production claim without a KMS key is one finding of cis-managed-secrets-encryption that names the DORA controls too; dora-encryption reads Ingresses only', async () => {
		const prod = await check({ 'c.yaml': claim('  encryption: {}\n') }, 'c.yaml', 'cis-managed-secrets-encryption');
		assert.equal(prod.messages.length, 1);
		assert.match(prod.messages[0], /\(CIS EKS 5\.3\.1; DORA Art 9\(2\), DORA Art 9\(4\)\(d\)\)/);
		const staging = await check({ 'c.yaml': claim('  encryption: {}\n', 'staging') }, 'c.yaml', 'cis-managed-secrets-encryption');
		assert.match(staging.messages[0], /\(CIS EKS 5\.3\.1\)$/);
		assert.deepEqual((await check({ 'c.yaml': claim('  encryption: {}\n') }, 'c.yaml', 'dora-encryption')).where, []);
	});

	it('reports a production Ingress without TLS, and hosts no TLS entry lists; accepts wildcard certificates', async () => {
		const ing = (tls: string) => `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\nspec:\n${tls}  rules:\n    - host: a.example\n    - host: b.shop.example\n`;
		const none = { 'i.yaml': ing('') };
		const r = await check(none, 'i.yaml', 'dora-encryption', { fleet: prodOf(none) });
		assert.deepEqual(r.where, ['4:0-4:4 warning dora-encryption | spec']);
		assert.match(r.messages[0], /^Ingress "web" serves production traffic without TLS \(no spec\.tls\): DORA Art 9\(2\) and 9\(4\)\(d\) ask for data in transit to be protected/);
		const partial = { 'i.yaml': ing('  tls:\n    - hosts: [a.example]\n') };
		const p = await check(partial, 'i.yaml', 'dora-encryption', { fleet: prodOf(partial) });
		assert.deepEqual(p.where, ['9:12-9:26 warning dora-encryption | b.shop.example']);
		const wildcard = { 'i.yaml': ing('  tls:\n    - hosts: [a.example, "*.shop.example"]\n') };
		assert.deepEqual((await check(wildcard, 'i.yaml', 'dora-encryption', { fleet: prodOf(wildcard) })).where, []);
		assert.deepEqual((await check(none, 'i.yaml', 'dora-encryption', { fleet: prodOf(none, [], 'dev-1') })).where, []);
	});
});

describe('DORA Art 9(4)(b): dora-segmentation', () => {
	const ns = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n';
	const np = (spec: string) => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: p\n  namespace: shop\nspec:\n${spec}`;
	it('reports a production namespace whose policies deny neither direction by default, naming the direction', async () => {
		const files = { 'ns.yaml': ns, 'np.yaml': np('  podSelector: {}\n  policyTypes: [Ingress]\n') };
		const r = await check(files, 'ns.yaml', 'dora-segmentation', { fleet: prodOf(files) });
		assert.deepEqual(r.where, ['3:8-3:12 warning dora-segmentation | shop']);
		assert.deepEqual(r.messages, [
			'Production namespace "shop" has no default-deny NetworkPolicy for egress in cluster "prod-1": traffic no policy names is still allowed, so a compromised pod elsewhere can reach it (or it can reach anything). DORA Art 9(4)(b) asks for segmented networks that can isolate affected assets. Add a NetworkPolicy with podSelector: {} and policyTypes: [Ingress, Egress] and no rules. (DORA Art 9(4)(b))',
		]);
		const allowAll = { 'ns.yaml': ns, 'np.yaml': np('  podSelector: {}\n  policyTypes: [Ingress, Egress]\n  ingress: [{}]\n') };
		assert.match((await check(allowAll, 'ns.yaml', 'dora-segmentation', { fleet: prodOf(allowAll) })).messages[0], /no default-deny NetworkPolicy for ingress in cluster/);
	});
	it('accepts a default deny both ways; leaves a namespace without any policy to CIS 5.3.2 unless the cis profile is off', async () => {
		const ok = { 'ns.yaml': ns, 'np.yaml': np('  podSelector: {}\n  policyTypes: [Ingress, Egress]\n') };
		assert.deepEqual((await check(ok, 'ns.yaml', 'dora-segmentation', { fleet: prodOf(ok) })).where, []);
		const bare = { 'ns.yaml': ns };
		assert.deepEqual((await check(bare, 'ns.yaml', 'dora-segmentation', { fleet: prodOf(bare) })).where, []);
		const doraOnly = await check(bare, 'ns.yaml', 'dora-segmentation', { fleet: prodOf(bare), settings: { 'compliance.profiles': ['dora'] } });
		assert.match(doraOnly.messages[0], /^Production namespace "shop" has no default-deny NetworkPolicy for ingress and egress in cluster "prod-1"/);
		const dev = { 'ns.yaml': ns, 'np.yaml': np('  podSelector: {}\n  policyTypes: [Ingress]\n') };
		assert.deepEqual((await check(dev, 'ns.yaml', 'dora-segmentation', { fleet: prodOf(dev, [], 'dev-1') })).where, []);
	});
});

describe('DORA Art 9(4)(e): dora-promotion-order', () => {
	const kust = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nimages:\n  - name: ghcr.io/acme/api\n    newTag: 2.15.0\n';
	const version = (environment: string, v: string, file: string) => ({ environment, clusters: [], artifact: 'ghcr.io/acme/api', version: v, kind: 'image' as const, location: { file, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } } });
	const fleet = (staging: string) => fleetModel({ clusters: CLUSTERS, apps: [{ name: 'api', versions: [version('staging', staging, 'apps/staging/kustomization.yaml'), version('production', '2.15.0', 'apps/production/kustomization.yaml')] }] });
	it('reports a production version newer than what staging runs, on the version production sets', async () => {
		const files = { 'apps/production/kustomization.yaml': kust };
		const r = await check(files, 'apps/production/kustomization.yaml', 'dora-promotion-order', { fleet: fleet('2.14.1') });
		assert.deepEqual(r.where, ['4:12-4:18 warning dora-promotion-order | 2.15.0']);
		assert.deepEqual(r.messages, [
			'App "api" runs ghcr.io/acme/api 2.15.0 in production, newer than what staging runs (2.14.1), and production is promoted from staging: the version skipped that stage. DORA Art 9(4)(e) asks for changes to be tested and approved in a controlled manner before production. Promote 2.15.0 to staging first, or set production back to 2.14.1. (DORA Art 9(4)(e))',
		]);
	});
	it('accepts the same version, production behind staging, and versions that do not compare (SHAs)', async () => {
		const files = { 'apps/production/kustomization.yaml': kust };
		for (const s of ['2.15.0', '2.16.0', 'a1b2c3d']) assert.deepEqual((await check(files, 'apps/production/kustomization.yaml', 'dora-promotion-order', { fleet: fleet(s) })).where, [], s);
	});
});

describe('DORA Art 9(4)(e): dora-immutable-revisions', () => {
	const run = (text: string, opts: { kust?: string; exists?: string[]; cluster?: string } = {}) => {
		const files: Record<string, string> = { 'x.yaml': text, ...(opts.kust ? { 'overlay/kustomization.yaml': opts.kust } : {}) };
		return check(files, 'x.yaml', 'dora-immutable-revisions', { fleet: prodOf(files, [], opts.cluster), exists: opts.exists });
	};
	const argo = (source: string) => `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: api\nspec:\n  source:\n${source}`;
	it('reports Argo CD sources on HEAD or a branch of another repository, and chart ranges', async () => {
		const r = await run(argo('    repoURL: https://github.com/acme/api\n    path: deploy\n    targetRevision: HEAD\n'));
		assert.deepEqual(r.where, ['8:20-8:24 warning dora-immutable-revisions | HEAD']);
		assert.deepEqual(r.messages, [
			'Argo CD Application "api" follows "HEAD" of https://github.com/acme/api in production: DORA Art 9(4)(e) asks for production changes to be tested and approved in a controlled manner, and a moving reference changes production without any change in this repository. Set targetRevision to a tag or commit SHA and change it through this repository. (DORA Art 9(4)(e))',
		]);
		assert.deepEqual((await run(argo('    repoURL: https://charts.example\n    chart: api\n    targetRevision: 1.x\n'))).where, ['8:20-8:23 warning dora-immutable-revisions | 1.x']);
		// This repository's own path: promoted by its directories.
		assert.deepEqual((await run(argo('    repoURL: https://github.com/acme/fleet\n    path: apps/production\n    targetRevision: main\n'), { exists: ['apps/production'] })).where, []);
		assert.deepEqual((await run(argo('    repoURL: https://github.com/acme/api\n    path: deploy\n    targetRevision: v1.4.2\n'))).where, []);
	});
	it('reports a Flux GitRepository on a branch, except the bootstrap source of this repository', async () => {
		const git = (name: string, ref: string) => `apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: ${name}\n  namespace: flux-system\nspec:\n  url: https://github.com/acme/api\n${ref}`;
		const r = await run(git('api', '  ref:\n    branch: main\n'));
		assert.deepEqual(r.where, ['8:12-8:16 warning dora-immutable-revisions | main']);
		assert.match(r.messages[0], /^GitRepository "api" follows the branch "main" of https:\/\/github.com\/acme\/api in production:/);
		assert.deepEqual((await run(git('flux-system', '  ref:\n    branch: main\n'))).where, []);
		assert.deepEqual((await run(git('api', '  ref:\n    tag: v1.2.0\n'))).where, []);
		assert.deepEqual((await run(git('api', '  ref:\n    branch: main\n'), { cluster: 'dev-1' })).where, []);
	});
	it('reports HelmRelease chart ranges beyond patch level, accepts pinned and patch ranges', async () => {
		const hr = (v: string) => `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: velero\nspec:\n  chart:\n    spec:\n      chart: velero\n${v}`;
		const r = await run(hr('      version: "8.x"\n'));
		assert.deepEqual(r.where, ['8:15-8:20 warning dora-immutable-revisions | "8.x"']);
		assert.match(r.messages[0], /^HelmRelease "velero" installs chart velero at the range "8.x", which moves to new minor versions in production:/);
		assert.deepEqual((await run(hr(''))).where, ['6:4-6:8 warning dora-immutable-revisions | spec']);
		for (const v of ['"8.1.0"', '"8.1.x"', '"~8.1.0"']) assert.deepEqual((await run(hr(`      version: ${v}\n`))).where, [], v);
	});
	it('reports images without tag or with latest, unless a kustomization sets the tag (raw files)', async () => {
		const pod = (image: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: web\n      image: ${image}\n`;
		const r = await run(pod('ghcr.io/acme/web:latest'));
		assert.deepEqual(r.where, ['7:13-7:36 warning dora-immutable-revisions | ghcr.io/acme/web:latest']);
		assert.match(r.messages[0], /^Container "web" runs ghcr.io\/acme\/web:latest, the mutable "latest" tag, in production:/);
		assert.deepEqual((await run(pod('ghcr.io/acme/web'))).where, ['7:13-7:29 warning dora-immutable-revisions | ghcr.io/acme/web']);
		const kust = 'images:\n  - name: ghcr.io/acme/web\n    newTag: 1.2.3\n';
		assert.deepEqual((await run(pod('ghcr.io/acme/web'), { kust })).where, []);
		assert.deepEqual((await run(pod('ghcr.io/acme/web:1.2.3'))).where, []);
		assert.deepEqual((await run(pod('localhost:5000/web@sha256:abc'))).where, []);
	});
});

const critical = { name: 'api', facts: { criticality: 'critical' }, paths: { production: ['apps/api'] } };

describe('DORA Art 10(1): audit logs of production claims', () => {
	it('are one finding of cis-managed-control-plane-logging that names DORA Art 10(1) for production claims only', async () => {
		const prod = await check({ 'c.yaml': claim('  controlPlane:\n    logging: [api]\n') }, 'c.yaml', 'cis-managed-control-plane-logging');
		assert.equal(prod.messages.length, 1);
		assert.match(prod.messages[0], /^controlPlane\.logging lacks audit, authenticator, controllerManager and scheduler: .*\(CIS EKS 2\.1\.1; DORA Art 10\(1\)\)/);
		const dev = await check({ 'c.yaml': claim('  controlPlane:\n    logging: [api]\n', 'dev') }, 'c.yaml', 'cis-managed-control-plane-logging');
		assert.match(dev.messages[0], /\(CIS EKS 2\.1\.1\)$/);
	});
});

const deployment = (spec: string, replicas = '  replicas: 3\n', labels = '    fleetscope.io/app: api\n') =>
	`apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n  namespace: api\n  labels:\n${labels}spec:\n${replicas}  template:\n    metadata:\n      labels:\n        app: api\n    spec:\n${spec}      containers:\n        - name: api\n          image: api:1\n`;
const SPREAD = '      topologySpreadConstraints:\n        - topologyKey: topology.kubernetes.io/zone\n          maxSkew: 1\n          whenUnsatisfiable: ScheduleAnyway\n';
const PDB = 'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: api\n  namespace: api\nspec:\n  maxUnavailable: 1\n  selector:\n    matchLabels:\n      app: api\n';

describe('DORA Art 10(1): dora-monitoring', () => {
	it('reports a container of a critical production workload without probes, on its name', async () => {
		const files = { 'd.yaml': deployment('') };
		const r = await check(files, 'd.yaml', 'dora-monitoring', { fleet: prodOf(files, [critical]) });
		assert.deepEqual(r.where, ['15:16-15:19 warning dora-monitoring | api']);
		assert.deepEqual(r.messages, [
			'Container "api" of app "api" (criticality critical) has no readiness or liveness probe in production: a hung instance keeps serving and nothing detects it. DORA Art 10(1) asks for prompt detection of anomalous activities in critical functions. Add a readinessProbe and a livenessProbe. (DORA Art 10(1))',
		]);
	});
	it('accepts probes, non-critical apps, workloads of no app and non-production', async () => {
		const probed = { 'd.yaml': deployment('').replace('image: api:1\n', 'image: api:1\n          readinessProbe:\n            httpGet: {path: /, port: 80}\n') };
		assert.deepEqual((await check(probed, 'd.yaml', 'dora-monitoring', { fleet: prodOf(probed, [critical]) })).where, []);
		const files = { 'd.yaml': deployment('') };
		assert.deepEqual((await check(files, 'd.yaml', 'dora-monitoring', { fleet: prodOf(files, [{ ...critical, facts: { criticality: 'low' } }]) })).where, []);
		const orphan = { 'd.yaml': deployment('', undefined, '    team: x\n') };
		assert.deepEqual((await check(orphan, 'd.yaml', 'dora-monitoring', { fleet: prodOf(orphan, [critical]) })).where, []);
		assert.deepEqual((await check(files, 'd.yaml', 'dora-monitoring', { fleet: prodOf(files, [critical], 'dev-1') })).where, []);
	});
});

describe('DORA Art 10(1): dora-single-point-of-failure', () => {
	it('reports one replica on spec.replicas (an HPA minReplicas counts)', async () => {
		const files = { 'd.yaml': deployment(SPREAD, '  replicas: 1\n'), 'pdb.yaml': PDB };
		const r = await check(files, 'd.yaml', 'dora-single-point-of-failure', { fleet: prodOf(files, [critical]) });
		assert.deepEqual(r.where, ['8:12-8:13 warning dora-single-point-of-failure | 1']);
		assert.deepEqual(r.messages, [
			'Deployment "api" of app "api" (criticality critical) runs 1 replica in production: when its pod or node fails, the function stops. DORA Art 10(1) asks for single points of failure of critical functions to be identified and removed. Run at least 2 replicas. (DORA Art 10(1))',
		]);
		const hpa = 'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: api\n  namespace: api\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}\n  minReplicas: 3\n  maxReplicas: 6\n';
		const scaled = { ...files, 'hpa.yaml': hpa };
		assert.deepEqual((await check(scaled, 'd.yaml', 'dora-single-point-of-failure', { fleet: prodOf(scaled, [critical]) })).where, []);
	});
	it('reports a missing PodDisruptionBudget and zone spread; accepts both', async () => {
		const files = { 'd.yaml': deployment('') };
		const r = await check(files, 'd.yaml', 'dora-single-point-of-failure', { fleet: prodOf(files, [critical]) });
		assert.deepEqual(r.where, ['3:8-3:11 warning dora-single-point-of-failure | api', '13:4-13:8 warning dora-single-point-of-failure | spec']);
		assert.match(r.messages[0], /^Deployment "api" of app "api" \(criticality critical\) has no PodDisruptionBudget selecting its pods in production:/);
		assert.match(r.messages[1], /does not spread its pods over zones \(no topologySpreadConstraint or podAntiAffinity on topology\.kubernetes\.io\/zone\)/);
		const ok = { 'd.yaml': deployment(SPREAD), 'pdb.yaml': PDB };
		assert.deepEqual((await check(ok, 'd.yaml', 'dora-single-point-of-failure', { fleet: prodOf(ok, [critical]) })).where, []);
	});
	it('does not judge replicas of a raw file shared with other environments (overlays patch them); a rendered set is judged', async () => {
		const files = { 'd.yaml': deployment(SPREAD, '  replicas: 1\n'), 'pdb.yaml': PDB };
		const shared = fleetModel({ clusters: CLUSTERS, apps: [critical], files: reach(files, ['dev-1', 'prod-1']) });
		assert.deepEqual((await check(files, 'd.yaml', 'dora-single-point-of-failure', { fleet: shared })).where, []);
		assert.deepEqual((await check(files, 'd.yaml', 'dora-single-point-of-failure', { fleet: shared, objects: 'rendered' })).where, ['8:12-8:13 warning dora-single-point-of-failure | 1']);
	});
});

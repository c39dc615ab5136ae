import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { check, CLUSTERS, fleetModel, reach } from './fleet-helpers';

/** A Fleet file whose apps[] entries are given as YAML lines (indented under `apps:`). */
const fleetFile = (apps: string) => `apiVersion: platform.gitops.io/v1alpha1\nkind: Fleet\nmetadata:\n  name: acme\nspec:\n  apps:\n${apps}`;
const prodApp = (name: string, facts: Record<string, string> = {}) => ({ name, facts, paths: { production: [`apps/${name}`] } });
const model = (...apps: ReturnType<typeof prodApp>[]) => fleetModel({ clusters: CLUSTERS, apps });

describe('DORA Art 8(1): dora-owner', () => {
	it('reports a production app of the Fleet file without owner, on its name', async () => {
		const files = { 'fleet.yaml': fleetFile('    - name: orders\n      criticality: low\n') };
		const r = await check(files, 'fleet.yaml', 'dora-owner', { fleet: model(prodApp('orders')) });
		assert.deepEqual(r.where, ['6:12-6:18 warning dora-owner | orders']);
		assert.deepEqual(r.messages, [
			'App "orders" runs in production but names no owner: DORA Art 8(1) asks for the roles and responsibilities of each ICT asset to be documented. Add `owner: <team>` to this entry (or the label fleetscope.io/owner on its Namespace). (DORA Art 8(1))',
		]);
	});

	it('accepts an owner in the entry or in the facts discovery collected (labels), and apps not in production or unknown to the model', async () => {
		const files = { 'fleet.yaml': fleetFile('    - name: orders\n      owner: team-a\n    - name: web\n    - name: tools\n    - name: ghost\n') };
		const fleet = fleetModel({ clusters: CLUSTERS, apps: [prodApp('orders'), prodApp('web', { 'fleetscope.io/owner': 'team-web' }), { name: 'tools', paths: { dev: ['apps/tools'] } }] });
		assert.deepEqual((await check(files, 'fleet.yaml', 'dora-owner', { fleet })).where, []);
	});

	it('reports a production Namespace that belongs to no app and has no owner label; accepts the label or an app label', async () => {
		const ns = (labels: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: tools\n  labels:\n${labels}`;
		const fleet = (files: Record<string, string>) => fleetModel({ clusters: CLUSTERS, apps: [prodApp('orders')], files: reach(files, ['prod-1']) });
		const bad = { 'ns.yaml': ns('    team: x\n') };
		const r = await check(bad, 'ns.yaml', 'dora-owner', { fleet: fleet(bad) });
		assert.deepEqual(r.where, ['3:8-3:13 warning dora-owner | tools']);
		assert.deepEqual(r.messages, [
			'Namespace "tools" is deployed to production ("prod-1") but belongs to no app of the Fleet file and has no fleetscope.io/owner label: DORA Art 8(1) asks for an owner of each ICT asset. Add the label fleetscope.io/owner: <team>, or a fleetscope.io/app label naming its app in the Fleet file. (DORA Art 8(1))',
		]);
		for (const labels of ['    fleetscope.io/owner: sre\n', '    fleetscope.io/app: orders\n', '    app.kubernetes.io/part-of: orders\n']) {
			const ok = { 'ns.yaml': ns(labels) };
			assert.deepEqual((await check(ok, 'ns.yaml', 'dora-owner', { fleet: fleet(ok) })).where, [], labels);
		}
		// Not in production: nothing to say.
		assert.deepEqual((await check(bad, 'ns.yaml', 'dora-owner', { fleet: fleetModel({ clusters: CLUSTERS, files: reach(bad, ['dev-1']) }) })).where, []);
	});

	it('says nothing on Namespaces where the repository has no Fleet file (no app to belong to; discovery notes it once)', async () => {
		const bad = { 'ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: tools\n' };
		const fleet = fleetModel({ clusters: CLUSTERS, files: reach(bad, ['prod-1']), noFleetFile: true });
		assert.deepEqual((await check(bad, 'ns.yaml', 'dora-owner', { fleet })).where, []);
		// The same Namespace with a Fleet file is reported.
		assert.deepEqual((await check(bad, 'ns.yaml', 'dora-owner', { fleet: fleetModel({ clusters: CLUSTERS, files: reach(bad, ['prod-1']) }) })).where, ['3:8-3:13 warning dora-owner | tools']);
	});
});

describe('DORA Art 8(1): dora-classification and dora-recovery-objectives', () => {
	it('reports a production app without criticality, and a critical app without business function, RTO and RPO', async () => {
		const files = { 'fleet.yaml': fleetFile('    - name: web\n      owner: a\n    - name: orders\n      owner: b\n      criticality: critical\n      rto: 1h\n') };
		const fleet = model(prodApp('web'), prodApp('orders'));
		const c = await check(files, 'fleet.yaml', 'dora-classification', { fleet });
		assert.deepEqual(c.where, ['6:12-6:15 warning dora-classification | web', '10:19-10:27 warning dora-classification | critical']);
		assert.deepEqual(c.messages, [
			'App "web" runs in production but has no criticality: DORA Art 8(1) asks for ICT-supported functions to be classified, and the classification decides which continuity duties apply. Add `criticality: low|medium|high|critical` to this entry (or the label fleetscope.io/criticality on its Namespace). (DORA Art 8(1))',
			'App "orders" is critical, a critical or important function in DORA\'s terms, but names no business function: DORA Art 8(1) asks which business function each critical ICT asset supports. Add `businessFunction: <what it supports>` to this entry (or the annotation fleetscope.io/business-function on its Namespace). (DORA Art 8(1))',
		]);
		const o = await check(files, 'fleet.yaml', 'dora-recovery-objectives', { fleet });
		assert.deepEqual(o.where, ['10:19-10:27 warning dora-recovery-objectives | critical']);
		assert.deepEqual(o.messages, [
			'App "orders" is critical, a critical or important function in DORA\'s terms, but has no recovery point objective (rpo): DORA\'s asset records and recovery plans (Art 8(1), Art 11) are measured against them. Add `rpo: 15m` to this entry (or the label fleetscope.io/rpo on its Namespace). (DORA Art 8(1), Art 11(1))',
		]);
	});

	it('accepts complete entries, facts from labels, and low-criticality apps without RTO/RPO', async () => {
		const files = { 'fleet.yaml': fleetFile('    - name: web\n      criticality: low\n    - name: orders\n      criticality: high\n      businessFunction: payments\n      rto: 1h\n    - name: api\n') };
		const fleet = model(prodApp('web'), prodApp('orders', { 'fleetscope.io/rpo': '15m' }), prodApp('api', { criticality: 'medium' }));
		assert.deepEqual((await check(files, 'fleet.yaml', 'dora-classification', { fleet })).where, []);
		assert.deepEqual((await check(files, 'fleet.yaml', 'dora-recovery-objectives', { fleet })).where, []);
	});
});

describe('DORA Art 8(1): dora-internet-exposure', () => {
	const ingress = `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n  namespace: web\n  labels:\n    app.kubernetes.io/name: web\nspec:\n  tls:\n    - hosts: [web.example]\n  rules:\n    - host: web.example\n`;
	const lb = (annotations = '') => `apiVersion: v1\nkind: Service\nmetadata:\n  name: api\n  namespace: api\n${annotations}spec:\n  type: LoadBalancer\n`;

	it('reports a production Ingress whose app does not declare its exposure, naming the Fleet key', async () => {
		const files = { 'ing.yaml': ingress };
		const fleet = fleetModel({ clusters: CLUSTERS, apps: [prodApp('web')], files: reach(files, ['prod-1']) });
		const r = await check(files, 'ing.yaml', 'dora-internet-exposure', { fleet });
		assert.deepEqual(r.where, ['3:8-3:11 info dora-internet-exposure | web']);
		assert.deepEqual(r.messages, [
			'Ingress "web" publishes app "web" outside the cluster in production, but the app does not declare its internet exposure: DORA\'s asset records (Art 8(1), RTS 2024/1774 Art 4(2)(b)(vii)) state each asset\'s exposure to external networks. Declare it with `internetExposed: true` on app "web" in fleet.yaml (spec.apps[].internetExposed), or the label `fleetscope.io/internet-exposed` on its Namespace. (DORA Art 8(1))',
		]);
	});

	it('reports a public LoadBalancer of no app on its type; accepts internal load balancers, declared exposure and non-production', async () => {
		const files = { 'svc.yaml': lb() };
		const fleet = (f: Record<string, string>, c = 'prod-1') => fleetModel({ clusters: CLUSTERS, apps: [prodApp('web', { internetExposed: 'true' })], files: reach(f, [c]) });
		const r = await check(files, 'svc.yaml', 'dora-internet-exposure', { fleet: fleet(files) });
		assert.deepEqual(r.where, ['6:8-6:20 info dora-internet-exposure | LoadBalancer']);
		assert.match(r.messages[0], /^LoadBalancer Service "api" \(no internal load-balancer annotation\) publishes its app outside the cluster in production, but no internet exposure is declared for it: .* Declare it with the label or annotation `fleetscope.io\/internet-exposed: true` on this object/);
		const internal = { 'svc.yaml': lb('  annotations:\n    service.beta.kubernetes.io/aws-load-balancer-scheme: internal\n') };
		assert.deepEqual((await check(internal, 'svc.yaml', 'dora-internet-exposure', { fleet: fleet(internal) })).where, []);
		const declared = { 'svc.yaml': lb('  labels:\n    fleetscope.io/internet-exposed: "false"\n') };
		assert.deepEqual((await check(declared, 'svc.yaml', 'dora-internet-exposure', { fleet: fleet(declared) })).where, []);
		const web = { 'ing.yaml': ingress };
		assert.deepEqual((await check(web, 'ing.yaml', 'dora-internet-exposure', { fleet: fleet(web) })).where, []);
		assert.deepEqual((await check(files, 'svc.yaml', 'dora-internet-exposure', { fleet: fleet(files, 'dev-1') })).where, []);
	});

	it('says nothing where the repository has no Fleet file to record the exposure in', async () => {
		const files = { 'svc.yaml': lb() };
		const fleet = fleetModel({ clusters: CLUSTERS, files: reach(files, ['prod-1']), noFleetFile: true });
		assert.deepEqual((await check(files, 'svc.yaml', 'dora-internet-exposure', { fleet })).where, []);
	});
});

const claim = (version: string, extra = '', env = 'production', provider = 'aws') =>
	`apiVersion: platform.gitops.io/v1alpha1\nkind: ClusterClaim\nmetadata:\n  name: c1\nspec:\n  cloudProvider: ${provider}\n  region: eu-west-1\n  environment: ${env}\n  kubernetes:\n    version: ${version}\n${extra}`;

describe('DORA Art 8(7): dora-unsupported-kubernetes', () => {
	it('reports a version past its provider\'s standard support on the version, error in production', async () => {
		const prod = await check({ 'c.yaml': claim('"1.31"') }, 'c.yaml', 'dora-unsupported-kubernetes');
		assert.deepEqual(prod.where, ['9:13-9:19 error dora-unsupported-kubernetes | "1.31"']);
		assert.deepEqual(prod.messages, [
			'ClusterClaim "c1" runs Kubernetes 1.31, whose EKS standard support ended 2025-11-26: no more regular security fixes. Its extended support ended 2026-11-26 too. DORA Art 8(7) asks for a risk assessment of such legacy ICT systems, and this is a production cluster. Upgrade spec.kubernetes.version to a supported minor. (DORA Art 8(7))',
		]);
		const dev = await check({ 'c.yaml': claim('"1.33"', '', 'dev') }, 'c.yaml', 'dora-unsupported-kubernetes');
		assert.deepEqual(dev.where, ['9:13-9:19 warning dora-unsupported-kubernetes | "1.33"']);
		assert.match(dev.messages[0], /EKS standard support ended 2026-07-29: no more regular security fixes\. EKS extended support \(at extra cost\) ends 2027-07-29\./);
		const old = await check({ 'c.yaml': claim('"1.27"', '', 'dev', 'gcp') }, 'c.yaml', 'dora-unsupported-kubernetes');
		assert.deepEqual(old.messages, ['ClusterClaim "c1" runs Kubernetes 1.27, older than every minor GKE still lists: it gets no security fixes. DORA Art 8(7) treats it as a legacy ICT system. Upgrade spec.kubernetes.version to a supported minor. (DORA Art 8(7))']);
	});

	it('accepts supported versions, versions the table does not know (newer, AKS), and the unquoted-number trap (reported by yaml11-trap)', async () => {
		for (const [v, p] of [['"1.35"', 'aws'], ['"1.36"', 'aws'], ['"1.29"', 'azure'], ['1.30', 'aws']]) {
			assert.deepEqual((await check({ 'c.yaml': claim(v, '', 'production', p) }, 'c.yaml', 'dora-unsupported-kubernetes')).where, [], `${v} ${p}`);
		}
	});
});

describe('DORA Art 9(4)(f): dora-patch-currency', () => {
	const fleet = (newest: string) => fleetModel({ clusters: [...CLUSTERS!.slice(0, 3), { name: 'dev-2', environment: 'dev', kubernetesVersion: newest }] });
	it('reports a production claim two or more minors behind the fleet\'s newest', async () => {
		const r = await check({ 'c.yaml': claim('"1.35"') }, 'c.yaml', 'dora-patch-currency', { fleet: fleet('1.37') });
		assert.deepEqual(r.where, ['9:13-9:19 warning dora-patch-currency | "1.35"']);
		assert.deepEqual(r.messages, [
			'ClusterClaim "c1" is a production cluster on Kubernetes 1.35, 2 minors behind the fleet\'s newest (1.37 on "dev-2"): DORA Art 9(4)(f) asks for patches and updates to be applied under a documented policy. Plan its upgrade towards 1.37. (DORA Art 9(4)(f))',
		]);
	});
	it('accepts one minor behind, non-production claims, and versions past support (dora-unsupported-kubernetes reports those)', async () => {
		assert.deepEqual((await check({ 'c.yaml': claim('"1.35"') }, 'c.yaml', 'dora-patch-currency', { fleet: fleet('1.36') })).where, []);
		assert.deepEqual((await check({ 'c.yaml': claim('"1.35"', '', 'dev') }, 'c.yaml', 'dora-patch-currency', { fleet: fleet('1.37') })).where, []);
		assert.deepEqual((await check({ 'c.yaml': claim('"1.31"') }, 'c.yaml', 'dora-patch-currency', { fleet: fleet('1.35') })).where, []);
	});
});

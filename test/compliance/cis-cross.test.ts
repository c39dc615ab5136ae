import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { check, contextOf, engineFor, fleetModel, repoOf } from './fleet-helpers';
import { at } from './helpers';

const ns = (name: string, labels = '') => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n${labels ? `  labels:\n${labels}` : ''}`;
const np = (namespace?: string, name = 'default-deny') =>
	`apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: ${name}\n${namespace ? `  namespace: ${namespace}\n` : ''}spec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]\n`;

describe('CIS 5.3.2: cis-namespace-network-policy', () => {
	it('reports a Namespace no NetworkPolicy of the repository is in, on its name', async () => {
		const files = { 'ns.yaml': ns('shop'), 'other/np.yaml': np('billing') };
		const r = await check(files, 'ns.yaml', 'cis-namespace-network-policy');
		assert.deepEqual(r.where, ['3:8-3:12 warning cis-namespace-network-policy | shop']);
		assert.deepEqual(r.messages, [
			'Namespace "shop" has no NetworkPolicy: its pods accept traffic from every pod of the cluster and can reach all of them. Add a NetworkPolicy with namespace: shop, at least a default deny (podSelector: {}) plus what its workloads need. (CIS 5.3.2)',
		]);
	});

	it('accepts a policy in the namespace, a raw policy without namespace (kustomize may set it), a cluster-wide policy, and a context without index', async () => {
		assert.deepEqual((await check({ 'ns.yaml': ns('shop'), 'np.yaml': np('shop') }, 'ns.yaml', 'cis-namespace-network-policy')).where, []);
		assert.deepEqual((await check({ 'ns.yaml': ns('shop'), 'base/np.yaml': np() }, 'ns.yaml', 'cis-namespace-network-policy')).where, []);
		const ccnp = 'apiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\nmetadata:\n  name: deny\nspec:\n  endpointSelector: {}\n';
		assert.deepEqual((await check({ 'ns.yaml': ns('shop'), 'ccnp.yaml': ccnp }, 'ns.yaml', 'cis-namespace-network-policy')).where, []);
		assert.deepEqual((await check({ 'ns.yaml': ns('shop') }, 'ns.yaml', 'cis-namespace-network-policy', { objects: 'none' })).where, []);
		assert.deepEqual((await check({ 'ns.yaml': ns('kube-system') }, 'ns.yaml', 'cis-namespace-network-policy')).where, []);
	});

	it('in a rendered set, a policy without namespace does not count', async () => {
		const r = await check({ 'ns.yaml': ns('shop'), 'np.yaml': np() }, 'ns.yaml', 'cis-namespace-network-policy', { objects: 'rendered' });
		assert.deepEqual(r.where, ['3:8-3:12 warning cis-namespace-network-policy | shop']);
	});

	it('with a fleet model, looks in the same cluster and names the clusters that lack one', async () => {
		const files = { 'ns.yaml': ns('shop'), 'np.yaml': np('shop') };
		const fleet = fleetModel({ clusters: [{ name: 'a', environment: 'dev' }, { name: 'b', environment: 'dev' }], files: { 'ns.yaml': ['a', 'b'], 'np.yaml': ['a'] } });
		const r = await check(files, 'ns.yaml', 'cis-namespace-network-policy', { fleet });
		assert.match(r.messages[0], /^Namespace "shop" has no NetworkPolicy \(in cluster "b"\):/);
	});

	it('keeps the raw index current: adding a NetworkPolicy file clears the finding of a Namespace in another file, removing it brings it back', async () => {
		const files: Record<string, string> = { 'ns.yaml': ns('shop') };
		let index = await repoOf(files);
		const engine = engineFor();
		const run = () => engine.analyze({ path: 'ns.yaml', text: files['ns.yaml'] }, contextOf(index, files)).findings.filter((f) => f.ruleId === 'cis-namespace-network-policy').map(at);
		assert.deepEqual(run(), ['3:8-3:12 warning cis-namespace-network-policy']);
		const v0 = index.version;
		files['policies/np.yaml'] = np('shop');
		index = index.withFiles([{ path: 'policies/np.yaml', text: files['policies/np.yaml'] }]);
		assert.ok(index.version > v0, 'the version moves so cached results are redone');
		assert.deepEqual(run(), []);
		// Saving it unchanged is not a change.
		const same = index.withFiles([{ path: 'policies/np.yaml', text: files['policies/np.yaml'] }]);
		assert.equal(same, index);
		index = index.withFiles([{ path: 'policies/np.yaml', deleted: true }]);
		assert.deepEqual(run(), ['3:8-3:12 warning cis-namespace-network-policy']);
	});
});

describe('CIS 5.2.1: cis-policy-control', () => {
	const enforce = (action: string) =>
		`apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata:\n  name: p\nspec:\n  validationFailureAction: ${action}\n  rules:\n    - name: r\n      match: {any: [{resources: {kinds: [Pod]}}]}\n      validate:\n        pattern: {spec: {hostNetwork: "false"}}\n`;

	it('reports a Namespace without enforce label where no enforcing policy exists, on its labels (or metadata)', async () => {
		const r = await check({ 'ns.yaml': ns('shop', '    team: a\n'), 'p.yaml': enforce('Audit') }, 'ns.yaml', 'cis-policy-control');
		assert.deepEqual(r.where, ['4:2-4:8 warning cis-policy-control | labels']);
		assert.deepEqual(r.messages, [
			'Namespace "shop" has no pod-security.kubernetes.io/enforce label and no admission policy of the repository (Kyverno, Gatekeeper or ValidatingAdmissionPolicy) enforces Pod Security for its pods, so nothing stops privileged or host-namespace pods from being admitted there. Add pod-security.kubernetes.io/enforce: baseline (or restricted) to its labels. (CIS 5.2.1)',
		]);
		assert.deepEqual((await check({ 'ns.yaml': ns('shop') }, 'ns.yaml', 'cis-policy-control')).where, ['2:0-2:8 warning cis-policy-control | metadata']);
	});

	it('accepts the enforce label, an enforcing Kyverno policy (policy-wide or per rule), an enforcing Gatekeeper constraint or a Deny binding', async () => {
		assert.deepEqual((await check({ 'ns.yaml': ns('shop', '    pod-security.kubernetes.io/enforce: baseline\n') }, 'ns.yaml', 'cis-policy-control')).where, []);
		assert.deepEqual((await check({ 'ns.yaml': ns('shop'), 'p.yaml': enforce('Enforce') }, 'ns.yaml', 'cis-policy-control')).where, []);
		const perRule = enforce('Audit').replace('      validate:\n', '      validate:\n        failureAction: Enforce\n');
		assert.deepEqual((await check({ 'ns.yaml': ns('shop'), 'p.yaml': perRule }, 'ns.yaml', 'cis-policy-control')).where, []);
		const gk = 'apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: K8sPSPPrivilegedContainer\nmetadata:\n  name: no-privileged\nspec: {}\n';
		assert.deepEqual((await check({ 'ns.yaml': ns('shop'), 'gk.yaml': gk }, 'ns.yaml', 'cis-policy-control')).where, []);
		const dryrun = gk.replace('spec: {}', 'spec:\n  enforcementAction: dryrun');
		assert.deepEqual((await check({ 'ns.yaml': ns('shop'), 'gk.yaml': dryrun }, 'ns.yaml', 'cis-policy-control')).where, ['2:0-2:8 warning cis-policy-control | metadata']);
		const vapb = 'apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicyBinding\nmetadata:\n  name: b\nspec:\n  policyName: p\n  validationActions: [Deny]\n';
		const vap = 'apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicy\nmetadata:\n  name: p\nspec:\n  matchConstraints:\n    resourceRules:\n      - apiGroups: [""]\n        apiVersions: [v1]\n        operations: [CREATE, UPDATE]\n        resources: [pods]\n  validations:\n    - expression: "!object.spec.containers.exists(c, has(c.securityContext) && c.securityContext.privileged == true)"\n';
		assert.deepEqual((await check({ 'ns.yaml': ns('shop'), 'b.yaml': vapb, 'p.yaml': vap }, 'ns.yaml', 'cis-policy-control')).where, []);
		// Kyverno's podSecurity subrule.
		const pss = 'apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata:\n  name: psa\nspec:\n  validationFailureAction: Enforce\n  rules:\n    - name: baseline\n      match:\n        any:\n          - resources:\n              kinds: [Pod]\n      validate:\n        podSecurity:\n          level: baseline\n          version: latest\n';
		assert.deepEqual((await check({ 'ns.yaml': ns('shop'), 'p.yaml': pss }, 'ns.yaml', 'cis-policy-control')).where, []);
	});

	it('counts only policies that enforce Pod Security for that namespace: by their checks, match, exclude and namespace selectors', async () => {
		const reported = ['2:0-2:8 warning cis-policy-control | metadata'];
		const at = async (files: Record<string, string>) => (await check({ 'ns.yaml': ns('shop'), ...files }, 'ns.yaml', 'cis-policy-control')).where;
		// An enforcing policy whose checks are not Pod Security ones stops no privileged pod.
		const labels = enforce('Enforce').replace('pattern: {spec: {hostNetwork: "false"}}', 'pattern: {metadata: {labels: {team: "?*"}}}');
		assert.deepEqual(await at({ 'p.yaml': labels }), reported);
		// Pods of other namespaces only, or this namespace excluded.
		assert.deepEqual(await at({ 'p.yaml': enforce('Enforce').replace('resources: {kinds: [Pod]}', 'resources: {kinds: [Pod], namespaces: [billing, "team-*"]}') }), reported);
		assert.deepEqual(await at({ 'p.yaml': enforce('Enforce').replace('resources: {kinds: [Pod]}', 'resources: {kinds: [Pod], namespaces: ["sh*"]}') }), []);
		assert.deepEqual(await at({ 'p.yaml': enforce('Enforce').replace('      validate:\n', '      exclude: {any: [{resources: {namespaces: [shop]}}]}\n      validate:\n') }), reported);
		// Another kind than pods.
		assert.deepEqual(await at({ 'p.yaml': enforce('Enforce').replace('kinds: [Pod]', 'kinds: [Service]') }), reported);
		// A namespace selector on the namespace's labels.
		const selector = enforce('Enforce').replace('resources: {kinds: [Pod]}', 'resources: {kinds: [Pod], namespaceSelector: {matchLabels: {tier: prod}}}');
		assert.deepEqual(await at({ 'p.yaml': selector }), reported);
		assert.deepEqual((await check({ 'ns.yaml': ns('shop', '    tier: prod\n'), 'p.yaml': selector }, 'ns.yaml', 'cis-policy-control')).where, []);
		// Gatekeeper: a constraint that is no pod-security one, and one that excludes the namespace.
		const gk = (kind: string, spec: string) => `apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: ${kind}\nmetadata:\n  name: c\nspec:\n${spec}`;
		assert.deepEqual(await at({ 'gk.yaml': gk('K8sRequiredLabels', '  parameters: {labels: [team]}\n') }), reported);
		assert.deepEqual(await at({ 'gk.yaml': gk('K8sPSPHostNamespace', '  match:\n    excludedNamespaces: ["sho*"]\n') }), reported);
		assert.deepEqual(await at({ 'gk.yaml': gk('K8sPSPHostNamespace', '  match:\n    kinds: [{apiGroups: [""], kinds: [Pod]}]\n') }), []);
		// A binding of a policy on other resources, or of a policy the repository does not have.
		const vapb = 'apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicyBinding\nmetadata:\n  name: b\nspec:\n  policyName: p\n  validationActions: [Deny]\n';
		assert.deepEqual(await at({ 'b.yaml': vapb }), reported);
	});

	it('a namespaced Kyverno Policy only covers its own namespace', async () => {
		const pol = enforce('Enforce').replace('kind: ClusterPolicy', 'kind: Policy').replace('  name: p\n', '  name: p\n  namespace: billing\n');
		assert.deepEqual((await check({ 'ns.yaml': ns('shop'), 'p.yaml': pol }, 'ns.yaml', 'cis-policy-control')).where, ['2:0-2:8 warning cis-policy-control | metadata']);
	});
});

describe('CIS 5.1.5/5.1.6: cis-service-account-token', () => {
	const deploy = (spec: string) =>
		`apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  template:\n    spec:\n${spec}      containers:\n        - name: web\n          image: nginx:1.27\n`;
	const sa = (name: string, automount = '') => `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ${name}\n  namespace: shop\n${automount}`;

	it('reports a pod without serviceAccountName whose namespace has no default ServiceAccount in the repository, on the pod spec', async () => {
		const files = { 'd.yaml': deploy(''), 'sa.yaml': sa('other') };
		const r = await check(files, 'd.yaml', 'cis-service-account-token');
		assert.deepEqual(r.where, ['7:4-7:8 info cis-service-account-token | spec']);
		assert.deepEqual(r.messages, [
			'The pod names no ServiceAccount, so it runs as "default" of namespace "shop", which this repository does not declare: Kubernetes creates that account without automountServiceAccountToken: false, so the pod gets an API token mounted. Set automountServiceAccountToken: false in the pod spec, or declare the default ServiceAccount of "shop" with automountServiceAccountToken: false. (CIS 5.1.5, 5.1.6)',
		]);
	});

	it('reports a pod whose own ServiceAccount mounts tokens, on serviceAccountName', async () => {
		const files = { 'd.yaml': deploy('      serviceAccountName: web\n'), 'sa.yaml': sa('web') };
		const r = await check(files, 'd.yaml', 'cis-service-account-token');
		assert.deepEqual(r.where, ['8:26-8:29 info cis-service-account-token | web']);
		assert.deepEqual(r.messages, [
			'ServiceAccount "web" (sa.yaml) does not set automountServiceAccountToken: false and the pod does not either, so the pod gets an API token mounted. If it does not call the API server, set automountServiceAccountToken: false in the pod spec or on the ServiceAccount. (CIS 5.1.6)',
		]);
	});

	it('accepts the pod or account turning tokens off, a declared default account (reported on the account), unknown namespaces and accounts', async () => {
		const ok: Record<string, string>[] = [
			{ 'd.yaml': deploy('      automountServiceAccountToken: false\n') },
			{ 'd.yaml': deploy(''), 'sa.yaml': sa('default', 'automountServiceAccountToken: false\n') },
			{ 'd.yaml': deploy(''), 'sa.yaml': sa('default') },
			{ 'd.yaml': deploy('      serviceAccountName: web\n'), 'sa.yaml': sa('web', 'automountServiceAccountToken: false\n') },
			{ 'd.yaml': deploy('      serviceAccountName: web\n') },
			{ 'd.yaml': deploy('      serviceAccountName: default\n') },
			{ 'd.yaml': deploy('').replace('  namespace: shop\n', '') },
			{ 'd.yaml': deploy(''), 'base/sa.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: default\n' },
		];
		for (const files of ok) assert.deepEqual((await check(files, 'd.yaml', 'cis-service-account-token')).where, [], JSON.stringify(files));
		assert.deepEqual((await check({ 'd.yaml': deploy('') }, 'd.yaml', 'cis-service-account-token', { objects: 'none' })).where, []);
	});
});

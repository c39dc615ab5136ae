import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../../server/src/engine/analysis/engine';
import { EMPTY_REPO } from '../../server/src/engine/context/check-context';
import { complianceChecks } from '../../server/src/engine/rules/compliance';
import { defaultSettings } from '../../shared/settings';
import { NO_SCHEMAS } from '../engine/helpers';
import { at, covered } from './helpers';

/** Findings of one rule through the real Engine, as `range severity rule | covered text`, plus messages. */
function run(text: string, rule: string): { where: string[]; messages: string[] } {
	const engine = new Engine(NO_SCHEMAS, defaultSettings(), [...complianceChecks]);
	const fs = engine.analyze({ path: 'rbac.yaml', text }, EMPTY_REPO).findings.filter((f) => f.ruleId === rule);
	return { where: fs.map((f) => `${at(f)} | ${covered(text, f)}`), messages: fs.map((f) => f.message) };
}

const bindingTo = (kind: string, subjects: string, ns = '') => `apiVersion: rbac.authorization.k8s.io/v1
kind: ${kind}
metadata:
  name: admins${ns ? `\n  namespace: ${ns}` : ''}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: cluster-admin
subjects:
${subjects}`;

describe('CIS 5.1.1: cis-cluster-admin-binding', () => {
	it('reports a ClusterRoleBinding of cluster-admin on roleRef.name, naming every subject but system:masters', () => {
		const t = bindingTo(
			'ClusterRoleBinding',
			`  - kind: Group
    name: system:masters
  - kind: User
    name: alice
  - kind: ServiceAccount
    name: deployer
    namespace: ci
`,
		);
		const r = run(t, 'cis-cluster-admin-binding');
		assert.deepEqual(r.where, ['7:8-7:21 warning cis-cluster-admin-binding | cluster-admin']);
		assert.deepEqual(r.messages, [
			'ClusterRoleBinding "admins" grants cluster-admin to User "alice", ServiceAccount "ci/deployer": that is full control of every resource in the cluster, every Secret and RBAC itself included, so one leaked credential is enough to take it over. Bind a role with only the permissions needed instead. (CIS 5.1.1; DORA Art 9(4)(c))',
		]);
	});

	it('reports a RoleBinding of cluster-admin with the namespace it reaches', () => {
		const t = bindingTo('RoleBinding', '  - kind: ServiceAccount\n    name: app\n', 'shop');
		const r = run(t, 'cis-cluster-admin-binding');
		assert.deepEqual(r.where, ['8:8-8:21 warning cis-cluster-admin-binding | cluster-admin']);
		assert.deepEqual(r.messages, [
			'RoleBinding "admins" grants cluster-admin to ServiceAccount "shop/app": that is full control of namespace "shop", its Secrets and RBAC included, so one leaked credential is enough to take it over. Bind a role with only the permissions needed instead. (CIS 5.1.1; DORA Art 9(4)(c))',
		]);
	});

	it('accepts cluster-admin bound only to system:masters, other roles, and a Role named cluster-admin', () => {
		assert.deepEqual(run(bindingTo('ClusterRoleBinding', '  - kind: Group\n    name: system:masters\n'), 'cis-cluster-admin-binding').where, []);
		const view = bindingTo('ClusterRoleBinding', '  - kind: User\n    name: alice\n').replace('name: cluster-admin', 'name: view');
		assert.deepEqual(run(view, 'cis-cluster-admin-binding').where, []);
		const role = bindingTo('RoleBinding', '  - kind: User\n    name: alice\n', 'shop').replace('kind: ClusterRole\n', 'kind: Role\n');
		assert.deepEqual(run(role, 'cis-cluster-admin-binding').where, []);
	});
});

const role = (kind: string, name: string, rules: string, ns = '') => `apiVersion: rbac.authorization.k8s.io/v1
kind: ${kind}
metadata:
  name: ${name}${ns ? `\n  namespace: ${ns}` : ''}
rules:
${rules}`;

describe('CIS 5.1.3: cis-rbac-wildcards', () => {
	it('reports each "*" in apiGroups, resources and verbs on the item', () => {
		const t = role(
			'ClusterRole',
			'ops',
			`  - apiGroups: ["*"]
    resources: ["*"]
    verbs: ["get", "*"]
`,
		);
		const r = run(t, 'cis-rbac-wildcards');
		assert.deepEqual(r.where, [
			'5:16-5:19 warning cis-rbac-wildcards | "*"',
			'6:16-6:19 warning cis-rbac-wildcards | "*"',
			'7:19-7:22 warning cis-rbac-wildcards | "*"',
		]);
		assert.deepEqual(r.messages, [
			'Rule 1 of ClusterRole "ops" matches every API group ("*"), custom resources installed later included. List the API groups it needs ("" is the core group). (CIS 5.1.3; DORA Art 9(4)(c))',
			'Rule 1 of ClusterRole "ops" grants every resource of its API groups ("*"), Secrets and resources added later included. List the resources it needs. (CIS 5.1.3; DORA Art 9(4)(c))',
			'Rule 1 of ClusterRole "ops" allows every verb ("*"), delete, escalate, bind and impersonate included. List the verbs it needs (for example get, list, watch). (CIS 5.1.3; DORA Art 9(4)(c))',
		]);
	});

	it('accepts explicit lists and ClusterRoles managed by Kubernetes (system:*)', () => {
		const explicit = role('Role', 'reader', '  - apiGroups: [""]\n    resources: ["configmaps"]\n    verbs: ["get", "list"]\n', 'shop');
		assert.deepEqual(run(explicit, 'cis-rbac-wildcards').where, []);
		const system = role('ClusterRole', 'system:controller:foo', '  - apiGroups: ["*"]\n    resources: ["*"]\n    verbs: ["*"]\n');
		assert.deepEqual(run(system, 'cis-rbac-wildcards').where, []);
	});
});

describe('CIS 5.1.2: cis-secrets-access', () => {
	it('reports get/list/watch on secrets of the core group on the resources item', () => {
		const t = role('Role', 'reader', '  - apiGroups: [""]\n    resources: ["configmaps", "secrets"]\n    verbs: ["get", "list", "update"]\n', 'shop');
		const r = run(t, 'cis-secrets-access');
		assert.deepEqual(r.where, ['7:30-7:39 info cis-secrets-access | "secrets"']);
		assert.deepEqual(r.messages, [
			'Role "reader" can read Secrets (get, list) in namespace "shop": whoever is bound to it gets every password, key and token they hold. This is often needed (controllers, operators); if this subject does not need it, drop these verbs or name the Secrets with resourceNames. (CIS 5.1.2)',
		]);
	});

	it('counts "*" verbs as reading, and says where a ClusterRole reaches', () => {
		const t = role('ClusterRole', 'operator', '  - apiGroups: [""]\n    resources: [secrets]\n    verbs: ["*"]\n');
		const r = run(t, 'cis-secrets-access');
		assert.deepEqual(r.where, ['6:16-6:23 info cis-secrets-access | secrets']);
		assert.deepEqual(r.messages, [
			'ClusterRole "operator" can read Secrets (get, list, watch) in every namespace where it is bound (all of them through a ClusterRoleBinding): whoever is bound to it gets every password, key and token they hold. This is often needed (controllers, operators); if this subject does not need it, drop these verbs or name the Secrets with resourceNames. (CIS 5.1.2)',
		]);
	});

	it('accepts write-only access, named Secrets, another API group and system:* ClusterRoles', () => {
		const cases = [
			role('Role', 'writer', '  - apiGroups: [""]\n    resources: ["secrets"]\n    verbs: ["create", "update"]\n', 'shop'),
			role('Role', 'one', '  - apiGroups: [""]\n    resources: ["secrets"]\n    resourceNames: ["tls"]\n    verbs: ["get"]\n', 'shop'),
			role('Role', 'crd', '  - apiGroups: ["bitnami.com"]\n    resources: ["secrets"]\n    verbs: ["get"]\n', 'shop'),
			role('ClusterRole', 'system:kube-controller-manager', '  - apiGroups: [""]\n    resources: ["secrets"]\n    verbs: ["get"]\n'),
		];
		for (const t of cases) assert.deepEqual(run(t, 'cis-secrets-access').where, [], t);
	});
});

describe('CIS 5.1.4: cis-pod-create', () => {
	it('reports create on pods on the resources item', () => {
		const t = role('Role', 'runner', '  - apiGroups: [""]\n    resources: ["pods", "pods/log"]\n    verbs: ["create", "get"]\n', 'ci');
		const r = run(t, 'cis-pod-create');
		assert.deepEqual(r.where, ['7:16-7:22 info cis-pod-create | "pods"']);
		assert.deepEqual(r.messages, [
			'Role "runner" can create pods in namespace "ci": a new pod can run any image under any service account there and mount its Secrets. This is often needed (CI runners, operators); if this subject does not need it, remove create. (CIS 5.1.4)',
		]);
	});

	it('accepts read-only access to pods and create on other resources', () => {
		assert.deepEqual(run(role('Role', 'r', '  - apiGroups: [""]\n    resources: ["pods"]\n    verbs: ["get", "list"]\n', 'ci'), 'cis-pod-create').where, []);
		assert.deepEqual(run(role('Role', 'r', '  - apiGroups: [""]\n    resources: ["configmaps"]\n    verbs: ["create"]\n', 'ci'), 'cis-pod-create').where, []);
	});
});

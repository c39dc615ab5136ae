import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../../server/src/engine/analysis/engine';
import { EMPTY_REPO } from '../../server/src/engine/context/check-context';
import { complianceChecks } from '../../server/src/engine/rules/compliance';
import { defaultSettings } from '../../shared/settings';
import { NO_SCHEMAS } from '../engine/helpers';
import { at, covered } from './helpers';

/** CIS 5.1.7–5.1.13 through the real Engine: `range severity rule | covered text`, plus messages. */
function run(text: string, rule: string): { where: string[]; messages: string[] } {
	const engine = new Engine(NO_SCHEMAS, defaultSettings(), [...complianceChecks]);
	const fs = engine.analyze({ path: 'rbac.yaml', text }, EMPTY_REPO).findings.filter((f) => f.ruleId === rule);
	return { where: fs.map((f) => `${at(f)} | ${covered(text, f)}`), messages: fs.map((f) => f.message) };
}

const role = (kind: string, name: string, rules: string, ns = '') => `apiVersion: rbac.authorization.k8s.io/v1
kind: ${kind}
metadata:
  name: ${name}${ns ? `\n  namespace: ${ns}` : ''}
rules:
${rules}`;

const rule = (groups: string, resources: string, verbs: string, extra = '') => `  - apiGroups: ${groups}\n    resources: ${resources}\n    verbs: ${verbs}\n${extra}`;

/** Rule shapes no rule may crash on or report: wrong types where lists are expected. */
const BAD_SHAPES = [
	'rules: "all"\n',
	'rules:\n  - "*"\n  - null\n',
	'rules:\n  - apiGroups: ""\n    resources: nodes/proxy\n    verbs: create\n',
	'rules:\n  - apiGroups: [1, null]\n    resources: [{a: b}]\n    verbs: [true]\n',
	'rules: []\n',
	'',
];

function assertBadShapesQuiet(ruleId: string, kind = 'ClusterRole'): void {
	for (const body of BAD_SHAPES) {
		const t = `apiVersion: rbac.authorization.k8s.io/v1\nkind: ${kind}\nmetadata:\n  name: odd\n${body}`;
		assert.deepEqual(run(t, ruleId).where, [], body);
	}
}

describe('CIS 5.1.7: cis-system-masters', () => {
	const binding = (name: string, subjects: string, kind = 'ClusterRoleBinding') => `apiVersion: rbac.authorization.k8s.io/v1
kind: ${kind}
metadata:
  name: ${name}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: view
subjects:
${subjects}`;

	it('reports a binding naming the group system:masters on the subject name, as a warning', () => {
		const r = run(binding('break-glass', '  - kind: User\n    name: alice\n  - kind: Group\n    name: system:masters\n'), 'cis-system-masters');
		assert.deepEqual(r.where, ['12:10-12:24 warning cis-system-masters | system:masters']);
		assert.deepEqual(r.messages, [
			'ClusterRoleBinding "break-glass" names the group system:masters: its members bypass RBAC entirely, so this binding grants them nothing new, but it shows that credentials in that group are in use, and their access can never be reduced by removing bindings. Bind an ordinary group of your own instead and stop issuing system:masters credentials. (CIS 5.1.7)',
		]);
	});

	it('skips the Kubernetes default cluster-admin binding, system:* bindings, a User named system:masters and other groups', () => {
		const cases = [
			binding('cluster-admin', '  - kind: Group\n    name: system:masters\n'),
			binding('system:kube-controller-manager', '  - kind: Group\n    name: system:masters\n'),
			binding('odd', '  - kind: User\n    name: system:masters\n'),
			binding('devs', '  - kind: Group\n    name: developers\n', 'RoleBinding'),
			binding('empty', '  []\n').replace('subjects:\n  []', 'subjects: []'),
			binding('wrong', '  - "system:masters"\n'),
			binding('wrong2', '').replace('subjects:\n', 'subjects: system:masters\n'),
		];
		for (const t of cases) assert.deepEqual(run(t, 'cis-system-masters').where, [], t);
	});

	const awsAuth = (data: string, ns = '  namespace: kube-system\n') => `apiVersion: v1
kind: ConfigMap
metadata:
  name: aws-auth
${ns}data:
${data}`;

	it('reports the EKS aws-auth ConfigMap mapping IAM roles and users into system:masters as an error, on the data key', () => {
		// The node mapping uses aws-iam-authenticator's {{EC2PrivateDNSName}}: the file is still validated, not skipped as Helm.
		const t = awsAuth(`  mapRoles: |
    - rolearn: arn:aws:iam::111122223333:role/platform-admin
      username: admin
      groups:
        - system:masters
    - rolearn: arn:aws:iam::111122223333:role/eks-node
      username: system:node:{{EC2PrivateDNSName}}
      groups: [system:bootstrappers, system:nodes]
  mapUsers: |
    - userarn: arn:aws:iam::111122223333:user/alice
      groups: [system:masters]
    - username: bob
      groups: [system:masters]
`);
		const r = run(t, 'cis-system-masters');
		assert.deepEqual(r.where, ['6:2-6:10 error cis-system-masters | mapRoles', '14:2-14:10 error cis-system-masters | mapUsers']);
		assert.deepEqual(r.messages, [
			'ConfigMap aws-auth puts IAM role arn:aws:iam::111122223333:role/platform-admin into the system:masters group (data.mapRoles): members of system:masters bypass RBAC entirely, so removing RoleBindings can never reduce their access, and a leaked credential is an irrevocable cluster-admin. Map it to a group of your own and bind that group to the role needed (or use EKS access entries). (CIS 5.1.7)',
			'ConfigMap aws-auth puts IAM users arn:aws:iam::111122223333:user/alice, bob into the system:masters group (data.mapUsers): members of system:masters bypass RBAC entirely, so removing RoleBindings can never reduce their access, and a leaked credential is an irrevocable cluster-admin. Map them to a group of your own and bind that group to the role needed (or use EKS access entries). (CIS 5.1.7)',
		]);
	});

	it('accepts aws-auth without system:masters, another ConfigMap, another namespace, and unreadable mappings', () => {
		const ok = awsAuth('  mapRoles: |\n    - rolearn: arn:aws:iam::1:role/dev\n      groups: [platform-admins]\n');
		assert.deepEqual(run(ok, 'cis-system-masters').where, []);
		assert.deepEqual(run(ok.replace('groups: [platform-admins]', 'groups: [system:masters]').replace('name: aws-auth', 'name: other'), 'cis-system-masters').where, []);
		assert.deepEqual(run(awsAuth('  mapRoles: "- groups: [system:masters]"\n', '  namespace: default\n'), 'cis-system-masters').where, []);
		for (const data of ['  mapRoles: "system:masters: [unclosed"\n', '  mapRoles: "system:masters"\n', '  mapRoles: 5\n', '  - system:masters\n', '  mapRoles: "- &a [system:masters]\\n- *a"\n']) {
			assert.deepEqual(run(awsAuth(data), 'cis-system-masters').where, [], data);
		}
	});
});

describe('CIS 5.1.8: cis-rbac-escalation-verbs', () => {
	it('reports bind and escalate on roles and impersonate on identities, on each verb item', () => {
		const t = role(
			'ClusterRole',
			'platform-ops',
			rule('["rbac.authorization.k8s.io"]', '["clusterroles", "clusterrolebindings"]', '["get", "bind", "escalate"]') + rule('[""]', '["users", "groups"]', '["impersonate"]'),
		);
		const r = run(t, 'cis-rbac-escalation-verbs');
		assert.deepEqual(r.where, [
			'7:19-7:25 warning cis-rbac-escalation-verbs | "bind"',
			'7:27-7:37 warning cis-rbac-escalation-verbs | "escalate"',
			'10:12-10:25 warning cis-rbac-escalation-verbs | "impersonate"',
		]);
		assert.deepEqual(r.messages, [
			'Rule 1 of ClusterRole "platform-ops" allows bind on clusterroles: whoever holds it can create bindings to roles it does not hold itself, cluster-admin included unless resourceNames limits which, so it can grant itself more. Remove bind, or limit it with resourceNames to the roles this subject may hand out. (CIS 5.1.8)',
			'Rule 1 of ClusterRole "platform-ops" allows escalate on clusterroles: whoever holds it can edit a Role or ClusterRole to contain permissions it does not hold itself, which switches off RBAC\'s privilege-escalation check. Remove escalate. (CIS 5.1.8)',
			'Rule 2 of ClusterRole "platform-ops" allows impersonate on users and groups: whoever holds it can send requests as another user, group or ServiceAccount and gets all of its permissions. Remove impersonate, or limit it with resourceNames to the identities this subject must act as. (CIS 5.1.8)',
		]);
	});

	it('a rule narrowed with resourceNames is an info to review, naming the objects', () => {
		const t = role('Role', 'delegate', rule('["rbac.authorization.k8s.io"]', '["roles"]', '["bind"]', '    resourceNames: ["app-reader"]\n'), 'shop');
		const r = run(t, 'cis-rbac-escalation-verbs');
		assert.deepEqual(r.where, ['8:12-8:18 info cis-rbac-escalation-verbs | "bind"']);
		assert.deepEqual(r.messages, ['Rule 1 of Role "delegate" allows bind on roles, limited to "app-reader": whoever holds it can bind these roles to anyone, itself included. Check that this subject may do that. (CIS 5.1.8)']);
	});

	it('accepts the verbs where they take no effect, another API group, system:* roles, and bad shapes', () => {
		const cases = [
			role('Role', 'r', rule('[""]', '["pods"]', '["bind", "escalate", "impersonate"]'), 'shop'),
			role('ClusterRole', 'r', rule('["apps"]', '["roles"]', '["bind"]')),
			role('ClusterRole', 'r', rule('["rbac.authorization.k8s.io"]', '["users"]', '["impersonate"]')),
			role('ClusterRole', 'system:controller:clusterrole-aggregation-controller', rule('["rbac.authorization.k8s.io"]', '["clusterroles"]', '["escalate", "get"]')),
			role('ClusterRole', 'r', rule('["rbac.authorization.k8s.io"]', '["clusterroles"]', '["get", "list"]')),
		];
		for (const t of cases) assert.deepEqual(run(t, 'cis-rbac-escalation-verbs').where, [], t);
		assertBadShapesQuiet('cis-rbac-escalation-verbs');
	});

	it('counts the "*" resource and a userextras subresource as targets', () => {
		const t = role('ClusterRole', 'r', rule('["*"]', '["*"]', '["impersonate"]') + rule('["authentication.k8s.io"]', '["userextras/scopes"]', '["impersonate"]'));
		assert.deepEqual(run(t, 'cis-rbac-escalation-verbs').where, [
			'7:12-7:25 warning cis-rbac-escalation-verbs | "impersonate"',
			'10:12-10:25 warning cis-rbac-escalation-verbs | "impersonate"',
		]);
	});
});

describe('CIS 5.1.9: cis-pv-create', () => {
	it('reports create on persistentvolumes of a ClusterRole on the resource item, as info', () => {
		const r = run(role('ClusterRole', 'storage', rule('[""]', '["persistentvolumes", "persistentvolumeclaims"]', '["create", "delete"]')), 'cis-pv-create');
		assert.deepEqual(r.where, ['6:16-6:35 info cis-pv-create | "persistentvolumes"']);
		assert.deepEqual(r.messages, [
			'ClusterRole "storage" can create PersistentVolumes: one that points at a hostPath gives a pod that claims it the node\'s files, past Pod Security. Storage provisioners need this; if this subject is not one, remove create and let workloads use PersistentVolumeClaims. (CIS 5.1.9)',
		]);
	});

	it('accepts read access, claims, a Role (PersistentVolumes are cluster-scoped) and bad shapes', () => {
		assert.deepEqual(run(role('ClusterRole', 'r', rule('[""]', '["persistentvolumes"]', '["get", "list"]')), 'cis-pv-create').where, []);
		assert.deepEqual(run(role('ClusterRole', 'r', rule('[""]', '["persistentvolumeclaims"]', '["create"]')), 'cis-pv-create').where, []);
		assert.deepEqual(run(role('Role', 'r', rule('[""]', '["persistentvolumes"]', '["create"]'), 'shop'), 'cis-pv-create').where, []);
		assertBadShapesQuiet('cis-pv-create');
	});
});

describe('CIS 5.1.10: cis-nodes-proxy', () => {
	it('reports any verb on nodes/proxy or */proxy, naming the verbs', () => {
		const t = role('ClusterRole', 'scraper', rule('[""]', '["nodes", "nodes/proxy"]', '["get"]') + rule('[""]', '["*/proxy"]', '["*"]'));
		const r = run(t, 'cis-nodes-proxy');
		assert.deepEqual(r.where, ['6:25-6:38 warning cis-nodes-proxy | "nodes/proxy"', '9:16-9:25 warning cis-nodes-proxy | "*/proxy"']);
		assert.equal(
			r.messages[0],
			'ClusterRole "scraper" grants get on nodes/proxy: that reaches the kubelet API of every node, so whoever holds it can run commands in any pod there, past admission control and without the audit log showing what was run. Remove it; for node metrics use nodes/metrics or nodes/stats. (CIS 5.1.10)',
		);
		assert.match(r.messages[1], /^ClusterRole "scraper" grants get, list, watch, create, update, patch, delete, deletecollection on \*\/proxy:/);
	});

	it('accepts nodes/metrics, nodes/stats, services/proxy, another group and bad shapes', () => {
		assert.deepEqual(run(role('ClusterRole', 'r', rule('[""]', '["nodes/metrics", "nodes/stats", "services/proxy"]', '["get"]')), 'cis-nodes-proxy').where, []);
		assert.deepEqual(run(role('ClusterRole', 'r', rule('["metrics.k8s.io"]', '["nodes/proxy"]', '["get"]')), 'cis-nodes-proxy').where, []);
		assertBadShapesQuiet('cis-nodes-proxy');
	});
});

describe('CIS 5.1.11: cis-csr-approval', () => {
	it('reports update or patch on certificatesigningrequests/approval', () => {
		const r = run(role('ClusterRole', 'approver', rule('["certificates.k8s.io"]', '["certificatesigningrequests", "certificatesigningrequests/approval"]', '["get", "patch"]')), 'cis-csr-approval');
		assert.deepEqual(r.where, ['6:46-6:83 warning cis-csr-approval | "certificatesigningrequests/approval"']);
		assert.deepEqual(r.messages, [
			'ClusterRole "approver" can approve certificate signing requests (patch on certificatesigningrequests/approval): for the signers it may approve, an approved request yields a client certificate with any user and group, system:masters included, that cannot be revoked before it expires. Remove it unless this subject is a certificate approver. (CIS 5.1.11)',
		]);
	});

	it('accepts creating and reading CSRs, the core group and bad shapes', () => {
		assert.deepEqual(run(role('ClusterRole', 'r', rule('["certificates.k8s.io"]', '["certificatesigningrequests"]', '["create", "get"]')), 'cis-csr-approval').where, []);
		assert.deepEqual(run(role('ClusterRole', 'r', rule('["certificates.k8s.io"]', '["certificatesigningrequests/approval"]', '["get"]')), 'cis-csr-approval').where, []);
		assert.deepEqual(run(role('ClusterRole', 'r', rule('[""]', '["certificatesigningrequests/approval"]', '["update"]')), 'cis-csr-approval').where, []);
		assertBadShapesQuiet('cis-csr-approval');
	});
});

describe('CIS 5.1.12: cis-webhook-config-access', () => {
	it('reports writes to validating and mutating webhook configurations, naming the kind and verbs', () => {
		const t = role('ClusterRole', 'policy-admin', rule('["admissionregistration.k8s.io"]', '["validatingwebhookconfigurations", "mutatingwebhookconfigurations"]', '["get", "create", "delete"]'));
		const r = run(t, 'cis-webhook-config-access');
		assert.deepEqual(r.where, [
			'6:16-6:49 warning cis-webhook-config-access | "validatingwebhookconfigurations"',
			'6:51-6:82 warning cis-webhook-config-access | "mutatingwebhookconfigurations"',
		]);
		assert.deepEqual(r.messages, [
			'ClusterRole "policy-admin" can change ValidatingWebhookConfigurations (create, delete): a webhook it registers receives every object it selects, Secrets included, and deleting one switches off the policy it enforces. If an operator needs this for its own webhooks, limit the rule with resourceNames to them. (CIS 5.1.12)',
			'ClusterRole "policy-admin" can change MutatingWebhookConfigurations (create, delete): a webhook it registers receives every object it selects, Secrets included, and can rewrite them, and deleting one switches off the policy it enforces. If an operator needs this for its own webhooks, limit the rule with resourceNames to them. (CIS 5.1.12)',
		]);
	});

	it('accepts read access, writes limited to named configurations (an operator patching its own), and bad shapes', () => {
		assert.deepEqual(run(role('ClusterRole', 'r', rule('["admissionregistration.k8s.io"]', '["mutatingwebhookconfigurations"]', '["get", "list", "watch"]')), 'cis-webhook-config-access').where, []);
		const own = role('ClusterRole', 'cainjector', rule('["admissionregistration.k8s.io"]', '["mutatingwebhookconfigurations"]', '["patch", "update"]', '    resourceNames: ["cert-manager-webhook"]\n'));
		assert.deepEqual(run(own, 'cis-webhook-config-access').where, []);
		assertBadShapesQuiet('cis-webhook-config-access');
	});
});

describe('CIS 5.1.13: cis-sa-token-create', () => {
	it('reports create on serviceaccounts/token of a Role, naming the namespace', () => {
		const r = run(role('Role', 'minter', rule('[""]', '["serviceaccounts/token"]', '["create"]'), 'ci'), 'cis-sa-token-create');
		assert.deepEqual(r.where, ['7:16-7:39 warning cis-sa-token-create | "serviceaccounts/token"']);
		assert.deepEqual(r.messages, [
			'Role "minter" can create tokens (create on serviceaccounts/token) for every ServiceAccount in namespace "ci": it can act as any of them, with all of their permissions. Limit it with resourceNames to the ServiceAccounts this subject must mint tokens for. (CIS 5.1.13)',
		]);
	});

	it('accepts tokens limited to named ServiceAccounts, reading ServiceAccounts, system:* Roles and bad shapes', () => {
		assert.deepEqual(run(role('Role', 'r', rule('[""]', '["serviceaccounts/token"]', '["create"]', '    resourceNames: ["deployer"]\n'), 'ci'), 'cis-sa-token-create').where, []);
		assert.deepEqual(run(role('Role', 'r', rule('[""]', '["serviceaccounts"]', '["create", "get"]'), 'ci'), 'cis-sa-token-create').where, []);
		assert.deepEqual(run(role('Role', 'system:controller:token-cleaner', rule('[""]', '["serviceaccounts/token"]', '["create"]'), 'kube-system'), 'cis-sa-token-create').where, []);
		assertBadShapesQuiet('cis-sa-token-create', 'Role');
	});
});

describe('CIS 5.1.x rules: a CRD named Role is not RBAC', () => {
	it('reports nothing for kind ClusterRole of another API group', () => {
		const t = role('ClusterRole', 'x', rule('[""]', '["nodes/proxy", "serviceaccounts/token", "persistentvolumes"]', '["*"]')).replace('rbac.authorization.k8s.io/v1', 'example.com/v1');
		const engine = new Engine(NO_SCHEMAS, defaultSettings(), [...complianceChecks]);
		assert.deepEqual(engine.analyze({ path: 'x.yaml', text: t }, EMPTY_REPO).findings.filter((f) => f.ruleId.startsWith('cis-')), []);
	});
});

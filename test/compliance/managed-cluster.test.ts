import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../../server/src/engine/analysis/engine';
import { EMPTY_REPO } from '../../server/src/engine/context/check-context';
import { complianceChecks, MANAGED_RULES } from '../../server/src/engine/rules/compliance';
import { frameworksOf } from '../../server/src/engine/core/rule-meta';
import { ruleMeta } from '../../server/src/engine/rules/catalog';
import { defaultSettings } from '../../shared/settings';
import { NO_SCHEMAS } from '../engine/helpers';
import { at, covered } from './helpers';

/** CIS EKS 1.8.0 / GKE 1.9.0 / AKS 1.8 on ClusterClaims, per provider, through the real Engine. */

function run(text: string, rule: string): { where: string[]; messages: string[] } {
	const engine = new Engine(NO_SCHEMAS, defaultSettings(), [...complianceChecks]);
	const fs = engine.analyze({ path: 'claims/c.yaml', text }, EMPTY_REPO).findings.filter((f) => f.ruleId === rule);
	return { where: fs.map((f) => `${at(f)} | ${covered(text, f)}`), messages: fs.map((f) => f.message) };
}

const all = (text: string) => {
	const engine = new Engine(NO_SCHEMAS, defaultSettings(), [...complianceChecks]);
	return engine.analyze({ path: 'claims/c.yaml', text }, EMPTY_REPO).findings.filter((f) => f.ruleId.startsWith('cis-managed-'));
};

const HEAD = (provider: string, region: string) => `apiVersion: platform.gitops.io/v1alpha1
kind: ClusterClaim
metadata:
  name: c
spec:
  cloudProvider: ${provider}
  region: ${region}
  environment: staging
  kubernetes:
    version: "1.30"
`;

/** Claims that meet every managed-cluster rule: each test breaks one thing. */
const EKS = `${HEAD('aws', 'eu-west-1')}  nodeGroups:
    - name: workloads
      minSize: 1
      maxSize: 3
  controlPlane:
    endpointAccess: private
    logging: [api, audit, authenticator, controllerManager, scheduler]
  encryption:
    secretsKmsKey: arn:aws:kms:eu-west-1:111122223333:key/0f1e2d3c
  network:
    policy: cilium
  identity:
    workloadIdentity: true
`;

const GKE = `${HEAD('gcp', 'europe-west1')}  nodeGroups:
    - name: pool-a
      imageType: COS_CONTAINERD
      secureBoot: true
  controlPlane:
    endpointAccess: private
  encryption:
    secretsKmsKey: projects/acme/locations/europe-west1/keyRings/gke/cryptoKeys/secrets
  network:
    policy: cilium
    privateNodes: true
  identity:
    nodeServiceAccount: gke-nodes@acme.iam.gserviceaccount.com
    workloadIdentity: true
`;

const AKS = `${HEAD('azure', 'westeurope')}  nodeGroups:
    - name: system
  controlPlane:
    endpointAccess: private
    logging: [audit, api]
  encryption:
    secretsKmsKey: https://acme-kv.vault.azure.net/keys/etcd/0123456789abcdef
  network:
    policy: azure
  identity:
    workloadIdentity: true
  access:
    entraId: true
    localAccounts: false
`;

describe('managed-cluster rules: compliant claims', () => {
	it('a claim per provider that meets every recommendation has no managed-cluster finding', () => {
		for (const [name, text] of [['EKS', EKS], ['GKE', GKE], ['AKS', AKS]]) assert.deepEqual(all(text).map((f) => f.ruleId), [], name);
	});

	it('every rule lists its providers\' controls and belongs to the managed-cluster framework', () => {
		assert.equal(MANAGED_RULES.length, 14);
		for (const r of MANAGED_RULES) {
			const meta = ruleMeta(r.id)!;
			// CIS controls, plus the DORA articles a rule evidences for production clusters.
			assert.ok(meta.controls.every((c) => /^CIS-(EKS|GKE|AKS|K8S)-\d+(\.\d+)+$/.test(c) || /^DORA-Art\d+(\(\w+\))*$/.test(c)), r.id);
			assert.ok(frameworksOf(meta).includes('managed-cluster'), r.id);
		}
		assert.deepEqual(ruleMeta('cis-managed-control-plane-logging')!.controls, ['CIS-EKS-2.1.1', 'CIS-GKE-5.7.1', 'CIS-AKS-2.1.1', 'DORA-Art10(1)']);
		assert.deepEqual(ruleMeta('cis-managed-network-policy')!.controls, ['CIS-EKS-5.4.4', 'CIS-GKE-4.3.1', 'CIS-AKS-5.4.4', 'CIS-K8S-5.3.1']);
	});

	it('bad shapes never crash and are left to the schema', () => {
		const odd = [
			EKS.replace('  controlPlane:\n    endpointAccess: private\n    logging: [api, audit, authenticator, controllerManager, scheduler]\n', '  controlPlane: private\n'),
			EKS.replace('    logging: [api, audit, authenticator, controllerManager, scheduler]', '    logging: all'),
			GKE.replace('  nodeGroups:\n', '  nodeGroups: pool-a\n').replace(/    - name: pool-a\n      imageType: COS_CONTAINERD\n      secureBoot: true\n/, ''),
			GKE.replace('      secureBoot: true', '      secureBoot: "yes"'),
			AKS.replace('  access:\n    entraId: true\n    localAccounts: false\n', '  access: [entraId]\n').replace('    entraId', ''),
			`${HEAD('aws', 'eu-west-1')}  spec: nothing\n`,
		];
		// Shapes the schema rejects give no managed-cluster finding for the malformed part (and no crash).
		assert.deepEqual(all(odd[0]).map((f) => f.ruleId), []);
		assert.deepEqual(all(odd[1]).map((f) => f.ruleId), []);
		assert.deepEqual(all(odd[2]).map((f) => f.ruleId), []);
		assert.deepEqual(all(odd[3]).map((f) => f.ruleId), []);
		for (const t of odd.slice(4)) all(t);
		const notAClaim = EKS.replace('platform.gitops.io/v1alpha1', 'platform.gitops.io/v1beta9');
		assert.deepEqual(all(notAClaim), []);
		assert.deepEqual(all(EKS.replace('cloudProvider: aws', 'cloudProvider: onprem')), []);
		assert.deepEqual(all('apiVersion: platform.gitops.io/v1alpha1\nkind: ClusterClaim\nmetadata: {name: c}\nspec: []\n'), []);
	});
});

describe('cis-managed-control-plane-logging', () => {
	it('EKS: absent logging is reported on controlPlane, saying EKS logs nothing by default', () => {
		const r = run(EKS.replace('    logging: [api, audit, authenticator, controllerManager, scheduler]\n', ''), 'cis-managed-control-plane-logging');
		assert.deepEqual(r.where, ['14:2-14:14 warning cis-managed-control-plane-logging | controlPlane']);
		assert.deepEqual(r.messages, [
			'EKS sends no control-plane logs to CloudWatch unless told to, and this claim does not set controlPlane.logging: there is no record of who did what in the cluster. Set controlPlane.logging: [api, audit, authenticator, controllerManager, scheduler]. (CIS EKS 2.1.1)',
		]);
	});

	it('EKS: every one of the five types is required; the finding names the missing ones', () => {
		const r = run(EKS.replace('[api, audit, authenticator, controllerManager, scheduler]', '[api, audit]'), 'cis-managed-control-plane-logging');
		assert.deepEqual(r.where, ['16:13-16:25 warning cis-managed-control-plane-logging | [api, audit]']);
		assert.deepEqual(r.messages, [
			'controlPlane.logging lacks authenticator, controllerManager and scheduler: EKS keeps only the log types listed, so incidents cannot be fully reconstructed. Add them: [api, audit, authenticator, controllerManager, scheduler]. (CIS EKS 2.1.1)',
		]);
		assert.match(run(EKS.replace('[api, audit, authenticator, controllerManager, scheduler]', '[api, authenticator, controllerManager, scheduler]'), 'cis-managed-control-plane-logging').messages[0], /lacks audit: .*there is no record of who did what/);
	});

	it('EKS: without controlPlane at all, the finding goes on spec', () => {
		const t = EKS.replace('  controlPlane:\n    endpointAccess: private\n    logging: [api, audit, authenticator, controllerManager, scheduler]\n', '');
		assert.deepEqual(run(t, 'cis-managed-control-plane-logging').where, ['4:0-4:4 warning cis-managed-control-plane-logging | spec']);
	});

	it('AKS: the audit log is required (nothing is collected without a diagnostic setting)', () => {
		const absent = run(AKS.replace('    logging: [audit, api]\n', ''), 'cis-managed-control-plane-logging');
		assert.deepEqual(absent.where, ['12:2-12:14 warning cis-managed-control-plane-logging | controlPlane']);
		assert.deepEqual(absent.messages, [
			'AKS collects no control-plane logs until a diagnostic setting sends them to Log Analytics or storage, and this claim does not set controlPlane.logging: there is no audit log of who did what in the cluster. Set controlPlane.logging to include audit (kube-audit), with api, controllerManager and scheduler as needed. (CIS AKS 2.1.1)',
		]);
		assert.deepEqual(run(AKS.replace('[audit, api]', '[api]'), 'cis-managed-control-plane-logging').messages, [
			'controlPlane.logging does not include audit: AKS keeps only the log categories a diagnostic setting sends, so there is no audit log of who did what in the cluster. Add audit (kube-audit). (CIS AKS 2.1.1)',
		]);
	});

	it('GKE: logging and monitoring are on by default; only an explicit false is reported', () => {
		assert.deepEqual(run(GKE, 'cis-managed-control-plane-logging').where, []);
		const off = GKE.replace('  encryption:', '  observability:\n    logging: false\n    monitoring: false\n  encryption:');
		const r = run(off, 'cis-managed-control-plane-logging');
		assert.deepEqual(r.where, ['17:13-17:18 warning cis-managed-control-plane-logging | false', '18:16-18:21 warning cis-managed-control-plane-logging | false']);
		assert.deepEqual(r.messages, [
			'observability.logging: false turns Cloud Logging off for this cluster: its system and workload logs are no longer kept, so incidents cannot be detected or reconstructed from them. Remove the setting or set it to true. (CIS GKE 5.7.1)',
			'observability.monitoring: false turns Cloud Monitoring off for this cluster: its system and workload metrics are no longer kept, so incidents cannot be detected or reconstructed from them. Remove the setting or set it to true. (CIS GKE 5.7.1)',
		]);
	});
});

describe('cis-managed-secrets-encryption', () => {
	const noKey = (t: string, key: RegExp) => t.replace(key, '');
	it('reports a claim without a customer-managed key, with each provider\'s default', () => {
		const eks = run(noKey(EKS, /  encryption:\n    secretsKmsKey: .*\n/), 'cis-managed-secrets-encryption');
		assert.deepEqual(eks.where, ['4:0-4:4 warning cis-managed-secrets-encryption | spec']);
		assert.deepEqual(eks.messages, [
			'EKS envelope-encrypts Secrets (from Kubernetes 1.28) only with an AWS-owned key by default, which you cannot control, audit in CloudTrail or revoke, and this claim sets no encryption.secretsKmsKey. Set it to a customer-managed AWS KMS key (its ARN). (CIS EKS 5.3.1)',
		]);
		assert.deepEqual(run(noKey(GKE, /    secretsKmsKey: .*\n/).replace('  encryption:\n', '  encryption: {}\n'), 'cis-managed-secrets-encryption').messages, [
			'GKE encrypts Secrets only at the storage layer with Google-managed keys by default: application-layer Secrets encryption with a Cloud KMS key you control is off, and this claim sets no encryption.secretsKmsKey. Set it to a Cloud KMS key (projects/…/locations/…/keyRings/…/cryptoKeys/…). (CIS GKE 5.3.1)',
		]);
		const aks = run(AKS.replace(/secretsKmsKey: .*/, 'secretsKmsKey: ""'), 'cis-managed-secrets-encryption');
		assert.deepEqual(aks.where, ['16:19-16:21 warning cis-managed-secrets-encryption | ""']);
		assert.match(aks.messages[0], /^AKS encrypts etcd only with platform-managed keys by default: KMS etcd encryption with an Azure Key Vault key you control is off, .*\(CIS AKS 5\.3\.1\)$/);
	});

	it('accepts a key, and leaves a key of the wrong type to the schema', () => {
		for (const t of [EKS, GKE, AKS]) assert.deepEqual(run(t, 'cis-managed-secrets-encryption').where, []);
		assert.deepEqual(run(EKS.replace(/secretsKmsKey: .*/, 'secretsKmsKey: 5'), 'cis-managed-secrets-encryption').where, []);
	});
});

describe('cis-managed-endpoint-access and cis-managed-private-endpoint', () => {
	it('EKS: no endpointAccess means public and open to 0.0.0.0/0: a warning on controlPlane, and the private-endpoint info', () => {
		const t = EKS.replace('    endpointAccess: private\n', '');
		const open = run(t, 'cis-managed-endpoint-access');
		assert.deepEqual(open.where, ['14:2-14:14 warning cis-managed-endpoint-access | controlPlane']);
		assert.deepEqual(open.messages, [
			'EKS makes the API server endpoint public by default and, without CIDRs, open to 0.0.0.0/0, and this claim sets neither controlPlane.endpointAccess nor publicAccessCidrs: the API server accepts connections from the whole internet. Set endpointAccess: private, or list the networks that may reach it in publicAccessCidrs. (CIS EKS 5.4.1)',
		]);
		const priv = run(t, 'cis-managed-private-endpoint');
		assert.deepEqual(priv.where, ['14:2-14:14 info cis-managed-private-endpoint | controlPlane']);
		assert.deepEqual(priv.messages, [
			'EKS creates the API server endpoint public, with private access off, by default, and this claim does not set controlPlane.endpointAccess: the API server is reachable from the internet. Set endpointAccess: private. (CIS EKS 5.4.2)',
		]);
	});

	it('a public endpoint with CIDRs passes 5.4.1 but not 5.4.2; 0.0.0.0/0 and ::/0 are reported on the item', () => {
		const restricted = EKS.replace('    endpointAccess: private\n', '    endpointAccess: public-and-private\n    publicAccessCidrs: [203.0.113.0/24]\n');
		assert.deepEqual(run(restricted, 'cis-managed-endpoint-access').where, []);
		assert.deepEqual(run(restricted, 'cis-managed-private-endpoint').where, ['15:20-15:38 info cis-managed-private-endpoint | public-and-private']);
		assert.deepEqual(run(restricted, 'cis-managed-private-endpoint').messages, [
			'controlPlane.endpointAccess is public-and-private: the API server stays reachable from the internet, limited at best to publicAccessCidrs. Set it to private and reach the API through the private network. (CIS EKS 5.4.2)',
		]);
		const world = GKE.replace('    endpointAccess: private\n', '    endpointAccess: public\n    publicAccessCidrs:\n      - 203.0.113.0/24\n      - 0.0.0.0/0\n      - "::/0"\n');
		const r = run(world, 'cis-managed-endpoint-access');
		assert.deepEqual(r.where, ['18:8-18:17 warning cis-managed-endpoint-access | 0.0.0.0/0', '19:8-19:14 warning cis-managed-endpoint-access | "::/0"']);
		assert.equal(
			r.messages[0],
			'controlPlane.publicAccessCidrs includes 0.0.0.0/0, which is the whole internet: the API server accepts connections from anywhere. List only the networks that need it (office, VPN, CI runners), or set endpointAccess: private. (CIS GKE 5.6.3)',
		);
	});

	it('AKS: a public endpoint without CIDRs is open, on the endpointAccess value', () => {
		const r = run(AKS.replace('endpointAccess: private', 'endpointAccess: public'), 'cis-managed-endpoint-access');
		assert.deepEqual(r.where, ['13:20-13:26 warning cis-managed-endpoint-access | public']);
		assert.deepEqual(r.messages, [
			'controlPlane.endpointAccess is public and publicAccessCidrs lists no network, so the API server accepts connections from the whole internet (AKS makes the API server public by default, with no authorized IP ranges). List the networks that may reach it in publicAccessCidrs, or set endpointAccess: private. (CIS AKS 5.4.1)',
		]);
		assert.match(run(AKS.replace('endpointAccess: private', 'endpointAccess: public'), 'cis-managed-private-endpoint').messages[0], /\(CIS AKS 5\.4\.2\)$/);
	});

	it('leaves an unknown endpointAccess value and CIDRs of the wrong type to the schema', () => {
		const t = EKS.replace('endpointAccess: private', 'endpointAccess: internal');
		assert.deepEqual([...run(t, 'cis-managed-endpoint-access').where, ...run(t, 'cis-managed-private-endpoint').where], []);
		const cidrs = EKS.replace('endpointAccess: private', 'endpointAccess: public\n    publicAccessCidrs: [5, null]');
		assert.equal(run(cidrs, 'cis-managed-endpoint-access').where.length, 1, 'no usable CIDR: open');
	});
});

describe('cis-managed-private-nodes', () => {
	it('GKE: absent is reported (GKE gives nodes public IPs by default); false anywhere is reported on the value', () => {
		const gke = run(GKE.replace('    privateNodes: true\n', ''), 'cis-managed-private-nodes');
		assert.deepEqual(gke.where, ['18:2-18:9 warning cis-managed-private-nodes | network']);
		assert.deepEqual(gke.messages, [
			'GKE gives nodes public IP addresses unless private nodes are enabled, and this claim does not set network.privateNodes: each node can be reached from the internet directly. Set network.privateNodes: true (the nodes then reach the internet through Cloud NAT). (CIS GKE 5.6.5)',
		]);
		const eks = run(EKS.replace('    policy: cilium\n', '    policy: cilium\n    privateNodes: false\n'), 'cis-managed-private-nodes');
		assert.deepEqual(eks.where, ['21:18-21:23 warning cis-managed-private-nodes | false']);
		assert.match(eks.messages[0], /^network\.privateNodes: false gives the nodes public IP addresses.*\(CIS EKS 5\.4\.3\)$/);
		assert.match(run(AKS.replace('    policy: azure\n', '    policy: azure\n    privateNodes: false\n'), 'cis-managed-private-nodes').messages[0], /\(CIS AKS 5\.4\.3\)$/);
	});

	it('EKS and AKS: absent is not reported (AKS nodes get no public IP by default; on EKS it depends on the subnets)', () => {
		assert.deepEqual(run(EKS, 'cis-managed-private-nodes').where, []);
		assert.deepEqual(run(AKS, 'cis-managed-private-nodes').where, []);
	});
});

describe('cis-managed-network-policy', () => {
	it('EKS and AKS: absent is reported (no engine by default); none anywhere is reported on the value', () => {
		const eks = run(EKS.replace('  network:\n    policy: cilium\n', ''), 'cis-managed-network-policy');
		assert.deepEqual(eks.where, ['4:0-4:4 warning cis-managed-network-policy | spec']);
		assert.deepEqual(eks.messages, [
			'EKS does not enforce NetworkPolicies by default (the Amazon VPC CNI does so only with its network policy agent enabled), and this claim does not set network.policy: NetworkPolicy objects are accepted but have no effect, so every pod can reach every other pod. Set network.policy (vpc-cni, calico or cilium). (CIS EKS 5.4.4)',
		]);
		const aks = run(AKS.replace('policy: azure', 'policy: none'), 'cis-managed-network-policy');
		assert.deepEqual(aks.where, ['18:12-18:16 warning cis-managed-network-policy | none']);
		assert.deepEqual(aks.messages, [
			'network.policy: none leaves NetworkPolicies unenforced: NetworkPolicy objects are accepted but have no effect, so every pod can reach every other pod. Choose an engine (azure, calico or cilium). (CIS AKS 5.4.4)',
		]);
		assert.deepEqual(run(EKS.replace('policy: cilium', 'policy: vpc-cni'), 'cis-managed-network-policy').where, []);
	});

	it('GKE: absent is reported for Standard clusters (node groups), not for a claim without node groups (Autopilot)', () => {
		const standard = run(GKE.replace('    policy: cilium\n', ''), 'cis-managed-network-policy');
		assert.deepEqual(standard.where, ['18:2-18:9 warning cis-managed-network-policy | network']);
		assert.match(standard.messages[0], /^GKE Standard clusters enforce NetworkPolicies only with network policy enforcement or GKE Dataplane V2 enabled, .*\(CIS GKE 4\.3\.1\)$/);
		const autopilot = GKE.replace('    policy: cilium\n', '').replace(/  nodeGroups:\n(    .*\n|      .*\n)+?(?=  controlPlane)/, '');
		assert.deepEqual(run(autopilot, 'cis-managed-network-policy').where, []);
	});
});

describe('GKE node rules: cis-managed-node-image, cis-managed-node-upgrades, cis-managed-shielded-nodes', () => {
	it('a node group on another image than COS_CONTAINERD is an info on imageType; absent is GKE\'s default COS', () => {
		const r = run(GKE.replace('imageType: COS_CONTAINERD', 'imageType: UBUNTU_CONTAINERD'), 'cis-managed-node-image');
		assert.deepEqual(r.where, ['12:17-12:34 info cis-managed-node-image | UBUNTU_CONTAINERD']);
		assert.deepEqual(r.messages, [
			'Node group "pool-a" uses the UBUNTU_CONTAINERD image, not Container-Optimized OS (COS_CONTAINERD), GKE\'s hardened default with a read-only root file system, a minimal package set and automatic updates. Use COS_CONTAINERD unless these nodes need something only another image has. (CIS GKE 5.5.1)',
		]);
		assert.deepEqual(run(GKE.replace('      imageType: COS_CONTAINERD\n', ''), 'cis-managed-node-image').where, []);
		assert.deepEqual(run(GKE.replace('imageType: COS_CONTAINERD', 'imageType: cos_containerd'), 'cis-managed-node-image').where, []);
		// EKS and AKS benchmarks have no node-image recommendation.
		assert.deepEqual(run(EKS.replace('      maxSize: 3\n', '      maxSize: 3\n      imageType: AL2023\n'), 'cis-managed-node-image').where, []);
	});

	it('auto-repair, auto-upgrade off and the release channel none are reported, each with its control', () => {
		const t = GKE.replace('      secureBoot: true\n', '      secureBoot: true\n      autoRepair: false\n      autoUpgrade: false\n').replace('    version: "1.30"\n', '    version: "1.30"\n    releaseChannel: none\n');
		const r = run(t, 'cis-managed-node-upgrades');
		assert.deepEqual(r.where, [
			'15:18-15:23 warning cis-managed-node-upgrades | false',
			'16:19-16:24 warning cis-managed-node-upgrades | false',
			'10:20-10:24 warning cis-managed-node-upgrades | none',
		]);
		assert.deepEqual(r.messages, [
			'Node group "pool-a" sets autoRepair: false: GKE then leaves failing nodes (NotReady, out of disk) in place instead of recreating them. Remove the setting or set it to true. (CIS GKE 5.5.2)',
			'Node group "pool-a" sets autoUpgrade: false: its nodes stay on their version while the control plane moves on, and miss kernel and container runtime security patches. Remove the setting or set it to true. (CIS GKE 5.5.3)',
			'kubernetes.releaseChannel: none takes the cluster out of GKE release channels, so its versions are neither upgraded on schedule nor tested together. Choose stable or regular. (CIS GKE 5.5.4)',
		]);
		assert.deepEqual(run(GKE.replace('    version: "1.30"\n', '    version: "1.30"\n    releaseChannel: stable\n'), 'cis-managed-node-upgrades').where, []);
	});

	it('Secure Boot absent is an info on the node group name (GKE leaves it off); shielded nodes or integrity monitoring off are warnings', () => {
		const absent = run(GKE.replace('      secureBoot: true\n', ''), 'cis-managed-shielded-nodes');
		assert.deepEqual(absent.where, ['11:12-11:18 info cis-managed-shielded-nodes | pool-a']);
		assert.deepEqual(absent.messages, [
			'Node group "pool-a" does not enable Secure Boot, which GKE leaves off by default: a modified boot loader or kernel module (a rootkit) then starts unnoticed. Set secureBoot: true (it refuses unsigned third-party kernel modules, such as some GPU drivers). (CIS GKE 5.5.7)',
		]);
		const off = GKE.replace('      secureBoot: true\n', '      secureBoot: false\n      integrityMonitoring: false\n').replace('  encryption:', '  security:\n    shieldedNodes: false\n  encryption:');
		const r = run(off, 'cis-managed-shielded-nodes');
		assert.deepEqual(r.where, [
			'18:19-18:24 warning cis-managed-shielded-nodes | false',
			'14:27-14:32 warning cis-managed-shielded-nodes | false',
			'13:18-13:23 info cis-managed-shielded-nodes | false',
		]);
		assert.match(r.messages[0], /^security\.shieldedNodes: false turns Shielded GKE Nodes off: .*\(CIS GKE 5\.5\.5\)$/);
		assert.match(r.messages[1], /^Node group "pool-a" sets integrityMonitoring: false: .*\(CIS GKE 5\.5\.6\)$/);
		assert.match(r.messages[2], /^Node group "pool-a" sets secureBoot: false: .*\(CIS GKE 5\.5\.7\)$/);
	});

	it('these rules do not apply to EKS or AKS claims', () => {
		const t = AKS.replace('    - name: system\n', '    - name: system\n      autoUpgrade: false\n      secureBoot: false\n');
		assert.deepEqual([...run(t, 'cis-managed-node-upgrades').where, ...run(t, 'cis-managed-shielded-nodes').where], []);
	});
});

describe('cis-managed-node-service-account (GKE)', () => {
	it('nodes without a service account run as the Compute Engine default: one finding where it is set, naming the node groups', () => {
		const r = run(GKE.replace('    nodeServiceAccount: gke-nodes@acme.iam.gserviceaccount.com\n', ''), 'cis-managed-node-service-account');
		assert.deepEqual(r.where, ['21:2-21:10 warning cis-managed-node-service-account | identity']);
		assert.deepEqual(r.messages, [
			'Node group "pool-a" runs as the Compute Engine default service account, which GKE uses when none is set, which has the Editor role on the project unless that grant was removed, so any pod that reaches the node\'s credentials can change most of the project. Set identity.nodeServiceAccount (or serviceAccount on each node group) to a dedicated, minimally privileged service account. (CIS GKE 5.2.1)',
		]);
	});

	it('the Compute Engine default set explicitly is reported on the value; a node group\'s own account overrides the cluster\'s', () => {
		const t = GKE.replace('gke-nodes@acme.iam.gserviceaccount.com', '123456789012-compute@developer.gserviceaccount.com').replace('      secureBoot: true\n', '      secureBoot: true\n      serviceAccount: pool-a@acme.iam.gserviceaccount.com\n    - name: pool-b\n      secureBoot: true\n      serviceAccount: default\n');
		const r = run(t, 'cis-managed-node-service-account');
		assert.deepEqual(r.where, [
			'26:24-26:74 warning cis-managed-node-service-account | 123456789012-compute@developer.gserviceaccount.com',
			'17:22-17:29 warning cis-managed-node-service-account | default',
		]);
		assert.match(r.messages[1], /^Node group "pool-b" runs as the Compute Engine default service account, which has the Editor role/);
		const own = GKE.replace('    nodeServiceAccount: gke-nodes@acme.iam.gserviceaccount.com\n', '').replace('      secureBoot: true\n', '      secureBoot: true\n      serviceAccount: pool-a@acme.iam.gserviceaccount.com\n');
		assert.deepEqual(run(own, 'cis-managed-node-service-account').where, []);
	});
});

describe('cis-managed-workload-identity', () => {
	it('EKS: absent is an info on identity\'s nearest key (IRSA and Pod Identity are off by default); the Pod Identity add-on counts', () => {
		const t = EKS.replace('  identity:\n    workloadIdentity: true\n', '');
		const r = run(t, 'cis-managed-workload-identity');
		assert.deepEqual(r.where, ['4:0-4:4 info cis-managed-workload-identity | spec']);
		assert.deepEqual(r.messages, [
			'EKS gives pods no AWS identity of their own unless IAM roles for service accounts (an OIDC provider) or EKS Pod Identity is set up, and this claim sets neither identity.workloadIdentity nor the eks-pod-identity-agent add-on: pods that call AWS use the node\'s IAM role, so every pod on a node has the permissions all of them need. Set identity.workloadIdentity: true and give each workload its own cloud role. (CIS EKS 5.2.1)',
		]);
		assert.deepEqual(run(t.replace('  controlPlane:', '  addons: [vpc-cni, eks-pod-identity-agent]\n  controlPlane:'), 'cis-managed-workload-identity').where, []);
	});

	it('GKE names both of its controls; a claim without node groups (Autopilot: always on) is not reported; false is reported on the value', () => {
		const gke = run(GKE.replace('    workloadIdentity: true\n', ''), 'cis-managed-workload-identity');
		assert.deepEqual(gke.where, ['21:2-21:10 info cis-managed-workload-identity | identity']);
		assert.match(gke.messages[0], /\(CIS GKE 5\.2\.2, 5\.4\.1\)$/);
		const autopilot = GKE.replace('    workloadIdentity: true\n', '').replace(/  nodeGroups:\n(    .*\n|      .*\n)+?(?=  controlPlane)/, '');
		assert.deepEqual(run(autopilot, 'cis-managed-workload-identity').where, []);
		const aks = run(AKS.replace('workloadIdentity: true', 'workloadIdentity: false'), 'cis-managed-workload-identity');
		assert.deepEqual(aks.where, ['20:22-20:27 info cis-managed-workload-identity | false']);
		assert.match(aks.messages[0], /^identity\.workloadIdentity: false: pods that call Azure use the kubelet's managed identity.*\(CIS AKS 5\.2\.1\)$/);
	});
});

describe('cis-managed-legacy-auth', () => {
	it('GKE: client certificates and legacy ABAC turned on are errors; absent is GKE\'s secure default', () => {
		const t = GKE.replace('  identity:', '  access:\n    clientCertificates: true\n    legacyAbac: true\n  identity:');
		const r = run(t, 'cis-managed-legacy-auth');
		assert.deepEqual(r.where, ['22:24-22:28 error cis-managed-legacy-auth | true', '23:16-23:20 error cis-managed-legacy-auth | true']);
		assert.match(r.messages[0], /^access\.clientCertificates: true issues a client certificate .*\(CIS GKE 5\.8\.1\)$/);
		assert.match(r.messages[1], /^access\.legacyAbac: true turns on legacy attribute-based authorization.*\(CIS GKE 5\.8\.3\)$/);
		assert.deepEqual(run(GKE, 'cis-managed-legacy-auth').where, []);
	});

	it('AKS: Entra ID integration is required, then local accounts must be off (both are AKS defaults the other way round)', () => {
		const noAccess = run(AKS.replace('  access:\n    entraId: true\n    localAccounts: false\n', ''), 'cis-managed-legacy-auth');
		assert.deepEqual(noAccess.where, ['4:0-4:4 warning cis-managed-legacy-auth | spec']);
		assert.deepEqual(noAccess.messages, [
			'AKS creates clusters without Microsoft Entra ID integration unless it is enabled, and this claim does not set access.entraId, leaving cluster access to certificates and Kubernetes-local accounts that no central identity controls. Set access.entraId: true and bind Entra ID groups with RBAC. (CIS AKS 5.5.1)',
		]);
		const local = run(AKS.replace('    localAccounts: false\n', ''), 'cis-managed-legacy-auth');
		assert.deepEqual(local.where, ['21:2-21:8 warning cis-managed-legacy-auth | access']);
		assert.deepEqual(local.messages, [
			'AKS keeps local accounts enabled unless they are disabled, and this claim does not set access.localAccounts: az aks get-credentials --admin still hands out a certificate-based cluster-admin kubeconfig that bypasses Microsoft Entra ID and cannot be revoked per user. Set access.localAccounts: false. (CIS AKS 5.5.1)',
		]);
		assert.deepEqual(run(AKS.replace('entraId: true', 'entraId: false'), 'cis-managed-legacy-auth').where, ['22:13-22:18 warning cis-managed-legacy-auth | false']);
	});

	it('EKS authenticates through IAM: not checked', () => {
		assert.deepEqual(run(EKS.replace('  identity:', '  access:\n    clientCertificates: true\n  identity:'), 'cis-managed-legacy-auth').where, []);
	});
});

describe('cis-managed-dashboard-alpha (GKE)', () => {
	it('reports the Kubernetes Dashboard add-on, and alpha features only on a production claim', () => {
		const t = GKE.replace('  controlPlane:', '  addons: [HttpLoadBalancing, KubernetesDashboard]\n  controlPlane:').replace('    version: "1.30"\n', '    version: "1.30"\n    alphaFeatures: true\n');
		const staging = run(t, 'cis-managed-dashboard-alpha');
		assert.deepEqual(staging.where, ['15:30-15:49 warning cis-managed-dashboard-alpha | KubernetesDashboard']);
		assert.deepEqual(staging.messages, [
			'The KubernetesDashboard add-on is the Kubernetes Dashboard: a web UI acting with its service account\'s permissions, a well-known path to cluster takeover, and deprecated on GKE. Remove it and use the Cloud console or kubectl. (CIS GKE 5.10.1)',
		]);
		const prod = run(t.replace('environment: staging', 'environment: production'), 'cis-managed-dashboard-alpha');
		// In production both are reported (the claim declares a production cluster), at their severity: escalation is opt-in.
		assert.deepEqual(prod.where, ['15:30-15:49 warning cis-managed-dashboard-alpha | KubernetesDashboard', '10:19-10:23 warning cis-managed-dashboard-alpha | true']);
		assert.equal(
			prod.messages[1],
			'kubernetes.alphaFeatures: true makes this production cluster a GKE alpha cluster: its alpha APIs are unsupported, it is not covered by the SLA, cannot be upgraded and is deleted after 30 days. Use alpha clusters only for tests. (CIS GKE 5.10.2) (production)',
		);
		assert.deepEqual(run(GKE.replace('  controlPlane:', '  addons: [kubernetes-dashboard-proxy-helper, 5]\n  controlPlane:'), 'cis-managed-dashboard-alpha').where, []);
	});
});

describe('cis-managed-image-scanning', () => {
	it('reports imageScanning: false on the value with the provider\'s scanner; absent is not reported', () => {
		const off = (t: string) => t.replace('  identity:', '  security:\n    imageScanning: false\n  identity:');
		const r = run(off(EKS), 'cis-managed-image-scanning');
		assert.deepEqual(r.where, ['22:19-22:24 warning cis-managed-image-scanning | false']);
		assert.deepEqual(r.messages, [
			'security.imageScanning: false: the images this cluster runs are not scanned for known vulnerabilities, so nobody learns when one becomes exploitable. Enable Amazon ECR scanning (scan on push, or Amazon Inspector enhanced scanning), or a third-party scanner, and remove the setting. (CIS EKS 5.1.1)',
		]);
		assert.match(run(off(GKE), 'cis-managed-image-scanning').messages[0], /Artifact Analysis container scanning.*\(CIS GKE 5\.1\.1\)$/);
		assert.match(run(off(AKS), 'cis-managed-image-scanning').messages[0], /Microsoft Defender for Containers.*\(CIS AKS 5\.1\.1\)$/);
		for (const t of [EKS, GKE, AKS]) assert.deepEqual(run(t, 'cis-managed-image-scanning').where, []);
	});
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../../server/src/engine/analysis/engine';
import { EMPTY_REPO } from '../../server/src/engine/context/check-context';
import { complianceChecks } from '../../server/src/engine/rules/compliance';
import { defaultSettings } from '../../shared/settings';
import { NO_SCHEMAS } from '../engine/helpers';
import { at, covered, pod } from './helpers';

/** Findings of one rule through the real Engine, as `range severity rule | covered text`, plus messages. */
function run(text: string, rule: string): { where: string[]; messages: string[] } {
	const engine = new Engine(NO_SCHEMAS, defaultSettings(), [...complianceChecks]);
	const fs = engine.analyze({ path: 'app.yaml', text }, EMPTY_REPO).findings.filter((f) => f.ruleId === rule);
	return { where: fs.map((f) => `${at(f)} | ${covered(text, f)}`), messages: fs.map((f) => f.message) };
}

const sa = (extra: string, name = 'default') => `apiVersion: v1
kind: ServiceAccount
metadata:
  name: ${name}
  namespace: shop
${extra}`;

describe('CIS 5.1.5/5.1.6: cis-default-service-account', () => {
	it('reports the default ServiceAccount without automountServiceAccountToken: false on its name', () => {
		for (const extra of ['', 'automountServiceAccountToken: true\n']) {
			const r = run(sa(extra), 'cis-default-service-account');
			assert.deepEqual(r.where, ['3:8-3:15 warning cis-default-service-account | default']);
			assert.deepEqual(r.messages, [
				'ServiceAccount "default" does not set automountServiceAccountToken: false, so every pod in namespace "shop" that names no service account gets an API token mounted. Set automountServiceAccountToken: false and give workloads that need the API their own ServiceAccount. (CIS 5.1.5, 5.1.6)',
			]);
		}
	});

	it('accepts automountServiceAccountToken: false and other ServiceAccounts', () => {
		assert.deepEqual(run(sa('automountServiceAccountToken: false\n'), 'cis-default-service-account').where, []);
		assert.deepEqual(run(sa('', 'web'), 'cis-default-service-account').where, []);
	});
});

describe('CIS 5.1.5/5.1.6: cis-pod-default-service-account', () => {
	it('reports a pod naming the default ServiceAccount without turning the token off, on the name', () => {
		const t = pod(`
serviceAccountName: default
containers:
  - name: web
    image: nginx
`);
		const r = run(t, 'cis-pod-default-service-account');
		assert.deepEqual(r.where, ['5:22-5:29 info cis-pod-default-service-account | default']);
		assert.deepEqual(r.messages, [
			'The pod names the "default" ServiceAccount (serviceAccountName: default) and does not set automountServiceAccountToken: false, so it gets an API token mounted unless that ServiceAccount turns it off. Set automountServiceAccountToken: false in the pod spec, or give the pod its own ServiceAccount if it calls the API. (CIS 5.1.5, 5.1.6)',
		]);
	});

	it('accepts the token turned off, an own ServiceAccount, and no serviceAccountName (decided by the namespace default ServiceAccount)', () => {
		const cases = [
			'serviceAccountName: default\nautomountServiceAccountToken: false\ncontainers:\n  - name: web\n    image: nginx\n',
			'serviceAccountName: web\ncontainers:\n  - name: web\n    image: nginx\n',
			'containers:\n  - name: web\n    image: nginx\n',
		];
		for (const c of cases) assert.deepEqual(run(pod(c), 'cis-pod-default-service-account').where, [], c);
	});
});

describe('CIS 5.4.1: cis-secrets-in-env', () => {
	it('reports secretKeyRef and envFrom secretRef on their keys, naming container, Secret, key and variable', () => {
		const t = pod(`
initContainers:
  - name: migrate
    image: tool
    envFrom:
      - configMapRef:
          name: settings
      - secretRef:
          name: db
containers:
  - name: web
    image: nginx
    env:
      - name: MODE
        value: prod
      - name: DB_PASSWORD
        valueFrom:
          secretKeyRef:
            name: db
            key: password
`);
		const r = run(t, 'cis-secrets-in-env');
		assert.deepEqual(r.where, ['11:10-11:19 warning cis-secrets-in-env | secretRef', '21:12-21:24 warning cis-secrets-in-env | secretKeyRef']);
		assert.deepEqual(r.messages, [
			'Init container "migrate" loads every key of Secret "db" into its environment (envFrom.secretRef): environment variables end up in crash dumps, debug output and child processes, and cannot be rotated without a restart. Mount the Secret as a volume and read the file instead. (CIS 5.4.1)',
			'Container "web" reads Secret "db" key "password" into the environment variable DB_PASSWORD: environment variables end up in crash dumps, debug output and child processes, and cannot be rotated without a restart. Mount the Secret as a volume and read the file instead. (CIS 5.4.1)',
		]);
	});

	it('accepts ConfigMap references, plain values and Secrets mounted as volumes', () => {
		const t = pod(`
containers:
  - name: web
    image: nginx
    env:
      - name: MODE
        valueFrom:
          configMapKeyRef:
            name: settings
            key: mode
    volumeMounts:
      - name: db
        mountPath: /etc/db
volumes:
  - name: db
    secret:
      secretName: db
`);
		assert.deepEqual(run(t, 'cis-secrets-in-env').where, []);
	});
});

describe('CIS 5.7.4: cis-default-namespace', () => {
	it('reports an explicit metadata.namespace: default on the value', () => {
		const t = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: default
spec:
  replicas: 1
`;
		const r = run(t, 'cis-default-namespace');
		assert.deepEqual(r.where, ['4:13-4:20 warning cis-default-namespace | default']);
		assert.deepEqual(r.messages, [
			'Deployment "web" is placed in the "default" namespace, where RBAC, network policies, quotas and Pod Security labels cannot be scoped to it apart from everything else deployed there. Give it a namespace of its own. (CIS 5.7.4)',
		]);
	});

	it('accepts another namespace and no namespace at all (kustomize, Flux or Argo CD set it later)', () => {
		const base = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n';
		assert.deepEqual(run(`${base}  namespace: shop\n`, 'cis-default-namespace').where, []);
		assert.deepEqual(run(base, 'cis-default-namespace').where, []);
	});
});

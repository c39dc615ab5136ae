import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { at, covered, pss as all } from './helpers';
import { ruleMeta } from '../../server/src/engine/rules/catalog';

/** Only the findings of baseline checks (errors where a namespace enforces baseline); restricted ones are tested elsewhere. */
const pss = (text: string) => all(text).filter((f) => ruleMeta(f.ruleId)?.controls.some((c) => c.startsWith('PSS-baseline-')));

/** A privileged container inside each pod-template kind, at that kind's own nesting. */
const CONTAINER = ['containers:', '  - name: web', '    image: nginx', '    securityContext:', '      privileged: true'];

function manifest(apiVersion: string, kind: string, specPath: string[]): string {
	const lines = [`apiVersion: ${apiVersion}`, `kind: ${kind}`, 'metadata:', '  name: x'];
	let indent = '';
	for (const seg of specPath) {
		lines.push(`${indent}${seg}:`);
		indent += '  ';
	}
	for (const l of CONTAINER) lines.push(indent + l);
	return lines.join('\n') + '\n';
}

const KINDS: [string, string, string[]][] = [
	['v1', 'Pod', ['spec']],
	['v1', 'PodTemplate', ['template', 'spec']],
	['v1', 'ReplicationController', ['spec', 'template', 'spec']],
	['apps/v1', 'ReplicaSet', ['spec', 'template', 'spec']],
	['apps/v1', 'Deployment', ['spec', 'template', 'spec']],
	['apps/v1', 'DaemonSet', ['spec', 'template', 'spec']],
	['apps/v1', 'StatefulSet', ['spec', 'template', 'spec']],
	['batch/v1', 'Job', ['spec', 'template', 'spec']],
	['batch/v1', 'CronJob', ['spec', 'jobTemplate', 'spec', 'template', 'spec']],
];

describe('PSS: every pod-template kind', () => {
	for (const [apiVersion, kind, specPath] of KINDS) {
		it(`finds the pod spec of a ${kind}`, () => {
			const t = manifest(apiVersion, kind, specPath);
			const line = 4 + specPath.length + 4; // header, spec path, then the 5th container line
			const col = 2 * specPath.length + 18;
			assert.deepEqual(
				pss(t).map((f) => `${at(f)} | ${covered(t, f)}`),
				[`${line}:${col}-${line}:${col + 4} warning pss-privileged | true`],
			);
		});
	}

	it('ignores a custom resource that happens to be called Deployment, and kinds without pods', () => {
		assert.deepEqual(pss(manifest('example.com/v1', 'Deployment', ['spec', 'template', 'spec'])).map(at), []);
		assert.deepEqual(pss(manifest('v1', 'ConfigMap', ['data'])).map(at), []);
	});
});

describe('PSS: init and ephemeral containers', () => {
	it('checks every container list, in PSA order, and names the container kind', () => {
		const t = `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: web
      image: nginx
      securityContext:
        privileged: true
  initContainers:
    - name: setup
      image: busybox
      securityContext:
        privileged: true
  ephemeralContainers:
    - name: debugger
      image: busybox
      securityContext:
        privileged: true
`;
		const fs = pss(t);
		assert.deepEqual(
			fs.map((f) => `${at(f)} | ${covered(t, f)}`),
			['14:20-14:24 warning pss-privileged | true', '9:20-9:24 warning pss-privileged | true', '19:20-19:24 warning pss-privileged | true'],
		);
		assert.deepEqual(
			fs.map((f) => f.message.slice(0, f.message.indexOf(' runs'))),
			['Init container "setup"', 'Container "web"', 'Ephemeral container "debugger"'],
		);
	});

	it('names an unnamed container by its position', () => {
		const t = `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - image: nginx
      securityContext:
        privileged: true
`;
		assert.match(pss(t)[0].message, /^Container #1 \(unnamed\) runs privileged/);
	});
});

describe('PSS: several documents and a realistic Deployment', () => {
	it('places findings of the second document in the right lines', () => {
		const t = `apiVersion: v1
kind: ConfigMap
metadata:
  name: c
data:
  a: b
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 2
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      hostNetwork: true
      containers:
        - name: web
          image: nginx:1.27
          ports:
            - containerPort: 80
              hostPort: 80
`;
		assert.deepEqual(
			pss(t).map((f) => `${at(f)} | ${covered(t, f)}`),
			['20:19-20:23 warning pss-hostNamespaces | true', '26:24-26:26 warning pss-hostPorts | 80'],
		);
	});
});

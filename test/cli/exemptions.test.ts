import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureCliBuilt, runCli, tempRepo } from './run';

/** An inline exemption shows up in SARIF as a suppressed result with its reason, and no longer fails the run. */

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: agent
spec:
  securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
  containers:
    - name: agent
      image: agent:1.0@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
      resources: {requests: {cpu: 50m, memory: 64Mi}, limits: {memory: 64Mi}}
      securityContext:
        allowPrivilegeEscalation: false
        capabilities: {drop: [ALL]}
        # fleetscope-ignore pss-privileged -- node agent, reviewed in SEC-142
        privileged: true
`;

before(() => ensureCliBuilt());

test('an exempted finding is a suppressed SARIF result with its justification, and the run passes', async () => {
	const repo = tempRepo({ 'agent.yaml': POD });
	try {
		const r = await runCli(['check', repo.root, '--format', 'sarif']);
		assert.equal(r.code, 0, r.stderr);
		const results = JSON.parse(r.stdout).runs[0].results as { ruleId: string; level: string; suppressions?: { kind: string; justification: string }[] }[];
		assert.deepEqual(
			results.map((x) => [x.ruleId, x.level, x.suppressions]),
			[['pss-privileged', 'note', [{ kind: 'inSource', justification: 'node agent, reviewed in SEC-142' }]]],
		);
		const plain = await runCli(['check', repo.root], {});
		assert.match(plain.stdout, /hint\s+pss-privileged\s+Exempted \(node agent, reviewed in SEC-142\)/);
	} finally {
		repo.dispose();
	}
});

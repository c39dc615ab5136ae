import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../../server/src/engine/analysis/engine';
import { complianceChecks } from '../../server/src/engine/rules/compliance';
import { ownKindChecks } from '../../server/src/engine/rules/checks';
import { RepoSnapshot, type RepoFileSystem } from '../../server/src/engine/context/repo-snapshot';
import { defaultSettings } from '../../shared/settings';
import { NO_SCHEMAS } from './helpers';

const FLEET = `apiVersion: platform.gitops.io/v1alpha1
kind: Fleet
metadata:
  name: fleet
spec:
  compliance:
    exemptions:
      - rules: [pss-privileged]
        match: {namespace: monitoring, kind: DaemonSet, name: node-exporter}
        reason: Reads host metrics; approved in SEC-77
        expires: "2027-01-31"
      - rules: [pss-hostPorts]
        match: {path: "apps/legacy/**"}
        reason: Legacy app, migration planned
        expires: "2026-06-30"
`;

const daemonSet = (name: string, ns: string) => `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  selector: {matchLabels: {app: x}}
  template:
    metadata: {labels: {app: x}}
    spec:
      containers:
        - name: agent
          image: agent:1.0
          ports: [{containerPort: 9100, hostPort: 9100}]
          securityContext:
            privileged: true
`;

const files: Record<string, string> = { 'fleet.yaml': FLEET };
const fs: RepoFileSystem = { listFiles: async () => Object.keys(files), readFile: async (p) => files[p] };
const engine = new Engine(NO_SCHEMAS, defaultSettings(), [...complianceChecks, ...ownKindChecks], () => new Date('2026-11-22T12:00:00Z'));

test('a Fleet exemption covers exactly the objects it matches, until it expires, and says so', async () => {
	const repo = await RepoSnapshot.build(fs);
	assert.equal(repo.fleetExemptions().length, 2);
	const exempt = engine.analyze({ path: 'infra/node-exporter.yaml', text: daemonSet('node-exporter', 'monitoring') }, repo).findings;
	const privileged = exempt.find((f) => f.ruleId === 'pss-privileged')!;
	assert.equal(privileged.severity, 'hint');
	assert.match(privileged.message, /^Exempted by fleet\.yaml \(Reads host metrics; approved in SEC-77, until 2027-01-31\): Container "agent" runs privileged/);
	assert.equal(exempt.find((f) => f.ruleId === 'pss-hostPorts')?.severity, 'warning', 'only the rules it names');
	// Another name, or another namespace: not exempt.
	for (const [name, ns] of [['other', 'monitoring'], ['node-exporter', 'default']]) {
		const f = engine.analyze({ path: 'infra/x.yaml', text: daemonSet(name, ns) }, repo).findings;
		assert.equal(f.find((x) => x.ruleId === 'pss-privileged')?.severity, 'warning', `${name}/${ns}`);
	}
	// The path exemption expired on 2026-06-30: it exempts nothing any more.
	const legacy = engine.analyze({ path: 'apps/legacy/ds.yaml', text: daemonSet('old', 'legacy') }, repo).findings;
	assert.equal(legacy.find((x) => x.ruleId === 'pss-hostPorts')?.severity, 'warning');
});

test('an expired exemption is a warning on its date in the Fleet file', async () => {
	const repo = await RepoSnapshot.build(fs);
	const f = engine.analyze({ path: 'fleet.yaml', text: FLEET }, repo).findings.filter((x) => x.ruleId === 'exemption-expired');
	assert.deepEqual(f.map((x) => [x.range.start.line, x.range.start.character, x.severity]), [[14, 17, 'warning']]);
	assert.match(f[0].message, /^This exemption \(pss-hostPorts\) expired on 2026-06-30/);
});

test('before its expiry date, a path exemption covers the files its glob matches', async () => {
	const repo = await RepoSnapshot.build(fs);
	const earlier = new Engine(NO_SCHEMAS, defaultSettings(), complianceChecks, () => new Date('2026-05-01T00:00:00Z'));
	const inside = earlier.analyze({ path: 'apps/legacy/ds.yaml', text: daemonSet('old', 'legacy') }, repo).findings;
	assert.equal(inside.find((x) => x.ruleId === 'pss-hostPorts')?.severity, 'hint');
	const outside = earlier.analyze({ path: 'apps/web/ds.yaml', text: daemonSet('old', 'legacy') }, repo).findings;
	assert.equal(outside.find((x) => x.ruleId === 'pss-hostPorts')?.severity, 'warning');
});

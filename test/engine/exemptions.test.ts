import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../../server/src/engine/analysis/engine';
import { complianceChecks } from '../../server/src/engine/rules/compliance';
import { defaultSettings } from '../../shared/settings';
import { NO_SCHEMAS, brief } from './helpers';

// The pod's resources and image pinning are beside the point here.
const engine = new Engine(NO_SCHEMAS, { ...defaultSettings(), severity: { 'workload-resources': 'off', 'cis-image-provenance': 'off' } }, complianceChecks);
const pod = (sc: string) =>
	`apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}\n  containers:\n    - name: c\n      image: x\n      securityContext:\n        allowPrivilegeEscalation: false\n        capabilities: {drop: [ALL]}\n${sc}`;
const findings = (text: string) => engine.analyze({ path: 'p.yaml', text }).findings;

test('without an exemption, a privileged container is reported (a warning: no namespace enforces Pod Security)', () => {
	assert.deepEqual(findings(pod('        privileged: true\n')).map((f) => `${brief(f)} ${f.severity}`), ['12:20-12:24 pss-privileged warning']);
});

test('an inline exemption with a reason, on the line or above it, turns the finding into an exempted hint', () => {
	for (const sc of [
		'        privileged: true # fleetscope-ignore pss-privileged -- node agent, reviewed in SEC-142\n',
		'        # fleetscope-ignore pss-privileged -- node agent, reviewed in SEC-142\n        privileged: true\n',
	]) {
		const f = findings(pod(sc));
		assert.equal(f.length, 1, sc);
		assert.equal(f[0].ruleId, 'pss-privileged');
		assert.equal(f[0].severity, 'hint');
		assert.match(f[0].message, /^Exempted \(node agent, reviewed in SEC-142\): Container "c" runs privileged/);
		assert.equal(f[0].data?.exempted, 'node agent, reviewed in SEC-142');
	}
});

test('an exemption without a reason, for another rule, or two lines away exempts nothing', () => {
	const noReason = findings(pod('        privileged: true # fleetscope-ignore pss-privileged\n'));
	assert.deepEqual(noReason.map((f) => `${brief(f)} ${f.severity}`), ['12:20-12:24 pss-privileged warning', '12:25-12:59 exemption-invalid warning']);
	assert.match(noReason[1].message, /has no reason, so it exempts nothing/);
	assert.deepEqual(findings(pod('        privileged: true # fleetscope-ignore pss-hostPorts -- other\n')).map((f) => f.severity), ['warning']);
	assert.deepEqual(findings(pod('        # fleetscope-ignore pss-privileged -- too far\n\n        privileged: true\n')).map((f) => f.severity), ['warning']);
	// A `#` inside a quoted value is not a comment.
	assert.deepEqual(findings(pod('        privileged: true\n      args: ["# fleetscope-ignore pss-privileged"]\n')).map((f) => f.ruleId), ['pss-privileged']);
});

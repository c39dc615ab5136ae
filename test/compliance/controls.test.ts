import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pod, pss } from './helpers';

/** A finding names the controls it breaks when they are fewer than its rule's (what the compliance report counts). */

test('hostNetwork breaks CIS 5.2.5 only, not the 5.2.3 and 5.2.4 its rule also evidences', () => {
	const findings = pss(pod('hostNetwork: true\nhostPID: true\ncontainers:\n  - name: app\n    image: app:1.0\n'));
	const host = findings.filter((f) => f.ruleId === 'pss-hostNamespaces');
	assert.deepEqual(
		host.map((f) => f.data?.controls),
		[
			['CIS-K8S-5.2.5', 'PSS-baseline-hostNamespaces'],
			['CIS-K8S-5.2.3', 'PSS-baseline-hostNamespaces'],
		],
	);
});

test('an added capability breaks the restricted control too; a privileged container keeps its rule controls', () => {
	const findings = pss(pod('containers:\n  - name: app\n    image: app:1.0\n    securityContext:\n      privileged: true\n      capabilities:\n        add: [SYS_ADMIN]\n'));
	const caps = findings.find((f) => f.ruleId === 'pss-capabilities_baseline');
	assert.deepEqual(caps?.data?.controls, ['CIS-K8S-5.2.9', 'PSS-baseline-capabilities_baseline', 'PSS-restricted-capabilities_restricted']);
	const privileged = findings.find((f) => f.ruleId === 'pss-privileged');
	assert.equal(privileged?.data?.controls, undefined, 'no narrower list: the rule controls (CIS 5.2.2, PSS baseline privileged) apply');
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../../server/src/engine/analysis/engine';
import { EMPTY_REPO } from '../../server/src/engine/context/check-context';
import { createComplianceChecks, InMemoryNamespaces, PSS_RULES } from '../../server/src/engine/rules/compliance';
import { ruleMeta } from '../../server/src/engine/rules/catalog';
import { defaultSettings, normaliseSettings } from '../../shared/settings';
import { NO_SCHEMAS } from '../engine/helpers';
import { at, pod, pss } from './helpers';

/** A container that is privileged (baseline) and sets nothing restricted asks for. */
const spec = `
containers:
  - name: web
    image: nginx
    securityContext:
      privileged: true
`;
const inShop = pod(spec, { namespace: 'shop' });
const severities = (fs: { ruleId: string; severity: string }[]) => fs.filter((f) => f.ruleId.startsWith('pss-')).map((f) => `${f.severity} ${f.ruleId}`);

const RULES = ['pss-privileged', 'pss-allowPrivilegeEscalation', 'pss-runAsNonRoot', 'pss-seccompProfile_restricted', 'pss-capabilities_restricted'];
const levels = (baseline: string, restricted: string) => RULES.map((r, i) => `${i === 0 ? baseline : restricted} ${r}`);
/** A namespace label enforces baseline: admission rejects the privileged pod; the restricted checks are evidence. */
const BASELINE_LEVEL = levels('error', 'info');
/** A label enforces restricted: admission rejects every one of them. */
const RESTRICTED_LEVEL = levels('error', 'error');
/** No label: the setting (default baseline) says what is required, nothing rejects the pod: a control not met. */
const SETTING_LEVEL = levels('warning', 'info');
/** No label, the setting requires restricted: every violation is a control not met. */
const SETTING_RESTRICTED = levels('warning', 'warning');

describe('PSS level: from the setting', () => {
	it('defaults to baseline; without an enforce label nothing rejects the pod, so its violations are warnings, not errors, and restricted ones information', () => {
		assert.equal(defaultSettings()['podSecurity.level'], 'baseline');
		assert.deepEqual(severities(pss(inShop)), SETTING_LEVEL);
	});

	it('podSecurity.level restricted makes restricted violations warnings (required, not enforced)', () => {
		assert.deepEqual(severities(pss(inShop, { settings: { 'podSecurity.level': 'restricted' } })), SETTING_RESTRICTED);
	});

	it('applies when the repo has the namespace without an enforce label, or the resource has no namespace', () => {
		assert.deepEqual(severities(pss(inShop, { namespaces: { shop: { team: 'a' } } })), SETTING_LEVEL);
		assert.deepEqual(severities(pss(pod(spec), { namespaces: { shop: { 'pod-security.kubernetes.io/enforce': 'restricted' } } })), SETTING_LEVEL);
	});
});

describe('PSS level: from the namespace label', () => {
	it('enforce: restricted wins over the baseline setting', () => {
		const fs = pss(inShop, { namespaces: { shop: { 'pod-security.kubernetes.io/enforce': 'restricted' } } });
		assert.deepEqual(severities(fs), RESTRICTED_LEVEL);
	});

	it('enforce: baseline wins over the restricted setting', () => {
		const fs = pss(inShop, { settings: { 'podSecurity.level': 'restricted' }, namespaces: { shop: { 'pod-security.kubernetes.io/enforce': 'baseline' } } });
		assert.deepEqual(severities(fs), BASELINE_LEVEL);
	});

	it('enforce: privileged keeps baseline findings as info evidence and drops restricted ones', () => {
		const fs = pss(inShop, { namespaces: { shop: { 'pod-security.kubernetes.io/enforce': 'privileged' } } });
		assert.deepEqual(severities(fs), ['info pss-privileged']);
		assert.match(fs[0].message, /\(CIS 5\.2\.2, PSS baseline\) Namespace "shop" enforces the privileged level, so admission allows it\.$/);
	});

	it('an unknown enforce level means restricted, as in pod-security-admission', () => {
		const fs = pss(inShop, { namespaces: { shop: { 'pod-security.kubernetes.io/enforce': 'strict' } } });
		assert.deepEqual(severities(fs), RESTRICTED_LEVEL);
	});

	it('enforce-version pins the PSS semantics (capped at the cluster version)', () => {
		const rootSpec = pod(
			`
securityContext:
  runAsNonRoot: true
  runAsUser: 0
  seccompProfile:
    type: RuntimeDefault
containers:
  - name: web
    image: nginx
    securityContext:
      allowPrivilegeEscalation: false
      capabilities:
        drop: [ALL]
`,
			{ namespace: 'shop' },
		);
		const labels = (v: string) => ({ shop: { 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': v } });
		assert.deepEqual(severities(pss(rootSpec, { namespaces: labels('v1.22') })), []);
		assert.deepEqual(severities(pss(rootSpec, { namespaces: labels('v1.23') })), ['error pss-runAsUser']);
		assert.deepEqual(severities(pss(rootSpec, { namespaces: labels('latest') })), ['error pss-runAsUser']);
		// runAsUser exists from 1.23: a pinned version newer than the cluster (1.22) is capped at the cluster's.
		assert.deepEqual(severities(pss(rootSpec, { namespaces: labels('v1.30'), settings: { kubernetesVersion: '1.22' } })), []);
	});

	it('takes labels from an injected directory fed with Namespace documents', () => {
		const dir = new InMemoryNamespaces();
		assert.equal(dir.addObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } }), 'shop');
		assert.equal(dir.addObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'shop' } }), undefined);
		const engine = new Engine(NO_SCHEMAS, defaultSettings(), createComplianceChecks({ namespaces: dir }));
		const fs = engine.analyze({ path: 'a.yaml', text: inShop }, EMPTY_REPO).findings;
		assert.deepEqual(severities(fs), RESTRICTED_LEVEL);
		// The directory changes with the repo: the next analysis sees it.
		dir.delete('shop');
		assert.deepEqual(severities(engine.analyze({ path: 'a.yaml', text: inShop }, EMPTY_REPO).findings), SETTING_LEVEL);
	});
});

describe('PSS rules: metadata and settings', () => {
	it('registers 19 rules whose controls name pod-security-admission check IDs and CIS numbers', () => {
		assert.equal(PSS_RULES.length, 19);
		for (const r of PSS_RULES) {
			const meta = ruleMeta(r.id);
			assert.ok(meta, r.id);
			assert.ok(meta.controls.includes(`PSS-${r.severity === 'error' ? 'baseline' : 'restricted'}-${r.id.slice(4)}`), r.id);
		}
		assert.deepEqual(ruleMeta('pss-privileged')?.controls, ['CIS-K8S-5.2.2', 'PSS-baseline-privileged']);
		assert.deepEqual(ruleMeta('pss-hostNamespaces')?.controls, ['CIS-K8S-5.2.3', 'CIS-K8S-5.2.4', 'CIS-K8S-5.2.5', 'PSS-baseline-hostNamespaces']);
		assert.deepEqual(ruleMeta('pss-runAsNonRoot')?.controls, ['CIS-K8S-5.2.7', 'PSS-restricted-runAsNonRoot']);
		assert.deepEqual(ruleMeta('pss-seccompProfile_baseline')?.controls, [
			'CIS-K8S-5.7.2',
			'PSS-baseline-seccompProfile_baseline',
			'PSS-restricted-seccompProfile_restricted',
		]);
		assert.equal(ruleMeta('pss-allowPrivilegeEscalation')?.defaultSeverity, 'warning');
	});

	it('a severity override turns a rule off', () => {
		assert.deepEqual(severities(pss(inShop, { settings: { severity: { 'pss-runAsNonRoot': 'off', 'pss-privileged': 'error' } } })), [
			'error pss-privileged',
			'info pss-allowPrivilegeEscalation',
			'info pss-seccompProfile_restricted',
			'info pss-capabilities_restricted',
		]);
	});

	it('normaliseSettings reads podSecurity.level flat or nested and drops bad values', () => {
		assert.equal(normaliseSettings({ 'podSecurity.level': 'restricted' })['podSecurity.level'], 'restricted');
		assert.equal(normaliseSettings({ podSecurity: { level: 'restricted' } })['podSecurity.level'], 'restricted');
		assert.equal(normaliseSettings({ 'podSecurity.level': 'privileged' })['podSecurity.level'], 'baseline');
		assert.equal(normaliseSettings({ podSecurity: 'restricted' })['podSecurity.level'], 'baseline');
	});

	it('places nothing on a document that is not a pod template', () => {
		assert.deepEqual(pss('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n').map(at), []);
	});
});

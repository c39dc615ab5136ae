import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { Engine } from '../../server/src/engine/analysis/engine';
import { complianceChecks } from '../../server/src/engine/rules/compliance';
import { LineIndex } from '../../server/src/engine/core/text';
import { codeActions, type TextEditEntry } from '../../server/src/engine/services/code-actions';
import { defaultSettings } from '../../shared/settings';
import { NO_SCHEMAS } from './helpers';

/**
 * The resources and automountServiceAccountToken quick fixes (and the securityContext ones in
 * files of other styles): each keeps the YAML valid, the user's formatting and comments, and
 * removes the finding it fixes. Checked by applying the edits and running the engine again.
 */

const engine = new Engine(NO_SCHEMAS, defaultSettings(), complianceChecks);
const analyze = (text: string) => engine.analyze({ path: 'w.yaml', text });

function apply(text: string, edits: TextEditEntry[]): string {
	const lines = new LineIndex(text);
	// LSP applies all edits against the original text; inserts at one offset would be ordered by the array, and no fix emits those.
	const offsets = edits.map((e) => lines.offsetAt(e.range.start));
	assert.equal(new Set(offsets).size, offsets.length, 'two edits at one offset');
	const sorted = [...edits].sort((a, b) => lines.offsetAt(b.range.start) - lines.offsetAt(a.range.start));
	let out = text;
	for (const e of sorted) out = out.slice(0, lines.offsetAt(e.range.start)) + e.newText + out.slice(lines.offsetAt(e.range.end));
	return out;
}

/** Applies the preferred fix of the `index`-th finding of `rule`; asserts valid YAML and that exactly that finding is gone. */
function fix(text: string, rule: string, index = 0): { fixed: string; title: string } {
	const before = analyze(text).findings.filter((f) => f.ruleId === rule);
	const f = before[index];
	assert.ok(f, `no ${rule} finding #${index}`);
	const action = codeActions(analyze(text), f.range).find((a) => a.finding.message === f.message && a.finding.range.start.line === f.range.start.line && a.preferred);
	assert.ok(action, `no fix for ${f.message}`);
	const fixed = apply(text, action.edits);
	assert.deepEqual(parseAllDocuments(fixed).flatMap((d) => (d as { errors: unknown[] }).errors), [], fixed);
	const after = analyze(fixed).findings.filter((x) => x.ruleId === rule);
	assert.equal(after.length, before.length - 1, `${rule} not fixed:\n${fixed}`);
	assert.ok(!after.some((x) => x.message === f.message), `${rule} still reported:\n${fixed}`);
	return { fixed, title: action.title };
}

const pod = (containers: string, head = '') => `apiVersion: v1
kind: Pod
metadata:
  name: p # the pod
spec:
${head}  containers:
${containers}`;

describe('quick fix: resource requests and memory limit (workload-resources)', () => {
	it('a container without resources gets a block at its indentation, with placeholder values said to be placeholders', () => {
		const t = pod('    - name: web # main\n      image: nginx:1.27 # pinned later\n    - name: next\n      image: next\n');
		const { fixed, title } = fix(t, 'workload-resources');
		assert.equal(title, 'Add requests.cpu 100m, requests.memory 128Mi, limits.memory 128Mi (placeholder values: adjust to measured usage)');
		assert.equal(
			fixed,
			pod(
				'    - name: web # main\n      image: nginx:1.27 # pinned later\n      resources: # placeholders: size from measured usage\n        requests:\n          cpu: 100m\n          memory: 128Mi\n        limits:\n          memory: 128Mi\n    - name: next\n      image: next\n',
			),
		);
	});

	it('flow style stays flow: resources: {} and a container written as a flow mapping', () => {
		assert.equal(
			fix(pod('    - name: web\n      image: nginx\n      resources: {}\n'), 'workload-resources').fixed,
			pod('    - name: web\n      image: nginx\n      resources: {requests: {cpu: 100m, memory: 128Mi}, limits: {memory: 128Mi}}\n'),
		);
		assert.equal(
			fix(pod('    - {name: web, image: nginx}\n'), 'workload-resources').fixed,
			pod('    - {resources: {requests: {cpu: 100m, memory: 128Mi}, limits: {memory: 128Mi}}, name: web, image: nginx}\n'),
		);
		assert.equal(
			fix(pod('    - name: web\n      image: nginx\n      resources: { limits: { cpu: "1" } }\n'), 'workload-resources').fixed,
			pod('    - name: web\n      image: nginx\n      resources: { requests: {memory: 128Mi}, limits: { memory: 128Mi, cpu: "1" } }\n'),
		);
	});

	it('resources with only limits: adds the missing request section before them and the memory limit to them', () => {
		const t = pod('    - name: web\n      image: nginx\n      resources:\n        limits:\n          cpu: "1" # burst\n');
		assert.equal(
			fix(t, 'workload-resources').fixed,
			pod('    - name: web\n      image: nginx\n      resources:\n        requests: # placeholders: size from measured usage\n          memory: 128Mi\n        limits:\n          cpu: "1" # burst\n          memory: 128Mi # placeholder\n'),
		);
	});

	it('a memory limit added next to a memory request takes its value, so the limit is never below the request', () => {
		const t = pod('    - name: web\n      image: nginx\n      resources:\n        requests:\n          memory: 512Mi   # measured\n');
		const { fixed, title } = fix(t, 'workload-resources');
		assert.equal(title, 'Add requests.cpu 100m, limits.memory 512Mi (placeholder values: adjust to measured usage)');
		assert.equal(
			fixed,
			pod('    - name: web\n      image: nginx\n      resources:\n        limits: # placeholders: size from measured usage\n          memory: 512Mi\n        requests:\n          memory: 512Mi   # measured\n          cpu: 100m # placeholder\n'),
		);
	});

	it('an empty resources key (nothing, ~ or null) gets the mapping below it, keeping a comment', () => {
		for (const empty of ['', ' ~', ' null']) {
			const t = pod(`    - name: web\n      image: nginx\n      resources:${empty} # to do\n`);
			assert.equal(
				fix(t, 'workload-resources').fixed,
				pod('    - name: web\n      image: nginx\n      resources: # to do\n        requests: # placeholders: size from measured usage\n          cpu: 100m\n          memory: 128Mi\n        limits:\n          memory: 128Mi\n'),
				JSON.stringify(empty),
			);
		}
	});

	it('follows a 4-space indentation and CRLF line endings', () => {
		const t = 'apiVersion: v1\r\nkind: Pod\r\nmetadata:\r\n    name: p\r\nspec:\r\n    containers:\r\n        -   name: web\r\n            image: nginx\r\n';
		const { fixed } = fix(t, 'workload-resources');
		assert.equal(
			fixed,
			`${t}            resources: # placeholders: size from measured usage\r\n                requests:\r\n                    cpu: 100m\r\n                    memory: 128Mi\r\n                limits:\r\n                    memory: 128Mi\r\n`,
		);
		assert.ok(!/[^\r]\n/.test(fixed), 'only CRLF line endings');
	});

	it('a file that separates with tabs still gets space-indented lines; a tab-indented file is invalid YAML and gets no fix', () => {
		const t = pod('    - name:\tweb\t# main\n      image: nginx\n');
		const { fixed } = fix(t, 'workload-resources');
		assert.ok(fixed.startsWith(pod('    - name:\tweb\t# main\n      image: nginx\n      resources:')), fixed);
		assert.ok(!fixed.split('\n').slice(8).some((l) => l.includes('\t')), fixed);
		const tabs = 'apiVersion: v1\nkind: Pod\nmetadata:\n\tname: p\nspec:\n\tcontainers:\n\t\t- name: web\n';
		const analysis = analyze(tabs);
		assert.ok(analysis.findings.some((f) => f.ruleId === 'yaml-syntax'));
		assert.deepEqual(analysis.findings.filter((f) => f.ruleId === 'workload-resources'), []);
		for (const f of analysis.findings) assert.ok(codeActions(analysis, f.range).every((a) => !a.preferred));
	});

	it('offers no fix where resources has the wrong type', () => {
		const t = pod('    - name: web\n      image: nginx\n      resources: small\n');
		const analysis = analyze(t);
		const f = analysis.findings.find((x) => x.ruleId === 'workload-resources')!;
		assert.ok(f);
		assert.deepEqual(codeActions(analysis, f.range).filter((a) => a.finding === f).map((a) => a.preferred), [false]);
	});
});

describe('quick fix: automountServiceAccountToken: false', () => {
	it('the default ServiceAccount gets the key at top level, or its true is replaced (keeping the comment)', () => {
		const sa = 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: default # every namespace has one\n  namespace: shop\n';
		const { fixed, title } = fix(sa, 'cis-default-service-account');
		assert.equal(title, 'Set automountServiceAccountToken: false');
		assert.equal(fixed, `${sa}automountServiceAccountToken: false\n`);
		assert.equal(fix(`${sa}automountServiceAccountToken: true # legacy jobs\n`, 'cis-default-service-account').fixed, `${sa}automountServiceAccountToken: false # legacy jobs\n`);
		// In a multi-document file, the fix lands in the ServiceAccount's document.
		const multi = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\n${sa}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n`;
		assert.equal(fix(multi, 'cis-default-service-account').fixed, multi.replace('  namespace: shop\n', '  namespace: shop\nautomountServiceAccountToken: false\n'));
	});

	it('a pod naming the default ServiceAccount gets the key next to serviceAccountName, in CRLF files too', () => {
		const t = pod('    - name: web\n      image: nginx\n', '  serviceAccountName: default # shared\n');
		const { fixed, title } = fix(t, 'cis-pod-default-service-account');
		assert.equal(title, 'Set automountServiceAccountToken: false in the pod spec');
		assert.equal(fixed, pod('    - name: web\n      image: nginx\n', '  serviceAccountName: default # shared\n  automountServiceAccountToken: false\n'));
		const crlf = t.replace(/\n/g, '\r\n');
		assert.equal(fix(crlf, 'cis-pod-default-service-account').fixed, fixed.replace(/\n/g, '\r\n'));
		const flow = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec: {serviceAccountName: default, automountServiceAccountToken: true, containers: [{name: web, image: nginx}]}\n';
		assert.equal(fix(flow, 'cis-pod-default-service-account').fixed, flow.replace('automountServiceAccountToken: true', 'automountServiceAccountToken: false'));
	});
});

describe('quick fix: securityContext settings in other styles', () => {
	const restricted = new Engine(NO_SCHEMAS, { ...defaultSettings(), 'podSecurity.level': 'restricted' }, complianceChecks);

	it('a 4-space CRLF file gets a securityContext at its indentation and line ending', () => {
		const t = 'apiVersion: v1\r\nkind: Pod\r\nmetadata:\r\n    name: p\r\nspec:\r\n    containers:\r\n        -   name: web\r\n            image: nginx\r\n';
		const analysis = restricted.analyze({ path: 'p.yaml', text: t });
		const f = analysis.findings.find((x) => x.ruleId === 'pss-seccompProfile_restricted')!;
		const a = codeActions(analysis, f.range).find((x) => x.finding === f && x.preferred)!;
		const fixed = apply(t, a.edits);
		assert.equal(fixed, `${t.slice(0, -2)}\r\n            securityContext:\r\n                seccompProfile:\r\n                    type: RuntimeDefault\r\n`.replace('\r\n\r\n', '\r\n'));
		assert.ok(!restricted.analyze({ path: 'p.yaml', text: fixed }).findings.some((x) => x.ruleId === 'pss-seccompProfile_restricted'));
	});

	it('a flow securityContext gets the key inside the braces; capabilities without drop get drop: [ALL]', () => {
		const t = pod('    - name: web\n      image: nginx\n      securityContext: {runAsNonRoot: true}\n');
		const analysis = restricted.analyze({ path: 'p.yaml', text: t });
		const f = analysis.findings.find((x) => x.ruleId === 'pss-allowPrivilegeEscalation')!;
		const a = codeActions(analysis, f.range).find((x) => x.finding === f && x.preferred)!;
		assert.equal(apply(t, a.edits), pod('    - name: web\n      image: nginx\n      securityContext: {allowPrivilegeEscalation: false, runAsNonRoot: true}\n'));
		const caps = pod('    - name: web\n      image: nginx\n      securityContext:\n        capabilities:\n          add: [NET_BIND_SERVICE]\n');
		const c = restricted.analyze({ path: 'p.yaml', text: caps });
		const cf = c.findings.find((x) => x.ruleId === 'pss-capabilities_restricted')!;
		const ca = codeActions(c, cf.range).find((x) => x.finding === cf && x.preferred)!;
		const fixed = apply(caps, ca.edits);
		assert.equal(fixed, caps.replace('          add: [NET_BIND_SERVICE]\n', '          add: [NET_BIND_SERVICE]\n          drop: [ALL]\n'));
		assert.ok(!restricted.analyze({ path: 'p.yaml', text: fixed }).findings.some((x) => x.ruleId === 'pss-capabilities_restricted'));
	});
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { Engine } from '../../server/src/engine/analysis/engine';
import { complianceChecks } from '../../server/src/engine/rules/compliance';
import { LineIndex } from '../../server/src/engine/core/text';
import { codeActions, type TextEditEntry } from '../../server/src/engine/services/code-actions';
import { defaultSettings } from '../../shared/settings';
import { NO_SCHEMAS } from './helpers';

/** Every quick fix keeps the YAML valid and its comments, and removes the finding it fixes. */

const engine = new Engine(NO_SCHEMAS, { ...defaultSettings(), 'podSecurity.level': 'restricted' }, complianceChecks);
const analyze = (text: string) => engine.analyze({ path: 'w.yaml', text });

function apply(text: string, edits: TextEditEntry[]): string {
	const lines = new LineIndex(text);
	const sorted = [...edits].sort((a, b) => lines.offsetAt(b.range.start) - lines.offsetAt(a.range.start));
	let out = text;
	for (const e of sorted) out = out.slice(0, lines.offsetAt(e.range.start)) + e.newText + out.slice(lines.offsetAt(e.range.end));
	return out;
}

const WORKLOAD = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web # the front end
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      securityContext:
        seccompProfile:
          type: Unconfined # was debugging
      containers:
        - name: web
          image: web@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef # pinned
          securityContext:
            privileged: true
            allowPrivilegeEscalation: true
        - name: sidecar
          image: proxy@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
`;

test('each fix removes its finding, keeps the other lines and comments, and leaves valid YAML', () => {
	const before = analyze(WORKLOAD);
	const rules = [...new Set(before.findings.map((f) => f.ruleId))].sort();
	assert.deepEqual(rules, ['pss-allowPrivilegeEscalation', 'pss-capabilities_restricted', 'pss-privileged', 'pss-runAsNonRoot', 'pss-seccompProfile_baseline', 'workload-resources']);
	for (const f of before.findings) {
		const actions = codeActions(before, f.range).filter((a) => a.finding === f && a.preferred);
		assert.equal(actions.length, 1, `a fix for ${f.ruleId} at line ${f.range.start.line}`);
		const fixed = apply(WORKLOAD, actions[0].edits);
		assert.deepEqual(parseAllDocuments(fixed).flatMap((d) => (d as { errors: unknown[] }).errors), [], fixed);
		for (const comment of ['# the front end', '# pinned']) assert.ok(fixed.includes(comment), `${f.ruleId} kept ${comment}`);
		const after = analyze(fixed).findings;
		const same = (g: typeof f) => g.ruleId === f.ruleId && g.message === f.message;
		assert.equal(after.filter(same).length, before.findings.filter(same).length - 1, `${f.ruleId} fixed:\n${fixed}`);
	}
});

test('a fix for a container without securityContext adds one in the container, at its indentation', () => {
	const analysis = analyze(WORKLOAD);
	const f = analysis.findings.find((x) => x.ruleId === 'pss-allowPrivilegeEscalation' && x.message.includes('"sidecar"'))!;
	const a = codeActions(analysis, f.range).find((x) => x.finding === f && x.preferred)!;
	assert.equal(
		apply(WORKLOAD, a.edits).split('\n').slice(18, 22).join('\n'),
		'        - name: sidecar\n          image: proxy@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n          securityContext:\n            allowPrivilegeEscalation: false',
	);
});

test('the exemption fix inserts a comment line that exempts nothing until the reason is written', () => {
	const before = analyze(WORKLOAD);
	const f = before.findings.find((x) => x.ruleId === 'pss-privileged')!;
	const a = codeActions(before, f.range).find((x) => x.finding === f && !x.preferred)!;
	const inserted = apply(WORKLOAD, a.edits);
	assert.ok(inserted.includes('            # fleetscope-ignore pss-privileged -- \n            privileged: true'));
	const after = analyze(inserted).findings;
	assert.equal(after.find((x) => x.ruleId === 'pss-privileged')?.severity, 'warning');
	assert.ok(after.some((x) => x.ruleId === 'exemption-invalid'));
	const reasoned = analyze(inserted.replace('pss-privileged -- ', 'pss-privileged -- break-glass debug image')).findings;
	assert.equal(reasoned.find((x) => x.ruleId === 'pss-privileged')?.severity, 'hint');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitMessage, summaryLine, verboseDetail, wrap } from '../../server/src/cli/format/message-summary';

/** One readable terminal line per finding: what is wrong and its markers; the why and the fix for --verbose. */

test('the what ends at the colon that introduces the why, not at a field written with its value or one in parentheses', () => {
	const p = splitMessage('Container "web" runs privileged (securityContext.privileged: true): it gets every host capability and device. Set it to false. (CIS 5.2.2, PSS baseline)');
	assert.deepEqual(p, { what: 'Container "web" runs privileged (securityContext.privileged: true)', detail: 'It gets every host capability and device. Set it to false.', tags: ['CIS 5.2.2, PSS baseline'] });
	const field = splitMessage('Container "web" does not set securityContext.allowPrivilegeEscalation: false, so a process can gain more privileges than its parent. Add it. (CIS 5.2.6, PSS restricted)');
	assert.equal(field.what, 'Container "web" does not set securityContext.allowPrivilegeEscalation: false');
	assert.equal(field.detail, 'So a process can gain more privileges than its parent. Add it.');
	// A plain word before the colon ends the clause.
	assert.equal(splitMessage('controlPlane.endpointAccess is public: the API server stays reachable. Set it to private. (CIS GKE 5.6.4)').what, 'controlPlane.endpointAccess is public');
	// No break at all: the whole message is the what.
	assert.deepEqual(splitMessage('spec.replicas must be an integer, got the string "3"'), { what: 'spec.replicas must be an integer, got the string "3"', detail: '', tags: [] });
	// The first sentence, where no clause ends earlier.
	assert.equal(splitMessage('This key appears twice in the same mapping. Kubernetes keeps only the last one.').what, 'This key appears twice in the same mapping');
});

test('markers become tags: controls, (production), a raise; where a finding holds goes to the detail', () => {
	const p = splitMessage('Namespace "a" has no NetworkPolicy: its pods accept any traffic. Add one. (CIS 5.3.2) This holds via apps/prod (production: prod-1), not in the other clusters this file reaches. Raised from warning to error because it reaches the production cluster prod-1.');
	assert.equal(p.what, 'Namespace "a" has no NetworkPolicy');
	assert.deepEqual(p.tags, ['CIS 5.3.2', 'raised to error: production']);
	assert.equal(p.detail, 'Its pods accept any traffic. Add one. This holds via apps/prod (production: prod-1), not in the other clusters this file reaches. Raised from warning to error because it reaches the production cluster prod-1.');
	assert.deepEqual(splitMessage('ClusterRole "x" can read Secrets: they hold credentials. Narrow it. (CIS 5.1.2) (production)').tags, ['CIS 5.1.2', 'production']);
});

test('the line keeps to its budget: the what is cut at a word, the tags stay, and --verbose gives the whole what back', () => {
	const p = splitMessage(`ServiceAccount "excel-export" (${'a/'.repeat(30)}sa.yaml) does not set automountServiceAccountToken: false and the pod does not either, so the pod gets a token. Set it. (CIS 5.1.6)`);
	const line = summaryLine(p, 100);
	assert.ok(line.length <= 100, line);
	assert.match(line, /…\s\(CIS 5\.1\.6\)$/);
	assert.ok(verboseDetail(p, line).startsWith(`${p.what}. So the pod gets a token.`));
	// A what that fits is not repeated under the line.
	const short = splitMessage('Namespace "a" has no NetworkPolicy: its pods accept any traffic. (CIS 5.3.2)');
	assert.equal(verboseDetail(short, summaryLine(short, 200)), 'Its pods accept any traffic.');
	assert.deepEqual(wrap('aaa bbb ccc ddd', 7), ['aaa bbb', 'ccc ddd']);
});

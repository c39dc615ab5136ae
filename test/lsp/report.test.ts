import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ComplianceReportRequest, type ComplianceReportResult } from '../../shared/protocol';
import { ensureServerBuilt, Session, uriOf } from './harness';

/** `fleetscope/complianceReport`: the server reports on a workspace folder, from disk and open documents. */

let root: string;
let session: Session;

const POD = (privileged: boolean) => `apiVersion: v1
kind: Pod
metadata:
  name: agent
  namespace: tools
spec:
  serviceAccountName: agent
  securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
  containers:
    - name: agent
      image: registry.example/agent:1.0@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
      resources: {requests: {cpu: 10m, memory: 16Mi}, limits: {memory: 16Mi}}
      securityContext:
        allowPrivilegeEscalation: false
        capabilities: {drop: [ALL]}
        privileged: ${privileged}
`;

before(async () => {
	ensureServerBuilt();
	root = mkdtempSync(join(tmpdir(), 'fleetscope-report-lsp-'));
	const write = (rel: string, text: string) => {
		mkdirSync(dirname(join(root, rel)), { recursive: true });
		writeFileSync(join(root, rel), text);
	};
	write('tools/agent.yaml', POD(true));
	write('tools/other.yaml', POD(false).replace('name: agent\n  namespace', 'name: other\n  namespace'));
	session = await Session.start({ folders: [root] });
});

after(async () => {
	await session?.stop();
	rmSync(root, { recursive: true, force: true });
});

const report = (folderUri: string) => session.request<ComplianceReportResult>(ComplianceReportRequest.method, { folderUri });

test('the report of a workspace folder: HTML with the finding at its file and line, and a summary line', { timeout: 30_000 }, async () => {
	const r = await report(uriOf(root));
	assert.equal(r.files, 2);
	assert.match(r.html, /^<!DOCTYPE html>/);
	assert.ok(r.html.includes('<td class="loc">tools/agent.yaml:16</td><td class="mono">pss-privileged</td>'));
	assert.ok(!/<script\b/i.test(r.html));
	assert.match(r.summary, /^Compliance score: Repository \d+ % · 1 failing, 0 exempted findings · 2 files$/);
});

test('an open document counts with its current text, not what is on disk', { timeout: 30_000 }, async () => {
	const uri = uriOf(join(root, 'tools/agent.yaml'));
	await session.open(uri, POD(false));
	await session.diagnosticsOfVersion(uri, 1);
	const r = await report(uriOf(root));
	assert.ok(!r.html.includes('pss-privileged</td>'), 'the fix in the editor is in the report');
	assert.match(r.summary, /· 0 failing, 0 exempted findings · 2 files$/);
	await session.close(uri);
});

test('a URI that is no workspace folder is an error that says so; the server stays up', { timeout: 30_000 }, async () => {
	await assert.rejects(report(uriOf(join(root, 'elsewhere'))), /is not a workspace folder of the Fleetscope server/);
	await assert.rejects(session.request(ComplianceReportRequest.method, {}), /is not a workspace folder/);
	assert.ok(session.alive);
	assert.equal((await report(uriOf(root))).files, 2);
});

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { ensureCliBuilt, runCli, tempRepo } from './run';

/**
 * Bad input through the CLI: each file gets a clear finding at the right line, the exit code is
 * 1 (an error) or 0 (an info note), never 2, and the process never crashes or hangs.
 */
const laughs = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
	.concat('bcdefghi'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`))
	.join('\n');
const configMap = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fine\n';
const sops = `apiVersion: v1
kind: Secret
metadata:
  name: db
data:
  password: ENC[AES256_GCM,data:k3Vq,iv:1Rk=,tag:9w==,type:str]
sops:
  kms: []
  lastmodified: "2024-01-01T00:00:00Z"
  mac: ENC[AES256_GCM,data:abc=,type:str]
  version: 3.8.1
`;

const cases: { name: string; file: string; content: string | Uint8Array; code: 0 | 1; expect: [line: number, ruleId: string, message: RegExp][] }[] = [
	{ name: 'a tab used for indentation', file: 'tab.yaml', content: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: x\n', code: 1, expect: [[4, 'yaml-syntax', /^YAML does not allow tabs for indentation/]] },
	{ name: 'a duplicate key', file: 'dup.yaml', content: `${configMap}data:\n  a: "1"\n  a: "2"\n`, code: 1, expect: [[7, 'yaml-duplicate-key', /^This key appears twice in the same mapping/]] },
	{ name: 'invalid UTF-8', file: 'latin1.yaml', content: Buffer.concat([Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: caf'), Buffer.from([0xe9, 0x0a])]), code: 0, expect: [[1, 'file-skipped', /not valid UTF-8/]] },
	{ name: 'a binary file named .yaml', file: 'binary.yaml', content: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]), code: 0, expect: [[1, 'file-skipped', /binary|not valid UTF-8/]] },
	{ name: 'a 50 MB file', file: 'huge.yaml', content: 'a: b\n'.repeat(10 * 1024 * 1024), code: 0, expect: [[1, 'file-skipped', /it is 50\.0 MB, over the limit of 4096 KiB/]] },
	{ name: 'an alias bomb', file: 'laughs.yaml', content: laughs, code: 1, expect: [[1, 'yaml-limits', /"billion laughs" attack/]] },
	{ name: '10,000-deep nesting', file: 'deep.yaml', content: `apiVersion: v1\nkind: ConfigMap\ndata: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`, code: 1, expect: [[3, 'yaml-limits', /nested too deeply/]] },
	{ name: 'empty documents', file: 'empty.yaml', content: '---\n---\n# only a comment\n---\n', code: 0, expect: [] },
	{ name: 'a document that is a list', file: 'list.yaml', content: `${configMap}---\n- a\n- b\n`, code: 1, expect: [[6, 'resource-shape', /^This document is a list, not a Kubernetes object/]] },
	{ name: 'a document that is a scalar', file: 'scalar.yaml', content: `${configMap}---\njust text\n`, code: 1, expect: [[6, 'resource-shape', /^This document is a string value/]] },
	// A fuzzer's find: the parser repeats one error for every level it unwinds. Identical findings merge.
	{ name: 'an unclosed flow mapping nested 5,000 deep', file: 'unclosed.yaml', content: `${configMap}data: ${'{a: '.repeat(5000)}\n`, code: 1, expect: [[5, 'yaml-limits', /nested too deeply/], [5, 'yaml-syntax', /^Flow map in block collection must be sufficiently indented and end with a \}/]] },
	// 300 distinct syntax errors in one document: the first five, then one finding with the count.
	{ name: '300 tab-indented keys', file: 'tabs.yaml', content: `${configMap}data:\n${Array.from({ length: 300 }, (_, i) => `\tk${i}: v\n`).join('')}`, code: 1, expect: [...[6, 7, 8, 9, 10].map((l): [number, string, RegExp] => [l, 'yaml-syntax', /^YAML does not allow tabs/]), [11, 'yaml-syntax', /^295 more YAML syntax problems in this document are not shown: fix the 5 above first/]] },
	{ name: 'a Helm template', file: 'helm.yaml', content: `${configMap.replace('fine', '{{ .Release.Name }}')}`, code: 0, expect: [[1, 'file-skipped', /^Helm or Go template/]] },
	{ name: 'a SOPS-encrypted file', file: 'secret.sops.yaml', content: sops, code: 0, expect: [[1, 'file-skipped', /^SOPS-encrypted file/]] },
];

let repo: ReturnType<typeof tempRepo>;
before(() => {
	ensureCliBuilt();
	repo = tempRepo(Object.fromEntries(cases.map((c) => [c.file, c.content])));
});
after(() => repo?.dispose());

for (const c of cases) {
	test(`${c.name}: a clear finding, exit ${c.code}`, { timeout: 120_000 }, async () => {
		const r = await runCli(['check', c.file, '--format', 'json'], { cwd: repo.root });
		assert.equal(r.signal, null);
		assert.equal(r.stderr, '');
		assert.equal(r.code, c.code);
		const { findings } = JSON.parse(r.stdout);
		assert.deepEqual(
			findings.map((f: { file: string }) => f.file),
			c.expect.map(() => c.file),
		);
		for (const [k, [line, ruleId, message]] of c.expect.entries()) {
			assert.equal(findings[k].line, line, JSON.stringify(findings[k]));
			assert.equal(findings[k].ruleId, ruleId);
			assert.match(findings[k].message, message);
		}
	});
}

test('all of it in one directory: every file reported, exit 1, never a crash', { timeout: 180_000 }, async () => {
	const r = await runCli(['check', '--format', 'sarif'], { cwd: repo.root });
	assert.equal(r.code, 1);
	assert.equal(r.stderr, '');
	const uris = new Set<string>(JSON.parse(r.stdout).runs[0].results.map((x: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => x.locations[0].physicalLocation.artifactLocation.uri));
	assert.deepEqual([...uris].sort(), cases.filter((c) => c.expect.length > 0).map((c) => c.file).sort());
});

test('an unreadable file: a note that says why, the other files still checked, exit 0', async () => {
	// Reading /proc/self/mem from offset 0 fails with EIO for every user, root included (chmod 000 does not stop root).
	const unreadable = tempRepo({ 'ok.yaml': configMap, 'dup.yaml': `${configMap}data:\n  a: "1"\n  a: "2"\n` });
	try {
		symlinkSync('/proc/self/mem', join(unreadable.root, 'mem.yaml'));
		const r = await runCli(['check', 'mem.yaml', 'ok.yaml', '--format', 'json'], { cwd: unreadable.root });
		assert.equal(r.code, 0, r.stderr);
		const report = JSON.parse(r.stdout);
		assert.equal(report.summary.files, 2);
		assert.deepEqual(
			report.findings.map((f: { file: string; line: number; severity: string; ruleId: string; message: string }) => [f.file, f.line, f.severity, f.ruleId, f.message]),
			[['mem.yaml', 1, 'info', 'file-skipped', 'Fleetscope could not read this file: EIO: i/o error, read']],
		);
		// Next to a file with an error, the run reports both and fails on the error only.
		const both = await runCli(['check', 'mem.yaml', 'dup.yaml', '--format', 'json'], { cwd: unreadable.root });
		assert.equal(both.code, 1);
		assert.deepEqual(JSON.parse(both.stdout).findings.map((f: { file: string; ruleId: string }) => [f.file, f.ruleId]), [['dup.yaml', 'yaml-duplicate-key'], ['mem.yaml', 'file-skipped']]);
	} finally {
		unreadable.dispose();
	}
});

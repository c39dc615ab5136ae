import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../../server/src/engine/analysis/engine';
import { cli } from '../../server/src/cli/main';
import { tempRepo } from './run';

/**
 * A bug in the engine on one file (it throws) is an internal error: exit 2 with the file and the
 * stack on stderr, but the report still has every other file's findings and a note on that file.
 * Run in-process, so the engine can be made to fail where no input makes it fail today.
 */
test('an engine exception on one file: the other files reported, a note on that one, exit 2', async () => {
	const repo = tempRepo({
		'a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: "1"\n  k: "2"\n',
		'boom.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: boom\n',
	});
	const analyze = Engine.prototype.analyze;
	const spy = mock.method(Engine.prototype, 'analyze', function (this: Engine, ...args: Parameters<Engine['analyze']>) {
		if (args[0].path === 'boom.yaml') throw new Error('check exploded');
		return analyze.apply(this, args);
	});
	try {
		let stdout = '';
		let stderr = '';
		const code = await cli(['check', '--format', 'json'], { cwd: repo.root, env: {}, stdoutIsTty: false, stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
		assert.equal(code, 2);
		assert.equal(spy.mock.callCount(), 2);
		assert.match(stderr, /^fleetscope: internal error on 1 file\(s\), please report it:\nboom\.yaml: Error: check exploded\n/);
		const report = JSON.parse(stdout);
		assert.deepEqual(
			report.findings.map((f: { file: string; line: number; ruleId: string; message: string }) => [f.file, f.line, f.ruleId, f.message]),
			[
				['a.yaml', 7, 'yaml-duplicate-key', report.findings[0].message],
				['boom.yaml', 1, 'file-skipped', 'Fleetscope failed on this file (an internal error, please report it), so it is not validated.'],
			],
		);
		assert.match(report.findings[0].message, /^This key appears twice/);
	} finally {
		spy.mock.restore();
		repo.dispose();
	}
});

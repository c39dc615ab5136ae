import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cli } from '../../server/src/cli/main';
import { CLI, ensureCliBuilt, tempRepo } from './run';
import { DEPLOY } from './shop-repo';

/**
 * The terminal report goes to a reader that may be slow or stop: a pager that stops reading holds
 * the check (the report does not pile up in memory), and `check | head` ends quietly with the
 * check's own exit code.
 */
let repo: ReturnType<typeof tempRepo>;
before(() => {
	ensureCliBuilt();
	// 60 files of a Deployment with findings, one with a schema error: several hundred KB of report.
	const files: Record<string, string> = {};
	for (let i = 0; i < 60; i++) files[`apps/app-${String(i).padStart(2, '0')}.yaml`] = DEPLOY;
	files['apps/broken.yaml'] = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n    - port: "eighty"\n';
	repo = tempRepo(files);
});
after(() => repo?.dispose());

test('the check waits while the reader has no room, and goes on when it has', async () => {
	const events: string[] = [];
	let held = false;
	const code = await cli(['check', '.', '--fail-on', 'never'], {
		cwd: repo.root,
		env: {},
		stdoutIsTty: false,
		stdout: (s) => {
			// Nothing is printed while the reader has not taken the last lines.
			assert.equal(held, false, 'printed while the reader had no room');
			if (/:\d+:\d+ /.test(s)) events.push('file');
		},
		stderr: () => undefined,
		stdoutRoom: () => {
			held = true;
			events.push('wait');
			// The reader takes the lines on a later turn of the event loop.
			return new Promise<void>((resolve) => setImmediate(() => ((held = false), resolve())));
		},
	});
	assert.equal(code, 0);
	// Every file's lines were followed by a wait: 61 files, each printed then waited on.
	assert.equal(events.filter((e) => e === 'file').length, 61);
	assert.deepEqual(events.slice(0, 4), ['file', 'wait', 'file', 'wait']);
});

test('check | head: the reader leaves early, the check ends quietly with its own exit code', async () => {
	const child = spawn(process.execPath, [CLI, 'check', '.'], { cwd: repo.root, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
	let stderr = '';
	child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
	const first = await new Promise<string>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(d.toString())));
	// `head -1`: one line read, then the pipe closed.
	child.stdout.destroy();
	const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
	assert.match(first, /^apps\/app-00\.yaml:\d+:\d+ /);
	assert.equal(stderr, '', 'no EPIPE stack trace');
	// The schema error of apps/broken.yaml was found after the reader left: exit 1 as without a pipe.
	assert.equal(code, 1);
});

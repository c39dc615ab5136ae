import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { cli } from '../../server/src/cli/main';
// @ts-expect-error: a plain ES module of the demo, without types
import { DEMO_GITHUB_TOKEN, prepareDemoFleet, startGitHubSimulator } from '../../scripts/demo-fleet.mjs';

/**
 * The promotion `npm start` shows: the demo's copy of examples/fleet (its own history and bare
 * remote) and the GitHub simulator it starts (dist/scm-sim.js, as the demo runs it). orders-api is
 * behind in production; promoting it pushes the branch to the bare remote and opens the pull
 * request on the simulator, whose page shows it. The example fleet in this repository is untouched.
 */

const ROOT = resolve(__dirname, '..', '..');
const EXAMPLE = join(ROOT, 'examples', 'fleet');

describe('the demo promotion (npm start)', () => {
	let dir: string;
	let demo: { folder: string; remote: string; branches: () => string[] };
	let github: { url: string; token: string; stop: () => Promise<void>; output: () => string };
	before(async () => {
		dir = mkdtempSync(join(tmpdir(), 'fleetscope-demo-'));
		demo = prepareDemoFleet({ source: EXAMPLE, dir: join(dir, 'repository') });
		github = await startGitHubSimulator({ log: () => {} });
	});
	after(async () => {
		await github?.stop();
		rmSync(dir, { recursive: true, force: true });
	});

	it('promotes orders-api to production: the branch in the bare remote, the pull request on the simulator with its page', async () => {
		const exampleBefore = execFileSync('git', ['status', '--porcelain', '--', EXAMPLE], { cwd: ROOT, encoding: 'utf8' });
		let stdout = '';
		let stderr = '';
		// The CLI twin of the editor's Promote...: the same plan, gates, push and pull request.
		const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: join(dir, 'home'), GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GITHUB_API_URL: github.url, GITHUB_TOKEN: DEMO_GITHUB_TOKEN };
		const code = await cli(['promote', 'orders-api', '--to', 'production', '--open-pr', '--yes'], { cwd: demo.folder, env, stdoutIsTty: false, stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
		assert.equal(code, 0, `${stdout}\n${stderr}`);
		assert.ok(demo.branches().includes('fleetscope/promote/orders-api/production'), demo.branches().join(', '));
		const pageUrl = /(http:\/\/127\.0\.0\.1:\d+\/acme\/fleet\/pull\/1)/.exec(stdout + stderr)?.[1];
		assert.ok(pageUrl, `the pull request's URL is printed:\n${stdout}\n${stderr}`);
		const page = await (await fetch(pageUrl)).text();
		assert.match(page, /Promote orders-api 2\.14\.1 to production \(from staging\)/);
		assert.match(page, /labels: promotion, env:production/);
		assert.match(page, /reviewers: dana, acme\/platform-release/);
		assert.match(github.output(), /POST \/repos\/acme\/fleet\/pulls -> 201/);
		// The user's copy: same branch, clean tree; the repository's example fleet: as it was.
		assert.equal(execFileSync('git', ['status', '--porcelain'], { cwd: demo.folder, encoding: 'utf8' }), '');
		assert.equal(execFileSync('git', ['rev-parse', '--abbrev-ref', 'HEAD'], { cwd: demo.folder, encoding: 'utf8' }).trim(), 'main');
		assert.equal(execFileSync('git', ['status', '--porcelain', '--', EXAMPLE], { cwd: ROOT, encoding: 'utf8' }), exampleBefore);
	});

	it('refuses a wrong token before pushing anything, and says which token', async () => {
		let stderr = '';
		const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: join(dir, 'home'), GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GITHUB_API_URL: github.url, GITHUB_TOKEN: 'ghp_wrong' };
		const head = () => execFileSync('git', ['for-each-ref', '--format=%(refname:short) %(objectname)', 'refs/heads'], { cwd: demo.remote, encoding: 'utf8' });
		const before = head();
		const code = await cli(['promote', 'orders-api', '--to', 'production', '--open-pr', '--yes'], { cwd: demo.folder, env, stdoutIsTty: false, stdout: () => {}, stderr: (s) => (stderr += s) });
		assert.equal(code, 2, stderr);
		assert.doesNotMatch(stderr, /ghp_wrong/);
		assert.match(stderr, /GITHUB_TOKEN/);
		assert.equal(head(), before);
	});
});

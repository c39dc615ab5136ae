import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { cli } from '../../server/src/cli/main';
import { githubServer, type GitHubServer } from '../../tools/scm-sim/github';
import { gitlabServer, type GitLabServer } from '../../tools/scm-sim/gitlab';
import { checkoutFleet, overlay, PROD_DIGEST, STAGING_DIGEST } from './fleet-fixture';
import { gitFixture, type GitFixture } from './git-fixture';

/**
 * `fleetscope promote` end to end in this process: real git against a bare remote, the GitHub and
 * GitLab test servers, the exact JSON shape and exit codes (0 done or planned, 1 a gate failed,
 * 2 usage, git or API error), and a token that never shows anywhere but its Authorization header.
 */

const NOW = new Date('2026-12-01T12:00:00Z');
const BRANCH = 'fleetscope/promote/checkout/production';

interface Run {
	code: number;
	stdout: string;
	stderr: string;
}

async function promote(f: GitFixture, args: string[], env: Record<string, string> = {}, confirm?: (q: string) => Promise<boolean>): Promise<Run> {
	let stdout = '';
	let stderr = '';
	const code = await cli(['promote', ...args], { cwd: f.work, env: { ...f.env, ...env }, stdoutIsTty: false, stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), confirm }, () => NOW);
	return { code, stdout, stderr };
}

const remoteBranches = (f: GitFixture) => f.git(['for-each-ref', '--format=%(refname:short)', 'refs/heads'], { cwd: f.remote }).trim().split('\n');

function freePort(): Promise<number> {
	return new Promise((resolve) => {
		const s = createServer();
		s.listen(0, '127.0.0.1', () => {
			const port = (s.address() as { port: number }).port;
			s.close(() => resolve(port));
		});
	});
}

/** Every file under a directory, as text. */
function allText(dir: string): string {
	let out = '';
	for (const name of readdirSync(dir)) {
		const p = join(dir, name);
		if (statSync(p).isDirectory()) out += allText(p);
		else out += readFileSync(p, 'latin1');
	}
	return out;
}

describe('fleetscope promote', () => {
	let gh: GitHubServer;
	before(async () => {
		gh = await githubServer();
	});
	after(() => gh.close());

	it('--dry-run --format json: the pinned shape, exit 0, nothing written or pushed', async () => {
		const f = gitFixture(checkoutFleet());
		const r = await promote(f, ['checkout', '--to', 'production', '--dry-run', '--format', 'json']);
		assert.equal(r.code, 0, r.stderr);
		const json = JSON.parse(r.stdout);
		assert.deepEqual(Object.keys(json), ['app', 'from', 'to', 'edits', 'gates', 'branch', 'title', 'body', 'pullRequest']);
		assert.deepEqual({ ...json, body: undefined }, {
			app: 'checkout',
			from: 'staging',
			to: 'production',
			edits: [
				{ file: 'apps/checkout/production/kustomization.yaml', line: 7, before: '2.3.1', after: '2.4.0' },
				{ file: 'apps/checkout/production/kustomization.yaml', line: 8, before: PROD_DIGEST, after: STAGING_DIGEST },
			],
			gates: [
				{ name: 'order', passed: true, detail: 'production is promoted from staging (Fleet promotion.from).' },
				{ name: 'soak', passed: true, detail: 'staging has run it for 30d3h (since 2026-11-01T09:00:00Z, commit ' + f.git(['rev-parse', 'HEAD']).trim().slice(0, 12) + '); production requires 72h.' },
				{ name: 'approvals', passed: true, detail: 'production requires 2 approvals; the pull request asks alice, acme/release-managers and states the count (branch protection enforces it).' },
				{ name: 'compliance', passed: true, detail: "No new error-level finding for production's clusters (prod-1)." },
				{ name: 'live', passed: true, detail: "Not checked: no live state of staging's clusters (optional: checked in the editor when Fleetscope is connected to them)." },
			],
			branch: BRANCH,
			title: 'Promote checkout 2.4.0 to production (from staging)',
			body: undefined,
			pullRequest: null,
		});
		assert.match(json.body, /^Promotes \*\*checkout\*\* from \*\*staging\*\* to \*\*production\*\*/);
		assert.match(r.stderr, /Dry run: nothing was written or pushed\./);
		assert.deepEqual(remoteBranches(f), ['main']);
		assert.equal(f.git(['status', '--porcelain']), '');
	});

	it('--yes --open-pr: pushes the branch and opens the pull request; run again, it updates it (created false), never a duplicate', async () => {
		const f = gitFixture(checkoutFleet());
		const env = { GITHUB_TOKEN: gh.token, GITHUB_API_URL: gh.url };
		const r = await promote(f, ['checkout', '--to', 'production', '--yes', '--open-pr', '--format', 'json'], env);
		assert.equal(r.code, 0, r.stderr);
		const json = JSON.parse(r.stdout);
		assert.deepEqual(json.pullRequest, { url: 'https://github.com/acme/fleet/pull/1', number: 1, created: true });
		assert.deepEqual(remoteBranches(f), [BRANCH, 'main']);
		assert.equal(f.git(['show', `${BRANCH}:apps/checkout/production/kustomization.yaml`], { cwd: f.remote }), overlay('2.4.0', STAGING_DIGEST));
		const create = gh.writes().find((w) => w.method === 'POST' && w.path === '/repos/acme/fleet/pulls')!;
		assert.deepEqual(create.body, { title: json.title, head: BRANCH, base: 'main', body: json.body });
		assert.deepEqual(gh.pulls[0].labels, ['promotion', 'env:production']);
		assert.deepEqual([gh.pulls[0].reviewers, gh.pulls[0].teamReviewers], [['alice'], ['release-managers']]);
		assert.match(r.stderr, /Pull request #1 opened: https:\/\/github\.com\/acme\/fleet\/pull\/1/);

		const again = await promote(f, ['checkout', '--to', 'production', '--yes', '--open-pr', '--format', 'json'], env);
		assert.equal(again.code, 0, again.stderr);
		assert.deepEqual(JSON.parse(again.stdout).pullRequest, { url: 'https://github.com/acme/fleet/pull/1', number: 1, created: false });
		assert.equal(gh.pulls.length, 1);
		assert.match(again.stderr, /already has this change/);
		gh.pulls.length = 0;
	});

	it('without --yes in a non-interactive run, nothing is pushed: exit 2 and what to do', async () => {
		const f = gitFixture(checkoutFleet());
		const r = await promote(f, ['checkout', '--to', 'production']);
		assert.equal(r.code, 2);
		assert.match(r.stdout, /^Promote checkout 2\.4\.0 to production \(from staging\)\n/);
		assert.match(r.stderr, /nothing was pushed: no terminal to confirm pushing fleetscope\/promote\/checkout\/production to origin\. Run again with --yes/);
		assert.deepEqual(remoteBranches(f), ['main']);
	});

	it('in a terminal, asks before pushing, naming the branch and the remote; no means nothing is pushed', async () => {
		const f = gitFixture(checkoutFleet());
		const asked: string[] = [];
		const r = await promote(f, ['checkout', '--to', 'production'], {}, async (q) => (asked.push(q), false));
		assert.equal(r.code, 0, r.stderr);
		assert.deepEqual(asked, ['Push fleetscope/promote/checkout/production to origin (https://github.com/acme/fleet.git), from main? [y/N] ']);
		assert.match(r.stdout, /Nothing was pushed\./);
		assert.deepEqual(remoteBranches(f), ['main']);
		const yes = await promote(f, ['checkout', '--to', 'production'], {}, async () => true);
		assert.equal(yes.code, 0, yes.stderr);
		assert.match(yes.stdout, /Pushed fleetscope\/promote\/checkout\/production to origin .*\nOpen the pull request: https:\/\/github\.com\/acme\/fleet\/compare\/main\.\.\.fleetscope\/promote\/checkout\/production\?quick_pull=1/);
	});

	it('every gate failing: exit 1, each gate says why, nothing pushed', async () => {
		const files = checkoutFleet({ productionReviewers: ['alice'], productionApprovals: 2 });
		const f = gitFixture(files);
		// Dev's version was set an hour ago, and dev's overlay adds a privileged container: production would get it.
		// The Fleet file enforces compliance in production, so that warning is an error there.
		f.commit(
			{
				'apps/checkout/dev/kustomization.yaml': `${overlay('2.5.0')}patches:\n  - target: {kind: Deployment, name: checkout}\n    patch: |\n      - op: add\n        path: /spec/template/spec/containers/0/securityContext/privileged\n        value: true\n`,
				'fleet.yaml': `${files['fleet.yaml'].replace('  apps:\n    - name: checkout\n', '  apps:\n    - name: checkout\n      promotion:\n        style: directory\n')}  compliance:\n    enforce: [production]\n`,
			},
			'dev: 2.5.0',
			'2026-12-01T11:00:00Z',
		);
		const r = await promote(f, ['checkout', '--to', 'production', '--from', 'dev', '--yes', '--format', 'json']);
		assert.equal(r.code, 1, r.stderr);
		const gates = JSON.parse(r.stdout).gates as { name: string; passed: boolean; detail: string }[];
		assert.deepEqual(gates.map((g) => [g.name, g.passed]), [
			['order', false],
			['soak', false],
			['approvals', false],
			['compliance', false],
			['live', true],
		]);
		assert.match(gates[1].detail, /dev has run it for 1h only \(since 2026-12-01T11:00:00Z/);
		assert.match(gates[3].detail, /new error-level finding.* for production's clusters \(prod-1\): apps\/checkout\/production\/kustomization\.yaml:\d+ pss-privileged/);
		assert.match(r.stderr, /gates failed: order, soak, approvals, compliance; nothing was pushed/);
		assert.deepEqual(remoteBranches(f), ['main']);
	});

	it('--override-gate NAME --reason TEXT lets the gate through and records the reason in the body', async () => {
		const files = checkoutFleet({ productionReviewers: [] });
		const f = gitFixture(files);
		const r = await promote(f, ['checkout', '--to', 'production', '--dry-run', '--format', 'json', '--override-gate', 'approvals', '--reason', 'CHG-42: approved in the change advisory board']);
		assert.equal(r.code, 0, r.stderr);
		const json = JSON.parse(r.stdout);
		assert.equal(json.gates[2].passed, false);
		assert.match(json.gates[2].detail, /Overridden: CHG-42: approved in the change advisory board$/);
		assert.match(json.body, /### Overrides\n\n.*\n\n- \*\*approvals\*\*: CHG-42: approved in the change advisory board\n/);
	});

	it('usage errors exit 2 and say what to write', async () => {
		const f = gitFixture(checkoutFleet());
		for (const [args, message] of [
			[['checkout'], /promote needs the target environment: fleetscope promote checkout --to ENV/],
			[['--to', 'production'], /promote needs the app/],
			[['checkout', '--to', 'production', '--override-gate', 'soak'], /every --override-gate NAME needs its --reason TEXT/],
			[['checkout', '--to', 'production', '--override-gate', 'speed', '--reason', 'because'], /no gate "speed"; the gates are order, soak, approvals, compliance, live/],
			[['checkout', '--to', 'production', '--format', 'yaml'], /--format must be text or json/],
			[['cart', '--to', 'production'], /no app "cart" in the fleet/],
		] as const) {
			const r = await promote(f, [...args]);
			assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
			assert.match(r.stderr, message);
		}
	});

	it('--open-pr without a token, with a rejected token, or with the API down: exit 2, what to do, nothing pushed', async () => {
		const f = gitFixture(checkoutFleet());
		const missing = await promote(f, ['checkout', '--to', 'production', '--yes', '--open-pr'], { GITHUB_API_URL: gh.url, GITHUB_TOKEN: '' });
		assert.equal(missing.code, 2);
		assert.match(missing.stderr, /no GitHub token: set GITHUB_TOKEN to a token with access to the repository .*, or run without --open-pr/);
		const wrong = 'ghp_wrongwrongwrongwrongwrong000';
		const rejected = await promote(f, ['checkout', '--to', 'production', '--yes', '--open-pr'], { GITHUB_API_URL: gh.url, GITHUB_TOKEN: wrong });
		assert.equal(rejected.code, 2);
		assert.match(rejected.stderr, /GitHub refused the token in GITHUB_TOKEN \(401 Bad credentials\)/);
		assert.ok(!(rejected.stdout + rejected.stderr).includes(wrong));
		const port = await freePort();
		const down = await promote(f, ['checkout', '--to', 'production', '--yes', '--open-pr'], { GITHUB_API_URL: `http://127.0.0.1:${port}`, GITHUB_TOKEN: gh.token });
		assert.equal(down.code, 2);
		assert.match(down.stderr, new RegExp(`could not reach the GitHub API at http://127\\.0\\.0\\.1:${port} .*ECONNREFUSED`));
		for (const r of [missing, rejected, down]) assert.match(r.stderr, /nothing was pushed\./);
		assert.deepEqual(remoteBranches(f), ['main']);
	});

	it('a token never appears in output, errors, PR payloads, git config, the remote URL, commits or the reflog', async () => {
		const f = gitFixture(checkoutFleet());
		const env = { GITHUB_TOKEN: gh.token, GITHUB_API_URL: gh.url };
		const outputs: string[] = [];
		gh.requests.length = 0;
		for (const args of [
			['checkout', '--to', 'production', '--dry-run'],
			['checkout', '--to', 'production', '--yes', '--open-pr', '--format', 'json'],
			['checkout', '--to', 'production', '--yes', '--open-pr'],
		]) {
			const r = await promote(f, args, env);
			assert.equal(r.code, 0, r.stderr);
			outputs.push(r.stdout, r.stderr);
		}
		assert.ok(!outputs.join('\n').includes(gh.token), 'output');
		for (const req of gh.requests) {
			assert.ok(!req.raw.includes(gh.token) && !req.url.includes(gh.token), `${req.method} ${req.url} payload`);
			const headers = Object.entries(req.headers).filter(([k]) => k !== 'authorization');
			assert.ok(!JSON.stringify(headers).includes(gh.token), 'other headers');
		}
		assert.ok(gh.requests.every((r) => String(r.headers.authorization).endsWith(gh.token)), 'the token goes in the Authorization header only');
		assert.ok(!readFileSync(join(f.work, '.git', 'config'), 'utf8').includes(gh.token), '.git/config');
		assert.ok(!f.git(['config', '--get', 'remote.origin.url']).includes(gh.token), 'remote URL');
		assert.ok(!allText(join(f.work, '.git', 'logs')).includes(gh.token), 'reflog');
		assert.ok(!f.git(['log', '--all', '--format=%B%n%an%ae'], { cwd: f.remote }).includes(gh.token), 'commits');
		assert.ok(!allText(join(f.remote, 'refs')).includes(gh.token));
		gh.pulls.length = 0;
	});
});

describe('fleetscope promote on GitLab', () => {
	let gl: GitLabServer;
	before(async () => {
		gl = await gitlabServer();
	});
	after(() => gl.close());

	it('opens the merge request through the GitLab API of CI_API_V4_URL, with GITLAB_TOKEN', async () => {
		const f = gitFixture(checkoutFleet({ productionReviewers: ['alice', 'bob'] }), { url: 'https://gitlab.example.com/platform/teams/fleet.git' });
		const r = await promote(f, ['checkout', '--to', 'production', '--yes', '--open-pr', '--format', 'json'], { GITLAB_TOKEN: gl.token, CI_SERVER_URL: 'https://gitlab.example.com', CI_API_V4_URL: `${gl.url}/api/v4` });
		assert.equal(r.code, 0, r.stderr);
		const json = JSON.parse(r.stdout);
		assert.deepEqual(json.pullRequest, { url: 'https://gitlab.example.com/platform/teams/fleet/-/merge_requests/1', number: 1, created: true });
		assert.deepEqual(gl.mergeRequests.map((m) => [m.source_branch, m.target_branch, m.title, m.labels, m.reviewer_ids]), [[BRANCH, 'main', json.title, ['promotion', 'env:production'], [7, 8]]]);
		assert.match(gl.mergeRequests[0].description, /\(https:\/\/gitlab\.example\.com\/platform\/teams\/fleet\/-\/blob\/fleetscope\/promote\/checkout\/production\/apps\/checkout\/production\/kustomization\.yaml#L7\)/);
		assert.ok(!(r.stdout + r.stderr).includes(gl.token));
		writeFileSync(join(f.dir, 'done'), '');
	});
});

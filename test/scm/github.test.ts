import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { GitHubClient } from '../../server/src/host/scm/github';
import { ScmError } from '../../server/src/host/scm/errors';
import { promotionMarker } from '../../server/src/engine/promotion/marker';
import { githubServer, type GitHubServer } from '../../tools/scm-sim/github';

/** The GitHub client against the GitHub test server: exact requests and payloads, idempotency, errors in words. */

const INPUT = {
	base: 'main',
	head: 'fleetscope/promote/checkout/production',
	title: 'Promote checkout 2.4.0 to production (from staging)',
	body: 'Promotes checkout.\n',
	labels: ['promotion', 'env:production'],
	reviewers: ['alice', 'acme/release-managers'],
};

describe('GitHub pull requests through Octokit', () => {
	let gh: GitHubServer;
	before(async () => {
		gh = await githubServer();
	});
	after(() => gh.close());
	const client = (token = gh.token) => new GitHubClient({ owner: 'acme', repo: 'fleet', token, apiUrl: gh.url, tokenSource: 'GITHUB_TOKEN', tokenFix: 'set GITHUB_TOKEN' });

	it('opens the pull request with the exact payloads: create, labels, reviewers (users and teams apart)', async () => {
		gh.requests.length = 0;
		const pr = await client().openOrUpdate(INPUT);
		assert.deepEqual(pr, { url: 'https://github.com/acme/fleet/pull/1', number: 1, created: true, warnings: [] });
		const writes = gh.writes().map((r) => ({ method: r.method, path: r.path, body: r.body }));
		assert.deepEqual(writes, [
			{ method: 'POST', path: '/repos/acme/fleet/pulls', body: { title: INPUT.title, head: INPUT.head, base: 'main', body: INPUT.body } },
			{ method: 'POST', path: '/repos/acme/fleet/issues/1/labels', body: { labels: ['promotion', 'env:production'] } },
			{ method: 'POST', path: '/repos/acme/fleet/pulls/1/requested_reviewers', body: { reviewers: ['alice'], team_reviewers: ['release-managers'] } },
		]);
		// It looked for an open pull request from the branch first, with the token.
		const look = gh.requests.find((r) => r.method === 'GET' && r.path === '/repos/acme/fleet/pulls')!;
		assert.equal(look.query.head, 'acme:fleetscope/promote/checkout/production');
		assert.equal(look.query.state, 'open');
		assert.match(String(look.headers.authorization), /^(token|Bearer) ghp_testtoken/);
	});

	it('updates the open pull request from the same branch instead of opening a second one', async () => {
		gh.requests.length = 0;
		const pr = await client().openOrUpdate({ ...INPUT, title: 'Promote checkout 2.4.1 to production (from staging)', body: 'Now 2.4.1.\n' });
		assert.equal(pr.created, false);
		assert.equal(pr.number, 1);
		assert.equal(gh.pulls.filter((p) => p.state === 'open').length, 1);
		assert.equal(gh.pulls[0].title, 'Promote checkout 2.4.1 to production (from staging)');
		assert.equal(gh.pulls[0].body, 'Now 2.4.1.\n');
		assert.ok(!gh.writes().some((r) => r.method === 'POST' && r.path === '/repos/acme/fleet/pulls'), 'no create');
		assert.deepEqual(gh.writes()[0], { ...gh.writes()[0], method: 'PATCH', path: '/repos/acme/fleet/pulls/1', body: { title: 'Promote checkout 2.4.1 to production (from staging)', body: 'Now 2.4.1.\n' } });
	});

	it("answers GitHub's 422 (a pull request already exists: another run won the race) by updating that one", async () => {
		gh.requests.length = 0;
		gh.control.hideFromListOnce = true;
		const pr = await client().openOrUpdate({ ...INPUT, body: 'Raced.\n' });
		assert.equal(pr.created, false);
		assert.equal(pr.number, 1);
		assert.equal(gh.pulls.length, 1, 'never a duplicate');
		assert.equal(gh.pulls[0].body, 'Raced.\n');
		assert.deepEqual(
			gh.writes().map((r) => `${r.method} ${r.path}`),
			['POST /repos/acme/fleet/pulls', 'PATCH /repos/acme/fleet/pulls/1', 'POST /repos/acme/fleet/issues/1/labels', 'POST /repos/acme/fleet/pulls/1/requested_reviewers'],
		);
	});

	it('a reviewer GitHub will not ask is a warning, not a failure', async () => {
		gh.control.notCollaborators.add('mallory');
		const pr = await client().openOrUpdate({ ...INPUT, reviewers: ['mallory'] });
		gh.control.notCollaborators.clear();
		assert.equal(pr.number, 1);
		assert.equal(pr.warnings.length, 1);
		assert.match(pr.warnings[0], /collaborator.*ask mallory yourself/);
	});

	it('a rejected token says what to do, and never carries the token', async () => {
		const wrong = 'ghp_wrongtoken11111111111111111111111';
		await assert.rejects(client(wrong).check(), (e: unknown) => {
			assert.ok(e instanceof ScmError);
			assert.equal(e.status, 401);
			assert.match(e.message, /GitHub refused the token in GITHUB_TOKEN \(401 Bad credentials\): create a token .*, then set GITHUB_TOKEN/);
			assert.ok(!e.message.includes(wrong) && !JSON.stringify(e).includes(wrong));
			return true;
		});
	});

	it('an API that cannot be reached (network down) says so, with the URL to check', async () => {
		const port = await freePort();
		const down = new GitHubClient({ owner: 'acme', repo: 'fleet', token: gh.token, apiUrl: `http://127.0.0.1:${port}`, tokenSource: 'GITHUB_TOKEN', tokenFix: 'set GITHUB_TOKEN' });
		await assert.rejects(down.openOrUpdate(INPUT), (e: unknown) => {
			assert.ok(e instanceof ScmError);
			assert.match(e.message, new RegExp(`could not reach the GitHub API at http://127.0.0.1:${port} .*\\(ECONNREFUSED\\): check the network, or GITHUB_API_URL`));
			return true;
		});
	});

	it('lists open promotion pull requests per app and environment, with checks and reviews', async () => {
		gh.pulls.push({ number: 2, title: 'Fix typo', body: 'no marker', head: 'typo', base: 'main', state: 'open', labels: [], reviewers: [], teamReviewers: [], sha: 'a'.repeat(40) });
		gh.pulls[0].body = `Body\n\n${promotionMarker({ version: 1, app: 'checkout', from: 'staging', to: 'production', style: 'value', branch: INPUT.head, artifacts: [], gates: {} })}\n`;
		gh.pulls[0].reviews = [
			{ user: 'alice', state: 'CHANGES_REQUESTED' },
			{ user: 'alice', state: 'APPROVED' },
			{ user: 'bob', state: 'COMMENTED' },
		];
		const list = await client().listPromotions();
		assert.deepEqual(list, [
			{ app: 'checkout', environment: 'production', from: 'staging', url: 'https://github.com/acme/fleet/pull/1', number: 1, title: gh.pulls[0].title, branch: INPUT.head, draft: false, checks: 'success', approvals: 1, changesRequested: 0, recognised: true },
		]);
	});
});

function freePort(): Promise<number> {
	return new Promise((resolve) => {
		const s = createServer();
		s.listen(0, '127.0.0.1', () => {
			const port = (s.address() as { port: number }).port;
			s.close(() => resolve(port));
		});
	});
}

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GitLabClient } from '../../server/src/host/scm/gitlab';
import { ScmError } from '../../server/src/host/scm/errors';
import { gitlabServer, type GitLabServer } from '../../tools/scm-sim/gitlab';

/** The GitLab client (Gitbeaker) against the GitLab test server: exact requests, idempotency (409), token errors. */

const INPUT = {
	base: 'main',
	head: 'fleetscope/promote/checkout/production',
	title: 'Promote checkout 2.4.0 to production (from staging)',
	body: 'Promotes checkout.\n',
	labels: ['promotion', 'env:production'],
	reviewers: ['alice', 'nobody', 'acme/release-managers'],
};

describe('GitLab merge requests through Gitbeaker', () => {
	let gl: GitLabServer;
	before(async () => {
		gl = await gitlabServer();
	});
	after(() => gl.close());
	const client = (token = gl.token) => new GitLabClient({ project: 'platform/teams/fleet', token, apiUrl: `${gl.url}/api/v4`, tokenSource: 'GITLAB_TOKEN', tokenFix: 'set GITLAB_TOKEN' });

	it('opens the merge request: reviewers looked up by name, labels, the exact payload, the project by its encoded path', async () => {
		const pr = await client().openOrUpdate(INPUT);
		assert.equal(pr.created, true);
		assert.equal(pr.number, 1);
		assert.equal(pr.url, 'https://gitlab.example.com/platform/teams/fleet/-/merge_requests/1');
		assert.deepEqual(pr.warnings, [
			'nobody: no such GitLab user, not asked to review',
			'acme/release-managers: GitLab merge requests take users as reviewers, not groups (ask the group yourself, or name its members in the Fleet file)',
		]);
		const create = gl.writes()[0];
		assert.equal(create.method, 'POST');
		assert.equal(create.url.split('?')[0], '/api/v4/projects/platform%2Fteams%2Ffleet/merge_requests');
		assert.deepEqual(create.body, {
			source_branch: INPUT.head,
			target_branch: 'main',
			title: INPUT.title,
			description: INPUT.body,
			labels: 'promotion,env:production',
			remove_source_branch: true,
			reviewer_ids: [7],
		});
		assert.equal(create.headers['private-token'], gl.token);
	});

	it('updates the open merge request from the same branch, never a second one', async () => {
		gl.requests.length = 0;
		const pr = await client().openOrUpdate({ ...INPUT, reviewers: ['alice'], title: 'Promote checkout 2.4.1 to production (from staging)' });
		assert.equal(pr.created, false);
		assert.equal(gl.mergeRequests.length, 1);
		assert.equal(gl.mergeRequests[0].title, 'Promote checkout 2.4.1 to production (from staging)');
		assert.deepEqual(
			gl.writes().map((r) => [r.method, r.url.split('?')[0], r.body]),
			[['PUT', '/api/v4/projects/platform%2Fteams%2Ffleet/merge_requests/1', { title: 'Promote checkout 2.4.1 to production (from staging)', description: INPUT.body, labels: 'promotion,env:production', reviewer_ids: [7] }]],
		);
	});

	it("answers GitLab's 409 (another open merge request for this source branch) by updating that one", async () => {
		gl.requests.length = 0;
		gl.control.hideFromListOnce = true;
		const pr = await client().openOrUpdate({ ...INPUT, reviewers: [], title: 'Promote checkout 2.4.1 to production (from staging)', body: 'Raced.\n' });
		assert.equal(pr.created, false);
		assert.equal(gl.mergeRequests.length, 1);
		assert.equal(gl.mergeRequests[0].description, 'Raced.\n');
		assert.deepEqual(gl.writes().map((r) => `${r.method} ${r.url.split('?')[0]}`), ['POST /api/v4/projects/platform%2Fteams%2Ffleet/merge_requests', 'PUT /api/v4/projects/platform%2Fteams%2Ffleet/merge_requests/1']);
	});

	it('lists open promotion merge requests with pipeline and approvals', async () => {
		const list = await client().listPromotions();
		assert.deepEqual(list, [
			{ app: 'checkout', environment: 'production', from: undefined, url: 'https://gitlab.example.com/platform/teams/fleet/-/merge_requests/1', number: 1, title: 'Promote checkout 2.4.1 to production (from staging)', branch: INPUT.head, draft: false, checks: 'pending', approvals: 1, changesRequested: 0, recognised: false },
		]);
	});

	it('a rejected token says which variable to fix and never shows the token', async () => {
		const wrong = 'glpat-wrong000000000000';
		await assert.rejects(client(wrong).check(), (e: unknown) => {
			assert.ok(e instanceof ScmError);
			assert.equal(e.status, 401);
			assert.match(e.message, /GitLab refused the token in GITLAB_TOKEN \(401 .*\): create a token with the api scope for platform\/teams\/fleet, then set GITLAB_TOKEN/);
			assert.ok(!e.message.includes(wrong) && !JSON.stringify(e).includes(wrong));
			return true;
		});
	});
});

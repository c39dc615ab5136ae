import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfirmPushRequest, PromoteRequest, PromotionPlanRequest, type ConfirmPushParams, type PromoteResult, type PromotionPlanResult } from '../../shared/protocol';
import { githubServer, type GitHubServer } from '../../tools/scm-sim/github';
import { checkoutFleet } from '../promotion/fleet-fixture';
import { gitFixture, type GitFixture } from '../promotion/git-fixture';
import { ensureServerBuilt, Session, uriOf } from './harness';

/**
 * `Fleetscope: Promote...` over LSP: the plan for the preview writes nothing; the promotion asks the
 * editor to confirm the push (naming the branch and the remote) and pushes nothing when it says no;
 * the editor's token opens the pull request and shows nowhere else; an untrusted workspace runs no
 * git command. Real git against a bare remote, the GitHub test server.
 */

const BRANCH = 'fleetscope/promote/checkout/production';
const f: GitFixture = gitFixture(checkoutFleet());
let gh: GitHubServer;
let session: Session;
const questions: ConfirmPushParams[] = [];
let answer = true;

before(async () => {
	ensureServerBuilt();
	gh = await githubServer();
	session = await Session.start({ folders: [f.work], env: { ...f.env, GITHUB_API_URL: gh.url }, initializationOptions: { workspaceTrusted: true } });
	session.conn.onRequest(ConfirmPushRequest.method, (q: ConfirmPushParams) => {
		questions.push(q);
		return answer;
	});
	await session.logged(/^Validated \d+ workspace files/);
});
after(async () => {
	await session?.stop();
	await gh?.close();
});

const remoteBranches = () => f.git(['for-each-ref', '--format=%(refname:short)', 'refs/heads'], { cwd: f.remote }).trim().split('\n');
const params = { folderUri: uriOf(f.work), app: 'checkout', to: 'production' };

test('the plan for the preview: the edits, whole files before and after, the gates; nothing written or pushed', { timeout: 60_000 }, async () => {
	const r = await session.request<PromotionPlanResult>(PromotionPlanRequest.method, params);
	assert.ok('plan' in r, JSON.stringify(r));
	assert.deepEqual(r.plan.edits.map((e) => `${e.file}:${e.line} ${e.before} -> ${e.after}`).slice(0, 1), ['apps/checkout/production/kustomization.yaml:7 2.3.1 -> 2.4.0']);
	assert.equal(r.plan.changes.length, 1);
	assert.match(r.plan.changes[0].after!, /newTag: 2\.4\.0/);
	assert.equal(r.plan.branch, BRANCH);
	assert.deepEqual(r.plan.gates.map((g) => g.name), ['order', 'soak', 'approvals', 'compliance', 'live']);
	assert.deepEqual(remoteBranches(), ['main']);
	assert.equal(f.git(['status', '--porcelain']), '');
});

test('a token the host refuses: nothing pushed, the error says it came from the editor (not GITHUB_TOKEN) and marks it rejected, without the token', { timeout: 60_000 }, async () => {
	answer = true;
	const wrong = 'ghp_refusedByTheHost000000000000000000000';
	const r = await session.request<PromoteResult>(PromoteRequest.method, { ...params, openPullRequest: true, credentials: { github: wrong } });
	assert.ok('error' in r, JSON.stringify(r));
	assert.equal(r.tokenRejected, true);
	assert.equal(r.pushed, false);
	assert.match(r.error, /GitHub refused the token in the editor \(401/);
	assert.match(r.error, /promote again and give another token/);
	assert.doesNotMatch(r.error, /GITHUB_TOKEN|ghp_refused/);
	assert.deepEqual(questions, [], 'the token is checked before the push is even asked for');
	assert.deepEqual(remoteBranches(), ['main']);
});

test('declining the confirmation pushes nothing', { timeout: 60_000 }, async () => {
	answer = false;
	const r = await session.request<PromoteResult>(PromoteRequest.method, { ...params, openPullRequest: true, credentials: { github: gh.token } });
	assert.ok('result' in r && r.result === 'declined', JSON.stringify(r));
	assert.deepEqual(questions.map((q) => [q.branch, q.remote, q.url]), [[BRANCH, 'origin', 'https://github.com/acme/fleet.git']]);
	assert.deepEqual(remoteBranches(), ['main']);
	assert.equal(gh.writes().length, 0);
});

test('confirmed: the branch is pushed, the pull request opened with the editor\'s token, which appears nowhere else', { timeout: 60_000 }, async () => {
	answer = true;
	const r = await session.request<PromoteResult>(PromoteRequest.method, { ...params, openPullRequest: true, credentials: { github: gh.token } });
	assert.ok('result' in r && r.result === 'pushed', JSON.stringify(r));
	assert.equal(r.pullRequest?.number, gh.pulls[0].number);
	assert.deepEqual(gh.pulls[0].labels, ['promotion', 'env:production']);
	assert.ok(remoteBranches().includes(BRANCH));
	assert.equal(f.git(['status', '--porcelain']), '', 'the working tree is untouched');
	for (const line of session.logs) assert.ok(!line.includes(gh.token), line);
	assert.ok(!f.git(['config', '--list']).includes(gh.token));
	assert.ok(!JSON.stringify(gh.pulls).includes(gh.token));
});

test('an untrusted workspace runs no git command and reaches no hosting API', { timeout: 60_000 }, async () => {
	const untrusted = await Session.start({ folders: [f.work], env: { ...f.env, GITHUB_API_URL: gh.url } });
	try {
		const before = gh.requests.length;
		const r = await untrusted.request<PromotionPlanResult>(PromotionPlanRequest.method, params);
		assert.ok('error' in r && /not trusted/.test(r.error), JSON.stringify(r));
		const p = await untrusted.request<PromoteResult>(PromoteRequest.method, { ...params, openPullRequest: true, credentials: { github: gh.token } });
		assert.ok('error' in p && p.pushed === false);
		assert.equal(gh.requests.length, before);
	} finally {
		await untrusted.stop();
	}
});

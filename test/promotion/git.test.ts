import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import type { PromotionPlan } from '../../shared/protocol';
import { discover } from '../fleet/helpers';
import { nodeGitRunner } from '../../server/src/host/git/runner';
import { GitRepository } from '../../server/src/host/git/repository';
import { soakOfDirectory, soakOfLines } from '../../server/src/host/git/history';
import { tokenCredentials } from '../../server/src/host/git/credentials';
import { executePromotion, planPromotion, PromotionError } from '../../server/src/workspace/promotion';
import { checkoutFleet, overlay, STAGING_DIGEST } from './fleet-fixture';
import { gitFixture, type GitFixture } from './git-fixture';

/**
 * Git at the edge, for real: a bare remote on disk behind the hosting URL (insteadOf). The commit
 * is written with plumbing; the user's working tree, index, branch and HEAD stay as they were.
 */

const NOW = new Date('2026-12-01T12:00:00Z');

async function planIn(f: GitFixture, files: Record<string, string>): Promise<{ plan: PromotionPlan; repo: GitRepository }> {
	const repo = await GitRepository.open(f.work, nodeGitRunner('git', f.env));
	const r = await planPromotion({ app: 'checkout', to: 'production' }, { fleet: discover(files), tree: { files: () => Object.keys(files), read: (p) => files[p] }, git: repo, compliance: async () => ({ newFindings: [] }), env: {}, now: NOW });
	assert.ok(r.ok, r.ok ? '' : r.error);
	return { plan: r.plan, repo };
}

const yes = async () => true;

/** What the user's checkout looks like: what must not change. */
function userState(f: GitFixture) {
	return {
		status: f.git(['status', '--porcelain=v1', '--untracked-files=all']),
		head: f.git(['rev-parse', 'HEAD']).trim(),
		symbolic: (() => {
			try {
				return f.git(['symbolic-ref', '-q', 'HEAD']).trim();
			} catch {
				return '(detached)';
			}
		})(),
		staged: f.git(['diff', '--cached']),
		unstaged: f.git(['diff']),
		branches: f.git(['branch', '--list']),
		index: readFileSync(join(f.work, '.git', 'index')).toString('base64'),
	};
}

describe('promotion commits with git plumbing, beside the user', () => {
	it('a dirty working tree, a staged change and a detached HEAD stay exactly as they were; the branch lands on the remote', async () => {
		const files = checkoutFleet();
		const f = gitFixture(files);
		f.commit({ 'README.md': 'hello\n' }, 'second', '2026-11-02T09:00:00Z');
		writeFileSync(join(f.work, 'README.md'), 'hello, edited and not committed\n');
		writeFileSync(join(f.work, 'notes.txt'), 'untracked\n');
		writeFileSync(join(f.work, 'staged.txt'), 'staged\n');
		f.git(['add', 'staged.txt']);
		f.git(['checkout', '-q', '--detach', 'HEAD']);
		const before = userState(f);
		const { plan, repo } = await planIn(f, files);
		const questions: unknown[] = [];
		const outcome = await executePromotion(plan, { git: repo, openPullRequest: false, env: {}, confirm: async (q) => (questions.push(q), true) });
		assert.deepEqual(userState(f), before);
		assert.equal(outcome.result, 'pushed');
		assert.deepEqual(questions, [{ branch: 'fleetscope/promote/checkout/production', remote: 'origin', url: 'https://github.com/acme/fleet.git', base: 'main', branchExists: false }]);
		// The remote's branch: one commit on main, by the user's identity, changing only the planned file.
		const run = (args: string[]) => f.git(args, { cwd: f.remote });
		const tip = run(['rev-parse', 'fleetscope/promote/checkout/production']).trim();
		assert.equal(tip, outcome.commit);
		assert.equal(run(['rev-parse', `${tip}^`]).trim(), run(['rev-parse', 'main']).trim());
		assert.equal(run(['log', '-1', '--format=%an <%ae>|%s', tip]).trim(), 'Promo Tester <promo@example.com>|Promote checkout 2.4.0 to production (from staging)');
		assert.equal(run(['diff', '--name-only', `${tip}^`, tip]).trim(), 'apps/checkout/production/kustomization.yaml');
		assert.equal(run(['show', `${tip}:apps/checkout/production/kustomization.yaml`]), overlay('2.4.0', STAGING_DIGEST));
		assert.equal(outcome.compareUrl?.startsWith('https://github.com/acme/fleet/compare/main...fleetscope/promote/checkout/production?quick_pull=1&title=Promote%20checkout%202.4.0'), true);
	});

	it('when the branch exists on the remote, adds a commit on top of it (no force); nothing new when it already has the change', async () => {
		const files = checkoutFleet();
		const f = gitFixture(files);
		// Someone pushed to the promotion branch already.
		f.git(['checkout', '-q', '-b', 'other']);
		const earlier = f.commit({ 'apps/checkout/production/NOTE.md': 'review note\n' }, 'note', '2026-11-03T09:00:00Z', { push: false });
		f.git(['push', '-q', 'origin', 'HEAD:refs/heads/fleetscope/promote/checkout/production']);
		f.git(['checkout', '-q', 'main']);
		const { plan, repo } = await planIn(f, files);
		const first = await executePromotion(plan, { git: repo, openPullRequest: false, env: {}, confirm: yes });
		assert.equal(first.result, 'pushed');
		const run = (args: string[]) => f.git(args, { cwd: f.remote });
		assert.equal(run(['rev-parse', `${first.commit}^`]).trim(), earlier);
		assert.equal(run(['show', `${first.commit}:apps/checkout/production/NOTE.md`]), 'review note\n');
		const again = await executePromotion(plan, { git: repo, openPullRequest: false, env: {}, confirm: async () => assert.fail('nothing to push: no question') });
		assert.equal(again.result, 'unchanged');
		assert.equal(run(['rev-parse', 'fleetscope/promote/checkout/production']).trim(), first.commit);
	});

	it('a rejected push says so, forces nothing, and leaves the user as they were', async () => {
		const files = checkoutFleet();
		const f = gitFixture(files);
		const hook = join(f.remote, 'hooks', 'pre-receive');
		writeFileSync(hook, '#!/bin/sh\necho "branch protection: promotions need a ticket" >&2\nexit 1\n');
		chmodSync(hook, 0o755);
		const before = userState(f);
		const { plan, repo } = await planIn(f, files);
		await assert.rejects(executePromotion(plan, { git: repo, openPullRequest: false, env: {}, confirm: yes }), (e: unknown) => {
			assert.ok(e instanceof PromotionError);
			assert.equal(e.pushed, false);
			assert.match(e.message, /origin rejected the push to fleetscope\/promote\/checkout\/production \(.*pre-receive hook declined.*\): nothing was forced/);
			return true;
		});
		assert.deepEqual(userState(f), before);
		assert.equal(f.git(['branch', '--list', '--all', '*promote*'], { cwd: f.remote }).trim(), '');
	});

	it('refuses to commit when the remote default branch differs from what was planned, and says to pull', async () => {
		const files = checkoutFleet();
		const f = gitFixture(files);
		// Someone else changed production on main meanwhile; the user's checkout does not have it.
		f.git(['clone', '-q', f.remote, 'other'], { cwd: f.dir });
		const other = join(f.dir, 'other');
		writeFileSync(join(other, 'apps/checkout/production/kustomization.yaml'), overlay('2.3.2'));
		f.git(['commit', '-qam', 'hotfix'], { cwd: other, date: '2026-11-05T09:00:00Z' });
		f.git(['push', '-q', 'origin', 'main'], { cwd: other });
		const { plan, repo } = await planIn(f, files);
		await assert.rejects(executePromotion(plan, { git: repo, openPullRequest: false, env: {}, confirm: yes }), /apps\/checkout\/production\/kustomization\.yaml differ between your working tree and origin\/main, which the promotion branch starts from: pull/);
		assert.equal(f.git(['ls-remote', '--heads', 'origin', 'fleetscope/*']).trim(), '');
	});

	it('a remote that cannot be reached (gone, network down) says so and what to check; nothing changes', async () => {
		const files = checkoutFleet();
		const f = gitFixture(files);
		f.git(['config', `url.${join(f.dir, 'nowhere.git')}.insteadOf`, 'https://github.com/acme/fleet.git']);
		f.git(['config', '--unset', `url.${f.remote}.insteadOf`]);
		const before = userState(f);
		const { plan, repo } = await planIn(f, files);
		await assert.rejects(executePromotion(plan, { git: repo, openPullRequest: false, env: {}, confirm: yes }), (e: unknown) => {
			assert.ok(e instanceof PromotionError);
			assert.match(e.message, /the remote "origin" could not be read \(.*\): check the network and the remote URL \(git remote -v\)/);
			return true;
		});
		assert.deepEqual(userState(f), before);
	});

	it('declined: nothing is pushed', async () => {
		const files = checkoutFleet();
		const f = gitFixture(files);
		const { plan, repo } = await planIn(f, files);
		const outcome = await executePromotion(plan, { git: repo, openPullRequest: false, env: {}, confirm: async () => false });
		assert.equal(outcome.result, 'declined');
		assert.equal(f.git(['ls-remote', '--heads', 'origin']).trim().split('\n').length, 1);
	});
});

describe('soak from history', () => {
	it('is the committer time of the commit that set the line, the merge for a merged change (first parent); none when uncommitted', async () => {
		const files = checkoutFleet();
		const f = gitFixture(files, { date: '2026-10-01T08:00:00Z' });
		f.git(['checkout', '-q', '-b', 'bump']);
		f.commit({ 'apps/checkout/staging/kustomization.yaml': overlay('2.4.1', STAGING_DIGEST) }, 'bump staging', '2026-11-10T10:00:00Z', { push: false });
		f.git(['checkout', '-q', 'main']);
		f.git(['merge', '-q', '--no-ff', 'bump', '-m', 'merge bump'], { date: '2026-11-28T15:30:00Z' });
		const repo = await GitRepository.open(f.work, nodeGitRunner('git', f.env));
		const merged = await soakOfLines(repo, [{ file: 'apps/checkout/staging/kustomization.yaml', line: 7 }]);
		assert.equal(merged.at, '2026-11-28T15:30:00.000Z');
		const both = await soakOfLines(repo, [{ file: 'apps/checkout/dev/kustomization.yaml', line: 7 }, { file: 'apps/checkout/staging/kustomization.yaml', line: 7 }]);
		assert.equal(both.at, '2026-11-28T15:30:00.000Z', 'the latest of the lines');
		assert.equal((await soakOfLines(repo, [{ file: 'apps/checkout/staging/kustomization.yaml', line: 8 }])).at, '2026-10-01T08:00:00.000Z', 'the digest line did not change');
		assert.equal((await soakOfLines(repo, [{ file: 'apps/checkout/dev/kustomization.yaml', line: 7 }])).at, '2026-10-01T08:00:00.000Z');
		writeFileSync(join(f.work, 'apps/checkout/staging/kustomization.yaml'), overlay('2.4.2', STAGING_DIGEST));
		assert.deepEqual(await soakOfLines(repo, [{ file: 'apps/checkout/staging/kustomization.yaml', line: 7 }]), { note: 'apps/checkout/staging/kustomization.yaml:7 is not committed' });
		assert.deepEqual(await soakOfDirectory(repo, 'apps/checkout/staging'), { note: 'apps/checkout/staging has uncommitted changes' });
		assert.equal((await soakOfDirectory(repo, 'apps/checkout/dev')).at, '2026-10-01T08:00:00.000Z');
	});

	it('works from a fleet in a sub-directory of the repository', async () => {
		const files = Object.fromEntries(Object.entries(checkoutFleet()).map(([k, v]) => [`deploy/${k}`, v]));
		const f = gitFixture(files, { date: '2026-10-02T08:00:00Z' });
		const repo = await GitRepository.open(join(f.work, 'deploy'), nodeGitRunner('git', f.env));
		assert.equal(repo.prefix, 'deploy/');
		assert.equal((await soakOfLines(repo, [{ file: 'apps/checkout/staging/kustomization.yaml', line: 7 }])).at, '2026-10-02T08:00:00.000Z');
	});
});

describe('a token for git over https', () => {
	it('reaches git only through an env-scoped credential helper: never an argument, never written', () => {
		const f = gitFixture({ 'a.txt': 'a\n' });
		const token = 'ghp_helpertoken123456789';
		const creds = tokenCredentials('https://github.com/acme/fleet.git', token, 'x-access-token');
		assert.ok(!creds.args.join(' ').includes(token), 'not in the arguments');
		const out = execFileSync('git', [...creds.args, 'credential', 'fill'], { cwd: f.work, env: { ...f.env, ...creds.env, GIT_TERMINAL_PROMPT: '0' }, input: 'protocol=https\nhost=github.com\npath=acme/fleet.git\n\n', encoding: 'utf8' });
		assert.match(out, new RegExp(`username=x-access-token\npassword=${token}\n`));
		assert.ok(!readFileSync(join(f.work, '.git', 'config'), 'utf8').includes(token));
		// Scoped to the remote's origin: another host gets nothing from it.
		assert.throws(() => execFileSync('git', [...creds.args, 'credential', 'fill'], { cwd: f.work, env: { ...f.env, ...creds.env, GIT_TERMINAL_PROMPT: '0' }, input: 'protocol=https\nhost=evil.example\n\n', encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] }));
		assert.deepEqual(tokenCredentials('git@github.com:acme/fleet.git', token, 'x'), { args: [], env: {} });
	});
});

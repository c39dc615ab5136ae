import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readHead } from '../../server/src/host/git/head';

/** HEAD's commit read from `.git` without git, checked against what real git says in real repositories. */

const dir = mkdtempSync(join(tmpdir(), 'fleetscope-head-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' } }).trim();

function repo(name: string): string {
	const r = join(dir, name);
	mkdirSync(join(r, 'fleet', 'apps'), { recursive: true });
	git(r, 'init', '-q', '-b', 'main');
	writeFileSync(join(r, 'fleet', 'apps', 'a.yaml'), 'a: 1\n');
	git(r, 'add', '.');
	git(r, 'commit', '-q', '-m', 'one');
	return r;
}

test('a branch, from the repository and from a sub-directory (the fleet root may be one); then packed refs', async () => {
	const r = repo('plain');
	const head = git(r, 'rev-parse', 'HEAD');
	assert.deepEqual(await readHead(r), { commit: head, ref: 'main' });
	assert.deepEqual(await readHead(join(r, 'fleet', 'apps')), { commit: head, ref: 'main' });
	git(r, 'pack-refs', '--all');
	assert.deepEqual(await readHead(join(r, 'fleet')), { commit: head, ref: 'main' });
});

test('a detached HEAD, a worktree (its .git is a file; refs in the common directory), a branch without commits', async () => {
	const r = repo('detached');
	writeFileSync(join(r, 'fleet', 'b.yaml'), 'b: 1\n');
	git(r, 'add', '.');
	git(r, 'commit', '-q', '-m', 'two');
	const first = git(r, 'rev-parse', 'HEAD~1');
	git(r, 'checkout', '-q', first);
	assert.deepEqual(await readHead(r), { commit: first });
	git(r, 'checkout', '-q', 'main');
	const wt = join(dir, 'wt');
	git(r, 'worktree', 'add', '-q', '-b', 'feature', wt);
	git(r, 'pack-refs', '--all');
	assert.deepEqual(await readHead(join(wt, 'fleet')), { commit: git(wt, 'rev-parse', 'HEAD'), ref: 'feature' });
	const empty = join(dir, 'empty');
	mkdirSync(empty);
	git(empty, 'init', '-q', '-b', 'main');
	assert.deepEqual(await readHead(empty), { note: 'main has no commit yet' });
});

test('outside any repository: a note, no commit', async () => {
	const outside = mkdtempSync(join(tmpdir(), 'fleetscope-nogit-'));
	try {
		const h = await readHead(outside);
		// /tmp itself may sit in a repository on some machines; then HEAD is that one's, which is right too.
		if ('note' in h) assert.equal(h.note, 'not a git repository');
	} finally {
		rmSync(outside, { recursive: true, force: true });
	}
});

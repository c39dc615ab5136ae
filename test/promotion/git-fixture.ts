import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after } from 'node:test';

/**
 * Real git for the promotion tests: a bare remote on disk and a clone, the hosting URL mapped to
 * the bare repository with `url.<path>.insteadOf` (so `remote.origin.url` says github.com, as a
 * team's clone does, while pushes land on disk). Git's global and system configuration are
 * replaced by the fixture's own (an identity, nothing else), so the tests do not depend on the
 * machine. Commit dates are fixed (GIT_AUTHOR_DATE / GIT_COMMITTER_DATE).
 */

export interface GitFixture {
	/** The temporary directory holding everything. */
	dir: string;
	/** The clone (the user's working copy). */
	work: string;
	/** The bare remote. */
	remote: string;
	/** The environment git runs with (also the CLI's). */
	env: Record<string, string>;
	/** Runs git in the clone (or `cwd`), returning stdout. */
	git(args: string[], opts?: { cwd?: string; date?: string; input?: string }): string;
	/** Writes files into the clone and commits them at `date`, pushing to the remote. */
	commit(files: Record<string, string | null>, message: string, date: string, opts?: { push?: boolean }): string;
}

export const REMOTE_URL = 'https://github.com/acme/fleet.git';

export function gitFixture(files: Record<string, string>, opts: { date?: string; url?: string; branch?: string } = {}): GitFixture {
	const dir = mkdtempSync(join(tmpdir(), 'fleetscope-promote-'));
	after(() => rmSync(dir, { recursive: true, force: true }));
	const home = join(dir, 'home');
	mkdirSync(home);
	const globalConfig = join(home, 'gitconfig');
	writeFileSync(globalConfig, '[user]\n\tname = Promo Tester\n\temail = promo@example.com\n[init]\n\tdefaultBranch = main\n');
	const env: Record<string, string> = {
		PATH: process.env.PATH ?? '/usr/bin:/bin',
		HOME: home,
		GIT_CONFIG_GLOBAL: globalConfig,
		GIT_CONFIG_NOSYSTEM: '1',
		TZ: 'UTC',
	};
	const branch = opts.branch ?? 'main';
	const remote = join(dir, 'remote.git');
	const work = join(dir, 'work');
	const run = (args: string[], o: { cwd?: string; date?: string; input?: string } = {}) =>
		execFileSync('git', args, { cwd: o.cwd ?? work, env: { ...env, ...(o.date ? { GIT_AUTHOR_DATE: o.date, GIT_COMMITTER_DATE: o.date } : {}) }, input: o.input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
	run(['init', '-q', '--bare', '-b', branch, remote], { cwd: dir });
	run(['init', '-q', '-b', branch, work], { cwd: dir });
	const url = opts.url ?? REMOTE_URL;
	run(['remote', 'add', 'origin', url]);
	run(['config', `url.${remote}.insteadOf`, url]);
	const fixture: GitFixture = {
		dir,
		work,
		remote,
		env,
		git: run,
		commit(changes, message, date, o = {}) {
			for (const [rel, text] of Object.entries(changes)) {
				const file = join(work, ...rel.split('/'));
				if (text === null) rmSync(file, { force: true });
				else {
					mkdirSync(dirname(file), { recursive: true });
					writeFileSync(file, text);
				}
			}
			run(['add', '-A']);
			run(['commit', '-q', '-m', message], { date });
			if (o.push !== false) run(['push', '-q', 'origin', `HEAD:refs/heads/${branch}`]);
			return run(['rev-parse', 'HEAD']).trim();
		},
	};
	fixture.commit(files, 'initial fleet', opts.date ?? '2026-11-01T09:00:00Z');
	return fixture;
}

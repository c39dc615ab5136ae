import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * The preflight of `npm start` and `npm test` (scripts/preflight.mjs): what is missing is installed
 * with apt-get when that needs no prompt, else one message names the exact command, before anything
 * long starts; partial code-server installs of interrupted runs are removed. apt-get and dpkg-query
 * are stand-ins on PATH here (the real ones would change the machine); the rest is the real script.
 */

const SCRIPT = resolve('scripts/preflight.mjs');
const dir = mkdtempSync(join(tmpdir(), 'fleetscope-preflight-'));
chmodSync(dir, 0o755); // the unprivileged run must reach its stand-ins
test.after(() => rmSync(dir, { recursive: true, force: true }));

/** A bin directory with a dpkg-query that reports `installed`, and an apt-get and sudo that log their arguments. */
function fakeBin(name: string, installed: string[]): { bin: string; calls: string } {
	const bin = join(dir, name, 'bin');
	mkdirSync(bin, { recursive: true });
	const calls = join(dir, name, 'calls');
	writeFileSync(calls, '');
	chmodSync(join(dir, name), 0o777);
	chmodSync(calls, 0o666);
	const script = (body: string) => `#!/bin/sh\n${body}\n`;
	writeFileSync(join(bin, 'dpkg-query'), script(`for p in ${installed.join(' ')}; do echo "$p install ok installed"; done`), { mode: 0o755 });
	writeFileSync(join(bin, 'apt-get'), script(`echo "apt-get $*" >> ${calls}`), { mode: 0o755 });
	return { bin, calls };
}

function run(purpose: string, env: Record<string, string>, uid?: number) {
	const t0 = Date.now();
	const r = spawnSync(process.execPath, [SCRIPT, purpose], { encoding: 'utf8', env: { HOME: dir, ...env }, cwd: resolve('.'), ...(uid !== undefined ? { uid, gid: uid } : {}) });
	return { code: r.status, out: `${r.stdout}${r.stderr}`, ms: Date.now() - t0 };
}

const canDropPrivileges = process.getuid?.() === 0 && spawnSync('id', ['nobody']).status === 0;

test('without a way to install (not root, no passwordless sudo): one message with the exact command, at once, nothing started', { skip: !canDropPrivileges && 'needs root to run the preflight as another user' }, () => {
	const { bin, calls } = fakeBin('user', ['chromium']);
	const cache = join(dir, 'user', 'cache');
	mkdirSync(cache, { recursive: true });
	chmodSync(cache, 0o777);
	const r = run('test', { PATH: `${bin}:/usr/bin:/bin`, FLEETSCOPE_CACHE_DIR: cache }, 65534);
	assert.equal(r.code, 1, r.out);
	assert.match(r.out, /npm test cannot start yet/);
	assert.match(r.out, /npm test needs libkrb5-dev, libx11-dev, libxkbfile-dev, libsecret-1-dev, pkg-config, python3, make, g\+\+, git \(code-server's native modules are compiled once, on its first install\)/);
	assert.match(r.out, /\n {4}sudo apt-get install -y libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config python3 make g\+\+ git\n/);
	assert.equal(readFileSync(calls, 'utf8'), '', 'apt-get was not run');
	assert.ok(r.ms < 5000, `took ${r.ms} ms`);
});

test('as root: the missing packages are installed with apt-get, without a prompt; then ready', { skip: process.getuid?.() !== 0 && 'needs root' }, () => {
	const { bin, calls } = fakeBin('root', ['chromium', 'git']);
	const r = run('test', { PATH: `${bin}:/usr/bin:/bin`, FLEETSCOPE_CACHE_DIR: join(dir, 'root', 'cache') });
	assert.equal(r.code, 0, r.out);
	assert.equal(readFileSync(calls, 'utf8'), 'apt-get update -qq\napt-get install -y -qq --no-install-recommends libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config python3 make g++\n');
	assert.match(r.out, /\[preflight\] ready in \d+\.\d s/);
});

test('with code-server installed and everything present, `npm start` needs nothing: no apt-get at all; a partial install of an interrupted run is removed', () => {
	const { bin, calls } = fakeBin('ready', []);
	const cache = join(dir, 'ready', 'cache');
	const pinned = readFileSync('scripts/code-server.mjs', 'utf8');
	const installed = join(cache, `code-server-${/CODE_SERVER_VERSION = '([^']+)'/.exec(pinned)![1]}-node-${/NODE_VERSION = '([^']+)'/.exec(pinned)![1]}`);
	mkdirSync(installed, { recursive: true });
	writeFileSync(join(installed, '.complete'), 'ok\n');
	const stale = `${installed}.partial-999999`;
	const running = `${installed}.partial-${process.pid}`;
	mkdirSync(join(stale, 'node_modules'), { recursive: true });
	mkdirSync(running);
	const r = run('start', { PATH: `${bin}:/usr/bin:/bin`, FLEETSCOPE_CACHE_DIR: cache });
	assert.equal(r.code, 0, r.out);
	assert.equal(readFileSync(calls, 'utf8'), '');
	assert.equal(existsSync(stale), false, 'the stale partial install is gone');
	assert.equal(existsSync(running), true, 'an install still running is left alone');
	assert.match(r.out, /removed the partial code-server install .*\.partial-999999 of an interrupted run/);
});

test('.ci/run installs at least what the preflight asks for (a fresh Debian machine as root)', async () => {
	const { BUILD_PACKAGES, TEST_PACKAGES } = (await import(pathToFileURL(SCRIPT).href)) as { BUILD_PACKAGES: string[]; TEST_PACKAGES: string[] };
	const ci = readFileSync('.ci/run', 'utf8');
	const listed = /DEBIAN_PACKAGES=\(([^)]*)\)/.exec(ci)![1].split(/\s+/).filter(Boolean);
	assert.deepEqual([...BUILD_PACKAGES, ...TEST_PACKAGES].filter((p) => !listed.includes(p)), []);
	assert.match(readFileSync('package.json', 'utf8'), /"test": "node scripts\/preflight\.mjs test && /);
	assert.match(readFileSync('package.json', 'utf8'), /"start": "node scripts\/preflight\.mjs start && /);
});

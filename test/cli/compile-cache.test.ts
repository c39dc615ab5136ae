import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { version } from '../../package.json';
import { ensureCliBuilt, runCli, tempRepo } from './run';

/**
 * dist/cli.js runs the CLI's bundle with V8's code cache (server/src/bin/compile-cache.ts): the
 * first run writes it, later runs use it, and nothing about the cache (missing, corrupt, not the
 * user's alone, unwritable, turned off) changes what the CLI does.
 */

let repo: ReturnType<typeof tempRepo>;
before(() => {
	ensureCliBuilt();
	repo = tempRepo({ 'apps/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  a: b\n' });
});
after(() => repo?.dispose());

function run(cacheDir: string, args: string[], setting = 'debug') {
	return runCli(args, { cwd: repo.root, env: { FLEETSCOPE_CACHE_DIR: cacheDir, FLEETSCOPE_COMPILE_CACHE: setting } });
}
const said = (stderr: string) => [...stderr.matchAll(/^fleetscope: compile cache: (\w+)/gm)].map((m) => m[1]);
const cacheFiles = (dir: string) => (existsSync(join(dir, 'v8')) ? readdirSync(join(dir, 'v8')) : []);

test('the first run writes the cache, readable by the user alone; the next runs use it and print the same', async () => {
	const dir = join(repo.root, 'cache-1');
	const first = await run(dir, ['--version']);
	assert.deepEqual(said(first.stderr), ['none', 'wrote']);
	assert.equal(first.stdout, `${version}\n`);
	const [file] = cacheFiles(dir);
	assert.match(file, /^cli-program-\d+-\d+-node[\d.]+-v8.+\.bin$/);
	assert.equal(statSync(join(dir, 'v8')).mode & 0o777, 0o700);
	assert.equal(statSync(join(dir, 'v8', file)).mode & 0o777, 0o600);
	const second = await run(dir, ['--version']);
	assert.deepEqual(said(second.stderr), ['used']);
	assert.equal(second.stdout, first.stdout);
	const check = await run(dir, ['check', 'apps', '--format', 'json']);
	assert.equal(check.code, 0);
	assert.equal(JSON.parse(check.stdout).summary.files, 1);
	assert.equal(said(check.stderr)[0], 'used');
});

test('a corrupt cache is refused by V8 and written again; the run is unaffected', async () => {
	const dir = join(repo.root, 'cache-2');
	await run(dir, ['--version']);
	const file = join(dir, 'v8', cacheFiles(dir)[0]);
	writeFileSync(file, Buffer.concat([Buffer.alloc(8), Buffer.alloc(4096, 7)]), { mode: 0o600 });
	const r = await run(dir, ['--version']);
	assert.equal(r.stdout, `${version}\n`);
	assert.deepEqual(said(r.stderr), ['rejected', 'wrote']);
	assert.notEqual(readFileSync(file).subarray(8, 24).toString('hex'), Buffer.alloc(16, 7).toString('hex'));
	assert.deepEqual(said((await run(dir, ['--version'])).stderr), ['used']);
});

test('a file without the 8-byte header (the one-byte header of earlier builds) is not handed to V8, and is written again', async () => {
	const dir = join(repo.root, 'cache-old-header');
	await run(dir, ['--version']);
	const file = join(dir, 'v8', cacheFiles(dir)[0]);
	const current = readFileSync(file);
	assert.deepEqual([...current.subarray(1, 8)], [0, 0, 0, 0, 0, 0, 0], 'V8\'s data starts 8 bytes in');
	// The same V8 data behind a one-byte header: misaligned, so V8 would copy it.
	writeFileSync(file, Buffer.concat([Buffer.from([0]), current.subarray(8)]), { mode: 0o600 });
	const r = await run(dir, ['--version']);
	assert.equal(r.stdout, `${version}\n`);
	assert.deepEqual(said(r.stderr), ['none', 'wrote']);
	assert.deepEqual(said((await run(dir, ['--version'])).stderr), ['used']);
});

test('a cache written by a short run is replaced once by a long run, which compiled far more', async () => {
	const dir = join(repo.root, 'cache-long');
	await run(dir, ['--version']);
	const file = join(dir, 'v8', cacheFiles(dir)[0]);
	const short = readFileSync(file);
	assert.equal(short[0], 0, 'marked as written by a short run');
	// The Kyverno library takes the CLI well over a second.
	const long = await runCli(['check', resolve('test/fixtures/kyverno-policies'), '--format', 'json'], { env: { FLEETSCOPE_CACHE_DIR: dir, FLEETSCOPE_COMPILE_CACHE: 'debug' } });
	assert.deepEqual(said(long.stderr), ['used', 'wrote']);
	const full = readFileSync(file);
	assert.equal(full[0], 1);
	assert.ok(full.length > short.length * 1.2, `${full.length} vs ${short.length}`);
	assert.deepEqual(said((await run(dir, ['check', 'apps'])).stderr), ['used']);
});

test('a cache file others may write is not loaded as code, and is replaced', async () => {
	const dir = join(repo.root, 'cache-3');
	await run(dir, ['--version']);
	const file = join(dir, 'v8', cacheFiles(dir)[0]);
	chmodSync(file, 0o666);
	const r = await run(dir, ['--version']);
	assert.deepEqual(said(r.stderr), ['none', 'wrote']);
	assert.equal(statSync(file).mode & 0o777, 0o600);
});

test('turned off, or with no usable directory, the CLI runs the same and writes nothing', async () => {
	const off = join(repo.root, 'cache-4');
	const r = await run(off, ['--version'], 'off');
	assert.equal(r.stdout, `${version}\n`);
	assert.equal(r.stderr, '');
	assert.equal(existsSync(join(off, 'v8')), false);
	// A file where the directory would be: nothing can be written, the check still runs.
	const blocked = join(repo.root, 'cache-5');
	writeFileSync(blocked, 'not a directory');
	const check = await run(blocked, ['check', 'apps', '--format', 'json']);
	assert.equal(check.code, 0);
	assert.equal(JSON.parse(check.stdout).summary.files, 1);
	assert.deepEqual(said(check.stderr), ['unavailable']);
});

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SERVER_MALLOC_MMAP_THRESHOLD, serverEnvironment } from '../../shared/server-node';
import { ensureCliBuilt } from './run';

/**
 * glibc's malloc raises its mmap threshold to the size of each large block freed; everything below
 * it then comes from a heap it hardly ever returns. The server keeps that threshold low twice over:
 * its start-up frees no large block of its own (server/src/bin/compile-cache.ts), and the extension
 * starts it with the threshold fixed (shared/server-node.ts). Both are measured here as the
 * resident size of glibc's main heap (`[heap]` in /proc/PID/smaps): what a user sees as the
 * server's memory.
 */

const glibc = process.platform === 'linux' && Boolean((process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header?.glibcVersionRuntime);
const needsGlibc = glibc ? false : 'glibc only';

let dir: string;
let probe: string;
before(() => {
	dir = mkdtempSync(join(tmpdir(), 'fleetscope-malloc-'));
	probe = join(dir, 'probe.cjs');
	// Once the main module has run (its start-up is synchronous): how much more of the main heap do
	// 12 buffers of PROBE_MB MB (3 unless set) take? Each has its own mapping while the threshold
	// is below their size, and none above.
	writeFileSync(
		probe,
		`const { readFileSync } = require('node:fs');
const heapKiB = () => { let cur = '', kb = 0; for (const line of readFileSync('/proc/self/smaps', 'utf8').split('\\n')) { const m = /^[0-9a-f]+-[0-9a-f]+ \\S+ \\S+ \\S+ \\S+\\s*(.*)$/.exec(line); if (m) cur = m[1]; else if (cur === '[heap]' && line.startsWith('Rss:')) kb += Number(/(\\d+)/.exec(line)[1]); } return kb; };
setImmediate(() => {
  if (process.env.PROBE_FREE_BIG) { let big = Buffer.alloc(8 << 20, 1); big = undefined; global.gc(); }
  const before = heapKiB();
  const held = Array.from({ length: 12 }, () => Buffer.alloc(Number(process.env.PROBE_MB || 3) << 20, 1));
  process.stderr.write('PROBE ' + JSON.stringify({ grewKiB: heapKiB() - before, held: held.length }) + '\\n');
  process.exit(0);
});
`,
	);
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `node -r probe ARGS` and returns how much the main heap grew for the buffers the probe holds. */
function grewKiB(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
	return new Promise((resolveRun, reject) => {
		// Stdin stays open: the server waits for a client until the probe ends the process.
		const child = spawn(process.execPath, ['--expose-gc', '-r', probe, ...args], { env, stdio: ['pipe', 'ignore', 'pipe'] });
		let stderr = '';
		child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
		child.on('error', reject);
		child.on('close', () => {
			const m = /^PROBE (.*)$/m.exec(stderr);
			if (!m) return reject(new Error(`no probe result:\n${stderr}`));
			resolveRun((JSON.parse(m[1]) as { grewKiB: number }).grewKiB);
		});
	});
}

test('the threshold is added on Linux unless the user set one', () => {
	const fixed = { MALLOC_MMAP_THRESHOLD_: String(SERVER_MALLOC_MMAP_THRESHOLD) };
	assert.equal(SERVER_MALLOC_MMAP_THRESHOLD, 131072, "glibc's own default");
	assert.deepEqual(serverEnvironment({}, 'linux'), fixed);
	assert.deepEqual(serverEnvironment({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' }, 'linux'), fixed);
	assert.deepEqual(serverEnvironment({ MALLOC_MMAP_THRESHOLD_: '65536' }, 'linux'), {});
	assert.deepEqual(serverEnvironment({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=2:glibc.malloc.mmap_threshold=262144' }, 'linux'), {});
	assert.deepEqual(serverEnvironment({}, 'darwin'), {});
	assert.deepEqual(serverEnvironment({}, 'win32'), {});
});

test("with the extension's environment, a large block freed does not send later blocks to the main heap", { skip: needsGlibc }, async () => {
	const script = ['-e', 'setInterval(() => {}, 1000)'];
	const env: NodeJS.ProcessEnv = { ...process.env, PROBE_FREE_BIG: '1' };
	delete env.MALLOC_MMAP_THRESHOLD_;
	delete env.GLIBC_TUNABLES;
	// glibc's default: the 8 MB block freed raised the threshold, the 3 MB buffers came from the heap.
	assert.ok((await grewKiB(script, env)) > 24 * 1024, 'the premise: glibc raises its threshold');
	const fixed = await grewKiB(script, { ...env, ...serverEnvironment(env, process.platform) });
	assert.ok(fixed < 4 * 1024, `the main heap grew ${fixed} KiB`);
});

test("the server's start-up no longer raises the threshold to its bundle's 8 MB: 6 MB buffers still get their own mappings", { skip: needsGlibc }, async () => {
	ensureCliBuilt();
	// Not 3 MB: on a loaded machine a block of 3-6 MB is still freed during start-up now and then
	// (likely the code cache file's buffer, collected early), and the extension's variable is what
	// covers that. Before, reading the bundle in one buffer raised the threshold to 8 MB every time.
	const env: NodeJS.ProcessEnv = { ...process.env, FLEETSCOPE_CACHE_DIR: join(dir, 'cache'), PROBE_MB: '6' };
	delete env.MALLOC_MMAP_THRESHOLD_;
	delete env.GLIBC_TUNABLES;
	const server = [resolve('dist/server.js'), '--stdio'];
	// The first start compiles the bundle and writes the code cache; the next ones read it, as users' do.
	await grewKiB(server, env);
	for (let i = 0; i < 2; i++) {
		const grew = await grewKiB(server, env);
		// Reading the 5 MB bundle in one buffer raised the threshold to 8 MB: all 72 MiB went to the main heap.
		assert.ok(grew < 4 * 1024, `start ${i + 2}: the main heap grew ${grew} KiB for 72 MiB of buffers`);
	}
});

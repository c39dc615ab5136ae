import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { applyServerTiering, serverTieringFlags } from '../../server/src/bin/tiering';
import { ensureCliBuilt } from './run';

/**
 * The language server sets V8's optimization budget at start (server/src/bin/tiering.ts): only on
 * a V8 that has the option (Node refuses an unknown one on its command line, and V8 complains on
 * stderr at run time), and without costing the server its code cache.
 */

const v8Options = (node: string) => spawnSync(node, ['--v8-options'], { encoding: 'utf8' }).stdout;

test('the budget is set on V8 11 and earlier, whose option this is, and on no later V8', () => {
	assert.deepEqual(serverTieringFlags('11.3.244.8-node.38'), ['--interrupt-budget=614400']);
	assert.deepEqual(serverTieringFlags('12.4.254.21-node.33'), []);
	assert.deepEqual(serverTieringFlags('13.6.233.17-node.37'), []);
	assert.deepEqual(serverTieringFlags('not a version'), []);
	// Every option chosen for this machine's Node is one its V8 knows.
	const known = v8Options(process.execPath);
	for (const flag of serverTieringFlags(process.versions.v8)) assert.match(known, new RegExp(`^\\s+${flag.split('=')[0]} `, 'm'), `${flag} is not an option of V8 ${process.versions.v8}`);
});

test('an option the server was started with wins over its own', () => {
	assert.deepEqual(applyServerTiering('11.3.244.8-node.38', ['--max-semi-space-size=4', '--interrupt-budget=67584']), []);
	assert.deepEqual(applyServerTiering('13.6.233.17-node.37', []), []);
});

test('dist/server.js starts with it, says nothing about options, and uses its code cache from the second start', async () => {
	ensureCliBuilt();
	const cache = mkdtempSync(join(tmpdir(), 'fleetscope-tiering-'));
	try {
		const start = () =>
			new Promise<string>((resolveRun, reject) => {
				const env = { ...process.env, FLEETSCOPE_CACHE_DIR: cache, FLEETSCOPE_COMPILE_CACHE: 'debug' };
				// Stdin closed at once: the server starts, sees the end of its input and exits.
				const child = spawn(process.execPath, [resolve('dist/server.js'), '--stdio'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
				let stderr = '';
				child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
				child.on('error', reject);
				child.on('close', () => resolveRun(stderr));
			});
		const first = await start();
		const second = await start();
		assert.doesNotMatch(first + second, /unrecognized flag|bad option/i);
		assert.match(first, /compile cache: none/);
		assert.match(second, /compile cache: used/, second);
	} finally {
		rmSync(cache, { recursive: true, force: true });
	}
});

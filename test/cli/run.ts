import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/**
 * Test helpers for the CLI: build dist/cli.js when stale (the LSP tests' script and lock, so
 * parallel test files build once), run it as a child process, and write fixture repositories.
 */

export const CLI = resolve('dist/cli.js');

export function ensureCliBuilt(): void {
	const args = ['test/lsp/build-if-stale.mjs', 'dist/cli.js', 'dist/server.js'];
	const r = existsSync('/usr/bin/flock')
		? spawnSync('flock', ['/tmp/fleetscope-lsp-test-build.lock', process.execPath, ...args], { stdio: 'inherit' })
		: spawnSync(process.execPath, args, { stdio: 'inherit' });
	if (r.status !== 0) throw new Error('building dist/cli.js failed');
}

export interface CliRun {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
}

/** Runs `node dist/cli.js ...args` in `cwd`; colours are neither forced nor disabled unless `env` says so. */
export function runCli(args: string[], opts: { cwd?: string; env?: Record<string, string | undefined> } = {}): Promise<CliRun> {
	const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, ...opts.env };
	for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
	return new Promise((resolvePromise, reject) => {
		const child = spawn(process.execPath, [CLI, ...args], { cwd: opts.cwd, env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
		const out: Buffer[] = [];
		const err: Buffer[] = [];
		child.stdout.on('data', (d: Buffer) => out.push(d));
		child.stderr.on('data', (d: Buffer) => err.push(d));
		child.on('error', reject);
		child.on('close', (code, signal) => resolvePromise({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
	});
}

/** A temporary repository with these files (text or raw bytes); removed by `dispose`. */
export function tempRepo(files: Record<string, string | Uint8Array>): { root: string; dispose(): void } {
	const root = mkdtempSync(join(tmpdir(), 'fleetscope-cli-'));
	for (const [rel, content] of Object.entries(files)) {
		const file = join(root, ...rel.split('/'));
		mkdirSync(dirname(file), { recursive: true });
		writeFileSync(file, content);
	}
	return { root, dispose: () => rmSync(root, { recursive: true, force: true }) };
}

/** The source text a 1-based region [startColumn, endColumn) covers on one line. */
export function regionText(source: string, line: number, startColumn: number, endColumn: number): string {
	return source.split('\n')[line - 1].slice(startColumn - 1, endColumn - 1);
}

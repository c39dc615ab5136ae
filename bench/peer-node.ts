/**
 * The Node binary that runs yaml-language-server 2.x, which requires Node >= 22.13 while
 * Fleetscope builds, tests and runs on Node 20. Where only the npm registry is reachable, Node 24
 * comes from the npm package `node@24` (its platform package ships the binary), installed once into
 * the same cache directory the end-to-end test uses (`scripts/code-server.mjs`), and reused from the
 * code-server install there when it exists.
 *
 * BENCH_PEER_NODE=FILE picks a binary explicitly.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const PEER_NODE_VERSION = '24.15.0';
const MIN = [22, 13];

function satisfies(version: string): boolean {
	const [major, minor] = version.replace(/^v/, '').split('.').map(Number);
	return major > MIN[0] || (major === MIN[0] && minor >= MIN[1]);
}

function cacheRoot(): string {
	if (process.env.FLEETSCOPE_CACHE_DIR) return process.env.FLEETSCOPE_CACHE_DIR;
	return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'fleetscope');
}

/** `node` is a thin wrapper package: the binary is in its platform package. */
const binIn = (prefix: string) => join(prefix, 'node_modules', 'node', 'node_modules', `node-${process.platform}-${process.arch}`, 'bin', 'node');

function versionOf(bin: string): string | undefined {
	const r = spawnSync(bin, ['--version'], { encoding: 'utf8' });
	return r.status === 0 ? r.stdout.trim() : undefined;
}

/** A Node binary new enough for yaml-language-server 2.x, installing Node 24 into the cache if needed. */
export function peerNode(log: (s: string) => void): { bin: string; version: string } {
	const candidates = [process.env.BENCH_PEER_NODE, process.execPath, binIn(join(cacheRoot(), `node-${PEER_NODE_VERSION}`))];
	// The end-to-end test's code-server install holds a Node 24 too.
	if (existsSync(cacheRoot())) for (const d of readdirSync(cacheRoot())) if (d.startsWith('code-server-')) candidates.push(binIn(join(cacheRoot(), d, 'node')));
	for (const bin of candidates) {
		if (!bin || !existsSync(bin)) continue;
		const version = versionOf(bin);
		if (version && satisfies(version)) return { bin, version };
	}
	const prefix = join(cacheRoot(), `node-${PEER_NODE_VERSION}`);
	log(`yaml-language-server 2.x needs Node >= ${MIN.join('.')}: installing node@${PEER_NODE_VERSION} from npm into ${prefix}…`);
	mkdirSync(prefix, { recursive: true });
	const r = spawnSync('npm', ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--no-save', `node@${PEER_NODE_VERSION}`], { stdio: 'inherit', timeout: 10 * 60_000 });
	const version = existsSync(binIn(prefix)) ? versionOf(binIn(prefix)) : undefined;
	if (r.status !== 0 || !version) throw new Error(`could not install node@${PEER_NODE_VERSION} (set BENCH_PEER_NODE to a Node >= ${MIN.join('.')} binary)`);
	return { bin: binIn(prefix), version };
}

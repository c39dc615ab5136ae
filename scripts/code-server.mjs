// code-server (real VS Code in the browser) for the E2E test and `npm start`, installed on demand.
//
// Why not a project dependency: code-server and its native modules are ~600 MB and need Node 24,
// while the extension builds and tests on Node 20. So it lives in a cache directory outside the
// project's dependency tree, next to a Node 24 binary taken from the npm package `node@24`
// (the only way to get Node 24 where only the npm registry is reachable). That package also
// ships Node's headers (include/node), which node-gyp needs to build code-server's native
// modules against Node 24 without downloading anything.
//
// Cache: $FLEETSCOPE_CACHE_DIR, else ${XDG_CACHE_HOME:-~/.cache}/fleetscope, holding
// code-server-<version>-node-<version>/ (complete installs only: it is built in a temporary
// sibling directory and renamed into place once code-server answers `--version`).
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { processGroup } from './process-group.mjs';

/** Pinned versions: bump both together and run `npm run test:e2e`. */
export const CODE_SERVER_VERSION = '4.139.1';
export const NODE_VERSION = '24.15.0';

/** Native modules that must have been built for code-server to work (a skipped install script leaves them missing). */
const NATIVE_MODULES = [
	'lib/vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node',
	'lib/vscode/node_modules/@vscode/sqlite3/build/Release/vscode-sqlite3.node',
	'lib/vscode/node_modules/kerberos/build/Release/kerberos.node',
];

/** The cache directory for Fleetscope's on-demand tools. */
export function cacheRoot() {
	if (process.env.FLEETSCOPE_CACHE_DIR) return process.env.FLEETSCOPE_CACHE_DIR;
	const xdg = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
	return join(xdg, 'fleetscope');
}

/** Where one pinned code-server + Node pair lives. */
export function installDir() {
	return join(cacheRoot(), `code-server-${CODE_SERVER_VERSION}-node-${NODE_VERSION}`);
}

function layout(dir) {
	// `node` is a thin wrapper package; the real binary and headers are in its platform package.
	const nodeHome = join(dir, 'node', 'node_modules', 'node', 'node_modules', `node-${process.platform}-${process.arch}`);
	const codeServer = join(dir, 'code-server', 'node_modules', 'code-server');
	return { dir, nodeHome, node: join(nodeHome, 'bin', 'node'), codeServer, entry: join(codeServer, 'out', 'node', 'entry.js') };
}

function isComplete(l) {
	return existsSync(join(l.dir, '.complete')) && existsSync(l.node) && existsSync(l.entry) && NATIVE_MODULES.every((m) => existsSync(join(l.codeServer, m)));
}

/** Settings a user may set on purpose through the environment; they are passed on to our npm installs. */
const KEPT_NPM_ENV = new Set(['npm_config_cache', 'npm_config_registry', 'npm_config_userconfig', 'npm_config_globalconfig', 'npm_config_cafile', 'npm_config_proxy', 'npm_config_https_proxy', 'npm_config_noproxy', 'npm_config_strict_ssl']);

/**
 * The environment without what `npm run` exports for its script (npm_config_user_agent with the
 * outer Node version, prefixes, the package's own fields...): inherited, these would make the nested
 * installs act for the project (code-server's postinstall would even see Node 20 in the user agent).
 */
function cleanNpmEnv(env) {
	const out = {};
	for (const [k, v] of Object.entries(env)) {
		const lower = k.toLowerCase();
		if ((lower.startsWith('npm_') && !KEPT_NPM_ENV.has(lower)) || k === 'INIT_CWD' || k === 'NODE') continue;
		out[k] = v;
	}
	return out;
}

function run(cmd, args, opts, log) {
	log(`$ ${[cmd, ...args].join(' ')}`);
	// A hung registry download must not eat a CI job's whole budget.
	const r = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], timeout: 30 * 60_000, killSignal: 'SIGKILL', ...opts });
	if (r.error) throw new Error(`${cmd} ${args.join(' ')}: ${r.error.message}`);
	if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status ?? r.signal}`);
}

/**
 * Returns code-server's Node binary and entry script, installing both into the cache first if needed.
 * A cold install takes several minutes (native modules are compiled); later calls return at once.
 * @param {{ log?: (line: string) => void }} [options]
 * @returns {{ node: string, entry: string, dir: string, env: NodeJS.ProcessEnv }}
 */
export function ensureCodeServer({ log = (l) => console.error(l) } = {}) {
	const final = layout(installDir());
	if (!isComplete(final)) {
		if (process.platform !== 'linux') throw new Error('the on-demand code-server install is written for Linux');
		const started = Date.now();
		log(`Installing code-server ${CODE_SERVER_VERSION} with Node ${NODE_VERSION} into ${final.dir} (once; a few minutes)...`);
		mkdirSync(cacheRoot(), { recursive: true });
		const tmp = `${final.dir}.partial-${process.pid}`;
		rmSync(tmp, { recursive: true, force: true });
		try {
			installInto(tmp, log);
		} catch (e) {
			// A failed install leaves nothing behind (hundreds of MB); an interrupted one is removed by the next preflight.
			rmSync(tmp, { recursive: true, force: true });
			throw e;
		}
		if (existsSync(final.dir)) {
			// Another run finished first (or a broken install was left behind): keep a complete one.
			if (isComplete(final)) rmSync(tmp, { recursive: true, force: true });
			else {
				rmSync(final.dir, { recursive: true, force: true });
				renameSync(tmp, final.dir);
			}
		} else renameSync(tmp, final.dir);
		log(`code-server installed in ${Math.round((Date.now() - started) / 1000)} s.`);
	}
	return { node: final.node, entry: final.entry, dir: final.dir, env: { ...process.env, PATH: `${join(final.nodeHome, 'bin')}:${process.env.PATH}` } };
}

/** Installs Node 24 and code-server into `tmp` and checks that code-server starts; throws on any failure. */
function installInto(tmp, log) {
	const l = layout(tmp);
	for (const sub of ['node', 'code-server']) {
		mkdirSync(join(tmp, sub), { recursive: true });
		writeFileSync(join(tmp, sub, 'package.json'), '{ "private": true }\n');
	}
	// code-server is useless without its install scripts (Node's preinstall fetches the binary;
	// code-server's postinstall runs `npm install` in lib/vscode, which builds the native modules).
	// npm 11 runs scripts it has not reviewed with a warning, but `strict-allow-scripts` (or a
	// future default) would skip or refuse them, also in that nested install, which no
	// package.json `allowScripts` of ours reaches: the environment does. Only for this install.
	const base = { ...cleanNpmEnv(process.env), npm_config_dangerously_allow_all_scripts: 'true' };
	const npmFlags = ['--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--foreground-scripts', '--loglevel=warn'];
	// 1. Node 24 (its preinstall script pulls the platform package with the binary and headers).
	run('npm', ['install', '--prefix', join(tmp, 'node'), ...npmFlags, `node@${NODE_VERSION}`], { env: base }, log);
	if (!existsSync(l.node)) throw new Error(`node@${NODE_VERSION} installed no binary at ${l.node} (were install scripts skipped?)`);
	// 2. code-server, with npm itself running on Node 24 (code-server's postinstall checks the
	// version in npm's user agent) and node-gyp building against Node 24's bundled headers
	// (the machine's ~/.npmrc may point nodedir at the system Node 20).
	const env = { ...base, PATH: `${join(l.nodeHome, 'bin')}:${process.env.PATH}`, npm_config_nodedir: l.nodeHome };
	run('npm', ['install', '--prefix', join(tmp, 'code-server'), ...npmFlags, `code-server@${CODE_SERVER_VERSION}`], { env }, log);
	const missing = NATIVE_MODULES.filter((m) => !existsSync(join(l.codeServer, m)));
	if (missing.length) throw new Error(`code-server's native modules were not built (${missing.join(', ')}): were its install scripts skipped?`);
	// An explicit --config: without one, code-server writes ~/.config/code-server/config.yaml.
	const version = spawnSync(l.node, [l.entry, '--config', join(tmp, 'code-server.yaml'), '--version'], { encoding: 'utf8' });
	if (version.status !== 0 || !version.stdout.includes(CODE_SERVER_VERSION)) throw new Error(`code-server does not start: ${version.stderr || version.stdout}`);
	writeFileSync(join(tmp, '.complete'), `${version.stdout.trim()}\n`);
}

/** Resolves a free TCP port on 127.0.0.1, trying `preferred` first (then the next ones up to +20, then any). */
export async function freePort(preferred = 0) {
	const tryPort = (port) =>
		new Promise((resolve) => {
			const srv = createServer();
			srv.once('error', () => resolve(undefined));
			srv.listen(port, '127.0.0.1', () => {
				const { port: p } = srv.address();
				srv.close(() => resolve(p));
			});
		});
	if (preferred) {
		for (let p = preferred; p <= preferred + 20; p++) {
			const got = await tryPort(p);
			if (got) return got;
		}
	}
	return tryPort(0);
}

/**
 * Installs a .vsix into an extensions directory with code-server's own CLI.
 * @param {{ node: string, entry: string, env: NodeJS.ProcessEnv }} cs
 */
export function installExtension(cs, vsix, { extensionsDir, userDataDir, log = (l) => console.error(l) }) {
	mkdirSync(extensionsDir, { recursive: true });
	mkdirSync(userDataDir, { recursive: true });
	const config = join(userDataDir, 'code-server.yaml');
	if (!existsSync(config)) writeFileSync(config, 'auth: none\ncert: false\n');
	// --config here too: without it code-server writes ~/.config/code-server/config.yaml.
	run(cs.node, [cs.entry, '--config', config, '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir, '--install-extension', vsix, '--force'], { env: cs.env }, log);
}

/**
 * Writes VS Code user settings for a quiet session: no trust prompt, welcome page, walkthroughs,
 * telemetry or update checks.
 */
export function writeUserSettings(userDataDir, extra = {}) {
	const dir = join(userDataDir, 'User');
	mkdirSync(dir, { recursive: true });
	const file = join(dir, 'settings.json');
	let current = {};
	if (existsSync(file)) {
		try {
			current = JSON.parse(readFileSync(file, 'utf8'));
		} catch {
			// A hand-edited file with comments: leave the user's file alone.
			return;
		}
	}
	const settings = {
		'security.workspace.trust.enabled': false,
		'workbench.startupEditor': 'none',
		'workbench.welcomePage.walkthroughs.openOnInstall': false,
		'workbench.tips.enabled': false,
		'telemetry.telemetryLevel': 'off',
		'update.mode': 'none',
		'extensions.autoCheckUpdates': false,
		'extensions.autoUpdate': false,
		'extensions.ignoreRecommendations': true,
		'chat.disableAIFeatures': true,
		'workbench.secondarySideBar.defaultVisibility': 'hidden',
		'git.openRepositoryInParentFolders': 'never',
		...extra,
		...current,
	};
	writeFileSync(file, `${JSON.stringify(settings, null, '\t')}\n`);
}

/**
 * Starts code-server on 127.0.0.1:port in its own process group and resolves once it answers /healthz.
 * Its output is kept in memory, or appended to `logFile` when given (for long-running sessions).
 * `extraArgs` go to code-server as they are (e.g. `--vscode-option enable-smoke-test-driver`, which
 * lets a window run an extension-host test suite: test/extension-host/code-server-host.mjs).
 * @returns {Promise<{ url: string, child: import('node:child_process').ChildProcess, stop: () => Promise<void>, exit: Promise<number | string>, output: () => string }>}
 */
export async function startCodeServer(cs, { port, folder, userDataDir, extensionsDir, logFile, log = (l) => console.error(l), timeoutMs = 120_000, extraArgs = [] }) {
	const configFile = join(userDataDir, 'code-server.yaml');
	mkdirSync(userDataDir, { recursive: true });
	// An explicit config file, so code-server never writes ~/.config/code-server/config.yaml with a password.
	writeFileSync(configFile, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
	const args = [
		cs.entry,
		'--config', configFile,
		'--bind-addr', `127.0.0.1:${port}`,
		'--auth', 'none',
		'--user-data-dir', userDataDir,
		'--extensions-dir', extensionsDir,
		'--disable-telemetry',
		'--disable-update-check',
		'--disable-workspace-trust',
		'--disable-getting-started-override',
		'--ignore-last-opened',
		...extraArgs,
		folder,
	];
	log(`$ ${cs.node} ${args.join(' ')}`);
	const fd = logFile ? openSync(logFile, 'a') : undefined;
	const child = spawn(cs.node, args, { env: cs.env, detached: true, stdio: ['ignore', fd ?? 'pipe', fd ?? 'pipe'] });
	if (fd !== undefined) closeSync(fd);
	let captured = '';
	if (fd === undefined) {
		child.stdout.on('data', (d) => (captured += d));
		child.stderr.on('data', (d) => (captured += d));
	}
	const output = () => (logFile ? readFileSync(logFile, 'utf8') : captured);
	const { exit, exited, stop } = processGroup(child);
	const url = `http://127.0.0.1:${port}`;
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (exited()) throw new Error(`code-server exited before it was ready:\n${output().slice(-4000)}`);
		try {
			const res = await fetch(`${url}/healthz`);
			if (res.ok) break;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) {
			await stop();
			throw new Error(`code-server did not answer ${url}/healthz within ${timeoutMs / 1000} s:\n${output().slice(-4000)}`);
		}
		await Promise.race([exit, new Promise((r) => setTimeout(r, 250))]);
	}
	return { url, child, stop, exit, output };
}

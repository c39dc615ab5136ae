// The preflight of `npm start` and `npm test`: in a few seconds, before any long step, find what the
// machine lacks and install it, or say exactly how to. Uses Node built-ins only (it runs before
// `npm install`).
//
//   node scripts/preflight.mjs start   what `npm start` needs: Node 20+, npm packages, and, until
//                                      code-server is installed in the cache, what builds its native
//                                      modules (compilers, headers)
//   node scripts/preflight.mjs test    the same, plus Chromium and git (the end-to-end test, the tests
//                                      that run real git)
//
// Debian packages are installed with apt-get when that can run without a prompt (root, or
// passwordless sudo); otherwise one message names the exact command, and the command fails before
// anything long starts. Partial code-server installs left by an interrupted run are removed.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const log = (line) => console.log(`[preflight] ${line}`);

/** What builds code-server's native modules (kerberos, native-keymap, keytar, spdlog, sqlite3...). */
export const BUILD_PACKAGES = ['libkrb5-dev', 'libx11-dev', 'libxkbfile-dev', 'libsecret-1-dev', 'pkg-config', 'python3', 'make', 'g++'];
/** What the tests need besides: the browser of the end-to-end test, git for the tests that run it. */
export const TEST_PACKAGES = ['chromium', 'git'];

/** The cache directory of code-server (as scripts/code-server.mjs has it). */
function cacheRoot() {
	if (process.env.FLEETSCOPE_CACHE_DIR) return process.env.FLEETSCOPE_CACHE_DIR;
	return join(process.env.XDG_CACHE_HOME || join(process.env.HOME || '/root', '.cache'), 'fleetscope');
}

/** Whether a complete code-server install is in the cache (then nothing has to be built). */
function codeServerInstalled() {
	const dir = cacheRoot();
	if (!existsSync(dir)) return false;
	const pinned = readFileSync(join(ROOT, 'scripts', 'code-server.mjs'), 'utf8');
	const version = /CODE_SERVER_VERSION = '([^']+)'/.exec(pinned)?.[1];
	const node = /NODE_VERSION = '([^']+)'/.exec(pinned)?.[1];
	return existsSync(join(dir, `code-server-${version}-node-${node}`, '.complete'));
}

/** Removes `code-server-*.partial-PID` directories whose process is gone (an interrupted install). */
export function removeStalePartials(dir = cacheRoot()) {
	if (!existsSync(dir)) return [];
	const removed = [];
	for (const name of readdirSync(dir)) {
		const m = /\.partial-(\d+)$/.exec(name);
		if (!m) continue;
		let alive = false;
		try {
			process.kill(Number(m[1]), 0);
			alive = true;
		} catch (e) {
			alive = e.code === 'EPERM';
		}
		if (alive) continue;
		rmSync(join(dir, name), { recursive: true, force: true });
		removed.push(name);
	}
	return removed;
}

/**
 * Why node_modules needs `npm install`, or undefined when it matches package.json and package-lock.json.
 * npm records what it installed in node_modules/.package-lock.json: every non-optional package of the
 * lock must be there at the locked version (optional ones are platform binaries, absent by design).
 */
export function installNeeded(root = ROOT) {
	const read = (rel) => JSON.parse(readFileSync(join(root, rel), 'utf8'));
	if (!existsSync(join(root, 'node_modules', '.package-lock.json'))) return 'node_modules is missing';
	try {
		const manifest = read('package.json');
		const lock = read('package-lock.json');
		const installed = read('node_modules/.package-lock.json').packages ?? {};
		const declared = { ...manifest.dependencies, ...manifest.devDependencies };
		const locked = { ...lock.packages?.['']?.dependencies, ...lock.packages?.['']?.devDependencies };
		for (const [name, range] of Object.entries(declared)) {
			if (locked[name] !== range) return `package.json asks for ${name}@${range}, package-lock.json has not caught up`;
		}
		for (const [key, entry] of Object.entries(lock.packages ?? {})) {
			if (!key.startsWith('node_modules/') || entry.optional) continue;
			const have = installed[key];
			if (!have || have.version !== entry.version) return `${key.slice('node_modules/'.length)}@${entry.version} is not installed`;
		}
	} catch (e) {
		return `cannot compare node_modules with package-lock.json (${e instanceof Error ? e.message : e})`;
	}
	return undefined;
}

const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

/** The Debian packages of `wanted` that are not installed (dpkg's own answer; one call for all). */
function missingDebianPackages(wanted) {
	const r = spawnSync('dpkg-query', ['-W', '-f=${Package} ${Status}\\n', ...wanted], { encoding: 'utf8' });
	const installed = new Set((r.stdout ?? '').split('\n').filter((l) => / install ok installed$/.test(l)).map((l) => l.split(' ')[0]));
	return wanted.filter((p) => !installed.has(p));
}

/** What runs apt-get without a prompt: nothing (root), `sudo -n`, or undefined (it would prompt). */
function privilege() {
	if (process.getuid?.() === 0) return [];
	if (has('sudo') && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0) return ['sudo', '-n'];
	return undefined;
}

function aptInstall(packages, prefix) {
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	const run = (args) => {
		const [cmd, ...rest] = [...prefix, ...args];
		const r = spawnSync(cmd, rest, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
		if (r.status !== 0) throw new Error(`${[...prefix, ...args].join(' ')} failed:\n${`${r.stdout}${r.stderr}`.trim().split('\n').slice(-20).join('\n')}`);
	};
	log(`installing ${packages.join(' ')} with apt-get (${prefix.length === 0 ? 'as root' : 'sudo -n'})...`);
	run(['apt-get', 'update', '-qq']);
	run(['apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...packages]);
	log(`installed ${packages.join(' ')}`);
}

/** Checks (and installs) what `purpose` needs; returns the problems left, each with what to do. */
export function preflight(purpose) {
	const started = Date.now();
	const problems = [];
	const [major] = process.versions.node.split('.').map(Number);
	if (major < 20) problems.push(`Node ${process.versions.node} is too old: Fleetscope needs Node 20 or later (https://nodejs.org, or your distribution's nodejs package).`);
	const removed = removeStalePartials();
	for (const r of removed) log(`removed the partial code-server install ${join(cacheRoot(), r)} of an interrupted run`);
	const wanted = [...(codeServerInstalled() ? [] : BUILD_PACKAGES), ...(purpose === 'test' ? TEST_PACKAGES : [])];
	const chromiumElsewhere = process.env.CHROMIUM_PATH && existsSync(process.env.CHROMIUM_PATH);
	const needed = wanted.filter((p) => !(p === 'chromium' && chromiumElsewhere));
	if (needed.length > 0) {
		if (has('dpkg-query') && has('apt-get')) {
			const missing = missingDebianPackages(needed);
			if (missing.length > 0) {
				const prefix = privilege();
				const why = `${purpose === 'test' ? 'npm test' : 'npm start'} needs ${missing.join(', ')}${missing.some((p) => BUILD_PACKAGES.includes(p)) ? ' (code-server\'s native modules are compiled once, on its first install)' : ''}`;
				if (prefix) {
					try {
						aptInstall(missing, prefix);
					} catch (e) {
						problems.push(`${why}, and installing them failed: ${e.message}`);
					}
				} else problems.push(`${why}. Install them with:\n\n    sudo apt-get install -y ${missing.join(' ')}\n`);
			}
		} else {
			// Not Debian or Ubuntu: name the tools, not the packages.
			const tools = { 'pkg-config': 'pkg-config', python3: 'python3', make: 'make', 'g++': 'g++', chromium: 'chromium', git: 'git' };
			const lacking = needed.filter((p) => p in tools && !has(tools[p]) && !(p === 'chromium' && (has('chromium-browser') || chromiumElsewhere)));
			if (lacking.length > 0 || needed.some((p) => p.endsWith('-dev'))) {
				problems.push(`This is not a Debian or Ubuntu system, so nothing is installed for you. ${purpose === 'test' ? 'npm test' : 'npm start'} needs ${[...lacking, ...needed.filter((p) => p.endsWith('-dev'))].join(', ')} (Debian names; the Kerberos, X11, xkbfile and libsecret development headers) and, for the end-to-end test, Chromium (set CHROMIUM_PATH).`);
			}
		}
	}
	const npmWhy = installNeeded();
	if (npmWhy && problems.length === 0) {
		log(`installing npm packages: ${npmWhy}`);
		const r = spawnSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: ROOT, stdio: 'inherit' });
		if (r.status !== 0) problems.push('npm install failed (see above).');
	}
	if (problems.length === 0) log(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
	return problems;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	const purpose = process.argv[2] === 'test' ? 'test' : 'start';
	const problems = preflight(purpose);
	if (problems.length > 0) {
		console.error(`\n[preflight] ${purpose === 'test' ? 'npm test' : 'npm start'} cannot start yet:\n\n${problems.map((p) => `  - ${p}`).join('\n')}`);
		process.exit(1);
	}
}

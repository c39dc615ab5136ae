// `npm start`: the demo. On a fresh clone it installs what is missing (npm packages; code-server
// with its own Node 24 into the cache, once), builds and packages the extension, installs the VSIX
// into a demo profile, and opens the example fleet repository in real VS Code in the browser
// (code-server on 127.0.0.1, port 8080 or the next free one). Runs until Ctrl+C.
//
// Env: PORT (first port to try, default 8080), FLEETSCOPE_DEMO_FOLDER (folder to open instead of
// examples/fleet), FLEETSCOPE_CACHE_DIR / XDG_CACHE_HOME (where code-server and the demo profile live).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheRoot, ensureCodeServer, freePort, installExtension, startCodeServer, writeUserSettings } from './code-server.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const log = (line) => console.log(`[fleetscope] ${line}`);

function sh(cmd, args) {
	log(`$ ${cmd} ${args.join(' ')}`);
	const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit' });
	if (r.status !== 0) {
		log(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal}).`);
		process.exit(1);
	}
}

function demoFolder() {
	if (process.env.FLEETSCOPE_DEMO_FOLDER) return resolve(process.env.FLEETSCOPE_DEMO_FOLDER);
	for (const candidate of ['examples/fleet', 'examples']) {
		if (existsSync(join(ROOT, candidate))) return join(ROOT, candidate);
	}
	return ROOT;
}

/**
 * Why node_modules needs `npm install`, or undefined when it matches package.json and package-lock.json.
 * npm records what it installed in node_modules/.package-lock.json: every non-optional package of the
 * lock must be there at the locked version (optional ones are platform binaries, absent by design).
 */
function installNeeded() {
	const read = (rel) => JSON.parse(readFileSync(join(ROOT, rel), 'utf8'));
	if (!existsSync(join(ROOT, 'node_modules', '.package-lock.json'))) return 'node_modules is missing';
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

async function main() {
	const why = installNeeded();
	if (why) {
		log(`Installing npm packages: ${why}.`);
		sh('npm', ['install', '--no-audit', '--no-fund']);
	}
	let cs;
	try {
		cs = ensureCodeServer({ log });
	} catch (e) {
		log(`Could not install code-server: ${e instanceof Error ? e.message : e}`);
		log('On Debian/Ubuntu its native modules need: apt-get install -y libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config python3 make g++');
		process.exit(1);
	}
	sh('npm', ['run', 'package']);

	// A persistent demo profile, so VS Code remembers layout and open editors between runs.
	const demo = join(cacheRoot(), 'demo');
	const userDataDir = join(demo, 'user-data');
	const extensionsDir = join(demo, 'extensions');
	mkdirSync(demo, { recursive: true });
	writeUserSettings(userDataDir);
	installExtension(cs, join(ROOT, 'fleetscope.vsix'), { extensionsDir, userDataDir, log });

	const folder = demoFolder();
	const port = await freePort(Number(process.env.PORT) || 8080);
	const logFile = join(demo, 'code-server.log');
	const server = await startCodeServer(cs, { port, folder, userDataDir, extensionsDir, logFile, log });
	const url = `${server.url}/?folder=${encodeURIComponent(folder)}`;
	const bar = '='.repeat(Math.min(100, url.length + 4));
	console.log(`\n${bar}\n  Fleetscope demo: VS Code with Fleetscope, opened on ${folder}\n\n  ${url}\n\n  (code-server log: ${logFile}; Ctrl+C stops)\n${bar}\n`);

	let stopping = false;
	const stop = async (why) => {
		if (stopping) return;
		stopping = true;
		log(`${why}: stopping code-server...`);
		await server.stop();
		process.exit(0);
	};
	for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => void stop(sig));
	const code = await server.exit;
	if (!stopping) {
		log(`code-server exited on its own (${code}); see ${logFile}.`);
		process.exit(1);
	}
}

main().catch((e) => {
	log(e instanceof Error ? e.message : String(e));
	process.exit(1);
});

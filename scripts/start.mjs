// `npm start`: the demo, after scripts/preflight.mjs (Node, Debian packages, npm packages). On a fresh
// clone it installs what is missing (npm packages; code-server
// with its own Node 24 into the cache, once), builds and packages the extension, installs the VSIX
// into a demo profile, starts two simulated clusters for the example fleet (kube-sim: staging-eu-west-1
// on Kubernetes 1.35, prod-us-east-1 on 1.27, see tools/kube-sim/fixtures) with a kubeconfig of their
// own, and opens the example fleet repository in real VS Code in the browser (code-server on
// 127.0.0.1, port 8080 or the next free one), whose language server reads that kubeconfig, so live
// diagnostics show up at once. Runs until Ctrl+C, which stops code-server and the clusters.
//
// Env: PORT (first port to try, default 8080), FLEETSCOPE_DEMO_FOLDER (folder to open instead of
// examples/fleet; the simulated clusters are then not started and your own KUBECONFIG is used),
// FLEETSCOPE_CACHE_DIR / XDG_CACHE_HOME (where code-server and the demo profile live).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheRoot, ensureCodeServer, freePort, installExtension, startCodeServer, writeUserSettings } from './code-server.mjs';
import { startSimulatedClusters } from './kube-sim.mjs';
import { installNeeded } from './preflight.mjs';

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
	// The example fleet's Fleet file names EKS contexts; the simulated clusters answer for staging and
	// for prod-us-east-1 (production.yaml's planted differences are written against its claim).
	let sims;
	let server;
	let env = cs.env;
	let stopping = false;
	// Registered before anything is started: the clusters and code-server run in process groups of
	// their own, which a Ctrl+C in the terminal does not reach.
	const stop = async (why) => {
		if (stopping) return;
		stopping = true;
		log(`${why}: stopping code-server${sims ? ' and the simulated clusters' : ''}...`);
		await Promise.all([server?.stop(), sims?.stop()]);
		process.exit(0);
	};
	for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => void stop(sig));
	if (folder === join(ROOT, 'examples', 'fleet')) {
		sims = await startSimulatedClusters({
			fixtures: ['staging', 'production'].map((f) => join(ROOT, 'tools', 'kube-sim', 'fixtures', `${f}.yaml`)),
			kubeconfig: join(demo, 'kubeconfig'),
			log,
		});
		// The demo's own kubeconfig and live-state cache: your ~/.kube/config and cache are left alone.
		env = { ...cs.env, KUBECONFIG: sims.kubeconfig, FLEETSCOPE_CACHE_DIR: demo };
		void sims.exit.then((code) => !stopping && log(`the simulated clusters exited (${code}): live diagnostics now come from the cache. Output:\n${sims.output().slice(-2000)}`));
	}
	const port = await freePort(Number(process.env.PORT) || 8080);
	const logFile = join(demo, 'code-server.log');
	try {
		server = await startCodeServer({ ...cs, env }, { port, folder, userDataDir, extensionsDir, logFile, log });
	} catch (e) {
		await sims?.stop();
		throw e;
	}
	const url = `${server.url}/?folder=${encodeURIComponent(folder)}`;
	const bar = '='.repeat(Math.min(100, url.length + 4));
	const clusters = sims ? `\n\n  Simulated clusters (kubeconfig ${sims.kubeconfig}):\n${sims.clusters.map((c) => `    ${c.name} at ${c.url}`).join('\n')}` : '';
	console.log(`\n${bar}\n  Fleetscope demo: VS Code with Fleetscope, opened on ${folder}\n\n  ${url}${clusters}\n\n  (code-server log: ${logFile}; Ctrl+C stops)\n${bar}\n`);

	const code = await server.exit;
	if (!stopping) {
		log(`code-server exited on its own (${code}); see ${logFile}.`);
		await sims?.stop();
		process.exit(1);
	}
}

main().catch((e) => {
	log(e instanceof Error ? e.message : String(e));
	process.exit(1);
});

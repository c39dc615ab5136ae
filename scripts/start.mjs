// `npm start`: the demo, after scripts/preflight.mjs (Node, Debian packages, npm packages). On a fresh
// clone it installs what is missing (npm packages; code-server
// with its own Node 24 into the cache, once), builds and packages the extension, installs the VSIX
// into a demo profile, starts two simulated clusters for the example fleet (kube-sim: staging-eu-west-1
// on Kubernetes 1.35, prod-us-east-1 on 1.27, see tools/kube-sim/fixtures) with a kubeconfig of their
// own, and opens the example fleet repository in real VS Code in the browser (code-server on
// 127.0.0.1, port 8080 or the next free one), whose language server reads that kubeconfig, so live
// diagnostics show up at once. The folder opened is a fresh copy of examples/fleet in the demo
// profile, with a git history and a bare remote of its own, and a GitHub API simulator on 127.0.0.1
// receives its promotion pull requests (scripts/demo-fleet.mjs): `Fleetscope: Promote...` runs end
// to end. Runs until Ctrl+C, which stops code-server, the clusters and the simulator.
//
// Env: PORT (first port to try, default 8080), FLEETSCOPE_DEMO_FOLDER (folder to open instead of
// the example fleet; the simulators are then not started and your own KUBECONFIG is used),
// FLEETSCOPE_CACHE_DIR / XDG_CACHE_HOME (where code-server and the demo profile live).
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheRoot, ensureCodeServer, freePort, installExtension, startCodeServer, writeUserSettings } from './code-server.mjs';
import { prepareDemoFleet, startGitHubSimulator } from './demo-fleet.mjs';
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

	const own = process.env.FLEETSCOPE_DEMO_FOLDER ? resolve(process.env.FLEETSCOPE_DEMO_FOLDER) : undefined;
	// The example fleet's Fleet file names EKS contexts; the simulated clusters answer for staging and
	// for prod-us-east-1 (production.yaml's planted differences are written against its claim).
	let sims;
	let github;
	let server;
	let env = cs.env;
	let stopping = false;
	// Registered before anything is started: the clusters and code-server run in process groups of
	// their own, which a Ctrl+C in the terminal does not reach.
	const stop = async (why) => {
		if (stopping) return;
		stopping = true;
		log(`${why}: stopping code-server${sims ? ', the simulated clusters and the GitHub simulator' : ''}...`);
		await Promise.all([server?.stop(), sims?.stop(), github?.stop()]);
		process.exit(0);
	};
	for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => void stop(sig));
	let folder = own;
	if (!own) {
		folder = prepareDemoFleet({ source: join(ROOT, 'examples', 'fleet'), dir: join(demo, 'repository'), log }).folder;
		github = await startGitHubSimulator({ log, onRequest: (line) => log(`GitHub simulator: ${line}`) });
		try {
			sims = await startSimulatedClusters({
				fixtures: ['staging', 'production'].map((f) => join(ROOT, 'tools', 'kube-sim', 'fixtures', `${f}.yaml`)),
				kubeconfig: join(demo, 'kubeconfig'),
				gitDir: folder,
				log,
			});
		} catch (e) {
			await github.stop();
			throw e;
		}
		// The demo's own kubeconfig and live-state cache: your ~/.kube/config and cache are left alone.
		env = { ...cs.env, KUBECONFIG: sims.kubeconfig, FLEETSCOPE_CACHE_DIR: demo, GITHUB_API_URL: github.url };
		void sims.exit.then((code) => !stopping && log(`the simulated clusters exited (${code}): live diagnostics now come from the cache. Output:\n${sims.output().slice(-2000)}`));
	}
	const port = await freePort(Number(process.env.PORT) || 8080);
	const logFile = join(demo, 'code-server.log');
	try {
		server = await startCodeServer({ ...cs, env }, { port, folder, userDataDir, extensionsDir, logFile, log });
	} catch (e) {
		await Promise.all([sims?.stop(), github?.stop()]);
		throw e;
	}
	const url = `${server.url}/?folder=${encodeURIComponent(folder)}`;
	const bar = '='.repeat(Math.min(100, url.length + 4));
	const clusters = sims ? `\n\n  Simulated clusters (kubeconfig ${sims.kubeconfig}):\n${sims.clusters.map((c) => `    ${c.name} at ${c.url}`).join('\n')}` : '';
	const promotion = github
		? `\n\n  Promotion: orders-api is behind in production. Run "Fleetscope: Promote..." (or the Promotion view's\n  inline action). The live gate stops it: the simulated staging cluster reports its apps Kustomization failing;\n  override it with a reason to go on. The pull request goes to the GitHub simulator at ${github.url}.\n  When asked for a token, choose "Enter a token" and paste: ${github.token}\n  (${folder} is a fresh copy of examples/fleet at every start; its remote is a bare repository beside it.)`
		: '';
	console.log(`\n${bar}\n  Fleetscope demo: VS Code with Fleetscope, opened on ${folder}\n\n  ${url}${clusters}${promotion}\n\n  (code-server log: ${logFile}; Ctrl+C stops)\n${bar}\n`);

	const code = await server.exit;
	if (!stopping) {
		log(`code-server exited on its own (${code}); see ${logFile}.`);
		await Promise.all([sims?.stop(), github?.stop()]);
		process.exit(1);
	}
}

main().catch((e) => {
	log(e instanceof Error ? e.message : String(e));
	process.exit(1);
});

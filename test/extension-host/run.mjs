// `npm run test:extension-host`: the explorer's integration tests against the `vscode` API
// (test/extension-host/*.suite.ts), with examples/fleet as the workspace and its two simulated
// clusters (kube-sim) in KUBECONFIG. Two hosts run the same suite:
//   --host electron     VS Code desktop through @vscode/test-electron (downloads VS Code once into
//                       .vscode-test/; on Linux without a display: xvfb-run -a npm run test:extension-host)
//   --host code-server  code-server's extension host, driven by Chromium (what `npm test` uses; the
//                       machines Fleetscope is built on reach only npm and Debian, not VS Code's CDN)
//   --host auto         (default) electron when VS Code can be downloaded, else code-server.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureCodeServer, freePort, startCodeServer, writeUserSettings } from '../../scripts/code-server.mjs';
import { startSimulatedClusters } from '../../scripts/kube-sim.mjs';
import { buildSuite, runSuiteInCodeServer } from './code-server-host.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const FOLDER = join(ROOT, 'examples', 'fleet');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const log = (line) => console.log(`[extension-host] ${line}`);

async function electron(suite, env, tmp) {
	const { downloadAndUnzipVSCode, runTests } = await import('@vscode/test-electron');
	const vscodeExecutablePath = await downloadAndUnzipVSCode({ version: process.env.VSCODE_VERSION || 'stable', timeout: 30_000 });
	return runTests({
		vscodeExecutablePath,
		extensionDevelopmentPath: ROOT,
		extensionTestsPath: suite,
		extensionTestsEnv: env,
		launchArgs: [FOLDER, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes', '--user-data-dir', join(tmp, 'user-data')],
	});
}

async function codeServer(suite, env, tmp) {
	if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
	const { chromium } = await import('playwright-core');
	const cs = ensureCodeServer({ log });
	const userDataDir = join(tmp, 'user-data');
	writeUserSettings(userDataDir);
	const server = await startCodeServer({ ...cs, env: { ...cs.env, ...env } }, { port: await freePort(), folder: FOLDER, userDataDir, extensionsDir: join(tmp, 'extensions'), log, extraArgs: ['--vscode-option', 'enable-smoke-test-driver'] });
	const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
	try {
		const { code, output } = await runSuiteInCodeServer({ browser, serverUrl: server.url, folder: FOLDER, extension: ROOT, suite, log });
		if (code !== 0) log(`code-server output:\n${server.output().slice(-3000)}`);
		return code === 0 && output.length > 0 ? 0 : 1;
	} finally {
		await browser.close();
		await server.stop();
	}
}

async function main() {
	const { values } = parseArgs({ options: { host: { type: 'string', default: 'auto' } } });
	if (!['auto', 'electron', 'code-server'].includes(values.host)) throw new Error(`--host must be auto, electron or code-server, got ${values.host}`);
	if (!existsSync(join(ROOT, 'dist', 'extension.js')) || !existsSync(join(ROOT, 'dist', 'server.js'))) {
		const r = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
		if (r.status !== 0) throw new Error('npm run build failed');
	}
	const suite = await buildSuite(ROOT);
	const tmp = mkdtempSync(join(tmpdir(), 'fleetscope-ext-host-'));
	const sims = await startSimulatedClusters({ fixtures: ['staging', 'production'].map((f) => join(ROOT, 'tools', 'kube-sim', 'fixtures', `${f}.yaml`)), kubeconfig: join(tmp, 'kubeconfig'), log });
	const env = { KUBECONFIG: sims.kubeconfig, FLEETSCOPE_CACHE_DIR: join(tmp, 'cache') };
	try {
		let host = values.host;
		if (host === 'auto') {
			try {
				log('trying VS Code through @vscode/test-electron');
				return await electron(suite, env, tmp);
			} catch (e) {
				log(`VS Code could not be downloaded or started (${e instanceof Error ? e.message.split('\n')[0] : e}): running the suite in code-server's extension host instead`);
				host = 'code-server';
			}
		}
		log(`running in ${host === 'electron' ? 'VS Code through @vscode/test-electron' : "code-server's extension host"}`);
		return host === 'electron' ? await electron(suite, env, tmp) : await codeServer(suite, env, tmp);
	} finally {
		await sims.stop();
		rmSync(tmp, { recursive: true, force: true });
	}
}

main().then(
	(code) => {
		log(code === 0 ? 'passed' : `failed (exit code ${code})`);
		process.exit(code === 0 ? 0 : 1);
	},
	(e) => {
		log(`failed: ${e instanceof Error ? e.stack || e.message : e}`);
		process.exit(1);
	},
);

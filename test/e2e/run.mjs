// End-to-end test in real VS Code: code-server (installed on demand, see scripts/code-server.mjs)
// with the packaged fleetscope.vsix installed, driven in Debian's Chromium by playwright-core.
// It opens a copy of test/fixtures/e2e-repo, opens the file with the planted mistakes through
// Quick Open, and waits until the Problems panel shows Fleetscope's two diagnostics at their
// lines and columns; then it retypes one value in the editor and waits until only the other is left.
// Live case: a simulated production cluster (kube-sim over HTTPS with its own CA, Kubernetes 1.27)
// runs beside code-server, whose language server reads its kubeconfig; a copy of
// test/fixtures/e2e-live-repo, whose Fleet file maps prod-us-east-1 to that context, is opened, and
// the Problems panel must show the live diagnostic naming the cluster at its line. The language server
// the extension starts must run with the V8 options and malloc setting of shared/server-node.ts (/proc).
// Explorer case: examples/fleet with both simulated clusters (staging-eu-west-1, prod-us-east-1): the
// Fleetscope container's Clusters, Promotion and Compliance views, a click that opens a file at its
// line, Render Cluster (test/e2e/explorer.mjs, screenshots in test-results/); then the Drift view with the
// drift planted in prod-us-east-1 and Show Diff (test/e2e/drift.mjs); then the extension-host suite
// (test/extension-host/) runs in code-server's extension host, in another window.
//
// Usage: node test/e2e/run.mjs [--no-package]   (--no-package: reuse an existing fleetscope.vsix)
// Env: E2E_HEADED=1 shows the browser (needs a display); E2E_TIMEOUT_S overrides the 10-minute limit
// of the browser part (the one-time code-server install has its own, longer budget).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { ensureCodeServer, freePort, installExtension, startCodeServer, writeUserSettings } from '../../scripts/code-server.mjs';
import { startSimulatedClusters } from '../../scripts/kube-sim.mjs';
import { buildSuite, runSuiteInCodeServer } from '../extension-host/code-server-host.mjs';
import { checkDrift } from './drift.mjs';
import { checkExplorer } from './explorer.mjs';
import { checkPromotion, promotionFixture } from './promotion.mjs';
import { runCommand } from './workbench.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const FIXTURE = join(ROOT, 'test', 'fixtures', 'e2e-repo');
const LIVE_FIXTURE = join(ROOT, 'test', 'fixtures', 'e2e-live-repo');
/** The explorer case opens the example fleet in place (read only: nothing is edited or saved there). */
const EXAMPLE_FLEET = join(ROOT, 'examples', 'fleet');
const RESULTS = join(ROOT, 'test-results');
const VSIX = join(ROOT, 'fleetscope.vsix');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const TIMEOUT_MS = Number(process.env.E2E_TIMEOUT_S || 600) * 1000;

/** What the test expects: the two planted mistakes of the fixture repo, as the Problems panel shows them. */
const FILE = { name: 'deployment.yaml', relPath: 'apps/web/deployment.yaml' };
const REPLICAS = { message: 'spec.replicas must be an integer, got the string "3"', line: 9, column: 13, code: 'schema-type' };
const TYPO = {
	message: 'spec.template.spec.containers[0].imagePulPolicy is not a field of Container. Did you mean imagePullPolicy?',
	line: 24,
	column: 11,
	code: 'schema-unknown-field',
};

/** The live case: the ExternalSecret's apiVersion, which the simulated production cluster (External Secrets 0.9) does not serve. */
const LIVE_FILE = { name: 'orders-db.yaml', relPath: 'clusters/prod-us-east-1/orders-db.yaml' };
const NOT_SERVED = {
	message: 'external-secrets.io/v1 ExternalSecret is not served by cluster prod-us-east-1 (live), which serves ExternalSecret only as external-secrets.io/v1beta1 and external-secrets.io/v1alpha1.',
	line: 1,
	column: 13,
	code: 'live-api-not-served',
};

const started = Date.now();
const log = (line) => console.log(`[e2e ${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}`);

const cleanups = [];
async function cleanup() {
	while (cleanups.length) {
		const fn = cleanups.pop();
		try {
			await fn();
		} catch (e) {
			log(`cleanup: ${e instanceof Error ? e.message : e}`);
		}
	}
}
let finishing = false;
async function finish(passed, failed) {
	if (finishing) return;
	finishing = true;
	await cleanup();
	console.log(`${passed} passed, ${failed} failed`);
	process.exit(failed === 0 && passed > 0 ? 0 : 1);
}
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
	process.on(sig, () => {
		log(`${sig}: stopping`);
		void finish(0, 1);
	});
}

function sh(cmd, args, opts = {}) {
	log(`$ ${cmd} ${args.join(' ')}`);
	const r = spawnSync(cmd, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'], ...opts });
	if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status ?? r.signal}`);
}

/** The rows of the Problems panel as text, one string per row (file rows and marker rows). */
async function problemRows(page) {
	return page.$$eval('.markers-panel .monaco-list-row', (rows) => rows.map((r) => (r.getAttribute('aria-label') || r.textContent || '').trim()));
}

/** Asserts that exactly one Problems row carries `want.message`: an error from fleetscope with its rule id, at its line and column. */
async function expectRow(panel, rows, want) {
	const ours = rows.filter((r) => r.includes(want.message));
	if (ours.length !== 1) throw new Error(`expected exactly one row with "${want.message}", got ${JSON.stringify(rows)}`);
	// The row's accessible label names the severity and the position in words.
	if (!ours[0].startsWith('Error:') || !ours[0].includes(`at line ${want.line} and character ${want.column}`)) {
		throw new Error(`expected an Error at line ${want.line} and character ${want.column}, got "${ours[0]}"`);
	}
	const text = (await panel.locator('.monaco-list-row', { hasText: want.message }).first().innerText()).replace(/\s+/g, ' ');
	log(`Problems row: ${text}`);
	if (!text.includes(`[Ln ${want.line}, Col ${want.column}]`)) throw new Error(`expected [Ln ${want.line}, Col ${want.column}] in "${text}"`);
	if (!/fleetscope/.test(text) || !text.includes(want.code)) throw new Error(`expected source fleetscope and code ${want.code} in "${text}"`);
}

/** The processes running the installed extension's language server, with their arguments and environment (Linux /proc). */
function serverProcesses(extensionsDir) {
	const found = [];
	for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
		try {
			const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
			if (!args.some((a) => a.startsWith(extensionsDir) && a.endsWith('/dist/server.js'))) continue;
			const env = Object.fromEntries(readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
			found.push({ pid, args, env });
		} catch {
			// The process ended while it was read.
		}
	}
	return found;
}

async function openFile(page, relPath) {
	await page.keyboard.press('Control+P');
	const input = page.locator('.quick-input-widget input');
	await input.waitFor({ state: 'visible' });
	await input.fill(relPath);
	// Wait for the file to be found (the workspace index may still be warming up).
	await page.locator('.quick-input-widget .monaco-list-row', { hasText: relPath.split('/').pop() }).first().waitFor({ state: 'visible', timeout: 60_000 });
	await page.keyboard.press('Enter');
	await page.locator(`.tabs-container .tab[aria-label^="${relPath.split('/').pop()}"]`).first().waitFor({ state: 'visible' });
	await page.locator('.monaco-editor .view-lines').first().waitFor({ state: 'visible' });
}

async function main() {
	let passed = 0;
	let failed = 0;

	if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
	const cs = ensureCodeServer({ log });
	if (!process.argv.includes('--no-package') || !existsSync(VSIX)) sh('npm', ['run', 'package']);
	if (!existsSync(VSIX)) throw new Error(`npm run package produced no ${VSIX}`);

	const tmp = mkdtempSync(join(tmpdir(), 'fleetscope-e2e-'));
	cleanups.push(() => rmSync(tmp, { recursive: true, force: true }));
	const repo = join(tmp, 'e2e-repo');
	cpSync(FIXTURE, repo, { recursive: true });
	const liveRepo = join(tmp, 'e2e-live-repo');
	cpSync(LIVE_FIXTURE, liveRepo, { recursive: true });
	const userDataDir = join(tmp, 'user-data');
	const extensionsDir = join(tmp, 'extensions');
	writeUserSettings(userDataDir, { 'files.autoSave': 'off', 'editor.formatOnSave': false });
	installExtension(cs, VSIX, { extensionsDir, userDataDir, log });

	const timer = setTimeout(() => {
		log(`timed out after ${TIMEOUT_MS / 1000} s`);
		void finish(passed, failed + 1);
	}, TIMEOUT_MS);
	cleanups.push(() => clearTimeout(timer));

	// The simulated clusters first: code-server's language servers read their kubeconfig (KUBECONFIG),
	// and keep their live-state cache in the temp dir.
	const sims = await startSimulatedClusters({ fixtures: ['staging', 'production'].map((f) => join(ROOT, 'tools', 'kube-sim', 'fixtures', `${f}.yaml`)), kubeconfig: join(tmp, 'kubeconfig'), log });
	cleanups.push(async () => {
		await sims.stop();
		log('simulated cluster stopped');
	});
	log(`simulated cluster ${sims.clusters.map((c) => `${c.name} at ${c.url}`).join(', ')}`);
	// A fleet repository with a bare remote on disk and the GitHub test server, for Promote...
	const promotion = await promotionFixture(join(tmp, 'promotion'));
	cleanups.push(() => promotion.gh.close());
	const port = await freePort();
	const env = { ...cs.env, KUBECONFIG: sims.kubeconfig, FLEETSCOPE_CACHE_DIR: join(tmp, 'fleetscope-cache'), ...promotion.env };
	// The smoke-test driver option lets a window run the extension-host suite (see code-server-host.mjs).
	const server = await startCodeServer({ ...cs, env }, { port, folder: repo, userDataDir, extensionsDir, log, extraArgs: ['--vscode-option', 'enable-smoke-test-driver'] });
	const suite = buildSuite(ROOT);
	suite.catch(() => {}); // awaited by its test, which reports a failure
	cleanups.push(async () => {
		await server.stop();
		log('code-server stopped');
	});
	log(`code-server is up at ${server.url}`);

	const browser = await chromium.launch({
		executablePath: CHROMIUM,
		headless: !process.env.E2E_HEADED,
		args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
	});
	cleanups.push(async () => {
		await browser.close();
		log('Chromium closed');
	});
	const pageErrors = [];
	const newPage = async () => {
		const p = await browser.newPage({ viewport: { width: 1400, height: 900 } });
		p.setDefaultTimeout(120_000);
		p.on('pageerror', (e) => pageErrors.push(e.message));
		return p;
	};
	let page = await newPage();

	mkdirSync(RESULTS, { recursive: true });
	const test = async (name, fn) => {
		const t0 = Date.now();
		try {
			await fn();
			passed++;
			log(`ok   ${name} (${Date.now() - t0} ms)`);
		} catch (e) {
			failed++;
			log(`FAIL ${name}: ${e instanceof Error ? e.stack || e.message : e}`);
			await page.screenshot({ path: join(RESULTS, `e2e-failure-${passed + failed}.png`) }).catch(() => {});
			log(`Problems rows at failure: ${JSON.stringify(await problemRows(page).catch(() => []))}`);
			log(`code-server output:\n${server.output().slice(-4000)}`);
		}
	};

	await test('the workbench loads with the fixture folder and Fleetscope installed', async () => {
		await page.goto(`${server.url}/?folder=${encodeURIComponent(repo)}`);
		await page.locator('.monaco-workbench').waitFor({ state: 'visible' });
		// The Explorer lists the fixture's top-level folder: the workspace really is open.
		await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'apps' }).first().waitFor({ state: 'visible' });
		const installed = readFileSync(join(extensionsDir, 'extensions.json'), 'utf8');
		if (!installed.includes('fleetscope.fleetscope')) throw new Error(`fleetscope.fleetscope is not in ${extensionsDir}/extensions.json`);
	});

	await test(`the Problems panel shows both planted mistakes of ${FILE.relPath} at their lines`, async () => {
		await openFile(page, FILE.relPath);
		await runCommand(page, 'View: Focus Problems');
		const panel = page.locator('.markers-panel');
		await panel.waitFor({ state: 'visible' });
		// Wait (generously: the language server starts, then validates) until both markers are listed.
		for (const want of [REPLICAS, TYPO]) {
			await panel.locator('.monaco-list-row', { hasText: want.message }).first().waitFor({ state: 'visible', timeout: 120_000 });
		}
		const rows = await problemRows(page);
		log(`Problems rows: ${JSON.stringify(rows)}`);
		for (const want of [REPLICAS, TYPO]) await expectRow(panel, rows, want);
		// Nothing else: the file row and our two marker rows.
		const fileRows = rows.filter((r) => r.includes(FILE.name) && !r.includes(REPLICAS.message) && !r.includes(TYPO.message));
		if (fileRows.length !== 1 || rows.length !== 3) throw new Error(`expected one file row and two marker rows, got ${JSON.stringify(rows)}`);
		// The editor underlines both (the squiggles are drawn a moment after the panel updates).
		await page.locator('.monaco-editor .squiggly-error').nth(1).waitFor({ state: 'visible', timeout: 30_000 });
		await page.screenshot({ path: join(RESULTS, 'e2e-problems.png') });
		log(`screenshot: ${join(RESULTS, 'e2e-problems.png')}`);
	});

	await test('the extension started its language server with the memory settings of shared/server-node.ts', async () => {
		const servers = serverProcesses(extensionsDir);
		if (servers.length === 0) throw new Error(`no process runs ${extensionsDir}/…/dist/server.js`);
		for (const p of servers) {
			log(`language server pid ${p.pid}: ${p.args.join(' ')}; MALLOC_MMAP_THRESHOLD_=${p.env.MALLOC_MMAP_THRESHOLD_}`);
			if (p.env.MALLOC_MMAP_THRESHOLD_ !== '131072') throw new Error(`pid ${p.pid}: MALLOC_MMAP_THRESHOLD_ is ${p.env.MALLOC_MMAP_THRESHOLD_}, not 131072`);
			if (!p.args.includes('--heap-growing-percent=50')) throw new Error(`pid ${p.pid} lacks the V8 options: ${p.args.join(' ')}`);
		}
	});

	await test('retyping replicas as an integer in the editor clears that diagnostic and keeps the other', async () => {
		if (failed) throw new Error('not run: it starts from the state the previous tests reach');
		// Go to the opening quote (Go to Line/Column), select to the end of the line and type 3.
		await page.keyboard.press('Control+G');
		const input = page.locator('.quick-input-widget input');
		await input.waitFor({ state: 'visible' });
		await input.fill(`:${REPLICAS.line}:${REPLICAS.column}`);
		await page.keyboard.press('Enter');
		await input.waitFor({ state: 'hidden' });
		await page.locator('.statusbar-item', { hasText: `Ln ${REPLICAS.line}, Col ${REPLICAS.column}` }).first().waitFor({ state: 'visible' });
		await page.keyboard.press('Shift+End');
		await page.keyboard.type('3');
		// Monaco renders spaces as U+00A0: compare the rendered line with normalised spaces.
		await page.waitForFunction(() =>
			[...document.querySelectorAll('.monaco-editor .view-line')].some((l) => (l.textContent ?? '').replace(/\u00a0/g, ' ').trim() === 'replicas: 3'),
		);
		// The server re-validates the unsaved buffer: the replicas marker disappears, the misspelled
		// field is still reported where it was (so the panel was updated, not emptied).
		const panel = page.locator('.markers-panel');
		await panel.locator('.monaco-list-row', { hasText: REPLICAS.message }).first().waitFor({ state: 'detached', timeout: 60_000 });
		const rows = await problemRows(page);
		log(`Problems rows: ${JSON.stringify(rows)}`);
		await expectRow(panel, rows, TYPO);
		if (rows.length !== 2) throw new Error(`expected the file row and the unknown-field row only, got ${JSON.stringify(rows)}`);
		await page.screenshot({ path: join(RESULTS, 'e2e-fixed.png') });
	});

	await test('a simulated cluster\'s live diagnostic shows in the Problems panel, naming the cluster, at its line', async () => {
		// Another window on the live fixture (the first one keeps its unsaved edit and is closed without asking).
		await page.close({ runBeforeUnload: false });
		page = await newPage();
		await page.goto(`${server.url}/?folder=${encodeURIComponent(liveRepo)}`);
		await page.locator('.monaco-workbench').waitFor({ state: 'visible' });
		await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'clusters' }).first().waitFor({ state: 'visible' });
		await openFile(page, LIVE_FILE.relPath);
		await runCommand(page, 'View: Focus Problems');
		const panel = page.locator('.markers-panel');
		await panel.waitFor({ state: 'visible' });
		// The server validates, then connects to the cluster and validates the files that reach it again.
		await panel.locator('.monaco-list-row', { hasText: NOT_SERVED.message }).first().waitFor({ state: 'visible', timeout: 120_000 });
		const rows = await problemRows(page);
		log(`Problems rows: ${JSON.stringify(rows)}`);
		await expectRow(panel, rows, NOT_SERVED);
		// The marker belongs to the file: its row follows the file's row, and the editor underlines it.
		const fileRow = rows.findIndex((r) => r.includes(LIVE_FILE.name) && !r.includes(NOT_SERVED.message));
		if (fileRow === -1 || !rows[fileRow + 1]?.includes(NOT_SERVED.message)) throw new Error(`expected the live row under the ${LIVE_FILE.name} row, got ${JSON.stringify(rows)}`);
		await page.locator('.monaco-editor .squiggly-error').first().waitFor({ state: 'visible', timeout: 30_000 });
		await page.screenshot({ path: join(RESULTS, 'e2e-live.png') });
		log(`screenshot: ${join(RESULTS, 'e2e-live.png')}`);
	});

	let explorerShown = false;
	await test('the Fleetscope explorer: both clusters with status and versions, the failed Kustomization, a behind marker, failing controls, a click to the line, Render Cluster', async () => {
		await page.close({ runBeforeUnload: false });
		page = await newPage();
		await checkExplorer(page, { url: server.url, folder: EXAMPLE_FLEET, results: RESULTS, log });
		explorerShown = true;
		log(`screenshots: ${join(RESULTS, 'e2e-explorer-*.png')}`);
	});

	await test('the Drift view shows the drift planted in prod-us-east-1, and a click on the drifted Deployment opens Show Diff with Git\'s image and the live one', async () => {
		if (!explorerShown) throw new Error('not run: it starts from the page the explorer check leaves');
		await checkDrift(page, { results: RESULTS, log });
		log(`screenshots: ${join(RESULTS, 'e2e-drift.png')}, ${join(RESULTS, 'e2e-drift-diff.png')}`);
	});

	await test('Promote... from the palette: quick picks, the diff preview, a token, the push confirmed; the pull request reaches the GitHub test server and the branch the bare remote', async () => {
		await page.close({ runBeforeUnload: false });
		page = await newPage();
		await checkPromotion(page, { url: server.url, fixture: promotion, results: RESULTS, log });
	});

	await test('the extension-host suite (tree items, commands and editors through the vscode API) passes in code-server\'s extension host', async () => {
		const { code, output } = await runSuiteInCodeServer({ browser, serverUrl: server.url, folder: EXAMPLE_FLEET, extension: ROOT, suite: await suite, log });
		if (code !== 0 || !output.some((l) => /^extension-host suite: \d+ passed, 0 failed/.test(l))) throw new Error(`the extension host exited with ${code}:\n${output.join('\n')}`);
	});

	clearTimeout(timer);
	if (pageErrors.length) log(`page errors (not failures): ${pageErrors.slice(0, 5).join(' | ')}`);
	return { passed, failed };
}

main().then(
	({ passed, failed }) => finish(passed, failed),
	async (e) => {
		log(`FAIL setup: ${e instanceof Error ? e.stack || e.message : e}`);
		await finish(0, 1);
	},
);

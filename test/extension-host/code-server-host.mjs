// Runs the extension-host suite (test/extension-host/) inside code-server's extension host: a browser
// window opened with the development options VS Code's web workbench reads from its URL (the
// extension under development and the tests' entry point, as `vscode-remote://` URIs) runs the
// suite's `run()` in the remote (Node) extension host, exactly as VS Code desktop does for
// @vscode/test-electron. The workbench honours these options only when code-server was started with
// `--vscode-option enable-smoke-test-driver`; it reports the outcome through `codeAutomationLog`
// and `codeAutomationExit`, which the page exposes to this process.
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

/** Bundles the suite (TypeScript, `vscode` external) into `out/extension-host/suite.js`; returns its path. */
export async function buildSuite(root) {
	const outfile = join(root, 'out', 'extension-host', 'suite.js');
	await build({ entryPoints: [join(root, 'test', 'extension-host', 'index.ts')], outfile, bundle: true, format: 'cjs', platform: 'node', target: 'node20', external: ['vscode'], logLevel: 'warning', sourcemap: 'inline' });
	return outfile;
}

/**
 * Opens `folder` in a new page of `browser` with the suite as the window's extension tests; resolves
 * with the host's exit code (0: every test passed) and the suite's output lines.
 * @param {{ browser: import('playwright-core').Browser, serverUrl: string, folder: string, extension: string, suite: string, log?: (line: string) => void, timeoutMs?: number }} o
 */
export async function runSuiteInCodeServer({ browser, serverUrl, folder, extension, suite, log = (l) => console.log(l), timeoutMs = 300_000 }) {
	const authority = new URL(serverUrl).host;
	const remote = (p) => `vscode-remote://${authority}${resolve(p)}`;
	const payload = JSON.stringify([
		['extensionDevelopmentPath', remote(extension)],
		['extensionTestsPath', remote(suite)],
		['skipWelcome', 'true'],
	]);
	const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
	const output = [];
	try {
		let exit;
		const exited = new Promise((resolveExit) => (exit = resolveExit));
		// The extension host's console (the suite's lines) and its exit code come through these two.
		await page.exposeFunction('codeAutomationLog', (type, args) => {
			const line = (Array.isArray(args) ? args : [args]).map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
			if (/^(ok |FAIL |extension-host suite:)/.test(line)) {
				output.push(line);
				log(`  [extension host] ${line}`);
			}
		});
		await page.exposeFunction('codeAutomationExit', (code) => exit(code));
		await page.goto(`${serverUrl}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(payload)}`);
		let timer;
		const code = await Promise.race([exited, new Promise((resolveTimeout) => (timer = setTimeout(() => resolveTimeout('timeout'), timeoutMs)))]);
		clearTimeout(timer);
		return { code, output };
	} finally {
		await page.close({ runBeforeUnload: false }).catch(() => {});
	}
}

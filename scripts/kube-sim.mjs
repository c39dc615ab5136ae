// Simulated Kubernetes API servers (dist/kube-sim.js, see tools/kube-sim and docs/live.md) for the
// demo and the end-to-end test: one HTTPS server per cluster fixture on 127.0.0.1, each with its
// own CA, and a kubeconfig with one context per cluster. Runs as a child process in its own
// process group, so stopping it never leaves a server behind.
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { processGroup } from './process-group.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Starts the clusters of `fixtures` and writes `kubeconfig` (replaced, not merged: the CAs are new
 * at every start). Resolves once every server listens.
 * @param {{ fixtures: string[], kubeconfig: string, log?: (line: string) => void, timeoutMs?: number }} options
 * @returns {Promise<{ clusters: { name: string, url: string, context: string }[], kubeconfig: string, stop: () => Promise<void>, exit: Promise<number | string>, output: () => string }>}
 */
export async function startSimulatedClusters({ fixtures, kubeconfig, log = (l) => console.error(l), timeoutMs = 60_000 }) {
	const bundle = join(ROOT, 'dist', 'kube-sim.js');
	if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run npm run build`);
	rmSync(kubeconfig, { force: true });
	const args = [bundle, ...fixtures.flatMap((f) => ['--cluster', f]), '--kubeconfig', kubeconfig];
	log(`$ node ${args.map((a) => a.replace(`${ROOT}/`, '')).join(' ')}`);
	const child = spawn(process.execPath, args, { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	const { exit, stop } = processGroup(child);
	const clusters = [];
	const ready = new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`kube-sim did not start within ${timeoutMs / 1000} s:\n${output}`)), timeoutMs);
		let buffer = '';
		child.stdout.on('data', (d) => {
			output += d;
			buffer += d;
			let nl;
			while ((nl = buffer.indexOf('\n')) !== -1) {
				const line = buffer.slice(0, nl);
				buffer = buffer.slice(nl + 1);
				// `kube-sim: prod-us-east-1 on https://127.0.0.1:40123 (context arn:aws:eks:...)`
				const m = /^kube-sim: (\S+) on (\S+) \(context (.+)\)$/.exec(line);
				if (m) clusters.push({ name: m[1], url: m[2], context: m[3] });
				if (line.startsWith('ready')) {
					clearTimeout(timer);
					resolve();
				}
			}
		});
		child.stderr.on('data', (d) => (output += d));
		void exit.then((code) => {
			clearTimeout(timer);
			reject(new Error(`kube-sim exited (${code}) before it was ready:\n${output}`));
		});
	});
	try {
		await ready;
	} catch (e) {
		await stop();
		throw e;
	}
	return { clusters, kubeconfig, stop, exit, output: () => output };
}

// The simulators (dist/kube-sim.js, dist/scm-sim.js) as child processes of the demo and the tests:
// each in a process group of its own (stopping it never leaves a server behind), ready once it prints
// a line starting with `ready`, every line of its output handed to `onLine`.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { processGroup } from './process-group.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Starts `node dist/<bundle> ...args` and resolves once it is ready.
 * @param {{ bundle: string, args: string[], onLine?: (line: string) => void, log?: (line: string) => void, timeoutMs?: number }} options
 * @returns {Promise<{ stop: () => Promise<void>, exit: Promise<number | string>, output: () => string }>}
 */
export async function startTool({ bundle, args, onLine = () => {}, log = (l) => console.error(l), timeoutMs = 60_000 }) {
	const path = join(ROOT, 'dist', bundle);
	if (!existsSync(path)) throw new Error(`${path} is missing: run npm run build`);
	const argv = [path, ...args];
	log(`$ node ${argv.map((a) => a.replace(`${ROOT}/`, '')).join(' ')}`);
	const child = spawn(process.execPath, argv, { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	const { exit, stop } = processGroup(child);
	const ready = new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`${bundle} did not start within ${timeoutMs / 1000} s:\n${output}`)), timeoutMs);
		let buffer = '';
		child.stdout.on('data', (d) => {
			output += d;
			buffer += d;
			let nl;
			while ((nl = buffer.indexOf('\n')) !== -1) {
				const line = buffer.slice(0, nl);
				buffer = buffer.slice(nl + 1);
				onLine(line);
				if (line.startsWith('ready')) {
					clearTimeout(timer);
					resolve();
				}
			}
		});
		child.stderr.on('data', (d) => (output += d));
		void exit.then((code) => {
			clearTimeout(timer);
			reject(new Error(`${bundle} exited (${code}) before it was ready:\n${output}`));
		});
	});
	try {
		await ready;
	} catch (e) {
		await stop();
		throw e;
	}
	return { stop, exit, output: () => output };
}

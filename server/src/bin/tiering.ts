import { setFlagsFromString } from 'node:v8';

/**
 * How soon V8 hands a warm function to its optimizing compiler, for the language server.
 *
 * V8 up to version 11 (Node 18 and 20) counts an "interrupt budget" of bytecode run before it
 * considers optimizing a function with TurboFan: 66 KB in Node 20, tuned for web pages. The server
 * runs several hundred distinct functions a few thousand times each while it judges a workspace for
 * the first time, and with that budget TurboFan compiled most of them on V8's worker threads: on the
 * benchmark's fleet (2 cores, 2,035 files opened) those threads had used 1.3 s of CPU time 1.9 s
 * after start, as much as the main thread's own work. A budget of
 * 600 KB still optimizes what stays hot (parsing, schema validation, the checks' and the renders'
 * walks): cold CPU time about a quarter lower (every file opened: 2,620 -> 1,920 ms; workspace
 * scan: 2,500 -> 1,710 ms; medians of 3), wall time lower too, keystroke latency, retag and peak
 * RSS within their spread (bench/README.md, 7 Dec 2026, eighth session). 1 MB measured the same.
 *
 * V8 12 and later (Node 22 and 24, the Electron of current VS Code) count invocations instead and
 * compile with Maglev first: their default is already cheaper (Node 24: 1.7-1.9 s of CPU for the
 * same work, with or without higher invocation counts), and the option does not exist there, so nothing is set.
 * Node refuses to start with a V8 option it does not know, which is why this is set at run time,
 * and only on a V8 that has it.
 *
 * The CLI keeps V8's defaults: it runs for a second or two, where compiling on the other cores
 * shortens the wall time that CI waits for (the Kyverno library: 1.6 s, 1.7 s with this budget).
 */
export function serverTieringFlags(v8Version: string): string[] {
	const major = Number.parseInt(v8Version, 10);
	return Number.isFinite(major) && major <= 11 ? ['--interrupt-budget=614400'] : [];
}

/**
 * Applies `serverTieringFlags` to this process's V8 (before the server's bundle is compiled), but
 * not an option the process was started with: `node --interrupt-budget=N dist/server.js` keeps N
 * (how the bench compares budgets).
 */
export function applyServerTiering(v8Version = process.versions.v8, given: readonly string[] = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)]): string[] {
	const applied = serverTieringFlags(v8Version).filter((flag) => !given.some((g) => g.split('=')[0] === flag.split('=')[0]));
	for (const flag of applied) setFlagsFromString(flag);
	return applied;
}

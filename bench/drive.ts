/**
 * Driving a language server over a corpus, for the bench pieces that live in files of their own
 * (soak, opening during the scan, growth): typing, waiting for every file, a fleetscope server spec.
 */
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { EditSpot } from './corpus';
import { SERVER_NODE_OPTIONS, serverEnvironment } from '../shared/server-node';
import { LspServer } from './lsp';
import { latencyOf, type Latency } from './stats';

export const WARMUP_EDITS = 5;
export const COLD_TIMEOUT_MS = 15 * 60_000;

export const uriIn = (root: string, rel: string) => pathToFileURL(join(root, rel)).toString();

/**
 * Types `edits` characters at the spot (after `warmup` unmeasured ones), one at a time, each time
 * waiting for the diagnostics of the new version. `from` is the document version before the first
 * edit; `onEdit` sees each measured sample as it comes (the soak reads memory along the way).
 */
export async function typeAt(server: LspServer, root: string, spot: EditSpot, opts: { edits: number; warmup?: number; versioned: boolean; from?: number; onEdit?: (i: number, ms: number) => void }): Promise<Latency> {
	const uri = uriIn(root, spot.file);
	const warmup = opts.warmup ?? WARMUP_EDITS;
	let version = opts.from ?? 1;
	const samples: number[] = [];
	for (let i = 0; i < warmup + opts.edits; i++) {
		version++;
		const pos = { line: spot.line, character: spot.character + i };
		const v = version;
		const next = server.waitFor((p) => p.uri === uri && (!opts.versioned || p.version === v), 60_000, `${spot.file} version ${v}`);
		const t = performance.now();
		await server.change(uri, v, [{ range: { start: pos, end: pos }, text: 'abcdefghij'[i % 10] }]);
		const published = await next;
		if (i >= warmup) {
			samples.push(published.at - t);
			opts.onEdit?.(samples.length, published.at - t);
		}
	}
	return latencyOf(samples);
}

/** Resolves when every one of `files` has had diagnostics published (from now on), with the time of the last. */
export function allPublished(server: LspServer, root: string, files: readonly string[], what: string): Promise<number> {
	const pending = new Set(files.map((f) => uriIn(root, f)));
	return new Promise<number>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`${server.name}: ${pending.size} files without diagnostics after ${COLD_TIMEOUT_MS} ms (${what})`)), COLD_TIMEOUT_MS);
		server.onExit((e) => (clearTimeout(timer), reject(e)));
		server.listen((p) => {
			pending.delete(p.uri);
			if (pending.size === 0) {
				clearTimeout(timer);
				server.listen(undefined);
				resolve(p.at);
			}
		});
	});
}

/**
 * The Node options Fleetscope's server runs with in the bench: those the extension starts it with
 * (shared/server-node.ts), unless BENCH_SERVER_NODE_OPTIONS=off (V8's and malloc's defaults, to compare), then
 * BENCH_NODE_FLAGS (space-separated, e.g. `--cpu-prof`).
 */
export function fleetscopeNodeFlags(): string[] {
	const own = process.env.BENCH_SERVER_NODE_OPTIONS === 'off' ? [] : [...SERVER_NODE_OPTIONS];
	const extra = process.env.BENCH_NODE_FLAGS ? process.env.BENCH_NODE_FLAGS.split(' ') : [];
	return [...own, ...extra];
}

/**
 * What Fleetscope's server finds in its environment in the bench: what the extension adds
 * (shared/server-node.ts), unless BENCH_SERVER_NODE_OPTIONS=off.
 */
export function fleetscopeEnvironment(): Record<string, string> {
	return process.env.BENCH_SERVER_NODE_OPTIONS === 'off' ? {} : serverEnvironment(process.env, process.platform);
}

/** BENCH_CPU_PROF=DIR: a V8 CPU profile of each server run, written into DIR (bench/profile-summary.ts reads it). */
export function cpuProfileArgs(): string[] {
	return process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${resolve(process.env.BENCH_CPU_PROF)}`] : [];
}

/** The arguments of `node` that run Fleetscope's server `bin` over stdio: CPU profile options, the node flags, `extraArgs`. */
export function fleetscopeArgs(bin: string, extraArgs: readonly string[] = []): string[] {
	return [...cpuProfileArgs(), ...fleetscopeNodeFlags(), ...extraArgs, bin, '--stdio'];
}

/** Fleetscope's language server over stdio, with the extension's and the bench's node flags and environment and CPU profile options. */
export function startFleetscope(bin: string, validateWorkspace: boolean, extraArgs: string[] = []): LspServer {
	return LspServer.start('Fleetscope', fleetscopeArgs(bin, extraArgs), (section) => (section === 'fleetscope' ? { validateWorkspace } : {}), undefined, fleetscopeEnvironment());
}

/**
 * How fast this machine runs JavaScript while the bench runs: a fixed single-threaded workload,
 * the `yaml` package parsing the corpus's 20,000-line file, timed before the first server starts and
 * after the last one stops. The targets in milliseconds (a retag within 1 s, the CLI within 2 s, a
 * file opened while busy within 300 ms) move with it: on this 2-core VM the same build's CLI check
 * of the Kyverno library took 1.6 s in one hour and 2.6-3.6 s in the next (bench/README.md, ninth
 * session). With this figure beside them, a slow hour is told apart from a regression.
 */
import { parseAllDocuments } from 'yaml';

export interface MachineSpeed {
	/** Median time of one parse, ms. */
	medianMs: number;
	minMs: number;
	maxMs: number;
}

export function machineSpeed(text: string, repeats = 7): MachineSpeed {
	// The first parse compiles the parser: not timed.
	parseAllDocuments(text);
	const times: number[] = [];
	for (let i = 0; i < repeats; i++) {
		const t = performance.now();
		parseAllDocuments(text);
		times.push(performance.now() - t);
	}
	times.sort((a, b) => a - b);
	return { medianMs: times[Math.floor(times.length / 2)], minMs: times[0], maxMs: times[times.length - 1] };
}

export function fmtSpeed(s: MachineSpeed): string {
	return `${Math.round(s.medianMs)} ms (${Math.round(s.minMs)}–${Math.round(s.maxMs)})`;
}

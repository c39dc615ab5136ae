/**
 * The soak (issue 14): 400 edits in the 20,000-line file, the workspace scanned and rendered around
 * it. Memory must not grow with edits: peak RSS after 400 edits within 10 % of the figure after 40,
 * and p95 over all 400 still <= 25 ms.
 */
import { pathToFileURL } from 'node:url';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CorpusManifest } from './corpus';
import { allPublished, startFleetscope, typeAt, uriIn, COLD_TIMEOUT_MS } from './drive';
import { latencyOf, type Latency } from './stats';

export const SOAK_EDITS = 400;
export const SOAK_CHECKPOINT = 40;

export interface SoakResult {
	/** Over the first 40 edits and over all 400. */
	at40: Latency;
	at400: Latency;
	peakAt40MiB: number;
	peakAt400MiB: number;
	rssAt40MiB: number;
	rssAt400MiB: number;
}

export async function runSoak(bin: string, root: string, manifest: CorpusManifest): Promise<SoakResult> {
	const server = startFleetscope(bin, true);
	try {
		const scanned = allPublished(server, root, manifest.files, 'soak scan');
		await server.initialize(pathToFileURL(root).toString(), 'corpus');
		await scanned;
		await server.waitForLog(/^Rendered \d+ clusters/, COLD_TIMEOUT_MS);
		const uri = uriIn(root, manifest.bigFile.file);
		const opened = server.waitFor((p) => p.uri === uri && p.version === 1, 60_000, 'big file opened');
		await server.open(uri, readFileSync(join(root, manifest.bigFile.file), 'utf8'));
		await opened;
		const samples: number[] = [];
		let peakAt40MiB = 0;
		let rssAt40MiB = 0;
		await typeAt(server, root, manifest.bigFile, {
			edits: SOAK_EDITS,
			versioned: true,
			onEdit: (i, ms) => {
				samples.push(ms);
				if (i === SOAK_CHECKPOINT) ({ peakMiB: peakAt40MiB, rssMiB: rssAt40MiB } = server.memory());
			},
		});
		const end = server.memory();
		return { at40: latencyOf(samples.slice(0, SOAK_CHECKPOINT)), at400: latencyOf(samples), peakAt40MiB, peakAt400MiB: end.peakMiB, rssAt40MiB, rssAt400MiB: end.rssMiB };
	} finally {
		await server.stop();
	}
}

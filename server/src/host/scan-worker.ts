import { parentPort } from 'node:worker_threads';
import { Engine } from '../engine/engine';
import { RepoSnapshot } from '../engine/repo';
import type { Finding } from '../engine/types';
import { nodeEngineDeps } from './engine-deps';
import type { ScanJob, ScanResult } from './scan-pool';
import { analyzeLoaded } from './validate-file';
import { readFileForValidation } from './node-fs';
import * as path from 'node:path';

/**
 * Entry point of `dist/scan-worker.js`: validates a share of a workspace scan on a second core
 * with the same engine, schemas and checks, reading the files itself. Results go back in small
 * batches so the editor sees them as they come.
 */
const deps = nodeEngineDeps();

parentPort?.on('message', (job: ScanJob) => {
	void run(job).catch((e: unknown) => parentPort?.postMessage({ done: true, error: e instanceof Error ? e.message : String(e) } satisfies ScanResult));
});

async function run(job: ScanJob): Promise<void> {
	const engine = new Engine(deps.registry, job.settings, deps.checks);
	const repo = new RepoSnapshot(job.repo);
	const maxBytes = job.settings.maxFileSizeKb * 1024;
	let batch: { rel: string; findings: Finding[] | null }[] = [];
	for (const rel of job.files) {
		const loaded = await readFileForValidation(path.join(job.root, ...rel.split('/')), maxBytes);
		const analysis = analyzeLoaded(engine, repo, rel, loaded, maxBytes);
		batch.push({ rel, findings: analysis ? analysis.findings : null });
		if (batch.length >= 32) {
			parentPort?.postMessage({ files: batch } satisfies ScanResult);
			batch = [];
		}
	}
	parentPort?.postMessage({ files: batch, done: true } satisfies ScanResult);
}

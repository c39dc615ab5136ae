import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { RepoSnapshotData } from '../engine/repo';
import type { Finding } from '../engine/types';
import type { FleetscopeSettings } from '../../../shared/settings';

/** What the scan worker is asked to validate. */
export interface ScanJob {
	root: string;
	files: string[];
	settings: FleetscopeSettings;
	repo: RepoSnapshotData;
}

/** What it sends back: findings per file (null: unreadable, nothing to show), then `done`. */
export interface ScanResult {
	files?: { rel: string; findings: Finding[] | null }[];
	done?: boolean;
	error?: string;
}

/** Below this many files a second thread costs more (its start-up) than it saves. */
export const PARALLEL_MIN_FILES = 200;

/**
 * Runs a share of a workspace scan on a worker thread (`dist/scan-worker.js`, beside the bundle
 * that uses it). Returns undefined where no worker can run (the file is missing, as in tests
 * run from source): the caller then validates everything itself.
 */
export function startScanWorker(job: ScanJob, onFile: (rel: string, findings: Finding[] | null) => void): { done: Promise<void>; stop(): void } | undefined {
	const file = path.join(__dirname, 'scan-worker.js');
	if (!existsSync(file)) return undefined;
	const worker = new Worker(file);
	let stopped = false;
	const done = new Promise<void>((resolve, reject) => {
		worker.on('message', (r: ScanResult) => {
			if (stopped) return;
			for (const f of r.files ?? []) onFile(f.rel, f.findings);
			if (r.error) reject(new Error(r.error));
			else if (r.done) resolve();
		});
		worker.on('error', reject);
		worker.on('exit', (code) => (stopped || code === 0 ? resolve() : reject(new Error(`scan worker exited with code ${code}`))));
	}).finally(() => void worker.terminate());
	worker.postMessage(job);
	return {
		done,
		stop() {
			stopped = true;
			void worker.terminate();
		},
	};
}

/**
 * The real-repository case (issue 11, section 6): `fleetscope check` over the 1,237 YAML files of the
 * Kyverno policy library, in the CLI as a user runs it (text output to a pipe), under 2 s and under
 * 200 MB on this 2-core machine. The corpus is the repository's copy in test/fixtures when it exists,
 * else the shared conformance corpus beside the checkout.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface CliCaseResult {
	corpus: string;
	files: number;
	wallMs: number;
	cpuMs: number;
	peakRssMiB: number;
	exitCode: number;
	/** Bytes the CLI printed. */
	outputBytes: number;
}

export function kyvernoCorpus(root: string): string | undefined {
	const candidates = [join(root, 'test/fixtures/kyverno-policies'), resolve(root, '../shared/conformance/kyverno-policies'), '/work/shared/conformance/kyverno-policies'];
	return candidates.find((d) => existsSync(d));
}

function countYaml(dir: string): number {
	const { readdirSync } = require('node:fs') as typeof import('node:fs');
	let n = 0;
	for (const e of readdirSync(dir, { withFileTypes: true })) {
		if (e.isDirectory()) n += countYaml(join(dir, e.name));
		else if (/\.ya?ml$/.test(e.name)) n++;
	}
	return n;
}

export async function runCliCase(cli: string, corpus: string): Promise<CliCaseResult> {
	const tmp = mkdtempSync(join(tmpdir(), 'fleetscope-bench-'));
	const usage = join(tmp, 'rusage.json');
	try {
		const t0 = performance.now();
		const { code, bytes } = await new Promise<{ code: number; bytes: number }>((done, fail) => {
			const child = spawn(process.execPath, ['--require', join(__dirname, 'rusage-preload.cjs'), cli, 'check', corpus], { env: { ...process.env, BENCH_RUSAGE_FILE: usage }, stdio: ['ignore', 'pipe', 'pipe'] });
			let bytes = 0;
			child.stdout.on('data', (d: Buffer) => (bytes += d.length));
			child.stderr.on('data', (d: Buffer) => (bytes += d.length));
			child.on('error', fail);
			child.on('exit', (c) => done({ code: c ?? -1, bytes }));
		});
		const wallMs = performance.now() - t0;
		const u = JSON.parse(readFileSync(usage, 'utf8')) as { cpuMs: number; maxRssKiB: number };
		return { corpus, files: countYaml(corpus), wallMs, cpuMs: u.cpuMs, peakRssMiB: u.maxRssKiB / 1024, exitCode: code, outputBytes: bytes };
	} finally {
		rmSync(tmp, { recursive: true, force: true });
	}
}

/**
 * Opening a file while the server is busy (issue 14): the file being typed in gets its diagnostics
 * within 300 ms of opening even while the workspace scan and the renders run. Measured in scan
 * mode: one file opened right after `initialized` (the scan starting), one opened when the scan has
 * published every file (the renders running), each then typed in a few times.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CorpusManifest, EditSpot } from './corpus';
import { allPublished, startFleetscope, typeAt, uriIn, COLD_TIMEOUT_MS } from './drive';
import type { LspServer } from './lsp';
import type { Latency } from './stats';

export interface OpeningResult {
	/** didOpen → its first diagnostics, right after `initialized`. */
	duringScanMs: number;
	/** The same for another file, opened once the scan had published every file (renders running). */
	duringRenderMs: number;
	/** Whether the renders were still running when that file's diagnostics came. */
	renderStillRunning: boolean;
	/** Keystrokes in that file while the renders run. */
	typingDuringRender: Latency;
}

async function openAndTime(server: LspServer, root: string, rel: string): Promise<number> {
	const uri = uriIn(root, rel);
	const first = server.waitFor((p) => p.uri === uri && p.version === 1, 60_000, `${rel} opened`);
	const t = performance.now();
	await server.open(uri, readFileSync(join(root, rel), 'utf8'));
	return (await first).at - t;
}

export async function runOpening(bin: string, root: string, manifest: CorpusManifest): Promise<OpeningResult> {
	const server = startFleetscope(bin, true);
	try {
		const others = manifest.files.filter((f) => f !== manifest.smallFile.file);
		const scanned = allPublished(server, root, others, 'opening scan');
		await server.initialize(pathToFileURL(root).toString(), 'corpus');
		const duringScanMs = await openAndTime(server, root, manifest.smallFile.file);
		await scanned;
		// A workload file of an app: its diagnostics include what its clusters receive.
		const rel = manifest.files.find((f) => /\/base\/deployment\.yaml$/.test(f) && !manifest.planted.some((p) => p.file === f))!;
		const duringRenderMs = await openAndTime(server, root, rel);
		const text = readFileSync(join(root, rel), 'utf8');
		const lines = text.split('\n');
		const line = lines.findIndex((l) => /^ {4}app:/.test(l) || /^ {2}name:/.test(l));
		const spot: EditSpot = { file: rel, line, character: lines[line].length };
		const typingDuringRender = await typeAt(server, root, spot, { edits: 10, warmup: 0, versioned: true });
		const renderStillRunning = !server.logs.some((l) => /^Rendered \d+ clusters/.test(l.message));
		await server.waitForLog(/^Rendered \d+ clusters/, COLD_TIMEOUT_MS);
		return { duringScanMs, duringRenderMs, renderStillRunning, typingDuringRender };
	} finally {
		await server.stop();
	}
}

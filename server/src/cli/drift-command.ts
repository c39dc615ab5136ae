import { writeFileSync } from 'node:fs';
import { version } from '../../../package.json';
import type { DriftOptions, SnapshotOptions } from './args';
import { hasDrift, runDrift, runFullSnapshot } from './drift';
import { driftJson, driftSarif, driftText } from './drift-format';
import { runSnapshot } from './live';

/** What the drift command uses of the CLI's process (the `CliIo` of main.ts fits). */
interface CliIo {
	cwd: string;
	env: NodeJS.ProcessEnv;
	stdout(s: string): void;
	stderr(s: string): void;
}

/** `fleetscope drift`: runs, prints or writes the report, and returns the exit code (0 no drift, 1 drift, 2 no state). */
export async function runDriftCommand(options: DriftOptions, io: CliIo, now: () => Date = () => new Date()): Promise<number> {
	const run = await runDrift(options, io.cwd, io.env);
	for (const w of run.warnings) io.stderr(`fleetscope: warning: ${w}\n`);
	const at = now();
	const text = options.format === 'json' ? driftJson(run.report, options.all) : options.format === 'sarif' ? driftSarif(run.report, version, at) : driftText(run.report, options.all, at);
	if (options.output) {
		writeFileSync(options.output, text);
		io.stderr(`Drift report written to ${options.output}\n`);
	} else io.stdout(text);
	if (run.unavailable.length > 0) {
		io.stderr(`fleetscope: no live objects at all for ${run.unavailable.length} requested cluster(s), so their drift is unknown:\n${run.unavailable.map((u) => `  ${u}`).join('\n')}\n`);
		return 2;
	}
	return hasDrift(run.report) ? 1 : 0;
}

/** `fleetscope snapshot --full`: the usual state snapshot, then the full objects next to it. */
export async function runFullSnapshotCommand(options: SnapshotOptions, io: CliIo): Promise<number> {
	const log = (line: string) => io.stderr(`fleetscope: ${line}\n`);
	const state = await runSnapshot(options, io.cwd, io.env, log);
	io.stderr(`${state.file ? '' : 'fleetscope: '}${state.message}\n`);
	if (!state.file) return 2;
	const full = await runFullSnapshot(options, io.cwd, io.env);
	io.stderr(`${full.file ? '' : 'fleetscope: '}${full.message}\n`);
	return full.file ? 0 : 2;
}

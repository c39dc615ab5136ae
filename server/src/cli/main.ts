import { writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { version } from '../../../package.json';
import { failsAt, parseCommand, USAGE, UsageError, type CheckOptions } from './args';
import { runCheck, type CheckReport, type RunOptions } from './check';
import type { Severity } from '../engine/core/types';
import { runClusters } from './clusters';
import { runPromotionView } from './promotion';
import { runFleet } from './fleet';
import { runPromote } from './promote';
import { runRender } from './render';
import { runPolicyTestCommand } from './policy-test';
import { runSnapshot } from './live';
import { runDriftCommand, runFullSnapshotCommand } from './drift-command';
import { reportSummary } from '../engine/report/text';
import { renderReport, runReport } from './report';
import { formatJson } from './format/json';
import { formatSarif } from './format/sarif';
import { formatText, summaryLine, TextReport } from './format/text';

/** What the CLI touches of its process, injected so it can run in-process too. */
export interface CliIo {
	cwd: string;
	env: NodeJS.ProcessEnv;
	stdoutIsTty: boolean;
	stdout(s: string): void;
	stderr(s: string): void;
	/**
	 * Resolves once stdout has passed on what was written, or undefined when it has room: the check
	 * waits there, so a reader that stops (a pager) holds the check instead of the report piling up
	 * in memory. Absent: never waits.
	 */
	stdoutRoom?(): Promise<void> | undefined;
	/** Asks a yes/no question on the terminal (promote's confirmation); absent when stdin is not a terminal. */
	confirm?(question: string): Promise<boolean>;
}

/** Colours only for a terminal, never when NO_COLOR is set (no-color.org); FORCE_COLOR forces them. */
function wantsColor(io: CliIo): boolean {
	const force = io.env.FORCE_COLOR;
	if (force !== undefined && force !== '' && force !== '0') return true;
	if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
	return io.stdoutIsTty;
}

function render(report: CheckReport, options: CheckOptions, color: boolean): string {
	switch (options.format) {
		case 'json':
			return formatJson(report, version);
		case 'sarif':
			return formatSarif(report, version);
		case 'text':
			return formatText(report, { color, verbose: options.verbose });
	}
}

/**
 * Runs the CLI and returns its exit code. check: 0 clean, 1 findings at or above --fail-on, 2 usage
 * or internal error. report: 0 once written, 2 usage or internal error.
 */
export async function cli(argv: string[], io: CliIo, now?: () => Date): Promise<number> {
	try {
		if (argv[0] === 'promote') return await runPromote(argv.slice(1), io, now);
		const command = parseCommand(argv);
		if (command.kind === 'help') {
			io.stdout(USAGE);
			return 0;
		}
		if (command.kind === 'version') {
			io.stdout(`${version}\n`);
			return 0;
		}
		if (command.kind === 'fleet') {
			const text = await runFleet(command.options, io.cwd, version);
			if (command.options.output) writeFileSync(command.options.output, text);
			else io.stdout(text);
			return 0;
		}
		if (command.kind === 'clusters') {
			const r = await runClusters(command.options, io.cwd, io.env, (line) => io.stderr(`fleetscope: ${line}\n`), now);
			io.stdout(r.text);
			if (r.unavailable.length > 0) io.stderr(`fleetscope: no live state at all for ${r.unavailable.length} requested cluster(s):\n${r.unavailable.map((u) => `  ${u}`).join('\n')}\n`);
			return r.unavailable.length > 0 ? 2 : 0;
		}
		if (command.kind === 'promotion') {
			io.stdout(await runPromotionView(command.options, io.cwd));
			return 0;
		}
		if (command.kind === 'render') {
			const { yaml, notes } = await runRender(command.options, io.cwd);
			for (const n of notes) io.stderr(`fleetscope: ${n}\n`);
			if (command.options.output) writeFileSync(command.options.output, yaml);
			else io.stdout(yaml);
			return 0;
		}
		if (command.kind === 'drift') return await runDriftCommand(command.options, io, now);
		if (command.kind === 'snapshot' && command.options.full) return await runFullSnapshotCommand(command.options, io);
		if (command.kind === 'policy-test') return runPolicyTestCommand(command.options, io);
		if (command.kind === 'snapshot') {
			const result = await runSnapshot(command.options, io.cwd, io.env, (line) => io.stderr(`fleetscope: ${line}\n`));
			io.stderr(`${result.file ? '' : 'fleetscope: '}${result.message}\n`);
			return result.file ? 0 : 2;
		}
		if (command.kind === 'report') {
			const { options } = command;
			const report = await runReport(options, io.cwd, now);
			const text = renderReport(report, options.format);
			if (options.output) {
				writeFileSync(options.output, text);
				io.stderr(`${reportSummary(report)}\nCompliance report written to ${options.output}\n`);
			} else {
				io.stdout(text);
				io.stderr(`${reportSummary(report)}\n`);
			}
			if (report.coverage.files === 0) io.stderr(`fleetscope: no file to check under ${report.root} (the include globs match no file there)\n`);
			if (report.coverage.internalErrors.length > 0) {
				io.stderr(`fleetscope: internal error on ${report.coverage.internalErrors.length} file(s), please report it:\n${report.coverage.internalErrors.join('\n')}\n`);
				return 2;
			}
			// Findings do not fail the report: check --fail-on is the gate.
			return 0;
		}
		const { options } = command;
		const color = wantsColor(io);
		const run: RunOptions = { env: io.env, log: (line) => io.stderr(`fleetscope: ${line}\n`), now };
		// The terminal report is printed file by file as the check goes: nothing waits for the end, and
		// the findings of a large repository are not all held (the Kyverno library has 69,000).
		const streamed = options.format === 'text' && !options.output;
		if (streamed) {
			let text: TextReport | undefined;
			run.start = ({ root }) => (text = new TextReport({ root, cwd: io.cwd }, { color, verbose: options.verbose }));
			run.stream = (file) => {
				const lines = text!.file(file);
				if (lines === '') return undefined;
				io.stdout(lines);
				return io.stdoutRoom?.();
			};
		}
		const report = await runCheck(options, io.cwd, run);
		if (options.output) {
			// A report file never has colours; the terminal still gets the summary.
			writeFileSync(options.output, render(report, options, false));
			io.stderr(`${summaryLine(report, { color: false })}\nReport written to ${options.output}\n`);
		} else if (streamed) {
			io.stdout(`${summaryLine(report, { color })}\n`);
		} else {
			io.stdout(render(report, options, color));
		}
		if (report.files.length === 0) {
			// Exit 0, but a CI job pointed at the wrong directory should not pass in silence.
			io.stderr(`fleetscope: no file to check under ${report.root} (the include globs match no file there)\n`);
		}
		for (const l of report.live ?? []) {
			if (l.status === 'connected' || l.status === 'snapshot') continue;
			io.stderr(`fleetscope: warning: live state of ${l.cluster} (${l.source}): ${l.status}: ${l.message}\n`);
		}
		if (report.liveUnavailable && report.liveUnavailable.length > 0) {
			io.stderr(`fleetscope: no live state at all for ${report.liveUnavailable.length} requested cluster(s), so their live diagnostics are missing:\n${report.liveUnavailable.map((u) => `  ${u}`).join('\n')}\n`);
			return 2;
		}
		if (report.internalErrors.length > 0) {
			io.stderr(`fleetscope: internal error on ${report.internalErrors.length} file(s), please report it:\n${report.internalErrors.join('\n')}\n`);
			return 2;
		}
		const failed = (Object.keys(report.counts) as Severity[]).some((severity) => report.counts[severity] > 0 && failsAt(severity, options.failOn));
		return failed ? 1 : 0;
	} catch (e) {
		if (e instanceof UsageError) {
			io.stderr(`fleetscope: ${e.message}\nRun fleetscope --help for usage.\n`);
			return 2;
		}
		io.stderr(`fleetscope: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
		return 2;
	}
}

/** A yes/no question on the terminal: yes only for y or yes. */
async function askOnTerminal(question: string): Promise<boolean> {
	const rl = createInterface({ input: process.stdin, output: process.stderr });
	try {
		return /^y(es)?$/i.test((await rl.question(question)).trim());
	} finally {
		rl.close();
	}
}

/** Resolves when a stream has drained, or can take no more (closed: `check | head`, or failed). */
function roomIn(stream: NodeJS.WriteStream): Promise<void> {
	return new Promise((resolve) => {
		const done = () => {
			stream.off('drain', done).off('close', done).off('error', done);
			resolve();
		};
		stream.on('drain', done).on('close', done).on('error', done);
	});
}

if (require.main === module) {
	// A reader that stops early (`fleetscope check | head`) is not an error: what follows is not
	// printed, the command finishes (a promotion is not cut off half-way) and its exit code stands.
	let stdoutGone = false;
	process.stdout.on('error', (e: NodeJS.ErrnoException) => {
		if (e.code !== 'EPIPE') throw e;
		stdoutGone = true;
	});
	void cli(process.argv.slice(2), {
		cwd: process.cwd(),
		env: process.env,
		stdoutIsTty: process.stdout.isTTY === true,
		stdout: (s) => void (stdoutGone || process.stdout.write(s)),
		stderr: (s) => process.stderr.write(s),
		stdoutRoom: () => (!stdoutGone && process.stdout.writableNeedDrain ? roomIn(process.stdout) : undefined),
		confirm: process.stdin.isTTY ? askOnTerminal : undefined,
	}).then((code) => {
		// exitCode, not exit(): a large report piped to another process is flushed first.
		process.exitCode = code;
	});
}

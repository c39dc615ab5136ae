import * as path from 'node:path';
import type { Severity } from '../../engine/core/types';
import type { CheckReport, FileResult } from '../check';
import { splitMessage, summaryLine as messageLine, verboseDetail, wrap, type MessageParts } from './message-summary';

/** ANSI colours, applied only when the caller says the terminal wants them. */
const COLORS: Record<Severity | 'dim' | 'bold' | 'ok', string> = {
	error: '\u001b[31m',
	warning: '\u001b[33m',
	info: '\u001b[36m',
	hint: '\u001b[90m',
	dim: '\u001b[90m',
	bold: '\u001b[1m',
	ok: '\u001b[32m',
};
const RESET = '\u001b[0m';

export interface TextOptions {
	color: boolean;
	/** Also print each finding's why and fix (indented under it); by default one line per finding. */
	verbose?: boolean;
}

/** The longest terminal line a finding takes by default (a long path can make it longer, never the message). */
const LINE_BUDGET = 200;
/** Room the message keeps however long the path is. */
const MIN_MESSAGE = 90;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A root-relative report path as seen from the directory the CLI ran in (posix separators). */
export function fromCwd(report: Pick<CheckReport, 'cwd' | 'root'>, file: string): string {
	return path.relative(report.cwd, path.join(report.root, ...file.split('/'))).split(path.sep).join('/');
}

/**
 * The terminal report: one line per finding, `path:line:col  severity  rule  what (controls)` (1-based,
 * the path relative to the current directory, so editors and terminals open the place on click),
 * grouped per file with a blank line between files, then the summary line. Each line stays within
 * LINE_BUDGET characters (message-summary.ts); `verbose` adds the why and the fix under it.
 */
export function formatText(report: CheckReport, options: TextOptions): string {
	const text = new TextReport(report, options);
	return `${report.files.map((f) => text.file(f)).join('')}${summaryLine(report, options)}\n`;
}

/**
 * The terminal report one file at a time (`formatText` is its whole): the CLI prints each file's
 * lines as soon as the file is checked and keeps none of them.
 */
export class TextReport {
	// A repository repeats few messages many times (the Kyverno library: 471 distinct in 69,783 findings): split each once.
	private readonly split = new Map<string, MessageParts>();

	constructor(
		private readonly where: Pick<CheckReport, 'cwd' | 'root'>,
		private readonly options: TextOptions,
	) {}

	/** A file's lines and the blank line after them; nothing for a file without findings. */
	file(file: FileResult): string {
		if (file.findings.length === 0) return '';
		const paint = (style: keyof typeof COLORS, s: string) => (this.options.color ? `${COLORS[style]}${s}${RESET}` : s);
		const shown = fromCwd(this.where, file.path);
		const locations = file.findings.map((f) => `${shown}:${f.range.start.line + 1}:${f.range.start.character + 1}`);
		let locWidth = 0;
		let ruleWidth = 0;
		for (let i = 0; i < locations.length; i++) {
			locWidth = Math.max(locWidth, locations[i].length);
			ruleWidth = Math.max(ruleWidth, file.findings[i].ruleId.length);
		}
		const prefix = locWidth + 2 + 7 + 2 + ruleWidth + 2;
		// The line a message gets depends on the room the file's columns leave: the same within a file.
		const summaries = new Map<string, string>();
		const lines = file.findings.map((f, i) => {
			let parts = this.split.get(f.message);
			if (!parts) this.split.set(f.message, (parts = splitMessage(f.message)));
			let message = summaries.get(f.message);
			if (message === undefined) summaries.set(f.message, (message = messageLine(parts, Math.max(MIN_MESSAGE, LINE_BUDGET - prefix))));
			const head = `${locations[i].padEnd(locWidth)}  ${paint(f.severity, f.severity.padEnd(7))}  ${paint('dim', f.ruleId.padEnd(ruleWidth))}  ${message}`;
			const detail = this.options.verbose ? verboseDetail(parts, message) : '';
			if (detail === '') return head;
			return [head, ...wrap(detail, 96).map((l) => paint('dim', `    ${l}`))].join('\n');
		});
		return `${lines.join('\n')}\n\n`;
	}
}

/** One line: counts per severity, files checked, elapsed time and the settings file if one was read. */
export function summaryLine(report: CheckReport, options: TextOptions): string {
	const paint = (style: keyof typeof COLORS, s: string) => (options.color ? `${COLORS[style]}${s}${RESET}` : s);
	const counts = report.counts;
	const total = counts.error + counts.warning + counts.info + counts.hint;
	const config = report.config;
	const shownConfig = config === undefined ? undefined : path.isAbsolute(config) ? path.relative(report.cwd, config).split(path.sep).join('/') : fromCwd(report, config);
	const settings = shownConfig !== undefined ? ` · settings from ${shownConfig}` : '';
	const files = `${plural(report.files.length, 'file')} checked in ${formatElapsed(report.elapsedMs)}${settings}`;
	if (total === 0) return `${paint('ok', 'No problems found')} · ${files}`;
	const parts = [
		paint(counts.error > 0 ? 'error' : 'dim', plural(counts.error, 'error')),
		paint(counts.warning > 0 ? 'warning' : 'dim', plural(counts.warning, 'warning')),
		paint(counts.info > 0 ? 'info' : 'dim', `${counts.info} info`),
		paint('dim', plural(counts.hint, 'hint')),
	];
	return `${paint('bold', plural(total, 'problem'))} (${parts.join(', ')}) · ${files}`;
}

function formatElapsed(ms: number): string {
	return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

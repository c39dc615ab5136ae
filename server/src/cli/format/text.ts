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
		const findings = file.findings;
		const n = findings.length;
		if (n === 0) return '';
		const paint = (style: keyof typeof COLORS, s: string) => (this.options.color ? `${COLORS[style]}${s}${RESET}` : s);
		const shown = fromCwd(this.where, file.path);
		// A large repository's files have thousands of findings each (the Kyverno library: 69,000 in
		// 1,237 files) over a few rules and messages: the columns are made once per file and value.
		const locations = new Array<string>(n);
		let locWidth = 0;
		let ruleWidth = 0;
		for (let i = 0; i < n; i++) {
			const f = findings[i];
			const location = `${shown}:${f.range.start.line + 1}:${f.range.start.character + 1}`;
			locations[i] = location;
			if (location.length > locWidth) locWidth = location.length;
			if (f.ruleId.length > ruleWidth) ruleWidth = f.ruleId.length;
		}
		const prefix = locWidth + 2 + 7 + 2 + ruleWidth + 2;
		// The line a message gets depends on the room the file's columns leave: the same within a file.
		const columns = new Map<string, string>();
		const summaries = new Map<string, string>();
		let out = '';
		for (let i = 0; i < n; i++) {
			const f = findings[i];
			let parts = this.split.get(f.message);
			if (!parts) this.split.set(f.message, (parts = splitMessage(f.message)));
			let message = summaries.get(f.message);
			if (message === undefined) summaries.set(f.message, (message = messageLine(parts, Math.max(MIN_MESSAGE, LINE_BUDGET - prefix))));
			const key = `${f.severity}|${f.ruleId}`;
			let middle = columns.get(key);
			if (middle === undefined) columns.set(key, (middle = `  ${paint(f.severity, f.severity.padEnd(7))}  ${paint('dim', f.ruleId.padEnd(ruleWidth))}  `));
			out += `${locations[i].padEnd(locWidth)}${middle}${message}\n`;
			const detail = this.options.verbose ? verboseDetail(parts, message) : '';
			if (detail !== '') for (const l of wrap(detail, 96)) out += `${paint('dim', `    ${l}`)}\n`;
		}
		return `${out}\n`;
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

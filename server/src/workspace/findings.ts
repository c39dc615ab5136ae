import type { FindingCounts } from '../../../shared/protocol';
import type { FileAnalysis } from '../engine/analysis/engine';
import { reportFile, type ReportFile } from '../engine/report/model';

/**
 * The findings of a folder's files as last validated (the workspace scan, background
 * re-validation, an open document's analysis): what the explorer counts per cluster and builds the
 * Compliance view from, without validating anything again. Kept per file as the compliance report
 * keeps it (`ReportFile`), so the view and the report count the same way. Owned by its `Folder`.
 */
export class FolderFindings {
	private readonly files = new Map<string, Recorded>();
	private changes = 0;
	/** A derived value of the current findings (the folder's report), dropped at the next change. */
	private derived?: { key: string; value: unknown };

	/** Bumped at every change: what was derived from an earlier version is stale. */
	get version(): number {
		return this.changes;
	}

	/**
	 * The findings of a file as just validated (undefined analysis: it could not be read). `open`: the
	 * editor's analysis of an open document, made at every keystroke and held by the document anyway:
	 * its report entry (resources, lines, inline exemptions of the whole file) is made only when a view
	 * or the report reads it, not per keystroke.
	 */
	record(rel: string, analysis: FileAnalysis | undefined, open = false): void {
		const counts: FindingCounts = { error: 0, warning: 0, info: 0 };
		// Drift (Git versus live) has a view of its own; the counts are what `fleetscope check` finds.
		for (const f of analysis?.findings ?? []) if (f.severity !== 'hint' && f.data?.exempted === undefined && f.ruleId !== 'drift') counts[f.severity]++;
		this.files.set(rel, open ? { counts, pending: { rel, analysis } } : { counts, report: reportFile(rel, analysis) });
		this.changes++;
	}

	/** A file that no longer exists (or is no longer validated). */
	forget(rel: string): void {
		if (this.files.delete(rel)) this.changes++;
	}

	has(rel: string): boolean {
		return this.files.has(rel);
	}

	get size(): number {
		return this.files.size;
	}

	/** A file's finding counts (zero for a file not validated). */
	countsOf(rel: string): FindingCounts {
		return this.files.get(rel)?.counts ?? { error: 0, warning: 0, info: 0 };
	}

	/** The sum over these files. */
	sum(rels: Iterable<string>): FindingCounts {
		const out: FindingCounts = { error: 0, warning: 0, info: 0 };
		for (const rel of rels) {
			const c = this.files.get(rel)?.counts;
			if (!c) continue;
			out.error += c.error;
			out.warning += c.warning;
			out.info += c.info;
		}
		return out;
	}

	/** Every validated file, as the compliance report reads it, in path order. */
	reportFiles(): ReportFile[] {
		return [...this.files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, f]) => reportOf(f));
	}

	/** A value computed from the current findings, computed again only when they (or `key`) changed. */
	derive<T>(key: string, compute: () => T): T {
		const full = `${this.changes}|${key}`;
		if (this.derived?.key !== full) this.derived = { key: full, value: compute() };
		return this.derived.value as T;
	}
}

/** A file's findings as recorded: its counts, and its report entry or what makes it on first read. */
interface Recorded {
	counts: FindingCounts;
	report?: ReportFile;
	pending?: { rel: string; analysis: FileAnalysis | undefined };
}

function reportOf(f: Recorded): ReportFile {
	if (!f.report) {
		f.report = reportFile(f.pending!.rel, f.pending!.analysis);
		f.pending = undefined;
	}
	return f.report;
}

import type { DriftField, DriftObject, DriftReport } from '../../../../shared/protocol';
import { ago } from '../../../../shared/time';
import type { DriftLineFinding, DriftView } from '../context/check-context';

/**
 * Drift as diagnostics: each drifted field on the line that produced Git's value (the patch, the
 * `images` entry, the base), naming the cluster, the live value, who set it and when; a missing
 * object on its first line. Extraneous, unmanaged, unknown and skipped objects have no line in Git:
 * they show in the Drift view only. Several clusters with the same difference on one line make one
 * finding that names them all.
 */

const MAX_VALUE = 160;

/** A value as one short piece of YAML-ish text. */
function show(v: unknown): string {
	if (v === null || v === undefined) return 'absent';
	const s = typeof v === 'string' ? v : JSON.stringify(v);
	return s.length > MAX_VALUE ? `${s.slice(0, MAX_VALUE - 1)}…` : s;
}

function who(f: DriftField, now: Date): string {
	if (!f.manager) return '';
	const when = f.time ? ` ${ago(f.time, now)}` : '';
	return `, set by ${f.manager}${when}`;
}

const objectName = (o: DriftObject) => `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;

/** The drift findings of a report, by file. */
export function driftFindings(report: DriftReport, now: Date): Map<string, DriftLineFinding[]> {
	// One finding per (file, line, what differs): the clusters where it holds are named together.
	const groups = new Map<string, { file: string; line: number; clusters: string[]; text: (clusters: string) => string }>();
	const add = (file: string, line: number, key: string, cluster: string, text: (clusters: string) => string) => {
		const k = `${file}#${line}#${key}`;
		const g = groups.get(k);
		if (g) g.clusters.push(cluster);
		else groups.set(k, { file, line, clusters: [cluster], text });
	};
	for (const c of report.clusters) {
		for (const o of c.objects) {
			if (o.state === 'drifted') {
				for (const f of o.fields) {
					const at = f.source ?? o.source;
					if (!at) continue;
					add(at.file, at.line, `${objectName(o)}|${f.path}|${show(f.live)}|${f.manager}`, c.name, (clusters) => `${f.path} of ${objectName(o)} is ${show(f.live)} in ${clusters}${who(f, now)}; Git says ${show(f.desired)}. The sync reverts it, or keeps it where the controller ignores the field: change Git or the cluster so they agree.`);
				}
			} else if (o.state === 'missing' && o.source) {
				add(o.source.file, o.source.line, `${objectName(o)}|missing`, c.name, (clusters) => `${objectName(o)} is missing in ${clusters}: Git declares it but the cluster does not have it (deleted by hand, or the sync failed). ${o.reason ?? ''}`.trim());
			}
		}
	}
	const out = new Map<string, DriftLineFinding[]>();
	for (const g of groups.values()) {
		const clusters = g.clusters.length === 1 ? g.clusters[0] : `${g.clusters.slice(0, -1).join(', ')} and ${g.clusters[g.clusters.length - 1]}`;
		const list = out.get(g.file) ?? [];
		list.push({ line: g.line - 1, ruleId: 'drift', severity: 'info', message: g.text(clusters) });
		out.set(g.file, list);
	}
	return out;
}

/** The drift view the engine reads: findings by file, each file stamped by its findings' text. */
export class DriftFindings implements DriftView {
	constructor(private readonly byFile: ReadonlyMap<string, readonly DriftLineFinding[]>) {}

	static of(report: DriftReport, now: Date): DriftFindings {
		return new DriftFindings(driftFindings(report, now));
	}

	findings(path: string): readonly DriftLineFinding[] {
		return this.byFile.get(path) ?? [];
	}

	/** The files whose findings differ between two views (what must be analysed again). */
	static changed(before: DriftFindings | undefined, after: DriftFindings | undefined): Set<string> {
		const text = (v: DriftFindings | undefined, f: string) => JSON.stringify(v?.findings(f) ?? []);
		const files = new Set([...(before?.byFile.keys() ?? []), ...(after?.byFile.keys() ?? [])]);
		return new Set([...files].filter((f) => text(before, f) !== text(after, f)));
	}
}

/** The growth table: each size's cold time and peak RSS, the slopes, and the 100-cluster fleet. */
import type { GrowthPoint } from './growth';
import { fmtMiB, fmtMs, fmtSpread, slope, spreadOf, table } from './stats';

/** `fleet100`: the runs of the 100-cluster fleet (one row each). */
export function growthReport(points: readonly GrowthPoint[], fleet100: readonly GrowthPoint[]): string {
	const rows = [['size', 'files', 'clusters', 'resources', 'cold (wall)', 'cold CPU', 'rendered (wall)', 'rendered CPU', 'peak RSS']];
	const row = (size: string, p: GrowthPoint) => [size, p.files.toLocaleString('en-US'), String(p.clusters), p.resources.toLocaleString('en-US'), fmtMs(p.coldMs), fmtMs(p.coldCpuMs), fmtMs(p.renderedMs), fmtMs(p.renderedCpuMs), fmtMiB(p.peakRssMiB)];
	for (const p of points) rows.push(row(`${p.scale}x`, p));
	fleet100.forEach((p, i) => rows.push(row(`fleet ${p.clusters} clusters, run ${i + 1}`, p)));
	const fmt = (name: string, f: (p: GrowthPoint) => number, unit: string, per: number) => {
		const byFiles = slope(points.map((p) => ({ x: p.files, y: f(p) })));
		const byDocs = slope(points.map((p) => ({ x: p.resources, y: f(p) })));
		return byFiles && byDocs ? `${name} ${(byDocs.perUnit * per).toFixed(0)} ${unit} per 1,000 documents: documents^${byDocs.exponent.toFixed(2)}, files^${byFiles.exponent.toFixed(2)}` : `${name} —`;
	};
	const lines = [
		`Growth (workspace scan, nothing opened; one run per size, ${fleet100.length} of the 100-cluster fleet). Each cluster syncs every app of its environment, so`,
		'the documents (and what the clusters receive) grow as files × clusters: the slope is taken against documents.',
		table(rows),
		`slope: ${fmt('cold CPU', (p) => p.coldCpuMs, 'ms', 1000)}; ${fmt('rendered CPU', (p) => p.renderedCpuMs, 'ms', 1000)}; ${fmt('peak RSS', (p) => p.peakRssMiB, 'MiB', 1000)} (^1 is linear).`,
	];
	const typed = fleet100.filter((p) => p.bigEdit);
	if (typed.length) {
		const over = (f: (p: GrowthPoint) => number) => fmtSpread(spreadOf(typed.map(f)), fmtMs);
		lines.push(`fleet of ${typed[0].clusters} clusters: keystroke in the big file, median of ${typed.length} runs (min–max): p50 ${over((p) => p.bigEdit!.p50)}, p95 ${over((p) => p.bigEdit!.p95)}, max ${over((p) => p.bigEdit!.max)}.`);
	}
	return lines.join('\n');
}

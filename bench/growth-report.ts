/** The growth table: each size's cold time and peak RSS, the slopes, and the 100-cluster fleet. */
import type { GrowthPoint } from './growth';
import { fmtMiB, fmtMs, slope, table } from './stats';

export function growthReport(points: readonly GrowthPoint[], fleet100: GrowthPoint): string {
	const rows = [['size', 'files', 'clusters', 'resources', 'cold (wall)', 'cold CPU', 'rendered (wall)', 'rendered CPU', 'peak RSS']];
	for (const p of [...points, fleet100]) {
		rows.push([p === fleet100 ? `fleet ${p.clusters} clusters` : `${p.scale}x`, p.files.toLocaleString('en-US'), String(p.clusters), p.resources.toLocaleString('en-US'), fmtMs(p.coldMs), fmtMs(p.coldCpuMs), fmtMs(p.renderedMs), fmtMs(p.renderedCpuMs), fmtMiB(p.peakRssMiB)]);
	}
	const cpu = slope(points.map((p) => ({ x: p.files, y: p.coldCpuMs })));
	const rendered = slope(points.map((p) => ({ x: p.files, y: p.renderedCpuMs })));
	const rss = slope(points.map((p) => ({ x: p.files, y: p.peakRssMiB })));
	const lines = [
		'Growth (workspace scan, nothing opened; one run per size):',
		table(rows),
		`slope: cold CPU ${cpu ? `${(cpu.perUnit * 1000).toFixed(0)} ms per 1,000 files, size^${cpu.exponent.toFixed(2)}` : '—'}; ` +
			`rendered CPU ${rendered ? `${(rendered.perUnit * 1000).toFixed(0)} ms per 1,000 files, size^${rendered.exponent.toFixed(2)}` : '—'}; ` +
			`peak RSS ${rss ? `${(rss.perUnit * 1000).toFixed(0)} MiB per 1,000 files, size^${rss.exponent.toFixed(2)}` : '—'} (size^1 is linear).`,
	];
	if (fleet100.bigEdit) lines.push(`fleet of ${fleet100.clusters} clusters: keystroke in the big file p50 ${fmtMs(fleet100.bigEdit.p50)}, p95 ${fmtMs(fleet100.bigEdit.p95)}, max ${fmtMs(fleet100.bigEdit.max)}.`);
	return lines.join('\n');
}

/** Medians and spreads of repeated bench runs (the issue asks for medians of at least 3 runs, with the spread). */

export interface Spread {
	median: number;
	min: number;
	max: number;
	n: number;
}

export function spreadOf(values: readonly (number | undefined)[]): Spread | undefined {
	const xs = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
	if (xs.length === 0) return undefined;
	const mid = Math.floor(xs.length / 2);
	const median = xs.length % 2 === 1 ? xs[mid] : (xs[mid - 1] + xs[mid]) / 2;
	return { median, min: xs[0], max: xs[xs.length - 1], n: xs.length };
}

export function fmtMs(ms: number | undefined): string {
	if (ms === undefined) return '—';
	return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 100 ? `${Math.round(ms).toLocaleString('en-US')} ms` : `${ms.toFixed(1)} ms`;
}

export const fmtMiB = (m: number | undefined) => (m === undefined ? '—' : `${Math.round(m)} MiB`);

/** `median (min–max)`, or just the value for one run. */
export function fmtSpread(s: Spread | undefined, fmt: (v: number) => string): string {
	if (!s) return '—';
	return s.n === 1 ? fmt(s.median) : `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)})`;
}

/** Percentile of sorted samples (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
	const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
	return sorted[i];
}

export interface Latency {
	samples: number[];
	p50: number;
	p95: number;
	max: number;
}

export function latencyOf(samples: number[]): Latency {
	const sorted = [...samples].sort((a, b) => a - b);
	return { samples, p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted[sorted.length - 1] };
}

/** Least-squares slope of y over x, and how far the growth is from linear: y(last)/y(first) against x(last)/x(first). */
export function slope(points: readonly { x: number; y: number }[]): { perUnit: number; exponent: number } | undefined {
	if (points.length < 2) return undefined;
	const n = points.length;
	const mx = points.reduce((a, p) => a + p.x, 0) / n;
	const my = points.reduce((a, p) => a + p.y, 0) / n;
	const num = points.reduce((a, p) => a + (p.x - mx) * (p.y - my), 0);
	const den = points.reduce((a, p) => a + (p.x - mx) ** 2, 0);
	// Log-log slope between the smallest and the largest point: 1 is linear, above 1 superlinear.
	const first = points[0];
	const last = points[n - 1];
	const exponent = Math.log(last.y / first.y) / Math.log(last.x / first.x);
	return { perUnit: den === 0 ? 0 : num / den, exponent };
}

/** One target of the issue: what was measured, the bound, and whether it holds (undefined: not run). */
export interface Target {
	issue: string;
	name: string;
	measured: string;
	target: string;
	pass: boolean | undefined;
}

export function targetRows(targets: readonly Target[]): string[][] {
	return [['issue', 'target', 'measured (median of runs, spread)', 'bound', 'result'], ...targets.map((t) => [t.issue, t.name, t.measured, t.target, t.pass === undefined ? 'not run' : t.pass ? 'PASS' : 'MISS'])];
}

export function table(rows: string[][]): string {
	const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
	return rows
		.map((r, i) => {
			const line = r.map((cell, c) => (c === 0 ? (cell ?? '').padEnd(widths[c]) : (cell ?? '').padStart(widths[c]))).join('   ');
			return i === 0 ? `${line}\n${widths.map((w) => '-'.repeat(w)).join('   ')}` : line;
		})
		.join('\n');
}

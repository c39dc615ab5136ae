/**
 * Summarises a V8 `.cpuprofile` (from `BENCH_CPU_PROF=DIR npm run bench`): the functions with the
 * most self time and the most total (inclusive) time, with their bundle location, mapped back to
 * the TypeScript source when the bundle's map (`dist/server-program.js.map`) exists (dev build: `node esbuild.js`).
 *
 * Usage: node --import tsx bench/profile-summary.ts FILE.cpuprofile [TOP] [--from=MS] [--to=MS]
 * (--from/--to: only samples in that window, in ms since the profile started).
 */
import { existsSync, readFileSync } from 'node:fs';

interface CallFrame {
	functionName: string;
	url: string;
	lineNumber: number;
	columnNumber: number;
}
interface ProfileNode {
	id: number;
	callFrame: CallFrame;
	children?: number[];
	hitCount?: number;
}
interface Profile {
	nodes: ProfileNode[];
	samples: number[];
	timeDeltas: number[];
	startTime: number;
	endTime: number;
}

/** Maps bundle line/column to `source:line` with the source map's VLQ mappings (no dependency). */
function sourceMapper(mapFile: string): ((line: number, col: number) => string | undefined) | undefined {
	if (!existsSync(mapFile)) return undefined;
	const map = JSON.parse(readFileSync(mapFile, 'utf8')) as { sources: string[]; mappings: string };
	const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
	const decode = (s: string): number[] => {
		const out: number[] = [];
		let value = 0;
		let shift = 0;
		for (const ch of s) {
			const digit = chars.indexOf(ch);
			value += (digit & 31) << shift;
			if (digit & 32) shift += 5;
			else {
				out.push(value & 1 ? -(value >>> 1) : value >>> 1);
				value = 0;
				shift = 0;
			}
		}
		return out;
	};
	const lines: { col: number; src: number; line: number }[][] = [];
	let src = 0;
	let srcLine = 0;
	for (const lineText of map.mappings.split(';')) {
		const segs: { col: number; src: number; line: number }[] = [];
		let col = 0;
		for (const seg of lineText.split(',')) {
			if (!seg) continue;
			const v = decode(seg);
			col += v[0];
			if (v.length >= 4) {
				src += v[1];
				srcLine += v[2];
				segs.push({ col, src, line: srcLine });
			}
		}
		lines.push(segs);
	}
	return (line, col) => {
		const segs = lines[line];
		if (!segs || segs.length === 0) return undefined;
		let best = segs[0];
		for (const s of segs) if (s.col <= col) best = s;
		return `${map.sources[best.src].replace(/^(\.\.\/)+/, '')}:${best.line + 1}`;
	};
}

function main(): void {
	const positional = process.argv.slice(2).filter((a) => !a.startsWith('--'));
	const opt = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
	const file = positional[0];
	const top = Number(positional[1] ?? 25);
	const from = Number(opt('from') ?? 0);
	const to = Number(opt('to') ?? Infinity);
	const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
	const byId = new Map(profile.nodes.map((n) => [n.id, n]));
	const parent = new Map<number, number>();
	for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
	const selfMs = new Map<number, number>();
	let clock = 0;
	let windowMs = 0;
	profile.samples.forEach((id, i) => {
		const delta = (profile.timeDeltas[i] ?? 0) / 1000;
		clock += delta;
		if (clock < from || clock > to) return;
		windowMs += delta;
		selfMs.set(id, (selfMs.get(id) ?? 0) + delta);
	});
	const mappers = new Map<string, ReturnType<typeof sourceMapper>>();
	const where = (f: CallFrame): string => {
		if (!f.url) return '(native)';
		const path = f.url.replace(/^file:\/\//, '');
		if (!mappers.has(path)) mappers.set(path, sourceMapper(`${path}.map`));
		const mapped = mappers.get(path)?.(f.lineNumber, f.columnNumber);
		return mapped ?? `${path.replace(/^.*\/(node_modules\/)/, '$1').replace(/^.*\/dist\//, 'dist/')}:${f.lineNumber + 1}`;
	};
	const key = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'}  ${where(n.callFrame)}`;
	const self = new Map<string, number>();
	const total = new Map<string, number>();
	for (const [id, ms] of selfMs) {
		self.set(key(byId.get(id)!), (self.get(key(byId.get(id)!)) ?? 0) + ms);
		// Inclusive: each distinct function on the stack once.
		const seen = new Set<string>();
		for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
			const k = key(byId.get(cur)!);
			if (seen.has(k)) continue;
			seen.add(k);
			total.set(k, (total.get(k) ?? 0) + ms);
		}
	}
	const wall = Math.min((profile.endTime - profile.startTime) / 1000, windowMs || Infinity);
	const print = (title: string, m: Map<string, number>) => {
		console.log(`\n${title}`);
		for (const [k, ms] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${ms.toFixed(0).padStart(7)} ms  ${((100 * ms) / wall).toFixed(1).padStart(5)}%  ${k}`);
	};
	console.log(`profile ${file}: ${wall.toFixed(0)} ms wall`);
	print('self time', self);
	print('total time (inclusive)', total);
}

main();

/**
 * Growth (issue 14): the corpus at 1x, 2x and 4x its apps and clusters, in Fleetscope's own mode
 * (the workspace scan, nothing opened): cold time (every file has diagnostics), CPU time, and peak
 * RSS once every cluster is rendered and judged; then the slope. Plus a fleet of about 100 clusters
 * and 10,000 files: peak RSS under 1 GB, and typing in the 20,000-line file stays responsive.
 *
 * Corpora are generated into bench/.corpus-growth/ (gitignored by bench/.corpus*), once per size.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DEFAULT_SIZE, generateCorpus, SEED, type CorpusManifest, type CorpusSize } from './corpus';
import { allPublished, startFleetscope, typeAt, uriIn, COLD_TIMEOUT_MS } from './drive';
import type { Latency } from './stats';

export interface GrowthPoint {
	label: string;
	scale: number;
	files: number;
	clusters: number;
	resources: number;
	coldMs: number;
	coldCpuMs: number;
	renderedMs: number;
	renderedCpuMs: number;
	peakRssMiB: number;
	/** The 100-cluster fleet only: typing in the big file once everything is rendered. */
	bigEdit?: Latency;
}

export const GROWTH_SCALES = [1, 2, 4];
/** The 100-cluster fleet carries targets of its own (peak RSS, keystroke p95): medians of this many runs, as the issue asks. */
export const FLEET100_RUNS = 3;
/** About 100 clusters (3 environments × 34 regions) and 10,000 files. */
export const FLEET100: CorpusSize = { apps: 655, regions: 34 };

function corpusAt(dir: string, size: CorpusSize): CorpusManifest {
	const manifestFile = join(dir, 'manifest.json');
	if (existsSync(manifestFile)) {
		const m = JSON.parse(readFileSync(manifestFile, 'utf8')) as CorpusManifest & { size?: CorpusSize };
		if (m.seed === SEED && m.size?.apps === size.apps && m.size?.regions === size.regions) return m;
	}
	return generateCorpus(dir, size);
}

export async function runGrowthPoint(bin: string, label: string, scale: number, size: CorpusSize, typing: number): Promise<GrowthPoint> {
	const root = join(__dirname, '.corpus-growth', label);
	const manifest = corpusAt(root, size);
	const t0 = performance.now();
	const server = startFleetscope(bin, true);
	try {
		const scanned = allPublished(server, root, manifest.files, `growth ${label}`);
		await server.initialize(pathToFileURL(root).toString(), 'corpus');
		const lastAt = await scanned;
		const coldCpuMs = server.cpuMs();
		const rendered = await server.waitForLog(/^Rendered \d+ clusters/, COLD_TIMEOUT_MS);
		const renderedCpuMs = server.cpuMs();
		let bigEdit: Latency | undefined;
		if (typing > 0) {
			const uri = uriIn(root, manifest.bigFile.file);
			const opened = server.waitFor((p) => p.uri === uri && p.version === 1, 60_000, 'big file opened');
			await server.open(uri, readFileSync(join(root, manifest.bigFile.file), 'utf8'));
			await opened;
			bigEdit = await typeAt(server, root, manifest.bigFile, { edits: typing, versioned: true });
		}
		return {
			label,
			scale,
			files: manifest.files.length,
			clusters: size.regions * 3,
			resources: manifest.resources,
			coldMs: lastAt - t0,
			coldCpuMs,
			renderedMs: rendered.at - t0,
			renderedCpuMs,
			peakRssMiB: server.memory().peakMiB,
			bigEdit,
		};
	} finally {
		await server.stop();
	}
}

export async function runGrowth(bin: string, log: (s: string) => void, edits: number): Promise<{ points: GrowthPoint[]; fleet100: GrowthPoint[] }> {
	const points: GrowthPoint[] = [];
	for (const scale of GROWTH_SCALES) {
		const size = { apps: DEFAULT_SIZE.apps * scale, regions: DEFAULT_SIZE.regions * scale };
		log(`  growth ${scale}x: ${size.apps} apps, ${size.regions * 3} clusters…`);
		points.push(await runGrowthPoint(bin, `x${scale}`, scale, size, 0));
	}
	const fleet100: GrowthPoint[] = [];
	for (let run = 1; run <= FLEET100_RUNS; run++) {
		log(`  fleet of ${FLEET100.regions * 3} clusters, ${FLEET100.apps} apps (run ${run} of ${FLEET100_RUNS})…`);
		fleet100.push(await runGrowthPoint(bin, 'fleet100', FLEET100.apps / DEFAULT_SIZE.apps, FLEET100, edits));
	}
	return { points, fleet100 };
}

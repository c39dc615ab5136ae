/**
 * `npm run bench`: Fleetscope's language server against yaml-language-server on the same
 * synthetic fleet repository, over real LSP (stdio, JSON-RPC), one server at a time.
 * Prints a side-by-side table with ratios and the issue's targets; writes
 * `bench/.corpus/results.json`. It measures and prints; it asserts nothing (not a test).
 *
 * Options: --only=yls|fleetscope|scan|soak|opening|growth|kyverno (repeatable), --runs=N (default 3),
 * --edits=N (default 50), --keep-corpus. See bench/README.md for the method.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { generateCorpus, SEED, type CorpusManifest, type EditSpot } from './corpus';
import { cpuProfileArgs, fleetscopeArgs, fleetscopeEnvironment } from './drive';
import { LspServer, type Published } from './lsp';
import { buildYlsSchema } from './yls-schema';
import { complianceRules } from '../server/src/engine/rules/compliance';
import { peerNode } from './peer-node';
import { fmtMiB, fmtMs, fmtSpread, latencyOf, spreadOf, table, targetRows, type Latency, type Spread, type Target } from './stats';
import { runSoak, SOAK_CHECKPOINT, SOAK_EDITS, type SoakResult } from './soak';
import { runOpening, type OpeningResult } from './opening';
import { runGrowth, type GrowthPoint } from './growth';
import { kyvernoCorpus, runCliCase, type CliCaseResult } from './cli-case';
import { fmtSpeed, machineSpeed, type MachineSpeed } from './machine-speed';
import { growthReport } from './growth-report';

const ROOT = resolve(__dirname, '..');
const CORPUS = join(__dirname, '.corpus');
const YLS_BIN = join(ROOT, 'node_modules/yaml-language-server/bin/yaml-language-server');
/** BENCH_SERVER=FILE runs another build of the server (e.g. an unminified one for profiling). */
const FLEETSCOPE_BIN = process.env.BENCH_SERVER ? resolve(process.env.BENCH_SERVER) : join(ROOT, 'dist/server.js');
/** yaml-language-server waits this long after every change before validating (yamlSettings.validationDelayMs, not a setting). */
const YLS_DEBOUNCE_MS = 200;
const WARMUP_EDITS = 5;
/** Retags of the production overlay in the rendered-overlay case. */
const OVERLAY_EDITS = 5;
const COLD_TIMEOUT_MS = 15 * 60_000;

const args = process.argv.slice(2);
const only = args.filter((a) => a.startsWith('--only=')).map((a) => a.slice(7));
const EDITS = Number(args.find((a) => a.startsWith('--edits='))?.slice(8) ?? 50);
/** Each piece runs this many times (medians and spreads are reported); the growth runs once per size, the 100-cluster fleet FLEET100_RUNS times. */
const RUNS = Number(args.find((a) => a.startsWith('--runs='))?.slice(7) ?? 3);
/** The growth runs and the 100-cluster fleet take minutes: only with --only=growth or a full run. */
const wants = (what: string) => only.length === 0 || only.includes(what);

interface Detection {
	planted: number;
	found: number;
	missed: string[];
	/** Files with no planted mistake and no patch that got at least one error. */
	cleanFilesWithErrors: number;
	cleanFileErrorSamples: string[];
	/** Patch files (partial by design) that got errors. */
	patchFilesWithErrors: number;
	diagnostics: number;
}

interface RunResult {
	server: string;
	mode: string;
	coldMs: number;
	initMs: number;
	/** When the first file had diagnostics. */
	firstMs?: number;
	/** CPU time of the server process until every file had diagnostics (less sensitive than wall time to other load on the machine). */
	coldCpuMs: number;
	files: number;
	detection?: Detection;
	bigEdit?: Latency;
	smallEdit?: Latency;
	/** Workspace scan: when every cluster's render had been judged (after the files were published). */
	renderedMs?: number;
	renderedLog?: string;
	/** Workspace scan: an overlay retagged in the editor → its re-rendered diagnostics. */
	overlayEdit?: Latency;
	peakRssMiB: number;
	rssAfterColdMiB: number;
}

const uriOf = (rel: string) => pathToFileURL(join(CORPUS, rel)).toString();

/** Compliance rules: their findings on the corpus are real (it has no NetworkPolicies, say), not schema false positives. */
const COMPLIANCE_RULES = new Set(complianceRules.map((r) => r.id));

function detect(manifest: CorpusManifest, server: LspServer): Detection {
	// A false positive of validation: an error of a schema, YAML or fleet rule on a file with no planted mistake.
	const isError = (d: Diagnostic) => (d.severity === 1 || d.severity === undefined) && !COMPLIANCE_RULES.has(String(d.code));
	const plantedFiles = new Set(manifest.planted.map((p) => p.file));
	const patches = new Set(manifest.patchFiles);
	const missed: string[] = [];
	let found = 0;
	for (const p of manifest.planted) {
		const diags = server.latest.get(uriOf(p.file))?.diagnostics ?? [];
		// Inside the document, or just past its end (an unclosed flow mapping is reported where the document stops).
		const hit = diags.some((d) => (d.severity ?? 1) <= 2 && d.range.start.line >= p.startLine && d.range.start.line <= p.endLine + 2);
		if (hit) found++;
		else missed.push(`${p.file} (doc ${p.doc}, ${p.kind}: ${p.description})`);
	}
	let clean = 0;
	let patchErrors = 0;
	let diagnostics = 0;
	const samples: string[] = [];
	for (const rel of manifest.files) {
		const diags = server.latest.get(uriOf(rel))?.diagnostics ?? [];
		diagnostics += diags.length;
		if (plantedFiles.has(rel) || !diags.some(isError)) continue;
		if (patches.has(rel)) {
			patchErrors++;
			continue;
		}
		clean++;
		if (samples.length < 5) {
			const d = diags.find(isError)!;
			samples.push(`${rel}:${d.range.start.line + 1}: ${d.message.split('\n')[0]}`);
		}
	}
	return { planted: manifest.planted.length, found, missed, cleanFilesWithErrors: clean, cleanFileErrorSamples: samples, patchFilesWithErrors: patchErrors, diagnostics };
}

/** Types EDITS characters at the spot, one at a time, each time waiting for the diagnostics of the new version. */
async function typeInto(server: LspServer, spot: EditSpot, versioned: boolean): Promise<Latency> {
	const uri = uriOf(spot.file);
	let version = 1;
	const samples: number[] = [];
	for (let i = 0; i < WARMUP_EDITS + EDITS; i++) {
		version++;
		const pos = { line: spot.line, character: spot.character + i };
		const v = version;
		const next = server.waitFor((p) => p.uri === uri && (!versioned || p.version === v), 60_000, `${spot.file} version ${v}`);
		const t = performance.now();
		await server.change(uri, v, [{ range: { start: pos, end: pos }, text: 'abcdefghij'[i % 10] }]);
		const published = await next;
		if (i >= WARMUP_EDITS) samples.push(published.at - t);
	}
	return latencyOf(samples);
}

interface ServerSpec {
	name: string;
	/** The Node binary (default: this one). */
	node?: string;
	args: string[];
	configuration: (section: string | undefined) => unknown;
	/** Whether publishDiagnostics carries the document version. */
	versioned: boolean;
	/** Added to the bench's environment (Fleetscope: what the extension adds). */
	env?: Record<string, string>;
}

/** Cold start with every file opened through didOpen, then typing in the big and the small file. */
async function runOpenAll(spec: ServerSpec, manifest: CorpusManifest, texts: Map<string, string>): Promise<RunResult> {
	const t0 = performance.now();
	const server = LspServer.start(spec.name, spec.args, spec.configuration, spec.node, spec.env);
	try {
		await server.initialize(pathToFileURL(CORPUS).toString(), 'corpus');
		await server.roundTrip();
		const initMs = performance.now() - t0;
		const pending = new Set(manifest.files.map(uriOf));
		let firstMs: number | undefined;
		const allDone = new Promise<void>((resolveAll, reject) => {
			const timer = setTimeout(() => reject(new Error(`${spec.name}: ${pending.size} files still without diagnostics after ${COLD_TIMEOUT_MS} ms`)), COLD_TIMEOUT_MS);
			server.onExit((e) => (clearTimeout(timer), reject(e)));
			server.listen((p: Published) => {
				if (spec.versioned && p.version !== 1) return;
				firstMs ??= p.at - t0;
				pending.delete(p.uri);
				if (pending.size === 0) {
					clearTimeout(timer);
					resolveAll();
				}
			});
		});
		for (const rel of manifest.files) await server.open(uriOf(rel), texts.get(rel)!);
		await allDone;
		const coldMs = performance.now() - t0;
		const coldCpuMs = server.cpuMs();
		server.listen(undefined);
		const rssAfterColdMiB = server.memory().peakMiB;
		const detection = detect(manifest, server);
		log(`  ${spec.name}: cold ${fmtMs(coldMs)}; typing in the big file…`);
		const bigEdit = await typeInto(server, manifest.bigFile, spec.versioned);
		log(`  ${spec.name}: big file p50 ${fmtMs(bigEdit.p50)} p95 ${fmtMs(bigEdit.p95)}; typing in the small file…`);
		const smallEdit = await typeInto(server, manifest.smallFile, spec.versioned);
		// Fleetscope renders the clusters once typing pauses: its peak memory counts that work too.
		if (spec.name === 'Fleetscope') await server.waitForLog(/^Rendered \d+ clusters/, COLD_TIMEOUT_MS);
		const { peakMiB } = server.memory();
		return { server: spec.name, mode: 'didOpen every file', coldMs, coldCpuMs, initMs, firstMs, files: manifest.files.length, detection, bigEdit, smallEdit, peakRssMiB: peakMiB, rssAfterColdMiB };
	} finally {
		await server.stop();
	}
}

/** Fleetscope's own mode: nothing opened, the server scans the workspace folder from disk. */
/**
 * The rendered-overlay case: retag an image in a production overlay (in the editor, unsaved) and
 * time until the overlay's diagnostics name the new tag: the wait after typing stops, the fleet
 * rediscovered, the clusters that sync the overlay rendered again and judged, the files re-published.
 */
async function editOverlay(server: LspServer, manifest: CorpusManifest): Promise<Latency> {
	const rel = manifest.files.find((f) => /\/overlays\/prod\/kustomization\.yaml$/.test(f));
	if (!rel) throw new Error('the corpus has no production overlay');
	const uri = uriOf(rel);
	let text = readFileSync(join(CORPUS, rel), 'utf8');
	await server.open(uri, text);
	const samples: number[] = [];
	for (let i = 1; i <= OVERLAY_EDITS; i++) {
		const m = /newTag: (\S+)/.exec(text);
		if (!m) throw new Error(`${rel} sets no newTag`);
		const tag = `9.${i}.0`;
		const start = text.slice(0, m.index + 'newTag: '.length);
		const lines = start.split('\n');
		const pos = { line: lines.length - 1, character: lines[lines.length - 1].length };
		const seen = server.waitFor((p) => p.uri === uri && p.diagnostics.some((d) => d.message.includes(`:${tag} `)), 60_000, `${rel} retagged ${tag}`);
		const t = performance.now();
		await server.change(uri, i + 1, [{ range: { start: pos, end: { line: pos.line, character: pos.character + m[1].length } }, text: tag }]);
		text = text.slice(0, m.index + 'newTag: '.length) + tag + text.slice(m.index + m[0].length);
		samples.push((await seen).at - t);
	}
	return latencyOf(samples);
}

async function runScan(spec: ServerSpec, manifest: CorpusManifest): Promise<RunResult> {
	const t0 = performance.now();
	const pending = new Set(manifest.files.map(uriOf));
	let firstMs: number | undefined;
	const server = LspServer.start(spec.name, spec.args, spec.configuration, spec.node, spec.env);
	try {
		const allDone = new Promise<void>((resolveAll, reject) => {
			const timer = setTimeout(() => reject(new Error(`${spec.name}: ${pending.size} files not scanned after ${COLD_TIMEOUT_MS} ms`)), COLD_TIMEOUT_MS);
			server.onExit((e) => (clearTimeout(timer), reject(e)));
			server.listen((p) => {
				firstMs ??= p.at - t0;
				pending.delete(p.uri);
				if (pending.size === 0) {
					clearTimeout(timer);
					resolveAll();
				}
			});
		});
		await server.initialize(pathToFileURL(CORPUS).toString(), 'corpus');
		const initMs = performance.now() - t0;
		await allDone;
		const coldMs = performance.now() - t0;
		const coldCpuMs = server.cpuMs();
		const detection = detect(manifest, server);
		// Then every cluster's render judged (after the files: the scan publishes them first).
		const rendered = await server.waitForLog(/^Rendered \d+ clusters/, COLD_TIMEOUT_MS);
		const renderedMs = rendered.at - t0;
		log(`  ${spec.name}: ${rendered.message} (${fmtMs(renderedMs)} after start); editing an overlay…`);
		const overlayEdit = await editOverlay(server, manifest);
		const { peakMiB } = server.memory();
		return { server: spec.name, mode: 'workspace scan (nothing opened)', coldMs, coldCpuMs, initMs, firstMs, files: manifest.files.length, detection, peakRssMiB: peakMiB, rssAfterColdMiB: peakMiB, renderedMs, renderedLog: rendered.message, overlayEdit };
	} finally {
		await server.stop();
	}
}

// ---- output -------------------------------------------------------------------------------

function log(s: string): void {
	process.stdout.write(`${s}\n`);
}

/** The median and spread of one figure over the runs of a piece. */
const over = <T>(runs: readonly T[], f: (r: T) => number | undefined): Spread | undefined => spreadOf(runs.map(f));
const ms = (s: Spread | undefined) => fmtSpread(s, fmtMs);
const mib = (s: Spread | undefined) => fmtSpread(s, (v) => fmtMiB(v));
/** Ratio of medians, with the range of per-run ratios (runs are paired: run i of each server ran back to back). */
function ratioOf(a: readonly (number | undefined)[], b: readonly (number | undefined)[]): Spread | undefined {
	return spreadOf(a.map((x, i) => (x !== undefined && b[i] !== undefined && b[i]! > 0 ? x / b[i]! : undefined)));
}
const fmtRatio = (s: Spread | undefined) => fmtSpread(s, (v) => `${v.toFixed(1)}x`);
const MB = 1 / 1.048576;

export interface Results {
	/** The machine-speed workload before the first server and after the last (bench/machine-speed.ts). */
	speed: { start: MachineSpeed; end?: MachineSpeed };
	yls: RunResult[];
	fs: RunResult[];
	scan: RunResult[];
	soak: SoakResult[];
	opening: OpeningResult[];
	growth?: { points: GrowthPoint[]; fleet100: GrowthPoint[] };
	kyverno: CliCaseResult[];
}

function report(manifest: CorpusManifest, r: Results, bundle: ReturnType<typeof buildYlsSchema>, ylsVersion: string): { targets: Target[] } {
	const { yls, fs, scan } = r;
	log('');
	log(`Corpus: ${manifest.files.length} files, ${manifest.resources} resources, ${manifest.lines} lines, ${manifest.planted.length} planted mistakes (seed ${manifest.seed});`);
	log(`big file ${manifest.bigFile.file}: ${manifest.bigFile.lines} lines, ${manifest.bigFile.resources} documents; small file ${manifest.smallFile.file}: ${manifest.smallFile.lines} lines.`);
	log(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version} (yaml-language-server ${ylsVersion}). Latency: ${EDITS} single-character edits each (after ${WARMUP_EDITS} warm-up).`);
	log(`Each figure: median of ${RUNS} run${RUNS > 1 ? 's' : ''} (min–max). Wall times move with other load on the machine; CPU time and RSS much less.`);
	log(`Machine speed (the yaml package parsing the big file, bench/machine-speed.ts): ${fmtSpeed(r.speed.start)} before the first server, ${r.speed.end ? fmtSpeed(r.speed.end) : '—'} after the last.`);
	log('');
	const debounced = (l: Latency | undefined, q: 'p50' | 'p95') => (l ? Math.max(0, l[q] - YLS_DEBOUNCE_MS) : undefined);
	const row = (name: string, f: (x: RunResult) => number | undefined, fmt = ms, withRatio = true) => [name, fmt(over(yls, f)), fmt(over(fs, f)), withRatio ? fmtRatio(ratioOf(yls.map(f), fs.map(f))) : ''];
	const first = (runs: RunResult[]) => runs[0];
	const rows = [
		['', `yaml-language-server ${ylsVersion}`, 'Fleetscope', 'ratio yls/fleetscope'],
		row('cold: every file has diagnostics (didOpen all)', (x) => x.coldMs),
		row('  server CPU time (user+sys) until then', (x) => x.coldCpuMs),
		['  of which: initialize answered / first file diagnosed', `${ms(over(yls, (x) => x.initMs))} / ${ms(over(yls, (x) => x.firstMs))}`, `${ms(over(fs, (x) => x.initMs))} / ${ms(over(fs, (x) => x.firstMs))}`, ''],
		['cold: workspace scan, nothing opened', 'n/a (open files only)', ms(over(scan, (x) => x.coldMs)), fmtRatio(ratioOf(yls.map((x) => x.coldMs), scan.map((x) => x.coldMs)))],
		['  server CPU time (user+sys) until then', '—', ms(over(scan, (x) => x.coldCpuMs)), fmtRatio(ratioOf(yls.map((x) => x.coldCpuMs), scan.map((x) => x.coldCpuMs)))],
		row('keystroke → diagnostics, big file p50', (x) => x.bigEdit?.p50),
		row('keystroke → diagnostics, big file p95', (x) => x.bigEdit?.p95),
		row('keystroke → diagnostics, big file max', (x) => x.bigEdit?.max),
		[`  big file p95, yls without its fixed ${YLS_DEBOUNCE_MS} ms debounce`, ms(over(yls, (x) => debounced(x.bigEdit, 'p95'))), ms(over(fs, (x) => x.bigEdit?.p95)), ''],
		row('keystroke → diagnostics, small file p50', (x) => x.smallEdit?.p50),
		row('keystroke → diagnostics, small file p95', (x) => x.smallEdit?.p95),
		[`  small file p95, yls without its fixed ${YLS_DEBOUNCE_MS} ms debounce`, ms(over(yls, (x) => debounced(x.smallEdit, 'p95'))), ms(over(fs, (x) => x.smallEdit?.p95)), ''],
		row('peak RSS (VmHWM), didOpen run (after rendering)', (x) => x.peakRssMiB, mib),
		['peak RSS (VmHWM), workspace scan run (with the overlay edits)', '—', mib(over(scan, (x) => x.peakRssMiB)), ''],
		['rendered: every cluster judged, after start', 'n/a (no rendering)', ms(over(scan, (x) => x.renderedMs)), ''],
		['rendered overlay: retag → its diagnostics, p50 / max', 'n/a', `${ms(over(scan, (x) => x.overlayEdit?.p50))} / ${ms(over(scan, (x) => x.overlayEdit?.max))}`, ''],
		['planted mistakes reported (first run)', first(yls)?.detection ? `${first(yls).detection!.found}/${first(yls).detection!.planted}` : '—', first(fs)?.detection ? `${first(fs).detection!.found}/${first(fs).detection!.planted}` : '—', ''],
		['clean files with a schema, YAML or fleet error', first(yls)?.detection ? String(first(yls).detection!.cleanFilesWithErrors) : '—', first(fs)?.detection ? String(first(fs).detection!.cleanFilesWithErrors) : '—', ''],
		['kustomize patch files with an error', first(yls)?.detection ? `${first(yls).detection!.patchFilesWithErrors}/${manifest.patchFiles.length}` : '—', first(fs)?.detection ? `${first(fs).detection!.patchFilesWithErrors}/${manifest.patchFiles.length}` : '—', ''],
		['diagnostics in total', first(yls)?.detection ? String(first(yls).detection!.diagnostics) : '—', first(fs)?.detection ? String(first(fs).detection!.diagnostics) : '—', ''],
	];
	log(table(rows));
	log('');
	if (r.soak.length || r.opening.length || r.kyverno.length) {
		const extra = [['', 'Fleetscope', '']];
		if (r.soak.length) {
			extra.push([`soak: big file p95 after ${SOAK_CHECKPOINT} / after ${SOAK_EDITS} edits`, `${ms(over(r.soak, (x) => x.at40.p95))} / ${ms(over(r.soak, (x) => x.at400.p95))}`, '']);
			extra.push([`soak: peak RSS after ${SOAK_CHECKPOINT} / after ${SOAK_EDITS} edits`, `${mib(over(r.soak, (x) => x.peakAt40MiB))} / ${mib(over(r.soak, (x) => x.peakAt400MiB))}`, '']);
			extra.push([`soak: RSS now after ${SOAK_CHECKPOINT} / after ${SOAK_EDITS} edits`, `${mib(over(r.soak, (x) => x.rssAt40MiB))} / ${mib(over(r.soak, (x) => x.rssAt400MiB))}`, '']);
		}
		if (r.opening.length) {
			extra.push(['file opened as the scan starts → its diagnostics', ms(over(r.opening, (x) => x.duringScanMs)), '']);
			extra.push(['file opened while the renders run → its diagnostics', ms(over(r.opening, (x) => x.duringRenderMs)), r.opening.every((x) => x.renderStillRunning) ? '' : '(renders had ended in some runs)']);
			extra.push(['  then typing in it while the renders run, p95 / max', `${ms(over(r.opening, (x) => x.typingDuringRender.p95))} / ${ms(over(r.opening, (x) => x.typingDuringRender.max))}`, '']);
		}
		for (const k of r.kyverno.slice(0, 1)) extra.push([`CLI check of the Kyverno library (${k.files} YAML files): wall / CPU`, `${ms(over(r.kyverno, (x) => x.wallMs))} / ${ms(over(r.kyverno, (x) => x.cpuMs))}`, k.corpus]);
		if (r.kyverno.length) extra.push(['  peak RSS', mib(over(r.kyverno, (x) => x.peakRssMiB)), `${Math.round(r.kyverno[0].outputBytes / 1024).toLocaleString('en-US')} KiB of output`]);
		log(table(extra));
		log('');
	}
	if (r.growth) {
		log(growthReport(r.growth.points, r.growth.fleet100));
		log('');
	}

	// ---- the targets of issue 14 (and issue 11, section 6) ----
	const coldRatio = ratioOf(yls.map((x) => x.coldCpuMs), fs.map((x) => x.coldCpuMs));
	const coldWallRatio = ratioOf(yls.map((x) => x.coldMs), fs.map((x) => x.coldMs));
	const scanRatio = ratioOf(yls.map((x) => x.coldCpuMs), scan.map((x) => x.coldCpuMs));
	const holds = (s: Spread | undefined, ok: (v: number) => boolean) => (s ? ok(s.median) : undefined);
	const rssTarget = (name: string, s: Spread | undefined): Target => ({ issue: '#14', name, measured: mib(s), target: '≤ 250 MB', pass: holds(s, (v) => v / MB <= 250) });
	const soakGrowth = over(r.soak, (x) => (x.peakAt40MiB > 0 ? x.peakAt400MiB / x.peakAt40MiB - 1 : undefined));
	const targets: Target[] = [
		{ issue: '#14', name: 'cold, every file by didOpen: yls CPU time / Fleetscope CPU time', measured: `${fmtRatio(coldRatio)} (wall: ${fmtRatio(coldWallRatio)})`, target: '≥ 5x', pass: holds(coldRatio, (v) => v >= 5) },
		{ issue: '#14', name: 'cold, Fleetscope workspace scan vs yls didOpen (CPU time)', measured: fmtRatio(scanRatio), target: '≥ 5x', pass: holds(scanRatio, (v) => v >= 5) },
		{ issue: '#14', name: 'keystroke in the 20,000-line file: p95', measured: ms(over(fs, (x) => x.bigEdit?.p95)), target: '≤ 25 ms', pass: holds(over(fs, (x) => x.bigEdit?.p95), (v) => v <= 25) },
		{ issue: '#14', name: 'keystroke in the 20,000-line file: max', measured: ms(over(fs, (x) => x.bigEdit?.max)), target: '≤ 50 ms', pass: holds(over(fs, (x) => x.bigEdit?.max), (v) => v <= 50) },
		{ issue: '#14', name: 'keystroke in the small file: p95', measured: ms(over(fs, (x) => x.smallEdit?.p95)), target: '≤ 10 ms', pass: holds(over(fs, (x) => x.smallEdit?.p95), (v) => v <= 10) },
		{ issue: '#14', name: 'file opened while the scan and renders run: its diagnostics (worst of the two)', measured: ms(over(r.opening, (x) => Math.max(x.duringScanMs, x.duringRenderMs))), target: '≤ 300 ms', pass: holds(over(r.opening, (x) => Math.max(x.duringScanMs, x.duringRenderMs)), (v) => v <= 300) },
		rssTarget('peak RSS, every file open (after rendering)', over(fs, (x) => x.peakRssMiB)),
		rssTarget('peak RSS, workspace scan with the overlay edits (re-rendering)', over(scan, (x) => x.peakRssMiB)),
		rssTarget(`peak RSS, soak (${SOAK_EDITS} edits, scan on)`, over(r.soak, (x) => x.peakAt400MiB)),
		{ issue: '#14', name: 'retag in a production overlay → its re-rendered diagnostics (max)', measured: ms(over(scan, (x) => x.overlayEdit?.max)), target: '≤ 1 s', pass: holds(over(scan, (x) => x.overlayEdit?.max), (v) => v <= 1000) },
		{ issue: '#14', name: `soak: p95 over ${SOAK_EDITS} edits`, measured: ms(over(r.soak, (x) => x.at400.p95)), target: '≤ 25 ms', pass: holds(over(r.soak, (x) => x.at400.p95), (v) => v <= 25) },
		{ issue: '#14', name: `soak: peak RSS after ${SOAK_EDITS} edits over the figure after ${SOAK_CHECKPOINT}`, measured: fmtSpread(soakGrowth, (v) => `${v >= 0 ? '+' : ''}${(v * 100).toFixed(1)} %`), target: '≤ +10 %', pass: holds(soakGrowth, (v) => v <= 0.1) },
	];
	if (r.growth) {
		const { points, fleet100 } = r.growth;
		// Against the documents of the repository (files × clusters here: every cluster syncs every app of its environment).
		const g = (f: (p: GrowthPoint) => number, x: (p: GrowthPoint) => number) => {
			const a = points[0];
			const b = points[points.length - 1];
			return Math.log(f(b) / f(a)) / Math.log(x(b) / x(a));
		};
		const docs = (p: GrowthPoint) => p.resources;
		const files = (p: GrowthPoint) => p.files;
		const cold = g((p) => p.coldCpuMs, docs);
		const rss = g((p) => p.peakRssMiB, docs);
		const sizes = points.map((p) => `${p.scale}x`).join('/');
		targets.push({ issue: '#14', name: `growth ${sizes}: cold CPU time grows as documents^k (files^k)`, measured: `k = ${cold.toFixed(2)} (${g((p) => p.coldCpuMs, files).toFixed(2)})`, target: 'k ≤ 1 (linear)', pass: cold <= 1.05 });
		targets.push({ issue: '#14', name: `growth ${sizes}: peak RSS grows as documents^k (files^k)`, measured: `k = ${rss.toFixed(2)} (${g((p) => p.peakRssMiB, files).toFixed(2)})`, target: 'k ≤ 1 (linear)', pass: rss <= 1.05 });
		const peak100 = spreadOf(fleet100.map((p) => p.peakRssMiB));
		const typing100 = spreadOf(fleet100.map((p) => p.bigEdit?.p95));
		targets.push({ issue: '#14', name: `fleet of ${fleet100[0].clusters} clusters, ${fleet100[0].files.toLocaleString('en-US')} files: peak RSS`, measured: mib(peak100), target: '< 1 GB', pass: holds(peak100, (v) => v / MB < 1000) });
		targets.push({ issue: '#14', name: `fleet of ${fleet100[0].clusters} clusters: keystroke p95 in the big file`, measured: ms(typing100), target: '≤ 25 ms', pass: holds(typing100, (v) => v <= 25) });
	} else targets.push({ issue: '#14', name: 'growth 1x/2x/4x and the 100-cluster fleet', measured: '—', target: 'linear; < 1 GB', pass: undefined });
	const ky = r.kyverno;
	targets.push({ issue: '#11 §6', name: 'CLI check of the Kyverno library: wall time', measured: ms(over(ky, (x) => x.wallMs)), target: '< 2 s', pass: holds(over(ky, (x) => x.wallMs), (v) => v < 2000) });
	targets.push({ issue: '#11 §6', name: 'CLI check of the Kyverno library: CPU time', measured: ms(over(ky, (x) => x.cpuMs)), target: '(< 2 s)', pass: holds(over(ky, (x) => x.cpuMs), (v) => v < 2000) });
	targets.push({ issue: '#11 §6', name: 'CLI check of the Kyverno library: peak RSS', measured: mib(over(ky, (x) => x.peakRssMiB)), target: '< 200 MB', pass: holds(over(ky, (x) => x.peakRssMiB), (v) => v / MB < 200) });
	// Other pieces (drift, views, policies) add their rows here.
	log(table(targetRows(targets)));
	log('');
	log(`yaml-language-server ${ylsVersion} schema: local bundle bench/.corpus/.yls/corpus-schema.json, if/then dispatch by apiVersion+kind over ${Object.keys(bundle.covered).length} kinds`);
	log(`  (built-ins converted from schemas/kubernetes/fields.json, strict; CRDs/kustomization/own kinds from schemas/index.json). Its \`kubernetes\``);
	log(`  schema keyword fetches yannh/kubernetes-json-schema from GitHub, which this machine cannot reach: the local strict bundle stands in for it.`);
	if (bundle.missing.length) log(`  No schema for yaml-language-server (Fleetscope may still validate these): ${bundle.missing.join(', ')}.`);
	for (const x of [first(yls), first(fs), first(scan)]) {
		if (!x?.detection) continue;
		if (x.detection.missed.length) log(`${x.server} (${x.mode}) missed: ${x.detection.missed.slice(0, 6).join('; ')}${x.detection.missed.length > 6 ? ` … (${x.detection.missed.length})` : ''}`);
		if (x.detection.cleanFileErrorSamples.length) log(`${x.server} (${x.mode}) errors on clean files, e.g. ${x.detection.cleanFileErrorSamples.join(' | ')}`);
	}
	return { targets };
}

// ---- main -----------------------------------------------------------------------------------

async function main(): Promise<void> {
	const keep = args.includes('--keep-corpus') && existsSync(join(CORPUS, 'manifest.json'));
	const manifest: CorpusManifest = keep ? JSON.parse(readFileSync(join(CORPUS, 'manifest.json'), 'utf8')) : generateCorpus(CORPUS);
	if (manifest.seed !== SEED) throw new Error('corpus was generated with another seed; run without --keep-corpus');
	const texts = new Map(manifest.files.map((rel) => [rel, readFileSync(join(CORPUS, rel), 'utf8')]));

	const bundle = buildYlsSchema(ROOT, Object.keys(manifest.kinds));
	const schemaFile = join(CORPUS, '.yls', 'corpus-schema.json');
	mkdirSync(join(CORPUS, '.yls'), { recursive: true });
	writeFileSync(schemaFile, JSON.stringify(bundle.schema));

	const yamlSettings = {
		validate: true,
		hover: true,
		completion: true,
		format: { enable: false },
		// yaml-language-server matches with picomatch, whose `**` skips dot directories such as `.corpus`.
		schemas: { [schemaFile]: '.corpus/**/*.yaml' },
		schemaStore: { enable: false },
		kubernetesCRDStore: { enable: false },
	};
	const ylsVersion = (JSON.parse(readFileSync(join(ROOT, 'node_modules/yaml-language-server/package.json'), 'utf8')) as { version: string }).version;
	const ylsNode = wants('yls') ? peerNode(log) : undefined;
	const ylsSpec: ServerSpec = {
		name: 'yaml-language-server',
		node: ylsNode?.bin,
		args: [...cpuProfileArgs(), YLS_BIN, '--stdio'],
		configuration: (section) => (section === 'yaml' ? yamlSettings : section === 'http' ? { proxy: '', proxyStrictSSL: false } : {}),
		versioned: false,
	};
	const fsSpec = (validateWorkspace: boolean): ServerSpec => ({
		name: 'Fleetscope',
		node: process.env.BENCH_FLEETSCOPE_NODE,
		args: fleetscopeArgs(FLEETSCOPE_BIN),
		configuration: (section) => (section === 'fleetscope' ? { validateWorkspace } : {}),
		versioned: true,
		env: fleetscopeEnvironment(),
	});

	log(`Benchmark corpus ready: ${manifest.files.length} files, ${manifest.resources} resources.${ylsNode ? ` yaml-language-server ${ylsVersion} runs on Node ${ylsNode.version} (${ylsNode.bin}).` : ''}`);
	const results: Results = { speed: { start: machineSpeed(texts.get(manifest.bigFile.file)!) }, yls: [], fs: [], scan: [], soak: [], opening: [], kyverno: [] };
	const haveFleetscope = existsSync(FLEETSCOPE_BIN);
	if (!haveFleetscope) log(`${FLEETSCOPE_BIN} is missing: build first (npm run build). Fleetscope runs skipped.`);
	const kyverno = kyvernoCorpus(ROOT);
	for (let run = 1; run <= RUNS; run++) {
		log(`— run ${run} of ${RUNS}`);
		if (wants('yls')) {
			log(`yaml-language-server ${ylsVersion}, every file opened…`);
			results.yls.push(await runOpenAll(ylsSpec, manifest, texts));
		}
		if (!haveFleetscope) continue;
		if (wants('fleetscope')) {
			log('Fleetscope, every file opened (workspace scan off)…');
			results.fs.push(await runOpenAll(fsSpec(false), manifest, texts));
		}
		if (wants('scan')) {
			log('Fleetscope, workspace scan…');
			results.scan.push(await runScan(fsSpec(true), manifest));
		}
		if (wants('opening')) {
			log('Fleetscope, files opened while the scan and the renders run…');
			results.opening.push(await runOpening(FLEETSCOPE_BIN, CORPUS, manifest));
		}
		if (wants('soak')) {
			log(`Fleetscope, soak: ${SOAK_EDITS} edits in the big file…`);
			results.soak.push(await runSoak(FLEETSCOPE_BIN, CORPUS, manifest));
		}
		if (wants('kyverno')) {
			const cli = join(dirname(FLEETSCOPE_BIN), 'cli.js');
			if (kyverno && existsSync(cli)) {
				log(`Fleetscope CLI, check of ${kyverno}…`);
				results.kyverno.push(await runCliCase(cli, kyverno));
			} else if (run === 1) log('The Kyverno policy library is not there (test/fixtures/kyverno-policies, ../shared/conformance/kyverno-policies): its case is skipped.');
		}
	}
	if (haveFleetscope && (only.includes('growth') || only.length === 0)) {
		log('Fleetscope, growth: the corpus at 1x, 2x and 4x, and a 100-cluster fleet…');
		results.growth = await runGrowth(FLEETSCOPE_BIN, log, EDITS);
	}
	results.speed.end = machineSpeed(texts.get(manifest.bigFile.file)!);
	const { targets } = report(manifest, results, bundle, ylsVersion);
	const out = join(CORPUS, 'results.json');
	const strip = (r: RunResult) => ({ ...r, detection: r.detection && { ...r.detection, missed: r.detection.missed.slice(0, 20) } });
	writeFileSync(
		out,
		`${JSON.stringify(
			{
				date: new Date().toISOString(),
				machine: { cpus: cpus().length, model: cpus()[0]?.model, memGiB: Math.round(totalmem() / 2 ** 30), node: process.version, ylsNode: ylsNode?.version },
				corpus: { files: manifest.files.length, resources: manifest.resources, lines: manifest.lines, planted: manifest.planted.length, seed: manifest.seed, bigFile: manifest.bigFile, smallFile: manifest.smallFile },
				runs: RUNS,
				edits: EDITS,
				warmupEdits: WARMUP_EDITS,
				ylsVersion,
				ylsDebounceMs: YLS_DEBOUNCE_MS,
				ylsSchema: { covered: bundle.covered, missing: bundle.missing },
				results: { ...results, yls: results.yls.map(strip), fs: results.fs.map(strip), scan: results.scan.map(strip) },
				targets,
			},
			null,
			'\t',
		)}\n`,
	);
	log(`Results written to ${out}`);
}

main().then(
	() => process.exit(0),
	(e) => {
		console.error(e instanceof Error ? e.stack : e);
		process.exit(1);
	},
);

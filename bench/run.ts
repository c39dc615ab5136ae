/**
 * `npm run bench`: Fleetscope's language server against yaml-language-server on the same
 * synthetic fleet repository, over real LSP (stdio, JSON-RPC), one server at a time.
 * Prints a side-by-side table with ratios and the issue's targets; writes
 * `bench/.corpus/results.json`. It measures and prints; it asserts nothing (not a test).
 *
 * Options: --only=yls|fleetscope|scan (repeatable), --edits=N (default 50), --keep-corpus.
 * See bench/README.md for the method.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { generateCorpus, SEED, type CorpusManifest, type EditSpot } from './corpus';
import { LspServer, type Published } from './lsp';
import { buildYlsSchema } from './yls-schema';
import { complianceRules } from '../server/src/engine/rules/compliance';

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
const wants = (what: string) => only.length === 0 || only.includes(what);

interface Latency {
	samples: number[];
	p50: number;
	p95: number;
	max: number;
}

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

function percentile(sorted: number[], p: number): number {
	const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
	return sorted[i];
}

function latencyOf(samples: number[]): Latency {
	const sorted = [...samples].sort((a, b) => a - b);
	return { samples, p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted[sorted.length - 1] };
}

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
	args: string[];
	configuration: (section: string | undefined) => unknown;
	/** Whether publishDiagnostics carries the document version. */
	versioned: boolean;
}

/** Cold start with every file opened through didOpen, then typing in the big and the small file. */
async function runOpenAll(spec: ServerSpec, manifest: CorpusManifest, texts: Map<string, string>): Promise<RunResult> {
	const t0 = performance.now();
	const server = LspServer.start(spec.name, spec.args, spec.configuration);
	try {
		await server.initialize(pathToFileURL(CORPUS).toString(), 'corpus');
		await server.roundTrip();
		const initMs = performance.now() - t0;
		const pending = new Set(manifest.files.map(uriOf));
		let firstMs: number | undefined;
		const allDone = new Promise<void>((resolveAll, reject) => {
			const timer = setTimeout(() => reject(new Error(`${spec.name}: ${pending.size} files still without diagnostics after ${COLD_TIMEOUT_MS} ms`)), COLD_TIMEOUT_MS);
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
	const server = LspServer.start(spec.name, spec.args, spec.configuration);
	try {
		const allDone = new Promise<void>((resolveAll, reject) => {
			const timer = setTimeout(() => reject(new Error(`${spec.name}: ${pending.size} files not scanned after ${COLD_TIMEOUT_MS} ms`)), COLD_TIMEOUT_MS);
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

function fmtMs(ms: number | undefined): string {
	if (ms === undefined) return '—';
	return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 100 ? `${Math.round(ms)} ms` : `${ms.toFixed(1)} ms`;
}

const fmtMiB = (m: number | undefined) => (m === undefined ? '—' : `${Math.round(m)} MiB`);
const ratio = (yls: number | undefined, fs: number | undefined) => (yls === undefined || fs === undefined || fs <= 0 ? '—' : `${(yls / fs).toFixed(1)}x`);

function table(rows: string[][]): string {
	const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
	return rows.map((r, i) => {
		const line = r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('   ');
		return i === 0 ? `${line}\n${widths.map((w) => '-'.repeat(w)).join('   ')}` : line;
	}).join('\n');
}

interface Target {
	name: string;
	measured: string;
	target: string;
	pass: boolean | undefined;
}

function report(manifest: CorpusManifest, yls: RunResult | undefined, fs: RunResult | undefined, scan: RunResult | undefined, bundle: ReturnType<typeof buildYlsSchema>): { targets: Target[] } {
	log('');
	log(`Corpus: ${manifest.files.length} files, ${manifest.resources} resources, ${manifest.lines} lines, ${manifest.planted.length} planted mistakes (seed ${manifest.seed});`);
	log(`big file ${manifest.bigFile.file}: ${manifest.bigFile.lines} lines, ${manifest.bigFile.resources} documents; small file ${manifest.smallFile.file}: ${manifest.smallFile.lines} lines.`);
	log(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}. Latency: ${EDITS} single-character edits each (after ${WARMUP_EDITS} warm-up).`);
	log('');
	const debounced = (l: Latency | undefined, q: 'p50' | 'p95') => (l ? Math.max(0, l[q] - YLS_DEBOUNCE_MS) : undefined);
	const rows = [
		['', 'yaml-language-server', 'Fleetscope', 'ratio yls/fleetscope'],
		['cold: every file has diagnostics (didOpen all)', fmtMs(yls?.coldMs), fmtMs(fs?.coldMs), ratio(yls?.coldMs, fs?.coldMs)],
		['  server CPU time (user+sys) until then', fmtMs(yls?.coldCpuMs), fmtMs(fs?.coldCpuMs), ratio(yls?.coldCpuMs, fs?.coldCpuMs)],
		['  of which: initialize answered / first file diagnosed', yls ? `${fmtMs(yls.initMs)} / ${fmtMs(yls.firstMs)}` : '—', fs ? `${fmtMs(fs.initMs)} / ${fmtMs(fs.firstMs)}` : '—', ''],
		['cold: workspace scan, nothing opened', 'n/a (open files only)', fmtMs(scan?.coldMs), ratio(yls?.coldMs, scan?.coldMs)],
		['  server CPU time (user+sys) until then', '—', fmtMs(scan?.coldCpuMs), ratio(yls?.coldCpuMs, scan?.coldCpuMs)],
		['keystroke → diagnostics, big file p50', fmtMs(yls?.bigEdit?.p50), fmtMs(fs?.bigEdit?.p50), ratio(yls?.bigEdit?.p50, fs?.bigEdit?.p50)],
		['keystroke → diagnostics, big file p95', fmtMs(yls?.bigEdit?.p95), fmtMs(fs?.bigEdit?.p95), ratio(yls?.bigEdit?.p95, fs?.bigEdit?.p95)],
		[`  same, yls without its fixed ${YLS_DEBOUNCE_MS} ms debounce`, fmtMs(debounced(yls?.bigEdit, 'p95')), fmtMs(fs?.bigEdit?.p95), ratio(debounced(yls?.bigEdit, 'p95'), fs?.bigEdit?.p95)],
		['keystroke → diagnostics, small file p50', fmtMs(yls?.smallEdit?.p50), fmtMs(fs?.smallEdit?.p50), ratio(yls?.smallEdit?.p50, fs?.smallEdit?.p50)],
		['keystroke → diagnostics, small file p95', fmtMs(yls?.smallEdit?.p95), fmtMs(fs?.smallEdit?.p95), ratio(yls?.smallEdit?.p95, fs?.smallEdit?.p95)],
		[`  same, yls without its fixed ${YLS_DEBOUNCE_MS} ms debounce`, fmtMs(debounced(yls?.smallEdit, 'p95')), fmtMs(fs?.smallEdit?.p95), ratio(debounced(yls?.smallEdit, 'p95'), fs?.smallEdit?.p95)],
		['peak RSS (VmHWM), didOpen run', fmtMiB(yls?.peakRssMiB), fmtMiB(fs?.peakRssMiB), ratio(yls?.peakRssMiB, fs?.peakRssMiB)],
		['peak RSS (VmHWM), workspace scan run', '—', fmtMiB(scan?.peakRssMiB), '—'],
		['rendered: every cluster judged, after start', 'n/a (no rendering)', fmtMs(scan?.renderedMs), '—'],
		['rendered overlay: retag → its diagnostics, p50 / max', 'n/a', scan?.overlayEdit ? `${fmtMs(scan.overlayEdit.p50)} / ${fmtMs(scan.overlayEdit.max)}` : '—', '—'],
		['planted mistakes reported', yls?.detection ? `${yls.detection.found}/${yls.detection.planted}` : '—', fs?.detection ? `${fs.detection.found}/${fs.detection.planted}` : '—', ''],
		['clean files with a schema, YAML or fleet error', yls?.detection ? String(yls.detection.cleanFilesWithErrors) : '—', fs?.detection ? String(fs.detection.cleanFilesWithErrors) : '—', ''],
		['kustomize patch files with an error', yls?.detection ? `${yls.detection.patchFilesWithErrors}/${manifest.patchFiles.length}` : '—', fs?.detection ? `${fs.detection.patchFilesWithErrors}/${manifest.patchFiles.length}` : '—', ''],
		['diagnostics in total', yls?.detection ? String(yls.detection.diagnostics) : '—', fs?.detection ? String(fs.detection.diagnostics) : '—', ''],
	];
	log(table(rows));
	log('');

	const coldRatio = (other: RunResult | undefined) => (yls && other ? yls.coldMs / other.coldMs : undefined);
	const coldTarget = (name: string, other: RunResult | undefined): Target => {
		const r = coldRatio(other);
		return { name, measured: r ? `${r.toFixed(1)}x` : '—', target: '≥ 3x', pass: r === undefined ? undefined : r >= 3 };
	};
	const rssTarget = (name: string, r: RunResult | undefined): Target => ({
		name,
		measured: fmtMiB(r?.peakRssMiB),
		target: '≤ 300 MB',
		pass: r ? r.peakRssMiB * 1.048576 <= 300 : undefined,
	});
	const targets: Target[] = [
		coldTarget('cold, like for like: both servers get every file by didOpen', fs),
		coldTarget('cold, Fleetscope workspace scan vs yls didOpen', scan),
		{ name: 'keystroke in the 20,000-line file: diagnostics p95', measured: fmtMs(fs?.bigEdit?.p95), target: '≤ 25 ms', pass: fs?.bigEdit ? fs.bigEdit.p95 <= 25 : undefined },
		rssTarget('peak RSS, workspace scan (files validated, not open)', scan),
		rssTarget('peak RSS, all 2,035 files open in the editor', fs),
	];
	log(table([['target', 'measured', 'target', 'result'], ...targets.map((t) => [t.name, t.measured, t.target, t.pass === undefined ? 'not run' : t.pass ? 'PASS' : 'FAIL'])]));
	log('');
	log(`yaml-language-server schema: local bundle bench/.corpus/.yls/corpus-schema.json, if/then dispatch by apiVersion+kind over ${Object.keys(bundle.covered).length} kinds`);
	log(`  (built-ins converted from schemas/kubernetes/fields.json, strict; CRDs/kustomization/own kinds from schemas/index.json).`);
	if (bundle.missing.length) log(`  No schema for yaml-language-server (Fleetscope may still validate these): ${bundle.missing.join(', ')}.`);
	for (const r of [yls, fs, scan]) {
		if (!r?.detection) continue;
		if (r.detection.missed.length) log(`${r.server} (${r.mode}) missed: ${r.detection.missed.slice(0, 6).join('; ')}${r.detection.missed.length > 6 ? ` … (${r.detection.missed.length})` : ''}`);
		if (r.detection.cleanFileErrorSamples.length) log(`${r.server} (${r.mode}) errors on clean files, e.g. ${r.detection.cleanFileErrorSamples.join(' | ')}`);
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
	// BENCH_CPU_PROF=DIR: write a V8 CPU profile of each server run into DIR (bench/profile-summary.ts reads it).
	const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${resolve(process.env.BENCH_CPU_PROF)}`] : [];
	const ylsSpec: ServerSpec = {
		name: 'yaml-language-server',
		args: [...prof, YLS_BIN, '--stdio'],
		configuration: (section) => (section === 'yaml' ? yamlSettings : section === 'http' ? { proxy: '', proxyStrictSSL: false } : {}),
		versioned: false,
	};
	const fsSpec = (validateWorkspace: boolean): ServerSpec => ({
		name: 'Fleetscope',
		args: [...prof, ...(process.env.BENCH_NODE_FLAGS ? process.env.BENCH_NODE_FLAGS.split(' ') : []), FLEETSCOPE_BIN, '--stdio'],
		configuration: (section) => (section === 'fleetscope' ? { validateWorkspace } : {}),
		versioned: true,
	});

	log(`Benchmark corpus ready: ${manifest.files.length} files, ${manifest.resources} resources.`);
	let yls: RunResult | undefined;
	let fs: RunResult | undefined;
	let scan: RunResult | undefined;
	if (wants('yls')) {
		log('yaml-language-server 1.x, every file opened…');
		yls = await runOpenAll(ylsSpec, manifest, texts);
	}
	const haveFleetscope = existsSync(FLEETSCOPE_BIN);
	if (!haveFleetscope) log(`${FLEETSCOPE_BIN} is missing: build first (npm run build). Fleetscope runs skipped.`);
	if (haveFleetscope && wants('fleetscope')) {
		log('Fleetscope, every file opened (workspace scan off)…');
		fs = await runOpenAll(fsSpec(false), manifest, texts);
	}
	if (haveFleetscope && wants('scan')) {
		log('Fleetscope, workspace scan…');
		scan = await runScan(fsSpec(true), manifest);
	}
	const { targets } = report(manifest, yls, fs, scan, bundle);
	const out = join(CORPUS, 'results.json');
	const strip = (r: RunResult | undefined) => r && { ...r, detection: r.detection && { ...r.detection, missed: r.detection.missed.slice(0, 20) } };
	writeFileSync(
		out,
		`${JSON.stringify(
			{
				date: new Date().toISOString(),
				machine: { cpus: cpus().length, model: cpus()[0]?.model, memGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
				corpus: { files: manifest.files.length, resources: manifest.resources, lines: manifest.lines, planted: manifest.planted.length, seed: manifest.seed, bigFile: manifest.bigFile, smallFile: manifest.smallFile },
				edits: EDITS,
				warmupEdits: WARMUP_EDITS,
				ylsDebounceMs: YLS_DEBOUNCE_MS,
				ylsSchema: { covered: bundle.covered, missing: bundle.missing },
				runs: { yls: strip(yls), fleetscope: strip(fs), fleetscopeScan: strip(scan) },
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

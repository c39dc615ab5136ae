import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { defaultSettings, normaliseSettings, type FleetscopeSettings } from '../../../shared/settings';
import { Engine, type FileAnalysis } from '../engine/analysis/engine';
import { RepoIndex } from '../engine/context/repo-index';
import { withSettingsFile } from '../engine/core/settings-file';
import { SEVERITY_ORDER, type Finding, type Severity } from '../engine/core/types';
import { nodeEngineDeps } from '../host/engine-deps';
import { loadFleet } from '../host/fleet';
import { nodeFileSystem } from '../host/node-fs';
import { analyzeLoaded, loadRepoFile } from '../host/validate-file';
import { UsageError, type WalkOptions } from './args';
import { findConfig, loadConfig, type LoadedConfig } from './config';
import { liveFindings, loadLiveTargets, type LiveSummary } from './live';
import { ObjectSet } from '../engine/core/objects';
import { generatedObjectsOf } from '../engine/kustomize/generated-objects';
import { isKustomizationFile } from '../engine/core/paths';

/** The findings of one checked file; `path` is relative to the checked root, posix. */
export interface FileResult {
	path: string;
	findings: Finding[];
}

/** Everything a report format needs. */
export interface CheckReport {
	/** Absolute path of the checked root: the single directory argument, else the current directory (or the common directory of the paths). */
	root: string;
	/** Absolute path of the directory the CLI ran in: the text report shows paths relative to it, so a terminal opens them on click. */
	cwd: string;
	/** Every checked file, in path order, with its findings in position order. */
	files: FileResult[];
	elapsedMs: number;
	/** The settings file used, relative to the root when inside it (posix), else absolute. */
	config?: string;
	/** Files the engine failed on (a bug): `path: error`. The report still has every other file; the exit code is 2. */
	internalErrors: string[];
	/** The clusters of `--context` / `--snapshot`, with their status; absent without them. */
	live?: LiveSummary[];
	/** Requested clusters for which no state at all could be had (the exit code is 2). */
	liveUnavailable?: string[];
}

/** The settings of a CLI run: the editor's defaults, then the settings file, then the flags. */
export function cliSettings(options: WalkOptions, config?: LoadedConfig): FleetscopeSettings {
	// The file over the defaults as the editor applies it over the user's settings; flags over both.
	const raw: Record<string, unknown> = { ...withSettingsFile(defaultSettings(), config?.settings) };
	if (options.kubernetesVersion) raw.kubernetesVersion = options.kubernetesVersion;
	if (options.pssLevel) raw['podSecurity.level'] = options.pssLevel;
	if (options.profiles) raw['compliance.profiles'] = options.profiles;
	if (options.productionEscalation !== undefined) raw['compliance.productionEscalation'] = options.productionEscalation;
	if (options.render === false) raw['fleet.render'] = false;
	return normaliseSettings(raw);
}

interface Targets {
	root: string;
	/** Directories to walk, relative to the root ('' = the root itself). */
	dirs: string[];
	/** Files named on the command line, relative to the root. */
	files: string[];
}

const toPosix = (p: string) => p.split(path.sep).join('/');

function isInside(dir: string, p: string): boolean {
	const rel = path.relative(dir, p);
	return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function commonDirectory(paths: string[]): string {
	let common = paths[0];
	while (!paths.every((p) => isInside(common, p))) common = path.dirname(common);
	return common;
}

/** Resolves the PATH arguments: which root, which directories to walk, which single files. */
async function resolveTargets(args: string[], cwd: string): Promise<Targets> {
	if (args.length === 0) return { root: cwd, dirs: [''], files: [] };
	const resolved: { abs: string; dir: boolean }[] = [];
	for (const arg of args) {
		const abs = path.resolve(cwd, arg);
		let st;
		try {
			st = await fsp.stat(abs);
		} catch {
			throw new UsageError(`${arg}: no such file or directory`);
		}
		if (!st.isDirectory() && !st.isFile()) throw new UsageError(`${arg}: not a file or directory`);
		resolved.push({ abs, dir: st.isDirectory() });
	}
	if (resolved.length === 1 && resolved[0].dir) return { root: resolved[0].abs, dirs: [''], files: [] };
	const anchors = resolved.map((r) => (r.dir ? r.abs : path.dirname(r.abs)));
	const root = anchors.every((a) => isInside(cwd, a)) ? cwd : commonDirectory(anchors);
	const rel = (abs: string) => toPosix(path.relative(root, abs));
	return { root, dirs: resolved.filter((r) => r.dir).map((r) => rel(r.abs)), files: resolved.filter((r) => !r.dir).map((r) => rel(r.abs)) };
}

function byPosition(a: Finding, b: Finding): number {
	const ra = a.range.start;
	const rb = b.range.start;
	return ra.line - rb.line || ra.character - rb.character || SEVERITY_ORDER[b.severity] - SEVERITY_ORDER[a.severity];
}

/** What a caller of `runCheck` may see besides the report (the compliance report needs more than findings). */
export interface CheckHooks {
	/** Called once, before the first file, with the settings and repository index of the run. */
	start?(run: { settings: FleetscopeSettings; repo: RepoIndex; engine: Engine }): void;
	/** Called for every checked file with its analysis (undefined: it could not be read). */
	file?(path: string, analysis: FileAnalysis | undefined): void;
}

/** How `runCheck` runs: hooks for the report, the environment (KUBECONFIG) and where live-state notes go. */
export interface RunOptions extends CheckHooks {
	env?: NodeJS.ProcessEnv;
	log?: (line: string) => void;
	/** The clock of date-dependent rules (DR test age, end of support, exemption expiry); tests pin it. */
	now?: () => Date;
}

/**
 * Runs the check: builds the same engine as the language server, indexes the checked root,
 * and validates every included YAML file under the directory arguments plus every file argument.
 */
export async function runCheck(options: WalkOptions, cwd: string, run: RunOptions = {}): Promise<CheckReport> {
	const { env = process.env, log = () => undefined, now = () => new Date() } = run;
	const started = performance.now();
	const targets = await resolveTargets(options.paths, cwd);
	const configFile = findConfig(targets.root, options.config, cwd);
	const config = configFile === undefined ? undefined : loadConfig(configFile, targets.root);
	const settings = cliSettings(options, config);
	const { registry, checks } = nodeEngineDeps();
	const wantsLive = (options.contexts?.length ?? 0) + (options.snapshots?.length ?? 0) > 0;
	const analyses: FileAnalysis[] = [];
	const engine = new Engine(registry, settings, checks, now);
	const repo = await RepoIndex.build(nodeFileSystem(targets.root));
	// The fleet model tells which clusters (and environments) each file reaches.
	const fleet = (await loadFleet(targets.root, repo, { settings, today: engine.today() })).model;
	run.start?.({ settings, repo, engine });
	const walked = targets.dirs.length === 0 ? [] : repo.validatedFiles(settings).filter((f) => targets.dirs.some((d) => d === '' || f.startsWith(`${d}/`)));
	// The settings file is not a manifest: walking the root does not check it.
	const configRel = configFile === undefined ? undefined : isInside(targets.root, configFile) ? toPosix(path.relative(targets.root, configFile)) : configFile;
	const paths = [...new Set([...walked.filter((f) => f !== configRel), ...targets.files])].sort();
	const maxBytes = settings.maxFileSizeKb * 1024;
	const files: FileResult[] = [];
	const internalErrors: string[] = [];
	for (const rel of paths) {
		const loaded = await loadRepoFile(repo, targets.root, rel, maxBytes);
		let analysis;
		try {
			analysis =
				'error' in loaded
					? engine.skipped(rel, `Fleetscope could not read this file: ${loaded.error}`)
					: analyzeLoaded(engine, repo, rel, loaded, maxBytes);
		} catch (e) {
			// A bug in a check must not hide the other files' findings: report it, finish, exit 2.
			internalErrors.push(`${rel}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
			analysis = engine.skipped(rel, 'Fleetscope failed on this file (an internal error, please report it), so it is not validated.');
		}
		run.file?.(rel, analysis);
		files.push({ path: rel, findings: [...(analysis?.findings ?? [])].sort(byPosition) });
		if (wantsLive && analysis) analyses.push(analysis);
	}
	if (!wantsLive) return { root: targets.root, cwd, files, elapsedMs: performance.now() - started, config: configRel, internalErrors };
	// Live diagnostics: what the repository creates is every object of the checked files (raw, so namespaces may still be set later).
	// A kustomization's generators create ConfigMaps and Secrets too (by the names references use).
	const objects = ObjectSet.fromValues(
		analyses.flatMap((a) => [
			...a.resources.map((r) => ({ file: a.path, documentIndex: r.documentIndex, value: r.value })),
			...generatedObjectsOf(a.path, isKustomizationFile(a.path) ? a.parsed.documents[0]?.value : undefined).map((g) => ({ file: a.path, documentIndex: 0, value: g.value })),
		]),
		false,
	);
	const live = await loadLiveTargets(options, cwd, env, objects, fleet, log);
	const at = now();
	for (const a of analyses) {
		const extra = liveFindings(engine, a, repo, live.targets, fleet, objects, registry, at);
		if (extra.length === 0) continue;
		const file = files.find((f) => f.path === a.path)!;
		file.findings = [...file.findings, ...extra].sort(byPosition);
	}
	return { root: targets.root, cwd, files, elapsedMs: performance.now() - started, config: configRel, internalErrors, live: live.summaries, liveUnavailable: live.unavailable };
}

/** Number of findings per severity. */
export function countBySeverity(report: CheckReport): Record<Severity, number> {
	const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
	for (const f of report.files) for (const x of f.findings) counts[x.severity]++;
	return counts;
}

import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { defaultSettings, normaliseSettings, type FleetscopeSettings } from '../../../shared/settings';
import type { FileAnalysis } from '../engine/analysis/engine';
import { withSettingsFile } from '../engine/rules/settings-file';
import { SEVERITY_ORDER, type Finding, type Severity } from '../engine/core/types';
import { isoDay } from '../engine/fleet/exemptions';
import { nodeEngineDeps } from '../host/engine-deps';
import type { Folder } from '../workspace/folder';
import { openRepository } from '../workspace/standalone';
import { UsageError, type WalkOptions } from './args';
import { findConfig, loadConfig, type LoadedConfig } from './config';
import { liveViewFor, type LiveSetup, type LiveSummary } from './live';

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
	/** Every checked file, in path order, with its findings in position order (none where `RunOptions.stream` received them). */
	files: FileResult[];
	/** Findings per severity over every file (kept when the findings themselves were streamed). */
	counts: Record<Severity, number>;
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
	/** Called once, before the first file, with the settings, the repository and the checked root of the run. */
	start?(run: { settings: FleetscopeSettings; folder: Folder; root: string }): void;
	/** Called for every checked file with its analysis (undefined: it could not be read). */
	file?(path: string, analysis: FileAnalysis | undefined): void;
	/** Called with the states of the `--context` and `--snapshot` clusters, once taken (`fleetscope clusters` shows them). */
	live?(setup: LiveSetup): void;
}

/** How `runCheck` runs: hooks for the report, the environment (KUBECONFIG) and where live-state notes go. */
export interface RunOptions extends CheckHooks {
	env?: NodeJS.ProcessEnv;
	log?: (line: string) => void;
	/** The clock of date-dependent rules (DR test age, end of support, exemption expiry); tests pin it. */
	now?: () => Date;
	/**
	 * Receives each file's result as soon as it is checked, in path order: the terminal report prints
	 * it then. With it, the report keeps each file's path but not its findings (`counts` has their
	 * numbers), so memory stays flat however many findings a large repository has. A promise holds
	 * the check until it resolves (the terminal's reader has room again).
	 */
	stream?(file: FileResult): void | Promise<void>;
}

/**
 * Runs the check: opens the checked root as the editor opens a workspace folder (the same snapshot,
 * fleet model, renders and engines), takes the live state of the requested clusters, and validates
 * every included YAML file under the directory arguments plus every file argument, once.
 */
export async function runCheck(options: WalkOptions, cwd: string, run: RunOptions = {}): Promise<CheckReport> {
	const { env = process.env, log = () => undefined, now = () => new Date() } = run;
	const started = performance.now();
	const targets = await resolveTargets(options.paths, cwd);
	const configFile = findConfig(targets.root, options.config, cwd);
	const config = configFile === undefined ? undefined : loadConfig(configFile, targets.root);
	const settings = cliSettings(options, config);
	const deps = nodeEngineDeps();
	const folder = await openRepository(targets.root, { ...deps, clock: now });
	// What each cluster receives, judged before the files are: their findings come from the renders.
	await folder.render({ settings, today: isoDay(now()) });
	run.start?.({ settings, folder, root: targets.root });
	const walked = targets.dirs.length === 0 ? [] : folder.snapshot.validatedFiles(settings).filter((f) => targets.dirs.some((d) => d === '' || f.startsWith(`${d}/`)));
	// The settings file is not a manifest: walking the root does not check it.
	const configRel = configFile === undefined ? undefined : isInside(targets.root, configFile) ? toPosix(path.relative(targets.root, configFile)) : configFile;
	const paths = [...new Set([...walked.filter((f) => f !== configRel), ...targets.files])].sort();
	const wantsLive = (options.contexts?.length ?? 0) + (options.snapshots?.length ?? 0) > 0;
	const live = wantsLive ? await liveViewFor(folder, paths, settings, { options, cwd, env, log, now, schemas: deps.registry }) : undefined;
	if (live) folder.setLive(live.view);
	if (live) run.live?.(live);
	const files: FileResult[] = [];
	const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
	const internalErrors: string[] = [];
	await folder.validateAll(paths, settings, ({ rel, analysis: read, readError, internalError }) => {
		// A bug in a check must not hide the other files' findings: report it, finish, exit 2.
		if (internalError) internalErrors.push(`${rel}: ${internalError}`);
		const analysis = read ?? folder.engine(settings).skipped(rel, `Fleetscope could not read this file: ${readError}`);
		run.file?.(rel, analysis);
		const result = { path: rel, findings: [...analysis.findings].sort(byPosition) };
		for (const f of result.findings) counts[f.severity]++;
		if (!run.stream) {
			files.push(result);
			return undefined;
		}
		files.push({ path: rel, findings: [] });
		// The next file waits while the reader has not taken this one's lines.
		return run.stream(result);
	});
	const report: CheckReport = { root: targets.root, cwd, files, counts, elapsedMs: performance.now() - started, config: configRel, internalErrors };
	return live ? { ...report, elapsedMs: performance.now() - started, live: live.summaries, liveUnavailable: live.unavailable } : report;
}

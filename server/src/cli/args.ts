import { parseArgs } from 'node:util';
import { COMPLIANCE_PROFILES, type ComplianceProfile, type PodSecurityLevelSetting } from '../../../shared/settings';
import type { Severity } from '../engine/core/types';

export const FORMATS = ['text', 'json', 'sarif'] as const;
export type Format = (typeof FORMATS)[number];

export const REPORT_FORMATS = ['html', 'md', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const FAIL_ON = ['error', 'warning', 'info', 'never'] as const;
export type FailOn = (typeof FAIL_ON)[number];

const PSS_LEVELS: readonly PodSecurityLevelSetting[] = ['baseline', 'restricted'];

/** What `check` and `report` share: which files, with which settings and clusters. */
export interface WalkOptions {
	paths: string[];
	kubernetesVersion?: string;
	pssLevel?: PodSecurityLevelSetting;
	profiles?: ComplianceProfile[];
	/** `--production-escalation`: true, `--no-production-escalation`: false; undefined leaves the setting as the settings file says. */
	productionEscalation?: boolean;
	/** `--no-render`: judge every file as written, not what each cluster receives. */
	render?: false;
	/** `--config FILE`: the settings file to read instead of looking for one in the checked root. */
	config?: string;
	/** `--context NAME` (repeatable): kubeconfig contexts whose live state the files are checked against. */
	contexts?: string[];
	/** `--snapshot DIR` (repeatable): snapshot directories checked against like clusters. */
	snapshots?: string[];
	/** `--kubeconfig FILE` (repeatable): kubeconfig files instead of KUBECONFIG / ~/.kube/config. */
	kubeconfigs?: string[];
	/** `--live-timeout SECONDS`: per-request timeout toward clusters (default 10). */
	liveTimeoutSeconds?: number;
}

/** The options of `fleetscope check`, validated. */
export interface CheckOptions extends WalkOptions {
	format: Format;
	output?: string;
	failOn: FailOn;
	/** `--verbose`: the text format adds each finding's why and fix under its line. */
	verbose?: boolean;
}

/** The options of `fleetscope report`, validated. */
export interface ReportOptions extends WalkOptions {
	format: ReportFormat;
	output?: string;
}

/** The options of `fleetscope snapshot`. */
export interface SnapshotOptions {
	context: string;
	output: string;
	kubeconfigs: string[];
	liveTimeoutSeconds?: number;
	/** `--full`: also the full objects of the kinds the repository at `path` declares (for drift). */
	full?: boolean;
	path?: string;
}

/** The options of `fleetscope drift` (cli/drift.ts). */
export interface DriftOptions {
	path?: string;
	contexts: string[];
	snapshots: string[];
	kubeconfigs: string[];
	format: Format;
	output?: string;
	/** `--all`: in-sync objects too. */
	all: boolean;
	/** `--server-side-dry-run`: exact answers through `PATCH ?dryRun=All` (the only non-read request; a repository's settings file cannot turn it on). */
	serverSideDryRun: boolean;
	config?: string;
	liveTimeoutSeconds?: number;
}

/** The options of `fleetscope render`. */
export interface RenderOptions {
	path?: string;
	cluster: string;
	output?: string;
}

/** The options of `fleetscope fleet`. */
export interface FleetOptions {
	path?: string;
	format: 'text' | 'json';
	output?: string;
}

/** The options of `fleetscope clusters` (the explorer's Clusters view). */
export interface ClustersOptions {
	path?: string;
	format: 'text' | 'json';
	contexts: string[];
	snapshots: string[];
	kubeconfigs: string[];
	liveTimeoutSeconds?: number;
}

/** The options of `fleetscope promotion` (the explorer's Promotion view). */
export interface PromotionViewOptions {
	path?: string;
	format: 'text' | 'json';
}

/** The options of `fleetscope policy test`. */
export interface PolicyTestOptions {
	dirs: string[];
	format: 'text' | 'json';
	output?: string;
}

/** What the command line asks for. */
export type Command =
	| { kind: 'help' }
	| { kind: 'version' }
	| { kind: 'check'; options: CheckOptions }
	| { kind: 'report'; options: ReportOptions }
	| { kind: 'fleet'; options: FleetOptions }
	| { kind: 'render'; options: RenderOptions }
	| { kind: 'snapshot'; options: SnapshotOptions }
	| { kind: 'drift'; options: DriftOptions }
	| { kind: 'policy-test'; options: PolicyTestOptions }
	| { kind: 'clusters'; options: ClustersOptions }
	| { kind: 'promotion'; options: PromotionViewOptions };

/** A mistake on the command line: exit code 2, the message and a pointer to `--help`. */
export class UsageError extends Error {}

export const USAGE = `Usage: fleetscope check [PATH...] [options]
       fleetscope report [PATH...] [--format html|md|json] [--output FILE] [options]
       fleetscope fleet [PATH] [--format text|json] [--output FILE]
       fleetscope render [PATH] --cluster NAME [--output FILE]
       fleetscope snapshot --context NAME --output DIR [--kubeconfig FILE] [--full [PATH]]
       fleetscope drift [PATH] [--context NAME]... [--snapshot DIR]... [--kubeconfig FILE]...
                        [--format text|json|sarif] [--output FILE] [--all] [--server-side-dry-run]
       fleetscope promote APP --to ENV [--from ENV] [PATH] [--dry-run] [--open-pr] [--yes] ...
       fleetscope policy test [DIR...] [--format text|json] [--output FILE]
       fleetscope clusters [PATH] [--context NAME]... [--snapshot DIR]... [--kubeconfig FILE]... [--format text|json]
       fleetscope promotion [PATH] [--format text|json]

check validates the GitOps YAML files under each PATH (default: the current directory) with
the same engine as the Fleetscope editor extension. A directory is walked (the include/exclude
globs of the settings file, else the editor's defaults); a file is checked on its own.

report writes the compliance evidence report of the same files: per environment and cluster,
each control with passed / failed / exempted resources, the findings with file and line, the
exemptions with reason and expiry, and a score. HTML is one self-contained file.

Options:
  --format FORMAT              check: text|json|sarif (default: text);
                               report: html|md|json (default: html)
  -o, --output FILE            write the report to FILE; a summary still goes to stderr
  --verbose                    check, text format: also print each finding's why and fix under its
                               line (by default one line per finding; json and sarif keep everything)
  --fail-on error|warning|info|never
                               check only: lowest severity that makes the exit code 1 (default: error)
  --kubernetes-version X.Y     Kubernetes version to check API removals against (default: 1.30)
  --pss-level baseline|restricted
                               Pod Security Standards level where no namespace label says (default: baseline)
  --profile LIST               compliance frameworks to report, comma-separated: cis, pss, dora,
                               managed-cluster (default: all)
  --production-escalation      raise compliance findings one level (warning to error) where a file
                               reaches a production cluster (default: off; they keep their severity
                               and say (production), except in the environments a Fleet file's
                               spec.compliance.enforce lists)
  --no-production-escalation   turn it off where a settings file turns it on
  --no-render                  judge every file as written, not what each cluster receives after
                               kustomize and Flux rendering (default: rendered)
  -c, --config FILE            settings file (YAML or JSON, the editor's fleetscope.* settings);
                               default: .fleetscope.yaml, .fleetscope.yml or .fleetscope.json in the
                               checked root, if present. Flags win over the file.
  --context NAME               also check every file against the live state of this kubeconfig
                               context (repeatable); read-only, Secrets as metadata only
  --snapshot DIR               also check against a snapshot directory (repeatable): a
                               \`fleetscope snapshot\` export or \`kubectl get -o yaml\` dumps
  --kubeconfig FILE            kubeconfig to read (repeatable; default: KUBECONFIG, ~/.kube/config)
  --live-timeout SECONDS       per-request timeout toward clusters (default: 10)
  -h, --help                   show this help
  -v, --version                show the version

fleet prints the fleet graph of the repository at PATH (default: the current directory):
environments in promotion order, clusters with the Git paths synced to them, apps with the
version each environment runs, and which clusters each YAML file reaches.

render prints, as YAML, what the cluster NAME of the repository at PATH receives: every Git path
synced to it, rendered as Flux, Argo CD or kustomize render it, each object headed by the file
it comes from; what cannot be rendered is said on stderr.

promote opens the pull request that moves APP to the environment ENV, gated (fleetscope promote
--help tells more; docs/promotion.md).

clusters prints the editor's Clusters view: environments in promotion order, each cluster with its
Kubernetes version (claim and live), connection, GitOps sync state against HEAD and findings; the
clusters of --context and --snapshot are read once. promotion prints the Promotion view: per app,
the version each environment runs, which environments are behind, and the gates of each step
(docs/explorer.md).

policy test runs every kyverno-test.yaml (a Kyverno CLI Test) under each DIR (default: the current
directory) with Fleetscope's own policy engine, no kyverno binary: 0 when every expected result
agrees, 1 on a mismatch, 2 on a usage error (mutate and generate rows are listed as not evaluated).

snapshot writes the state of one context (version, served APIs, CRD schemas, object metadata;
never Secret data) to DIR, for --snapshot on a machine without cluster access. --full also writes
the full objects of the kinds the repository at PATH (default: .) declares, for drift (Secrets as
metadata only).

drift compares what Git sends each cluster of --context/--snapshot with what it runs (docs/drift.md):
per object in-sync, drifted (fields with Git's and the live value and who set it), missing,
extraneous, unmanaged (setting drift.unmanaged), unknown or skipped; in-sync objects only with --all.
Read-only (GET, LIST, WATCH; Secrets as metadata) unless --server-side-dry-run asks each cluster
what an apply would leave (PATCH ?dryRun=All, which changes nothing; a settings file cannot ask it).
Exit codes: 0 no drift, 1 drift (drifted, missing or extraneous), 2 usage error or no state for a
requested context or snapshot.

Exit codes: check: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage or internal
error, or a --context/--snapshot for which no state at all could be had (unreachable, never cached).
report: 0 when the report is written (findings or not: check is the gate), 2 usage or internal error.
`;

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T | undefined {
	if (value === undefined) return undefined;
	if ((allowed as readonly string[]).includes(value)) return value as T;
	throw new UsageError(`--${flag} must be one of ${allowed.join(', ')}, got "${value}"`);
}

/** Parses argv (without node and the script). Throws UsageError for anything it does not understand. */
export function parseCommand(argv: string[]): Command {
	let parsed;
	try {
		parsed = parseArgs({
			args: argv,
			allowPositionals: true,
			strict: true,
			options: {
				format: { type: 'string' },
				output: { type: 'string', short: 'o' },
				'fail-on': { type: 'string' },
				'kubernetes-version': { type: 'string' },
				'pss-level': { type: 'string' },
				profile: { type: 'string' },
				'production-escalation': { type: 'boolean' },
				'no-production-escalation': { type: 'boolean' },
				'no-render': { type: 'boolean' },
				verbose: { type: 'boolean' },
				config: { type: 'string', short: 'c' },
				context: { type: 'string', multiple: true },
				snapshot: { type: 'string', multiple: true },
				kubeconfig: { type: 'string', multiple: true },
				'live-timeout': { type: 'string' },
				cluster: { type: 'string' },
				all: { type: 'boolean' },
				'server-side-dry-run': { type: 'boolean' },
				full: { type: 'boolean' },
				help: { type: 'boolean', short: 'h' },
				version: { type: 'boolean', short: 'v' },
			},
		});
	} catch (e) {
		// parseArgs explains unknown options and missing values well; keep its sentence, drop its hints.
		throw new UsageError((e instanceof Error ? e.message : String(e)).split(/\n|\. To specify/)[0]);
	}
	const { values, positionals } = parsed;
	if (values.help) return { kind: 'help' };
	if (values.version) return { kind: 'version' };
	const [command, ...paths] = positionals;
	if (command === undefined) throw new UsageError('missing command: fleetscope check [PATH...] (or report, fleet, render, snapshot, drift)');
	if (command === 'fleet') {
		if (paths.length > 1) throw new UsageError('fleet takes one repository path');
		for (const flag of ['fail-on', 'kubernetes-version', 'pss-level', 'profile', 'config', 'context', 'snapshot', 'kubeconfig', 'live-timeout'] as const) {
			if (values[flag] !== undefined) throw new UsageError(`--${flag} is an option of check, not of fleet`);
		}
		if (values.output === '') throw new UsageError('--output needs a file name');
		return { kind: 'fleet', options: { path: paths[0], format: oneOf('format', values.format, ['text', 'json'] as const) ?? 'text', output: values.output } };
	}
	if (command === 'render') {
		if (paths.length > 1) throw new UsageError('render takes one repository path');
		if (!values.cluster) throw new UsageError('render needs --cluster NAME (fleetscope fleet lists the clusters)');
		for (const flag of ['format', 'fail-on', 'kubernetes-version', 'pss-level', 'profile', 'config', 'context', 'snapshot', 'kubeconfig', 'live-timeout'] as const) {
			if (values[flag] !== undefined) throw new UsageError(`--${flag} is not an option of render`);
		}
		if (values.output === '') throw new UsageError('--output needs a file name');
		return { kind: 'render', options: { path: paths[0], cluster: values.cluster, output: values.output } };
	}
	if (command === 'clusters' || command === 'promotion') return viewCommand(command, paths, values);

	if (command === 'policy') {
		const [sub, ...dirs] = paths;
		if (sub !== 'test') throw new UsageError(`unknown policy command "${sub ?? ''}": fleetscope policy test [DIR...]`);
		for (const flag of ['fail-on', 'kubernetes-version', 'pss-level', 'profile', 'config', 'context', 'snapshot', 'kubeconfig', 'live-timeout', 'cluster', 'all', 'full'] as const) {
			if (values[flag] !== undefined) throw new UsageError(`--${flag} is not an option of policy test`);
		}
		if (values.output === '') throw new UsageError('--output needs a file name');
		return { kind: 'policy-test', options: { dirs, format: oneOf('format', values.format, ['text', 'json'] as const) ?? 'text', output: values.output } };
	}
	if (values.cluster !== undefined) throw new UsageError('--cluster is an option of render');
	if (command === 'drift') return { kind: 'drift', options: driftOptions(values, paths) };
	if (values.all !== undefined) throw new UsageError('--all is an option of drift');
	if (values['server-side-dry-run'] !== undefined) throw new UsageError('--server-side-dry-run is an option of drift');
	if (values.full !== undefined && command !== 'snapshot') throw new UsageError('--full is an option of snapshot');
	if (command !== 'check' && command !== 'report' && command !== 'snapshot') throw new UsageError(command === 'promote' ? 'put promote first: fleetscope promote APP --to ENV [options]' : `unknown command "${command}": the commands are check, report, fleet, render, snapshot, promote, drift, policy test, clusters and promotion`);
	let liveTimeoutSeconds: number | undefined;
	if (values['live-timeout'] !== undefined) {
		liveTimeoutSeconds = Number(values['live-timeout']);
		if (!Number.isFinite(liveTimeoutSeconds) || liveTimeoutSeconds <= 0 || liveTimeoutSeconds > 600) throw new UsageError(`--live-timeout must be a number of seconds between 0 and 600, got "${values['live-timeout']}"`);
	}
	const contexts = values.context ?? [];
	const kubeconfigs = values.kubeconfig ?? [];
	for (const [flag, list] of [['context', contexts], ['snapshot', values.snapshot ?? []], ['kubeconfig', kubeconfigs]] as const) {
		if (list.some((v) => v.trim() === '')) throw new UsageError(`--${flag} needs a value`);
	}
	if (command === 'snapshot') {
		if (paths.length > (values.full ? 1 : 0)) throw new UsageError(values.full ? 'fleetscope snapshot --full takes one repository path' : `fleetscope snapshot takes no path, got "${paths[0]}" (a repository path goes with --full)`);
		if (contexts.length !== 1) throw new UsageError('fleetscope snapshot needs exactly one --context NAME');
		if (!values.output) throw new UsageError('fleetscope snapshot needs --output DIR');
		if (values.snapshot) throw new UsageError('--snapshot is an option of fleetscope check');
		return { kind: 'snapshot', options: { context: contexts[0], output: values.output, kubeconfigs, liveTimeoutSeconds, ...(values.full ? { full: true, path: paths[0] } : {}) } };
	}
	const kubernetesVersion = values['kubernetes-version'];
	if (kubernetesVersion !== undefined && !/^1\.\d+$/.test(kubernetesVersion)) {
		throw new UsageError(`--kubernetes-version must look like 1.30 (major.minor), got "${kubernetesVersion}"`);
	}
	if (values.output === '') throw new UsageError('--output needs a file name');
	if (values.config === '') throw new UsageError('--config needs a file name');
	const walk: WalkOptions = {
		paths,
		kubernetesVersion,
		pssLevel: oneOf('pss-level', values['pss-level'], PSS_LEVELS),
		profiles: values.profile === undefined ? undefined : values.profile.split(',').map((p) => oneOf('profile', p.trim(), COMPLIANCE_PROFILES)!),
		productionEscalation: values['no-production-escalation'] ? false : values['production-escalation'] ? true : undefined,
		render: values['no-render'] ? false : undefined,
		config: values.config,
		contexts,
		snapshots: values.snapshot ?? [],
		kubeconfigs,
		liveTimeoutSeconds,
	};
	if (command === 'report') {
		if (values.verbose) throw new UsageError('--verbose is an option of check (its text format)');
		if (values['fail-on'] !== undefined) throw new UsageError('--fail-on is an option of check: report always exits 0 once the report is written (run check as the gate)');
		return { kind: 'report', options: { ...walk, format: oneOf('format', values.format, REPORT_FORMATS) ?? 'html', output: values.output } };
	}
	return {
		kind: 'check',
		options: {
			...walk,
			format: oneOf('format', values.format, FORMATS) ?? 'text',
			output: values.output,
			failOn: oneOf('fail-on', values['fail-on'], FAIL_ON) ?? 'error',
			...(values.verbose ? { verbose: true } : {}),
		},
	};
}

/** `clusters` and `promotion`: one repository path, a format, and (clusters) the live state to read. */
function viewCommand(command: 'clusters' | 'promotion', paths: string[], values: Record<string, string | boolean | string[] | undefined>): Command {
	if (paths.length > 1) throw new UsageError(`${command} takes one repository path`);
	const live = command === 'clusters' ? ['context', 'snapshot', 'kubeconfig', 'live-timeout'] : [];
	for (const [flag, v] of Object.entries(values)) {
		if (v !== undefined && flag !== 'format' && !live.includes(flag)) throw new UsageError(`--${flag} is not an option of ${command}`);
	}
	const format = oneOf('format', values.format as string | undefined, ['text', 'json'] as const) ?? 'text';
	if (command === 'promotion') return { kind: 'promotion', options: { path: paths[0], format } };
	const list = (flag: string) => (values[flag] as string[] | undefined) ?? [];
	for (const flag of ['context', 'snapshot', 'kubeconfig']) if (list(flag).some((v) => v.trim() === '')) throw new UsageError(`--${flag} needs a value`);
	const timeout = values['live-timeout'] === undefined ? undefined : Number(values['live-timeout']);
	if (timeout !== undefined && (!Number.isFinite(timeout) || timeout <= 0 || timeout > 600)) throw new UsageError(`--live-timeout must be a number of seconds between 0 and 600, got "${values['live-timeout']}"`);
	return { kind: 'clusters', options: { path: paths[0], format, contexts: list('context'), snapshots: list('snapshot'), kubeconfigs: list('kubeconfig'), liveTimeoutSeconds: timeout } };
}

/** `fleetscope drift [PATH] ...`: validated options. */
function driftOptions(values: Record<string, string | boolean | string[] | undefined>, paths: string[]): DriftOptions {
	if (paths.length > 1) throw new UsageError('drift takes one repository path');
	for (const flag of ['fail-on', 'kubernetes-version', 'pss-level', 'profile', 'no-production-escalation', 'no-render', 'full'] as const) {
		if (values[flag] !== undefined) throw new UsageError(`--${flag} is not an option of drift`);
	}
	const list = (flag: string) => (values[flag] as string[] | undefined) ?? [];
	for (const flag of ['context', 'snapshot', 'kubeconfig']) if (list(flag).some((v) => v.trim() === '')) throw new UsageError(`--${flag} needs a value`);
	const contexts = list('context');
	const snapshots = list('snapshot');
	if (contexts.length + snapshots.length === 0) throw new UsageError('drift needs at least one --context NAME or --snapshot DIR to compare with');
	if (values.output === '') throw new UsageError('--output needs a file name');
	if (values.config === '') throw new UsageError('--config needs a file name');
	let liveTimeoutSeconds: number | undefined;
	if (values['live-timeout'] !== undefined) {
		liveTimeoutSeconds = Number(values['live-timeout']);
		if (!Number.isFinite(liveTimeoutSeconds) || liveTimeoutSeconds <= 0 || liveTimeoutSeconds > 600) throw new UsageError(`--live-timeout must be a number of seconds between 0 and 600, got "${String(values['live-timeout'])}"`);
	}
	return {
		path: paths[0],
		contexts,
		snapshots,
		kubeconfigs: list('kubeconfig'),
		format: oneOf('format', values.format as string | undefined, FORMATS) ?? 'text',
		output: values.output as string | undefined,
		all: values.all === true,
		serverSideDryRun: values['server-side-dry-run'] === true,
		config: values.config as string | undefined,
		liveTimeoutSeconds,
	};
}

/** Whether a finding of this severity makes the check fail under `--fail-on`. */
export function failsAt(severity: Severity, failOn: FailOn): boolean {
	switch (failOn) {
		case 'never':
			return false;
		case 'error':
			return severity === 'error';
		case 'warning':
			return severity === 'error' || severity === 'warning';
		case 'info':
			return severity !== 'hint';
	}
}

import { Engine } from '../../server/src/engine/analysis/engine';
import { type RepoContext } from '../../server/src/engine/context/check-context';
import { complianceChecks } from '../../server/src/engine/rules/compliance';
import { RepoSnapshot } from '../../server/src/engine/context/repo-snapshot';
import { ObjectSet } from '../../server/src/engine/core/objects';
import { parseFile } from '../../server/src/engine/core/parse';
import type { FleetApp, FleetCluster, FleetModel } from '../../server/src/engine/fleet/types';
import type { Finding } from '../../server/src/engine/core/types';
import { defaultSettings, type FleetscopeSettings } from '../../shared/settings';
import { NO_SCHEMAS } from '../engine/helpers';
import { at, covered } from './helpers';

/** The day the DORA tests run on (end-of-support dates, DR-test ages). */
export const TODAY = new Date('2026-12-01T12:00:00Z');

/** An in-memory repository index over `files`, as the hosts build it. */
export async function repoOf(files: Record<string, string>): Promise<RepoSnapshot> {
	return RepoSnapshot.build({ listFiles: async () => Object.keys(files), readFile: async (p) => files[p] });
}

export interface FleetInput {
	environments?: string[];
	clusters?: (Partial<FleetCluster> & { name: string })[];
	apps?: (Partial<FleetApp> & { name: string })[];
	files?: Record<string, string[]>;
	/** The repository has no Fleet file (DORA rules that need its facts stay silent). */
	noFleetFile?: boolean;
	/** The Fleet file's `spec.compliance.enforce`. */
	enforce?: string[];
}

/** A hand-built fleet model: environments in promotion order (the last one is production unless named otherwise). */
export function fleetModel(input: FleetInput = {}): FleetModel {
	const envs = input.environments ?? ['dev', 'staging', 'production'];
	return {
		environments: envs.map((name, order) => ({ name, order, promotesFrom: order > 0 ? [envs[order - 1]] : [], production: /^prod/.test(name), source: 'declared' as const })),
		clusters: (input.clusters ?? []).map((c) => ({ labels: {}, syncs: [], source: 'declared' as const, ...c, inferred: c.inferred ?? [] })),
		apps: (input.apps ?? []).map((a) => ({ facts: {}, paths: {}, versions: [], behind: [], source: 'declared' as const, location: { file: 'fleet.yaml', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }, ...a })),
		files: input.files ?? {},
		problems: [],
		// The models of these tests stand for a repository with a Fleet file unless they say otherwise.
		...(input.noFleetFile ? {} : { fleetFile: { file: 'fleet.yaml', enforce: input.enforce ?? [] } }),
	};
}

/** The standard fleet of the tests: dev/staging/production, two production clusters in two EU regions. */
export const CLUSTERS: FleetInput['clusters'] = [
	{ name: 'dev-1', environment: 'dev', region: 'eu-west-1', provider: 'aws', kubernetesVersion: '1.35' },
	{ name: 'staging-1', environment: 'staging', region: 'eu-west-1', provider: 'aws', kubernetesVersion: '1.35' },
	{ name: 'prod-1', environment: 'production', region: 'eu-west-1', provider: 'aws', kubernetesVersion: '1.35' },
	{ name: 'prod-2', environment: 'production', region: 'eu-central-1', provider: 'aws', kubernetesVersion: '1.35' },
];

export interface RunOptions {
	fleet?: FleetModel;
	/** `rendered`: the objects of all files as one cluster's complete set; default: the raw repository index. */
	objects?: 'raw' | 'rendered' | 'none';
	settings?: Partial<FleetscopeSettings>;
	/** Repo paths that exist (Argo CD source paths); default: only the files. */
	exists?: string[];
}

/** A RepoContext over a repository index, with a fleet model and optionally a rendered object set. */
export function contextOf(index: RepoSnapshot, files: Record<string, string>, opts: RunOptions = {}): RepoContext {
	let objects: RepoContext['objects'] = index.objects;
	if (opts.objects === 'rendered') {
		objects = ObjectSet.fromValues(
			Object.entries(files).flatMap(([file, text]) => parseFile(text).documents.map((d) => ({ file, documentIndex: d.index, value: d.value }))),
			true,
		);
	} else if (opts.objects === 'none') objects = undefined;
	const exists = new Set([...Object.keys(files), ...(opts.exists ?? [])]);
	return {
		isPatchFile: (p) => index.isPatchFile(p),
		exists: (p) => exists.has(p),
		get version() {
			return index.version;
		},
		objects,
		fleet: opts.fleet,
		namespaceLabels: (n: string) => index.namespaceLabels(n),
	} as RepoContext;
}

export function engineFor(settings: Partial<FleetscopeSettings> = {}): Engine {
	return new Engine(NO_SCHEMAS, { ...defaultSettings(), ...settings }, [...complianceChecks], () => TODAY);
}

/** The findings of `rule` in `file` of a repository of `files`, as `range severity rule | covered text`, plus messages. */
export async function check(files: Record<string, string>, file: string, rule: string, opts: RunOptions = {}): Promise<{ where: string[]; messages: string[]; findings: Finding[] }> {
	const index = await repoOf(files);
	const repo = contextOf(index, files, opts);
	const text = files[file];
	const findings = engineFor(opts.settings).analyze({ path: file, text }, repo).findings.filter((f) => f.ruleId === rule);
	return { where: findings.map((f) => `${at(f)} | ${covered(text, f)}`), messages: findings.map((f) => f.message), findings };
}

/** Every file reaching the given clusters. */
export function reach(files: Record<string, string>, clusters: string[]): Record<string, string[]> {
	return Object.fromEntries(Object.keys(files).map((f) => [f, clusters]));
}

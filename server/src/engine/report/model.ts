import { COMPLIANCE_PROFILES, type FleetscopeSettings } from '../../../../shared/settings';
import type { FileAnalysis } from '../analysis/engine';
import { coveringDirective, inlineDirectives } from '../core/inline-exemptions';
import { exemptionMatches, isExpired, isoDay, type FleetExemption } from '../fleet/exemptions';
import { looksLikeProduction, type FleetModel } from '../fleet/types';
import { frameworkOf } from '../core/rule-meta';
import { allRules, ruleMeta } from '../rules/catalog';
import type { Finding } from '../core/types';
import {
	REPORT_FORMAT_VERSION,
	type ComplianceReport,
	type ControlCounts,
	type Counts,
	type FrameworkId,
	type InlineExemption,
	type ReportExemption,
	type ReportFile,
	type ReportFinding,
	type ReportInput,
	type ReportResource,
	type ReportSection,
} from './types';

export * from './types';

/**
 * The compliance evidence report: per environment (in promotion order) and per cluster, each
 * control with how many resources pass, fail or are exempted, the findings with file and line,
 * the exemptions with reason and expiry, and a score. Pure: built from the findings and
 * evaluations of the checked files, the rule metadata and the fleet model; the formats
 * (`json.ts`, `markdown.ts`, `html.ts`) only render it; the types, which are the JSON shape,
 * are in `types.ts`.
 *
 * Counting unit: one resource × one control. A pair is evaluated when a rule evidencing the
 * control evaluated the resource (`FileAnalysis.evaluations`) or found something in it; it
 * fails when a finding of that control on the resource is not exempted (whatever its severity:
 * an info "review this" finding is not a pass), is exempted when every such finding is covered by a
 * live inline or Fleet exemption, and passes otherwise. An expired exemption covers nothing.
 */

/** The one sentence every format prints under the score chart. */
export const SCORING =
	'Score = (passed + exempted) ÷ evaluated, counted per resource × control: a pair passes when a rule evidencing the control evaluated the resource and found nothing, is exempted (the lighter part of a bar) when a live exemption covers all its findings, and fails otherwise; an expired exemption covers nothing.';

export const FRAMEWORK_NAMES: Record<FrameworkId, string> = {
	cis: 'CIS Kubernetes Benchmark',
	pss: 'Pod Security Standards',
	'managed-cluster': 'CIS Amazon EKS / Google GKE / Azure AKS Benchmarks',
	dora: 'EU Digital Operational Resilience Act (DORA)',
};

/** Frameworks in the order the report lists them (and sorts controls by). */
const FRAMEWORK_ORDER: FrameworkId[] = ['cis', 'pss', 'managed-cluster', 'dora'];

/** The part of an analysis a report needs; `undefined` analysis: the file could not be read. */
export function reportFile(path: string, analysis: FileAnalysis | undefined): ReportFile {
	if (!analysis) return { path, skipped: 'Fleetscope could not read this file.', resources: [], findings: [], inline: [] };
	if (analysis.skipped !== undefined) return { path, skipped: analysis.skipped, resources: [], findings: analysis.findings, inline: [] };
	const checks = new Map((analysis.evaluations ?? []).map((e) => [e.documentIndex, e.checks]));
	const lines = analysis.lines;
	const resources = analysis.resources.map((r) => ({
		apiVersion: r.apiVersion,
		kind: r.kind,
		name: r.name,
		namespace: r.namespace,
		documentIndex: r.documentIndex,
		startLine: lines.positionAt(r.span.start).line,
		endLine: lines.positionAt(r.span.end).line,
		checks: checks.get(r.documentIndex) ?? [],
	}));
	const inline = inlineDirectives(analysis.parsed.text, lines)
		.filter((d) => d.reason !== undefined && d.rules.length > 0)
		.map((d) => ({ line: d.line, own: d.own, rules: d.rules, reason: d.reason! }));
	return { path, resources, findings: analysis.findings, inline };
}

// ---- building -----------------------------------------------------------------------------

type Status = 'pass' | 'fail' | 'exempted';

/** One evaluated resource: its file, where it reaches, and each control's status. */
interface Evaluated {
	file: string;
	clusters: string[];
	status: Map<string, Status>;
}

interface Tally {
	passed: number;
	failed: number;
	exempted: number;
}

/**
 * `ok / evaluated` rounded to `steps` (100 for whole percent), to the nearest: 7 of 8 is 88 %. Never
 * the top while something fails (999 of 1000 is 99 %, not 100 %), never 0 while something passes.
 */
function rounded(ok: number, evaluated: number, steps: number): number {
	const r = Math.round((ok * steps) / evaluated);
	if (r === steps && ok < evaluated) return steps - 1;
	if (r === 0 && ok > 0) return 1;
	return r;
}

/** The score as a fraction with four decimals; null when nothing was evaluated. */
function scoreOf(t: Tally): number | null {
	const evaluated = t.passed + t.failed + t.exempted;
	return evaluated === 0 ? null : rounded(t.passed + t.exempted, evaluated, 10000) / 10000;
}

/** The score in whole percent, rounded to the nearest (100 % only with no failure); null when nothing was evaluated. */
export function scorePercent(c: Pick<Counts, 'evaluated' | 'passed' | 'exempted'>): number | null {
	return c.evaluated === 0 ? null : rounded(c.passed + c.exempted, c.evaluated, 100);
}

/**
 * The Kubernetes version each cluster was judged at: what each cluster receives is judged at the
 * version of its ClusterClaim (rendered compliance), else at the setting; with rendering off,
 * every file is judged as written, at the setting.
 */
function clusterVersions(fleet: FleetModel, settings: FleetscopeSettings): { cluster: string; version: string; source: 'claim' | 'setting' }[] {
	return fleet.clusters.map((c) =>
		settings['fleet.render'] !== false && c.kubernetesVersion !== undefined && /^1\.\d+$/.test(c.kubernetesVersion)
			? { cluster: c.name, version: c.kubernetesVersion, source: 'claim' as const }
			: { cluster: c.name, version: settings.kubernetesVersion, source: 'setting' as const },
	);
}

const counts = (t: Tally): Counts => ({ evaluated: t.passed + t.failed + t.exempted, passed: t.passed, failed: t.failed, exempted: t.exempted, score: scoreOf(t) });

/** Natural order of controls: framework, then `5.1.10` after `5.1.9`. */
export function compareControls(a: string, b: string): number {
	const fa = FRAMEWORK_ORDER.indexOf(frameworkOf(a)!);
	const fb = FRAMEWORK_ORDER.indexOf(frameworkOf(b)!);
	return fa - fb || a.localeCompare(b, 'en', { numeric: true });
}

function tallyControls(resources: Iterable<Evaluated>, rulesOf: Map<string, Set<string>>): { summary: Counts; controls: ControlCounts[]; resources: number } {
	const per = new Map<string, Tally>();
	const total: Tally = { passed: 0, failed: 0, exempted: 0 };
	let n = 0;
	for (const r of resources) {
		n++;
		for (const [control, s] of r.status) {
			let t = per.get(control);
			if (!t) per.set(control, (t = { passed: 0, failed: 0, exempted: 0 }));
			const key = s === 'pass' ? 'passed' : s === 'fail' ? 'failed' : 'exempted';
			t[key]++;
			total[key]++;
		}
	}
	const controls = [...per.keys()].sort(compareControls).map((control) => ({
		control,
		framework: frameworkOf(control)!,
		rules: [...(rulesOf.get(control) ?? [])].sort(),
		...counts(per.get(control)!),
	}));
	return { summary: counts(total), controls, resources: n };
}

/** The resource a finding lies in (documents do not overlap). */
function resourceAt(resources: readonly ReportResource[], line: number): ReportResource | undefined {
	return resources.find((r) => r.startLine <= line && line <= r.endLine);
}

export function buildReport(input: ReportInput): ComplianceReport {
	const { settings, fleet } = input;
	const today = isoDay(input.generatedAt);
	const enabled = new Set<string>(settings['compliance.profiles']);
	const metas = new Map((input.rules ?? allRules()).map((m) => [m.id, m]));
	const meta = (id: string) => metas.get(id) ?? ruleMeta(id);
	/** Controls of enabled frameworks a rule evidences; none for a rule that is off. */
	const ruleControls = (id: string): string[] => {
		if (settings.severity[id] === 'off') return [];
		return (meta(id)?.controls ?? []).filter((c) => enabled.has(frameworkOf(c) ?? ''));
	};
	/** The controls a finding breaks: its own narrower list where the rule gives one. */
	const findingControls = (f: Finding): string[] => (f.data?.controls ? f.data.controls.filter((c) => enabled.has(frameworkOf(c) ?? '')) : ruleControls(f.ruleId));

	const clusterNames = new Set(fleet.clusters.map((c) => c.name));
	const clustersOf = (file: string) => (fleet.files[file] ?? []).filter((c) => clusterNames.has(c));
	const envOfCluster = new Map(fleet.clusters.map((c) => [c.name, c.environment]));
	const envsOf = (clusters: string[]) => [...new Set(clusters.map((c) => envOfCluster.get(c)).filter((e): e is string => e !== undefined))];

	const exemptions: ReportExemption[] = [];
	const fleetIds = new Map<FleetExemption, ReportExemption>();
	const perSource = new Map<string, number>();
	for (const e of input.fleetExemptions) {
		const n = (perSource.get(e.source) ?? 0) + 1;
		perSource.set(e.source, n);
		const match = Object.fromEntries(Object.entries(e.match).filter(([, v]) => v !== undefined));
		const x: ReportExemption = {
			id: `fleet:${e.source}#${n}`,
			source: 'fleet',
			file: e.source,
			rules: [...e.rules],
			...(Object.keys(match).length > 0 ? { match } : {}),
			reason: e.reason,
			...(e.expires !== undefined ? { expires: e.expires } : {}),
			status: isExpired(e, today) ? 'expired' : 'unused',
			findings: 0,
		};
		fleetIds.set(e, x);
		exemptions.push(x);
	}

	const rulesOf = new Map<string, Set<string>>();
	const addRule = (control: string, rule: string) => {
		let s = rulesOf.get(control);
		if (!s) rulesOf.set(control, (s = new Set()));
		s.add(rule);
	};
	const findings: ReportFinding[] = [];
	const evaluated: Evaluated[] = [];
	const skipped: { file: string; reason: string }[] = [];
	let otherFindings = 0;
	let resourceCount = 0;

	for (const file of [...input.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
		if (file.skipped !== undefined) skipped.push({ file: file.path, reason: file.skipped });
		resourceCount += file.resources.length;
		const clusters = clustersOf(file.path);
		const environments = envsOf(clusters);
		const inlineIds = new Map<InlineExemption, ReportExemption>();
		for (const d of file.inline) {
			const x: ReportExemption = { id: `inline:${file.path}:${d.line + 1}`, source: 'inline', file: file.path, line: d.line + 1, rules: [...d.rules], reason: d.reason, status: 'unused', findings: 0 };
			inlineIds.set(d, x);
			exemptions.push(x);
		}
		const status = new Map<ReportResource, Map<string, Status>>();
		const statusOf = (r: ReportResource) => {
			let m = status.get(r);
			if (!m) status.set(r, (m = new Map()));
			return m;
		};
		for (const r of file.resources) {
			for (const id of r.checks) {
				for (const c of ruleControls(id)) {
					addRule(c, id);
					const m = statusOf(r);
					if (!m.has(c)) m.set(c, 'pass');
				}
			}
		}
		for (const f of file.findings) {
			const resource = resourceAt(file.resources, f.range.start.line);
			// Which exemption covers it: an inline comment wins, as in the engine (it is applied last).
			let covering: ReportExemption | undefined;
			let expired: ReportExemption | undefined;
			if (f.data?.exempted !== undefined) {
				const d = coveringDirective(file.inline, f);
				covering = d ? inlineIds.get(d) : undefined;
				if (!covering && resource) {
					const e = input.fleetExemptions.find((x) => !isExpired(x, today) && exemptionMatches(x, f.ruleId, resource, file.path));
					covering = e ? fleetIds.get(e) : undefined;
				}
				if (covering) {
					covering.findings++;
					covering.status = 'active';
				}
			} else if (resource) {
				const e = input.fleetExemptions.find((x) => isExpired(x, today) && exemptionMatches(x, f.ruleId, resource, file.path));
				expired = e ? fleetIds.get(e) : undefined;
				if (expired) expired.findings++;
			}
			const controls = findingControls(f);
			if (controls.length === 0) {
				otherFindings++;
				continue;
			}
			const exempted = f.data?.exempted !== undefined;
			if (resource) {
				const m = statusOf(resource);
				for (const c of controls) {
					addRule(c, f.ruleId);
					if (!exempted) m.set(c, 'fail');
					else if (m.get(c) !== 'fail') m.set(c, 'exempted');
				}
			}
			findings.push({
				file: file.path,
				line: f.range.start.line + 1,
				column: f.range.start.character + 1,
				endLine: f.range.end.line + 1,
				endColumn: f.range.end.character + 1,
				ruleId: f.ruleId,
				severity: f.severity,
				controls,
				message: f.message,
				...(resource ? { resource: { kind: resource.kind, ...(resource.name !== undefined ? { name: resource.name } : {}), ...(resource.namespace !== undefined ? { namespace: resource.namespace } : {}) } } : {}),
				status: exempted ? 'exempted' : 'fail',
				...(covering ? { exemption: covering.id } : {}),
				...(expired ? { expiredExemption: expired.id } : {}),
				environments,
				clusters,
			});
		}
		for (const r of file.resources) {
			const m = status.get(r);
			if (m && m.size > 0) evaluated.push({ file: file.path, clusters, status: m });
		}
	}
	findings.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column));

	const sections: ReportSection[] = [];
	if (fleet.clusters.length === 0) {
		sections.push({ id: 'repository', kind: 'repository', name: 'Repository', production: false, declared: true, ...tallyControls(evaluated, rulesOf), clusters: [] });
	} else {
		const declared = [...fleet.environments].sort((a, b) => a.order - b.order);
		const named = [...new Set(fleet.clusters.map((c) => c.environment).filter((e): e is string => e !== undefined && !declared.some((d) => d.name === e)))].sort();
		const envs = [
			...declared.map((e) => ({ name: e.name, order: e.order, production: e.production, declared: true })),
			// As rules see them (targetsOf): an undeclared environment is production when its name says so.
			...named.map((name, i) => ({ name, order: declared.length + i, production: looksLikeProduction(name), declared: false })),
		];
		for (const env of envs) {
			const clusters = fleet.clusters.filter((c) => c.environment === env.name);
			const names = new Set(clusters.map((c) => c.name));
			sections.push({
				id: `env:${env.name}`,
				kind: 'environment',
				name: env.name,
				order: env.order,
				production: env.production,
				declared: env.declared,
				...tallyControls(
					evaluated.filter((r) => r.clusters.some((c) => names.has(c))),
					rulesOf,
				),
				clusters: clusters.map((c) => ({
					name: c.name,
					...(c.region !== undefined ? { region: c.region } : {}),
					...(c.provider !== undefined ? { provider: c.provider } : {}),
					...(c.kubernetesVersion !== undefined ? { kubernetesVersion: c.kubernetesVersion } : {}),
					...tallyControls(
						evaluated.filter((r) => r.clusters.includes(c.name)),
						rulesOf,
					),
				})),
			});
		}
		// Clusters that name no environment still get counted, under their own heading.
		const orphans = fleet.clusters.filter((c) => c.environment === undefined);
		if (orphans.length > 0) {
			const names = new Set(orphans.map((c) => c.name));
			sections.push({
				id: 'env:',
				kind: 'environment',
				name: 'no environment',
				order: envs.length,
				production: false,
				declared: false,
				...tallyControls(
					evaluated.filter((r) => r.clusters.some((c) => names.has(c))),
					rulesOf,
				),
				clusters: orphans.map((c) => ({ name: c.name, ...tallyControls(evaluated.filter((r) => r.clusters.includes(c.name)), rulesOf) })),
			});
		}
		const notDeployed = evaluated.filter((r) => r.clusters.length === 0);
		if (notDeployed.length > 0) {
			sections.push({ id: 'not-deployed', kind: 'not-deployed', name: 'Not deployed to a known cluster', production: false, declared: true, ...tallyControls(notDeployed, rulesOf), clusters: [] });
		}
	}

	const whole = tallyControls(evaluated, rulesOf);
	const named = new Set<string>([...findings.map((f) => f.ruleId), ...[...rulesOf.values()].flatMap((s) => [...s])]);
	const rules: ComplianceReport['rules'] = {};
	for (const id of [...named].sort()) rules[id] = { title: meta(id)?.title ?? id, controls: [...(meta(id)?.controls ?? [])] };
	const allMetas = [...metas.values()];
	const frameworks = FRAMEWORK_ORDER.map((id) => ({
		id,
		name: FRAMEWORK_NAMES[id],
		enabled: enabled.has(id),
		rules: allMetas.filter((m) => m.controls.some((c) => frameworkOf(c) === id)).length,
		controls: whole.controls.filter((c) => c.framework === id).length,
	}));
	return {
		formatVersion: REPORT_FORMAT_VERSION,
		report: 'compliance',
		tool: { name: 'fleetscope', version: input.version },
		generatedAt: input.generatedAt.toISOString(),
		root: input.root,
		...(input.settingsFile !== undefined ? { settingsFile: input.settingsFile } : {}),
		settings: {
			kubernetesVersion: settings.kubernetesVersion,
			podSecurityLevel: settings['podSecurity.level'],
			profiles: COMPLIANCE_PROFILES.filter((p) => enabled.has(p)),
			clusterVersions: clusterVersions(fleet, settings),
		},
		frameworks,
		scoring: SCORING,
		fleet: { environments: fleet.environments.length, clusters: fleet.clusters.length },
		summary: { ...whole.summary, resources: whole.resources },
		sections,
		findings,
		exemptions,
		rules,
		coverage: {
			files: input.files.length,
			skipped,
			resources: resourceCount,
			resourcesEvaluated: evaluated.length,
			otherFindings,
			internalErrors: [...(input.internalErrors ?? [])],
		},
	};
}

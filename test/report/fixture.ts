import type { FleetExemption } from '../../server/src/engine/fleet/exemptions';
import type { FleetModel } from '../../server/src/engine/fleet/types';
import type { ReportFile, ReportInput } from '../../server/src/engine/report/model';
import type { RuleMeta } from '../../server/src/engine/core/rule-meta';
import type { Finding, FindingData, Severity } from '../../server/src/engine/core/types';
import { defaultSettings, type FleetscopeSettings } from '../../shared/settings';

/**
 * A hand-built report input: a fleet of two environments (dev with one cluster, production with
 * two), four files with resources, findings, inline and Fleet exemptions (one live, one expired,
 * one unused), a rule turned off, a disabled framework and a file outside every cluster. The
 * expected counts are worked out by hand in model.test.ts.
 */

export const GENERATED_AT = new Date('2026-06-01T10:00:00Z');

const rule = (id: string, title: string, controls: string[]): RuleMeta => ({ id, title, defaultSeverity: 'error', rationale: 'why', controls });

export const RULES: RuleMeta[] = [
	rule('r-priv', 'Privileged containers', ['CIS-K8S-5.2.2', 'PSS-baseline-privileged']),
	rule('r-esc', 'Privilege escalation', ['CIS-K8S-5.2.6']),
	rule('r-off', 'Turned off', ['CIS-K8S-5.1.1']),
	rule('r-dora', 'DORA only', ['DORA-Art12']),
	rule('schema-type', 'Wrong type', []),
];

export function finding(ruleId: string, line: number, opts: { exempted?: string; severity?: Severity; message?: string; data?: FindingData } = {}): Finding {
	const data: FindingData | undefined = opts.exempted !== undefined || opts.data ? { ...opts.data, ...(opts.exempted !== undefined ? { exempted: opts.exempted } : {}) } : undefined;
	return {
		ruleId,
		severity: opts.exempted !== undefined ? 'hint' : (opts.severity ?? 'error'),
		message: opts.message ?? `${opts.exempted !== undefined ? `Exempted (${opts.exempted}): ` : ''}${ruleId} found something.`,
		range: { start: { line, character: 4 }, end: { line, character: 9 } },
		...(data ? { data } : {}),
	};
}

export const FLEET: FleetModel = {
	environments: [
		{ name: 'dev', order: 0, promotesFrom: [], production: false, source: 'declared' },
		{ name: 'production', order: 1, promotesFrom: ['dev'], production: true, source: 'declared' },
	],
	clusters: [
		{ name: 'dev-1', environment: 'dev', region: 'eu-west-1', provider: 'aws', kubernetesVersion: '1.30', labels: {}, syncs: [], source: 'declared', inferred: [] },
		{ name: 'prod-a', environment: 'production', region: 'eu-west-1', provider: 'aws', labels: {}, syncs: [], source: 'declared', inferred: [] },
		{ name: 'prod-b', environment: 'production', region: 'us-east-1', provider: 'aws', labels: {}, syncs: [], source: 'declared', inferred: [] },
	],
	apps: [],
	files: {
		'apps/web.yaml': ['dev-1', 'prod-a', 'prod-b'],
		'apps/api.yaml': ['prod-a'],
		'apps/job.yaml': ['dev-1'],
		'chart/templates/cm.yaml': ['dev-1'],
	},
	problems: [],
};

/** The `<script>` is hostile text an auditor must see as text. */
export const HOSTILE_REASON = 'Reviewed in SEC-142 <script>alert("x")</script> & approved';

export const FLEET_EXEMPTIONS: FleetExemption[] = [
	{ rules: ['r-esc'], match: { name: 'api' }, reason: 'Waiver for the api migration', expires: '2020-01-31', source: 'fleet.yaml' },
	{ rules: ['r-priv'], match: { kind: 'Deployment', name: 'api' }, reason: 'Node agent needs it, SEC-7', expires: '2999-12-31', source: 'fleet.yaml' },
	{ rules: ['r-esc'], match: { namespace: 'nowhere' }, reason: 'Nothing matches this', source: 'fleet.yaml' },
];

export const FILES: ReportFile[] = [
	{
		path: 'apps/web.yaml',
		resources: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'shop', documentIndex: 0, startLine: 0, endLine: 20, checks: ['r-priv', 'r-esc', 'r-off', 'r-dora', 'schema-type'] }],
		findings: [finding('r-priv', 10), finding('r-esc', 12, { exempted: HOSTILE_REASON }), finding('schema-type', 3)],
		inline: [{ line: 11, own: true, rules: ['r-esc'], reason: HOSTILE_REASON }],
	},
	{
		path: 'apps/api.yaml',
		resources: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'api', namespace: 'shop', documentIndex: 0, startLine: 0, endLine: 15, checks: ['r-priv', 'r-esc'] }],
		findings: [finding('r-esc', 5), finding('r-priv', 6, { exempted: 'Node agent needs it, SEC-7', message: 'Exempted by fleet.yaml (Node agent needs it, SEC-7, until 2999-12-31): privileged.' })],
		inline: [],
	},
	{
		path: 'apps/job.yaml',
		resources: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'job', namespace: 'shop', documentIndex: 0, startLine: 0, endLine: 9, checks: ['r-priv'] }],
		findings: [],
		inline: [],
	},
	{
		path: 'base/unused.yaml',
		resources: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'x', documentIndex: 0, startLine: 0, endLine: 9, checks: ['r-priv'] }],
		findings: [finding('r-priv', 4)],
		inline: [],
	},
	{ path: 'chart/templates/cm.yaml', skipped: 'Helm template: not validated.', resources: [], findings: [finding('file-skipped', 0, { severity: 'info' })], inline: [] },
];

export function settings(): FleetscopeSettings {
	return { ...defaultSettings(), severity: { 'r-off': 'off' }, 'compliance.profiles': ['cis', 'pss', 'managed-cluster'] };
}

export function input(over: Partial<ReportInput> = {}): ReportInput {
	return {
		files: FILES,
		fleet: FLEET,
		fleetExemptions: FLEET_EXEMPTIONS,
		settings: settings(),
		generatedAt: GENERATED_AT,
		version: '9.9.9',
		root: '/repos/acme-fleet',
		rules: RULES,
		...over,
	};
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EMPTY_FLEET } from '../../server/src/engine/fleet/types';
import { buildReport, scorePercent, type ComplianceReport, type ControlCounts, type Counts } from '../../server/src/engine/report/model';
import { FILES, finding, input } from './fixture';

/**
 * The report model on a hand-built fleet (see fixture.ts): dev = {web, job}, production = {web, api}
 * (web reaches both production clusters, counted once), prod-b = {web}, not deployed = {x}.
 * web: 5.2.2 and PSS privileged fail, 5.2.6 exempted inline. api: 5.2.2 and PSS privileged
 * exempted by a live Fleet exemption, 5.2.6 fails (its exemption expired). job: passes. x: fails.
 */

const counts = (c: Counts) => [c.evaluated, c.passed, c.exempted, c.failed, c.score];
const byControl = (controls: ControlCounts[]) => Object.fromEntries(controls.map((c) => [c.control, [c.evaluated, c.passed, c.exempted, c.failed]]));
const section = (r: ComplianceReport, id: string) => {
	const s = r.sections.find((x) => x.id === id);
	assert.ok(s, `no section ${id}`);
	return s;
};

test('one section per environment in promotion order, then the resources that reach no cluster', () => {
	const r = buildReport(input());
	assert.deepEqual(
		r.sections.map((s) => [s.id, s.kind, s.name, s.production, s.resources]),
		[
			['env:dev', 'environment', 'dev', false, 2],
			['env:production', 'environment', 'production', true, 2],
			['not-deployed', 'not-deployed', 'Not deployed to a known cluster', false, 1],
		],
	);
});

test('per environment and control: passed, exempted and failed resources; an environment counts a resource once', () => {
	const r = buildReport(input());
	const dev = section(r, 'env:dev');
	assert.deepEqual(byControl(dev.controls), {
		'CIS-K8S-5.2.2': [2, 1, 0, 1],
		'CIS-K8S-5.2.6': [1, 0, 1, 0],
		'PSS-baseline-privileged': [2, 1, 0, 1],
	});
	assert.deepEqual(counts(dev.summary), [5, 2, 1, 2, 0.6]);
	const prod = section(r, 'env:production');
	assert.deepEqual(byControl(prod.controls), {
		'CIS-K8S-5.2.2': [2, 0, 1, 1],
		'CIS-K8S-5.2.6': [2, 0, 1, 1],
		'PSS-baseline-privileged': [2, 0, 1, 1],
	});
	assert.deepEqual(counts(prod.summary), [6, 0, 3, 3, 0.5]);
	assert.deepEqual(counts(section(r, 'not-deployed').summary), [2, 0, 0, 2, 0]);
	assert.deepEqual(counts(r.summary), [10, 2, 3, 5, 0.5]);
	assert.equal(r.summary.resources, 4);
});

test('per cluster: the resources whose files reach it', () => {
	const prod = section(buildReport(input()), 'env:production');
	assert.deepEqual(
		prod.clusters.map((c) => [c.name, c.region, c.resources, ...counts(c.summary)]),
		[
			['prod-a', 'eu-west-1', 2, 6, 0, 3, 3, 0.5],
			['prod-b', 'us-east-1', 1, 3, 0, 1, 2, 0.3333],
		],
	);
	assert.deepEqual(byControl(prod.clusters[1].controls), { 'CIS-K8S-5.2.2': [1, 0, 0, 1], 'CIS-K8S-5.2.6': [1, 0, 1, 0], 'PSS-baseline-privileged': [1, 0, 0, 1] });
});

test('a rule turned off and a framework not in compliance.profiles count nowhere', () => {
	const r = buildReport(input());
	const controls = r.sections.flatMap((s) => s.controls.map((c) => c.control));
	assert.ok(!controls.includes('CIS-K8S-5.1.1'), 'r-off has severity off');
	assert.ok(!controls.includes('DORA-Art12'), 'dora is not enabled');
	assert.deepEqual(
		r.frameworks.map((f) => [f.id, f.enabled, f.controls, f.rules]),
		[
			['cis', true, 2, 3],
			['pss', true, 1, 1],
			['managed-cluster', true, 0, 0],
			['dora', false, 0, 1],
		],
	);
	assert.deepEqual(r.settings.profiles, ['cis', 'pss', 'managed-cluster']);
});

test('findings: file and 1-based line, controls, status, the exemption that covers them, where they are deployed', () => {
	const r = buildReport(input());
	assert.deepEqual(
		r.findings.map((f) => [`${f.file}:${f.line}:${f.column}`, f.ruleId, f.controls.join(' '), f.status, f.exemption ?? '', f.expiredExemption ?? '', f.environments.join(' '), f.clusters.join(' ')]),
		[
			['apps/api.yaml:6:5', 'r-esc', 'CIS-K8S-5.2.6', 'fail', '', 'fleet:fleet.yaml#1', 'production', 'prod-a'],
			['apps/api.yaml:7:5', 'r-priv', 'CIS-K8S-5.2.2 PSS-baseline-privileged', 'exempted', 'fleet:fleet.yaml#2', '', 'production', 'prod-a'],
			['apps/web.yaml:11:5', 'r-priv', 'CIS-K8S-5.2.2 PSS-baseline-privileged', 'fail', '', '', 'dev production', 'dev-1 prod-a prod-b'],
			['apps/web.yaml:13:5', 'r-esc', 'CIS-K8S-5.2.6', 'exempted', 'inline:apps/web.yaml:12', '', 'dev production', 'dev-1 prod-a prod-b'],
			['base/unused.yaml:5:5', 'r-priv', 'CIS-K8S-5.2.2 PSS-baseline-privileged', 'fail', '', '', '', ''],
		],
	);
	assert.deepEqual(r.findings[0].resource, { kind: 'Deployment', name: 'api', namespace: 'shop' });
	assert.equal(r.coverage.otherFindings, 2, 'the schema finding and the skipped-file note evidence no control');
});

test('exemptions: inline with file:line, Fleet with its file; the expired one is flagged and covers nothing', () => {
	const r = buildReport(input());
	assert.deepEqual(
		r.exemptions.map((e) => [e.id, e.source, e.file, e.line ?? '', e.rules.join(','), e.expires ?? '', e.status, e.findings]),
		[
			['fleet:fleet.yaml#1', 'fleet', 'fleet.yaml', '', 'r-esc', '2020-01-31', 'expired', 1],
			['fleet:fleet.yaml#2', 'fleet', 'fleet.yaml', '', 'r-priv', '2999-12-31', 'active', 1],
			['fleet:fleet.yaml#3', 'fleet', 'fleet.yaml', '', 'r-esc', '', 'unused', 0],
			['inline:apps/web.yaml:12', 'inline', 'apps/web.yaml', 12, 'r-esc', '', 'active', 1],
		],
	);
	assert.deepEqual(r.exemptions[1].match, { kind: 'Deployment', name: 'api' });
});

test('an exemption expires by the day the report is generated: the day after its date, not on it', () => {
	const onTheDay = buildReport(input({ generatedAt: new Date('2020-01-31T23:59:00Z') }));
	assert.equal(onTheDay.exemptions[0].status, 'unused', 'still live on its expiry day (the finding, exempted or not, is what the engine decided)');
	const after = buildReport(input({ generatedAt: new Date('2020-02-01T00:00:00Z') }));
	assert.equal(after.exemptions[0].status, 'expired');
});

test('without a fleet model: one section for the repository as a whole, nothing "deployed"', () => {
	const r = buildReport(input({ fleet: EMPTY_FLEET }));
	assert.deepEqual(
		r.sections.map((s) => [s.id, s.resources, ...counts(s.summary)]),
		[['repository', 4, 10, 2, 3, 5, 0.5]],
	);
	assert.deepEqual(byControl(r.sections[0].controls), {
		'CIS-K8S-5.2.2': [4, 1, 1, 2],
		'CIS-K8S-5.2.6': [2, 0, 1, 1],
		'PSS-baseline-privileged': [4, 1, 1, 2],
	});
	assert.ok(r.findings.every((f) => f.environments.length === 0 && f.clusters.length === 0));
	assert.deepEqual(r.fleet, { environments: 0, clusters: 0 });
});

test('a finding that names fewer controls than its rule fails only those; the others pass', () => {
	const files = [
		{
			path: 'a.yaml',
			resources: [{ apiVersion: 'v1', kind: 'Pod', name: 'p', documentIndex: 0, startLine: 0, endLine: 9, checks: ['r-priv'] }],
			findings: [finding('r-priv', 3, { data: { controls: ['PSS-baseline-privileged'] } })],
			inline: [],
		},
	];
	const r = buildReport(input({ files, fleet: EMPTY_FLEET }));
	assert.deepEqual(byControl(r.sections[0].controls), { 'CIS-K8S-5.2.2': [1, 1, 0, 0], 'PSS-baseline-privileged': [1, 0, 0, 1] });
});

test('a finding is evidence of evaluation: a resource with a finding counts even where no evaluation was recorded', () => {
	const files = [{ path: 'a.yaml', resources: [{ apiVersion: 'v1', kind: 'Pod', name: 'p', documentIndex: 0, startLine: 0, endLine: 9, checks: [] }], findings: [finding('r-esc', 2)], inline: [] }];
	const r = buildReport(input({ files, fleet: EMPTY_FLEET }));
	assert.deepEqual(byControl(r.sections[0].controls), { 'CIS-K8S-5.2.6': [1, 0, 0, 1] });
});

test('controls sort by framework, then numerically (5.2.10 after 5.2.9)', () => {
	const rules = [{ id: 'r', title: 'R', defaultSeverity: 'error' as const, rationale: '', controls: ['PSS-restricted-runAsNonRoot', 'CIS-K8S-5.2.10', 'CIS-EKS-2.1.1', 'CIS-K8S-5.2.9', 'CIS-K8S-5.1.1'] }];
	const files = [{ path: 'a.yaml', resources: [{ apiVersion: 'v1', kind: 'Pod', documentIndex: 0, startLine: 0, endLine: 3, checks: ['r'] }], findings: [], inline: [] }];
	const r = buildReport(input({ files, rules, fleet: EMPTY_FLEET }));
	assert.deepEqual(
		r.sections[0].controls.map((c) => c.control),
		['CIS-K8S-5.1.1', 'CIS-K8S-5.2.9', 'CIS-K8S-5.2.10', 'PSS-restricted-runAsNonRoot', 'CIS-EKS-2.1.1'],
	);
});

test('the score rounds to the nearest percent: 100 % only without a failure, 0 % only without a pass; n/a without an evaluation', () => {
	assert.equal(scorePercent({ evaluated: 8, passed: 7, exempted: 0 }), 88);
	assert.equal(scorePercent({ evaluated: 3, passed: 2, exempted: 0 }), 67);
	assert.equal(scorePercent({ evaluated: 3, passed: 1, exempted: 0 }), 33);
	assert.equal(scorePercent({ evaluated: 1000, passed: 999, exempted: 0 }), 99);
	assert.equal(scorePercent({ evaluated: 1000, passed: 1, exempted: 0 }), 1);
	assert.equal(scorePercent({ evaluated: 4, passed: 3, exempted: 1 }), 100);
	assert.equal(scorePercent({ evaluated: 0, passed: 0, exempted: 0 }), null);
	const r = buildReport(input({ files: [], fleet: EMPTY_FLEET }));
	assert.equal(r.summary.score, null);
});

test('skipped files are listed as not evidence; an environment no cluster runs is shown with nothing counted', () => {
	const fleet = { ...input().fleet, environments: [...input().fleet.environments, { name: 'qa', order: 2, promotesFrom: [], production: false, source: 'declared' as const }] };
	const r = buildReport(input({ fleet }));
	assert.deepEqual(r.coverage.skipped, [{ file: 'chart/templates/cm.yaml', reason: 'Helm template: not validated.' }]);
	const qa = section(r, 'env:qa');
	assert.deepEqual([qa.resources, qa.clusters.length, ...counts(qa.summary)], [0, 0, 0, 0, 0, 0, null]);
	assert.equal(r.coverage.files, FILES.length);
});

test('clusters naming an undeclared environment, or none, are counted under their own sections after the declared ones', () => {
	const base = input().fleet;
	const fleet = {
		...base,
		clusters: [
			...base.clusters,
			{ name: 'perf-1', environment: 'performance', labels: {}, syncs: [], source: 'declared' as const, inferred: [] },
			{ name: 'prod-legacy', environment: 'prod-old', labels: {}, syncs: [], source: 'inferred' as const, inferred: [] },
			{ name: 'lab', labels: {}, syncs: [], source: 'inferred' as const, inferred: [] },
		],
		files: { ...base.files, 'apps/job.yaml': ['dev-1', 'perf-1'], 'base/unused.yaml': ['lab', 'prod-legacy'] },
	};
	const r = buildReport(input({ fleet }));
	assert.deepEqual(
		r.sections.map((s) => [s.id, s.declared, s.production, s.resources, s.clusters.map((c) => c.name).join(' ')]),
		[
			['env:dev', true, false, 2, 'dev-1'],
			['env:production', true, true, 2, 'prod-a prod-b'],
			['env:performance', false, false, 1, 'perf-1'],
			['env:prod-old', false, true, 1, 'prod-legacy'],
			['env:', false, false, 1, 'lab'],
		],
	);
	assert.ok(!r.sections.some((s) => s.kind === 'not-deployed'), 'every resource reaches a cluster now');
});

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import type { Log } from 'sarif';
import { helpUri } from '../../server/src/engine/core/rule-meta';
import { allRules } from '../../server/src/engine/rules/catalog';
import { ensureCliBuilt, regionText, runCli, tempRepo } from './run';
import { DEPLOY, PSS_WARNINGS, SHOP_FILES } from './shop-repo';

/** The three report formats on a repository with known findings: places, shapes and summaries. */
let repo: ReturnType<typeof tempRepo>;
before(() => {
	ensureCliBuilt();
	repo = tempRepo(SHOP_FILES);
});
after(() => repo?.dispose());

test('text: one line per finding as path:line:col severity rule what (controls), grouped per file, then the summary', async () => {
	const r = await runCli(['check'], { cwd: repo.root });
	assert.equal(r.code, 1);
	assert.equal(r.stderr, '');
	const [deployGroup, helmGroup, summary] = r.stdout.trimEnd().split('\n\n');
	const deployLines = deployGroup.split('\n');
	assert.equal(deployLines.length, 6);
	assert.match(deployLines[0], /^apps\/deploy\.yaml:7:13 +error +schema-type +spec\.replicas must be an integer, got the string "3"$/);
	// What is wrong on the line; the fix (the did-you-mean) under --verbose.
	assert.match(deployLines[5], /^apps\/deploy\.yaml:20:11 +error +schema-unknown-field +spec\.template\.spec\.containers\[0\]\.portz is not a field of Container$/);
	// The restricted checks at the default baseline level: information.
	assert.deepEqual(deployLines.slice(1, 5).map((l) => l.split(/ +/).slice(0, 3)).map(([loc, sev, rule]) => [loc, sev, rule]).sort(), PSS_WARNINGS.map((rule) => ['apps/deploy.yaml:17:17', 'info', rule]).sort());
	assert.match(deployLines.find((l) => l.includes('pss-runAsNonRoot'))!, / Container "web" may run as root \(CIS 5\.2\.7, PSS restricted\)$/);
	assert.match(helmGroup, /^charts\/x\/cm\.yaml:1:1 +info +file-skipped +Helm or Go template$/);
	assert.match(summary, /^7 problems \(2 errors, 0 warnings, 5 info, 0 hints\) · 3 files checked in \d+ ms$/);
	// Not a terminal, so no colours.
	assert.doesNotMatch(r.stdout, /\u001b\[/);
});

test('text --verbose: the why and the fix, indented under each line; json keeps the whole message', async () => {
	const r = await runCli(['check', '--verbose'], { cwd: repo.root });
	const lines = r.stdout.split('\n');
	const portz = lines.findIndex((l) => l.includes('schema-unknown-field'));
	assert.equal(lines[portz + 1], '    Did you mean ports?');
	const root = lines.findIndex((l) => l.includes('pss-runAsNonRoot'));
	assert.equal(lines[root + 1], "    Neither it nor the pod sets securityContext.runAsNonRoot: true. Set it on the pod's or the");
	const json = JSON.parse((await runCli(['check', '--format', 'json'], { cwd: repo.root })).stdout);
	assert.ok(json.findings.some((f: { message: string }) => f.message.endsWith('portz is not a field of Container. Did you mean ports?')));
	assert.equal((await runCli(['report', '--verbose'], { cwd: repo.root })).code, 2);
});

test('text: colours when forced, never with NO_COLOR; a clean check says so', async () => {
	const coloured = await runCli(['check'], { cwd: repo.root, env: { FORCE_COLOR: '1' } });
	assert.match(coloured.stdout, /\u001b\[31merror  \u001b\[0m/);
	const clean = await runCli(['check', 'apps/config.yaml'], { cwd: repo.root, env: { NO_COLOR: '1' } });
	assert.equal(clean.code, 0);
	assert.match(clean.stdout, /^No problems found · 1 file checked in \d+ ms\n$/);
});

test('json: findings with file, 1-based line/column, exclusive end column, severity, rule, message; a summary', async () => {
	const r = await runCli(['check', '--format', 'json'], { cwd: repo.root });
	assert.equal(r.code, 1);
	const report = JSON.parse(r.stdout);
	assert.equal(report.formatVersion, 1);
	assert.deepEqual(report.tool, { name: 'fleetscope', version: '0.1.0' });
	assert.equal(report.root, repo.root);
	assert.deepEqual(report.findings[0], {
		file: 'apps/deploy.yaml',
		line: 7,
		column: 13,
		endLine: 7,
		endColumn: 16,
		severity: 'error',
		ruleId: 'schema-type',
		message: 'spec.replicas must be an integer, got the string "3"',
	});
	const portz = report.findings.find((f: { ruleId: string }) => f.ruleId === 'schema-unknown-field');
	assert.equal(regionText(DEPLOY, portz.line, portz.column, portz.endColumn), 'portz');
	assert.deepEqual(report.summary.bySeverity, { error: 2, warning: 0, info: 5, hint: 0 });
	assert.equal(report.summary.files, 3);
	assert.equal(report.summary.findings, 7);
	assert.equal(typeof report.summary.elapsedMs, 'number');
});

test('sarif: valid against the official SARIF 2.1.0 schema, one run, rules from the rule registry', async () => {
	const r = await runCli(['check', '--format', 'sarif'], { cwd: repo.root });
	assert.equal(r.code, 1);
	const log = JSON.parse(r.stdout) as Log;
	const schema = createRequire(__filename)('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
	// That schema is draft-04 and has a pattern that is not valid with the `u` flag.
	const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
	addFormats(ajv);
	const validate = ajv.compile(schema);
	assert.ok(validate(log), JSON.stringify(validate.errors, null, 1));

	assert.equal(log.version, '2.1.0');
	assert.match(log.$schema!, /sarif-2\.1\.0/);
	assert.equal(log.runs.length, 1);
	const { driver } = log.runs[0].tool;
	assert.equal(driver.name, 'fleetscope');
	assert.equal(driver.version, '0.1.0');
	assert.match(driver.informationUri!, /^https:\/\//);
	const rules = driver.rules!;
	assert.deepEqual(rules.map((x) => x.id), allRules().map((x) => x.id));
	for (const [i, meta] of allRules().entries()) {
		const d = rules[i];
		assert.equal(d.shortDescription!.text, meta.title);
		assert.equal(d.fullDescription!.text, meta.rationale);
		assert.equal(d.helpUri, helpUri(meta.id));
		assert.equal(d.defaultConfiguration!.level, meta.defaultSeverity === 'error' ? 'error' : meta.defaultSeverity === 'warning' ? 'warning' : 'note');
		assert.deepEqual(d.properties!.controls, meta.controls);
	}
	assert.deepEqual(rules.find((x) => x.id === 'schema-unknown-field')!.properties!.controls, []);
	assert.ok((rules.find((x) => x.id === 'pss-runAsNonRoot')!.properties!.controls as string[]).length > 0);
});

test('sarif: results with rule index, level, message and one location relative to the root with a 1-based region', async () => {
	const r = await runCli(['check', '--format', 'sarif'], { cwd: repo.root });
	const log = JSON.parse(r.stdout) as Log;
	const run = log.runs[0];
	const results = run.results!;
	assert.equal(results.length, 7);
	for (const res of results) {
		assert.equal(run.tool.driver.rules![res.ruleIndex!].id, res.ruleId);
		assert.equal(res.locations!.length, 1);
		const { artifactLocation, region } = res.locations![0].physicalLocation!;
		assert.equal(artifactLocation!.uriBaseId, '%SRCROOT%');
		assert.match(artifactLocation!.uri!, /^(apps\/deploy|charts\/x\/cm)\.yaml$/);
		assert.ok(region!.startLine! >= 1 && region!.startColumn! >= 1 && region!.endLine! >= region!.startLine! && region!.endColumn! >= 1);
	}
	const byRule = (id: string) => results.find((x) => x.ruleId === id)!;
	const replicas = byRule('schema-type');
	assert.equal(replicas.level, 'error');
	assert.equal(replicas.message.text, 'spec.replicas must be an integer, got the string "3"');
	assert.deepEqual(replicas.locations![0].physicalLocation!.region, { startLine: 7, startColumn: 13, endLine: 7, endColumn: 16 });
	const portz = byRule('schema-unknown-field').locations![0].physicalLocation!.region!;
	assert.equal(regionText(DEPLOY, portz.startLine!, portz.startColumn!, portz.endColumn!), 'portz');
	const pss = byRule('pss-runAsNonRoot');
	assert.equal(pss.level, 'note');
	assert.equal(regionText(DEPLOY, pss.locations![0].physicalLocation!.region!.startLine!, 17, pss.locations![0].physicalLocation!.region!.endColumn!), 'web');
	// Info notes are SARIF notes.
	assert.equal(byRule('file-skipped').level, 'note');
	assert.equal(byRule('file-skipped').locations![0].physicalLocation!.artifactLocation!.uri, 'charts/x/cm.yaml');
});

test('sarif: URIs stay relative to the checked root whatever the current directory', async () => {
	// Run from the parent directory with the repository as the single directory argument.
	const r = await runCli(['check', '--format', 'sarif', repo.root], { cwd: '/' });
	const log = JSON.parse(r.stdout) as Log;
	const uris = new Set(log.runs[0].results!.map((x) => x.locations![0].physicalLocation!.artifactLocation!.uri));
	assert.deepEqual([...uris].sort(), ['apps/deploy.yaml', 'charts/x/cm.yaml']);
	assert.equal(log.runs[0].originalUriBaseIds!['%SRCROOT%'].uri, `file://${repo.root}/`);
	// A single file argument from inside the repository: relative to the current directory.
	const one = JSON.parse((await runCli(['check', '--format', 'sarif', 'apps/deploy.yaml'], { cwd: repo.root })).stdout) as Log;
	assert.ok(one.runs[0].results!.every((x) => x.locations![0].physicalLocation!.artifactLocation!.uri === 'apps/deploy.yaml'));
});

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureCliBuilt, runCli, tempRepo } from './run';
import { CONFIG, DEPLOY, HELM, SHOP_FILES } from './shop-repo';

/** Exit codes (0 clean, 1 findings at or above --fail-on, 2 usage or internal error), --output, flags. */
let repo: ReturnType<typeof tempRepo>;
before(() => {
	ensureCliBuilt();
	repo = tempRepo({
		...SHOP_FILES,
		// The team requires restricted (a settings file): its shortfalls are warnings, not information.
		'only-warnings/deploy.yaml': DEPLOY.replace('"3"', '3').replace('portz', 'ports'),
		'only-warnings/.fleetscope.yaml': 'podSecurity:\n  level: restricted\n',
		'restricted-info/deploy.yaml': DEPLOY.replace('"3"', '3').replace('portz', 'ports'),
		'only-info/cm.yaml': HELM,
		'clean/config.yaml': CONFIG,
		'old-api/pdb.yaml': 'apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata:\n  name: web\nspec:\n  minAvailable: 1\n',
		// A production cluster's claim without control-plane logging: a warning raised to an error in production.
		'claims/prod.yaml': 'apiVersion: platform.gitops.io/v1alpha1\nkind: ClusterClaim\nmetadata:\n  name: prod-eu\nspec:\n  cloudProvider: aws\n  region: eu-west-1\n  environment: production\n  kubernetes:\n    version: "1.35"\n  controlPlane: {endpointAccess: private}\n  encryption: {secretsKmsKey: arn:aws:kms:eu-west-1:1:key/k}\n  network: {policy: cilium}\n  identity: {workloadIdentity: true}\n',
	});
});
after(() => repo?.dispose());

const check = (...args: string[]) => runCli(['check', ...args], { cwd: repo.root });

test('exit 0 on a clean directory, 1 when an error is found', async () => {
	assert.equal((await check('clean')).code, 0);
	assert.equal((await check('apps')).code, 1);
});

test('a directory with no YAML file: exit 0, and stderr says nothing was checked', async () => {
	mkdirSync(join(repo.root, 'docs-only'));
	const r = await check('docs-only');
	assert.equal(r.code, 0);
	assert.match(r.stdout, /^No problems found · 0 files checked in \d+ ms\n$/);
	assert.equal(r.stderr, `fleetscope: no file to check under ${join(repo.root, 'docs-only')} (the include globs match no file there)\n`);
});

test('--fail-on: the lowest severity that fails the check', async () => {
	// Warnings only (Pod Security restricted-level warnings at the default baseline level).
	assert.equal((await check('only-warnings')).code, 0);
	assert.equal((await check('only-warnings', '--fail-on', 'warning')).code, 1);
	assert.equal((await check('only-warnings', '--fail-on', 'info')).code, 1);
	// An info note only (a Helm template).
	assert.equal((await check('only-info', '--fail-on', 'warning')).code, 0);
	assert.equal((await check('only-info', '--fail-on', 'info')).code, 1);
	// never: findings are reported, the exit code stays 0.
	const never = await check('apps', '--fail-on', 'never');
	assert.equal(never.code, 0);
	assert.match(never.stdout, /2 errors/);
});

test('--pss-level restricted turns the restricted information into warnings (required, but nothing enforces it)', async () => {
	const baseline = await check('restricted-info', '--format', 'json', '--fail-on', 'warning');
	assert.equal(baseline.code, 0);
	const info = JSON.parse(baseline.stdout).findings;
	assert.ok(info.length >= 4);
	assert.ok(info.every((f: { severity: string; ruleId: string }) => f.severity === 'info' && f.ruleId.startsWith('pss-')));
	const r = await check('restricted-info', '--pss-level', 'restricted', '--format', 'json', '--fail-on', 'warning');
	assert.equal(r.code, 1);
	const { findings } = JSON.parse(r.stdout);
	assert.equal(findings.length, info.length);
	assert.ok(findings.every((f: { severity: string; ruleId: string }) => f.severity === 'warning' && f.ruleId.startsWith('pss-')));
});

test('--profile limits the compliance frameworks reported; schema findings stay', async () => {
	const dora = await check('only-warnings', '--profile', 'dora', '--format', 'json', '--fail-on', 'warning');
	assert.equal(dora.code, 0);
	assert.deepEqual(JSON.parse(dora.stdout).findings, [], 'Pod Security findings are not DORA findings');
	const cis = await check('only-warnings', '--profile', 'cis', '--format', 'json');
	assert.ok(JSON.parse(cis.stdout).findings.some((f: { ruleId: string }) => f.ruleId.startsWith('pss-')), 'pss rules also evidence CIS 5.2.x');
	const apps = await check('apps', '--profile', 'dora', '--format', 'json');
	assert.ok(JSON.parse(apps.stdout).findings.some((f: { ruleId: string }) => f.ruleId.startsWith('schema-')));
});

test('production escalation is opt-in: --production-escalation raises findings of production files, --no-production-escalation wins over a settings file', async () => {
	const kept = await check('claims', '--format', 'json');
	assert.equal(kept.code, 0);
	// The claim also makes the repository's one production cluster known without a Fleet file: one dora-fleet-file note.
	const logging = (out: string) => (JSON.parse(out).findings as { ruleId: string; severity: string; message: string }[]).filter((x) => x.ruleId !== 'dora-fleet-file');
	const [k] = logging(kept.stdout);
	assert.deepEqual([k.ruleId, k.severity], ['cis-managed-control-plane-logging', 'warning']);
	assert.match(k.message, / \(production\)$/);
	const raised = await check('claims', '--format', 'json', '--production-escalation');
	assert.equal(raised.code, 1);
	const [f] = logging(raised.stdout);
	assert.deepEqual([f.ruleId, f.severity], ['cis-managed-control-plane-logging', 'error']);
	assert.match(f.message, /Raised from warning to error because it declares the production cluster prod-eu\.$/);
	writeFileSync(join(repo.root, 'claims', '.fleetscope.yaml'), 'compliance:\n  productionEscalation: true\n');
	try {
		assert.equal((await check('claims')).code, 1);
		assert.equal((await check('claims', '--no-production-escalation')).code, 0);
	} finally {
		rmSync(join(repo.root, 'claims', '.fleetscope.yaml'));
	}
});

test('--kubernetes-version: an API version is reported only where that release removed it', async () => {
	const removed = await check('old-api', '--kubernetes-version', '1.30', '--format', 'json');
	assert.equal(removed.code, 1);
	assert.deepEqual(JSON.parse(removed.stdout).findings.map((f: { ruleId: string; line: number }) => [f.ruleId, f.line]), [['api-removed', 1]]);
	const served = await check('old-api', '--kubernetes-version', '1.24', '--format', 'json');
	assert.equal(served.code, 0);
	assert.deepEqual(JSON.parse(served.stdout).findings, []);
});

test('--output writes the report to the file and the summary to stderr', async () => {
	const out = join(repo.root, 'report.sarif');
	const r = await check('apps', '--format', 'sarif', '--output', out);
	assert.equal(r.code, 1);
	assert.equal(r.stdout, '');
	assert.match(r.stderr, /^6 problems \(2 errors, 0 warnings, 4 info, 0 hints\) · 2 files checked in \d+ ms\nReport written to /);
	const log = JSON.parse(readFileSync(out, 'utf8'));
	assert.equal(log.runs[0].results.length, 6);
	const text = join(repo.root, 'report.txt');
	await check('apps', '--output', text, '--fail-on', 'never');
	// The text report shows paths from the current directory, so a terminal opens them on click.
	assert.match(readFileSync(text, 'utf8'), /^apps\/deploy\.yaml:7:13 +error +schema-type /);
});

test('the terminal report, printed file by file as the check goes, is the report --output writes whole', async () => {
	const streamed = await check('.', '--fail-on', 'never');
	const file = join(repo.root, 'whole.txt');
	const whole = await check('.', '--output', file, '--fail-on', 'never');
	assert.equal(streamed.code, 0);
	const text = readFileSync(file, 'utf8');
	// The same lines (the summary's elapsed time aside), several files' worth.
	const withoutTime = (s: string) => s.replace(/checked in [\d.]+ m?s/, 'checked in T');
	assert.equal(withoutTime(streamed.stdout), withoutTime(text));
	assert.ok(new Set(text.split('\n').filter((l) => /:\d+:\d+ /.test(l)).map((l) => l.split(':')[0])).size >= 4);
	assert.equal(whole.stdout, '');
	// The exit code follows the streamed findings' severities as it did the kept ones.
	assert.equal((await check('.', '--fail-on', 'error')).code, 1);
	assert.equal((await check('only-warnings', '--fail-on', 'error')).code, 0);
	assert.equal((await check('only-warnings', '--fail-on', 'warning')).code, 1);
});

test('several paths: files and directories together, relative to the current directory', async () => {
	const r = await check('apps/config.yaml', 'only-info', '--format', 'json', '--fail-on', 'never');
	assert.equal(r.code, 0);
	const report = JSON.parse(r.stdout);
	assert.equal(report.summary.files, 2);
	assert.deepEqual(report.findings.map((f: { file: string; ruleId: string }) => [f.file, f.ruleId]), [['only-info/cm.yaml', 'file-skipped']]);
});

test('usage errors exit 2 with a message on stderr and nothing on stdout', async () => {
	const cases: [string[], RegExp][] = [
		[['check', '--bogus'], /Unknown option '--bogus'/],
		[['check', 'no/such/dir'], /no\/such\/dir: no such file or directory/],
		[['check', '--format', 'xml'], /--format must be one of text, json, sarif, got "xml"/],
		[['check', '--fail-on', 'fatal'], /--fail-on must be one of error, warning, info, never, got "fatal"/],
		[['check', '--kubernetes-version', '1.3x'], /--kubernetes-version must look like 1\.30/],
		[['check', '--pss-level', 'privileged'], /--pss-level must be one of baseline, restricted/],
		[['check', '--profile', 'cis,nist'], /--profile must be one of cis, pss, dora, managed-cluster, got "nist"/],
		[['check', '--format'], /argument missing/],
		[['lint'], /unknown command "lint"/],
		[[], /missing command/],
	];
	for (const [args, message] of cases) {
		const r = await runCli(args, { cwd: repo.root });
		assert.equal(r.code, 2, args.join(' '));
		assert.equal(r.stdout, '', args.join(' '));
		assert.match(r.stderr, message, args.join(' '));
		assert.match(r.stderr, /Run fleetscope --help for usage\./);
	}
});

test('--output into a missing directory is an error of the CLI (exit 2), not a finding', async () => {
	const r = await check('clean', '--output', join(repo.root, 'missing', 'dir', 'r.json'));
	assert.equal(r.code, 2);
	assert.match(r.stderr, /ENOENT/);
	assert.equal(existsSync(join(repo.root, 'missing')), false);
});

test('--help and --version', async () => {
	const help = await runCli(['--help']);
	assert.equal(help.code, 0);
	assert.match(help.stdout, /^Usage: fleetscope check \[PATH\.\.\.\]/);
	assert.match(help.stdout, /--fail-on error\|warning\|info\|never/);
	const version = await runCli(['--version']);
	assert.equal(version.code, 0);
	assert.equal(version.stdout, `${JSON.parse(readFileSync('package.json', 'utf8')).version}\n`);
});

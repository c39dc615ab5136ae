import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ensureCliBuilt, runCli, tempRepo } from './run';
import { CONFIG } from './shop-repo';

/**
 * Settings files: `.fleetscope.yaml` (or .yml/.json) in the checked root, or `--config FILE`, with
 * the keys of the editor's `fleetscope.*` settings. Flags win over the file; a mistake in the file
 * is a usage error (exit 2), never a silent fallback to the defaults.
 */

const REPLICAS = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: "3"\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n          securityContext: {allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: {drop: [ALL]}, seccompProfile: {type: RuntimeDefault}}\n          resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {memory: 64Mi}}\n';
const OLD_API = 'apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata:\n  name: web\nspec:\n  minAvailable: 1\n';

interface JsonFinding {
	file: string;
	line: number;
	severity: string;
	ruleId: string;
}

let plain: ReturnType<typeof tempRepo>;
before(() => {
	ensureCliBuilt();
	plain = tempRepo({ 'apps/deploy.yaml': REPLICAS, 'apps/config.yaml': CONFIG, 'legacy/pdb.yaml': OLD_API });
});
after(() => plain?.dispose());

const findingsOf = (stdout: string) => (JSON.parse(stdout).findings as JsonFinding[]).map((f) => [f.file, f.line, f.severity, f.ruleId]);

test('without a settings file: the defaults (both errors reported)', async () => {
	const r = await runCli(['check', '--format', 'json'], { cwd: plain.root });
	assert.equal(r.code, 1);
	assert.deepEqual(findingsOf(r.stdout), [
		['apps/deploy.yaml', 6, 'error', 'schema-type'],
		['legacy/pdb.yaml', 1, 'error', 'api-removed'],
	]);
	assert.equal(JSON.parse(r.stdout).settingsFile, undefined);
});

test('.fleetscope.yaml in the root: severity overrides, off, excludes; named in the summary, not checked itself', async () => {
	const repo = tempRepo({
		'apps/deploy.yaml': REPLICAS,
		'legacy/pdb.yaml': OLD_API,
		'vendor/broken.yaml': 'a: [\n',
		'.fleetscope.yaml': 'severity:\n  schema-type: warning\n  api-removed: "off"\nexclude:\n  - "vendor/**"\n',
	});
	try {
		const r = await runCli(['check', '--format', 'json'], { cwd: repo.root });
		assert.equal(r.code, 0, r.stderr);
		const report = JSON.parse(r.stdout);
		assert.deepEqual(findingsOf(r.stdout), [['apps/deploy.yaml', 6, 'warning', 'schema-type']]);
		assert.equal(report.settingsFile, '.fleetscope.yaml');
		assert.equal(report.summary.files, 2, 'the settings file and the excluded directory are not checked');
		const text = await runCli(['check'], { cwd: repo.root });
		assert.match(text.stdout, /· 2 files checked in \d+ ms · settings from \.fleetscope\.yaml\n$/);
		// The file is looked for in the checked root, which a single directory argument is.
		const fromOutside = await runCli(['check', repo.root, '--format', 'json']);
		assert.deepEqual(findingsOf(fromOutside.stdout), [['apps/deploy.yaml', 6, 'warning', 'schema-type']]);
		// The text report names the file and the settings from the current directory.
		const fromApps = await runCli(['check', '..'], { cwd: join(repo.root, 'apps') });
		assert.match(fromApps.stdout, /^deploy\.yaml:6:13 +warning +schema-type /);
		assert.match(fromApps.stdout, / · settings from \.\.\/\.fleetscope\.yaml\n$/);
	} finally {
		repo.dispose();
	}
});

test('nested and flat spellings, .json; flags win over the file', async () => {
	const repo = tempRepo({
		'legacy/pdb.yaml': OLD_API,
		'apps/deploy.yaml': REPLICAS.replace('allowPrivilegeEscalation: false, ', ''),
		'.fleetscope.json': JSON.stringify({ kubernetesVersion: '1.24', podSecurity: { level: 'restricted' }, 'compliance.profiles': ['pss'] }),
	});
	try {
		const r = await runCli(['check', '--format', 'json'], { cwd: repo.root });
		assert.equal(r.code, 1);
		// 1.24 still serves policy/v1beta1; restricted makes the missing allowPrivilegeEscalation (line 16, the securityContext) a warning (required, not enforced).
		assert.deepEqual(findingsOf(r.stdout), [
			['apps/deploy.yaml', 6, 'error', 'schema-type'],
			['apps/deploy.yaml', 16, 'warning', 'pss-allowPrivilegeEscalation'],
		]);
		const flags = await runCli(['check', '--format', 'json', '--kubernetes-version', '1.30', '--pss-level', 'baseline'], { cwd: repo.root });
		assert.deepEqual(findingsOf(flags.stdout), [
			['apps/deploy.yaml', 6, 'error', 'schema-type'],
			['apps/deploy.yaml', 16, 'info', 'pss-allowPrivilegeEscalation'],
			['legacy/pdb.yaml', 1, 'error', 'api-removed'],
		]);
	} finally {
		repo.dispose();
	}
});

test('--config FILE instead of the root file; keys copied from .vscode/settings.json (fleetscope. prefix) work', async () => {
	const repo = tempRepo({
		'apps/deploy.yaml': REPLICAS,
		'.fleetscope.yaml': 'severity:\n  schema-type: "off"\n',
		'ci/strict.json': JSON.stringify({ 'fleetscope.severity': { 'schema-type': 'info' }, 'fleetscope.validateWorkspace': true }),
	});
	try {
		const r = await runCli(['check', 'apps', '--config', 'ci/strict.json', '--format', 'json'], { cwd: repo.root });
		assert.equal(r.code, 0, r.stderr);
		assert.deepEqual(findingsOf(r.stdout), [['deploy.yaml', 6, 'info', 'schema-type']]);
		// Outside the checked root (apps), the file is named by its absolute path.
		assert.equal(JSON.parse(r.stdout).settingsFile, join(repo.root, 'ci', 'strict.json'));
	} finally {
		repo.dispose();
	}
});

test('a mistake in the settings file is a usage error (exit 2) that names the file, the setting and the fix', async () => {
	const cases: [string, RegExp][] = [
		['kubernetesVersion: 1.30\n', /^fleetscope: \.fleetscope\.yaml: kubernetesVersion must be a string such as "1\.30", got the number 1\.3 \(YAML reads 1\.30 as 1\.3\): quote it\n/],
		['severity:\n  schema-typ: warning\n', /^fleetscope: \.fleetscope\.yaml: severity names the unknown rule "schema-typ"\. Did you mean schema-type\?\n/],
		['severity:\n  schema-type: fatal\n', /^fleetscope: \.fleetscope\.yaml: severity\.schema-type must be one of error, warning, info, hint, off, got the string "fatal"\n/],
		['podSecurity:\n  levle: restricted\n', /^fleetscope: \.fleetscope\.yaml: unknown setting "podSecurity\.levle"\. Did you mean podSecurity\.level\?\n/],
		['compliance:\n  profiles: [cis, nist]\n', /^fleetscope: \.fleetscope\.yaml: compliance\.profiles\[1\] must be one of cis, pss, dora, managed-cluster, got the string "nist"\n/],
		['exclude: vendor/**\n', /^fleetscope: \.fleetscope\.yaml: exclude must be a list, got the string "vendor\/\*\*"\n/],
		['maxFileSizeKb: 0\n', /^fleetscope: \.fleetscope\.yaml: maxFileSizeKb must be >= 1, got 0\n/],
		['- include\n', /^fleetscope: \.fleetscope\.yaml: must be a mapping of settings .*, got a list\n/],
		['exclude: [a]\nexclude: [b]\n', /^fleetscope: \.fleetscope\.yaml: not valid YAML or JSON: Map keys must be unique/],
		['include: [\n', /^fleetscope: \.fleetscope\.yaml: not valid YAML or JSON: /],
	];
	for (const [content, message] of cases) {
		const repo = tempRepo({ 'apps/config.yaml': CONFIG, '.fleetscope.yaml': content });
		try {
			const r = await runCli(['check'], { cwd: repo.root });
			assert.equal(r.code, 2, content);
			assert.equal(r.stdout, '', content);
			assert.match(r.stderr, message, content);
		} finally {
			repo.dispose();
		}
	}
	const missing = await runCli(['check', '--config', 'nope.yaml'], { cwd: plain.root });
	assert.equal(missing.code, 2);
	assert.match(missing.stderr, /^fleetscope: --config nope\.yaml: no such file\n/);
	const empty = await runCli(['check', '--config='], { cwd: plain.root });
	assert.equal(empty.code, 2);
	assert.match(empty.stderr, /--config needs a file name/);
});

test('an empty settings file means the defaults', async () => {
	const repo = tempRepo({ 'apps/deploy.yaml': REPLICAS, '.fleetscope.yml': '# nothing yet\n' });
	try {
		const r = await runCli(['check', '--format', 'json'], { cwd: repo.root });
		assert.equal(r.code, 1);
		assert.deepEqual(findingsOf(r.stdout), [['apps/deploy.yaml', 6, 'error', 'schema-type']]);
		assert.equal(JSON.parse(r.stdout).settingsFile, '.fleetscope.yml');
	} finally {
		repo.dispose();
	}
});

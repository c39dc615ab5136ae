import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSettingsFile, withSettingsFile } from '../../server/src/engine/rules/settings-file';
import { defaultSettings } from '../../shared/settings';

/** The text a problem is placed on. */
const at = (text: string) => {
	const { problem } = parseSettingsFile(text);
	assert.ok(problem, 'a problem is reported');
	return { message: problem.message, on: text.slice(problem.span.start, problem.span.end) };
};

test('a settings file sets the keys it names, nested or flat, with or without the fleetscope. prefix', () => {
	const { settings, problem } = parseSettingsFile('fleetscope.kubernetesVersion: "1.29"\npodSecurity:\n  level: restricted\ncompliance.profiles: [cis]\n');
	assert.equal(problem, undefined);
	assert.deepEqual(settings, { kubernetesVersion: '1.29', 'podSecurity.level': 'restricted', 'compliance.profiles': ['cis'] });
});

test('settings a repository must not choose (clusters, credentials, the scan) are accepted but not taken', () => {
	const { settings, problem } = parseSettingsFile('validateWorkspace: false\nlive:\n  enabled: true\n  kubeconfig: [/tmp/k]\nclusters:\n  prod: { context: x }\nexclude: ["vendor/**"]\n');
	assert.equal(problem, undefined);
	assert.deepEqual(settings, { exclude: ['vendor/**'] });
});

test('each mistake is placed on what is wrong', () => {
	assert.deepEqual(at('kubernetesVersion: "1.29"\nseverty:\n  api-removed: warning\n'), { message: 'unknown setting "severty". Did you mean severity?', on: 'severty' });
	assert.deepEqual(at('severity:\n  schema-typo: warning\n'), { message: 'severity names the unknown rule "schema-typo". Did you mean schema-type?', on: 'schema-typo' });
	assert.deepEqual(at('severity:\n  schema-type: fatal\n'), { message: 'severity.schema-type must be one of error, warning, info, hint, off, got the string "fatal"', on: 'fatal' });
	assert.deepEqual(at('podSecurity:\n  level: strict\n'), { message: 'podSecurity.level must be one of baseline, restricted, got the string "strict"', on: 'strict' });
	assert.deepEqual(at('kubernetesVersion: 1.30\n'), { message: 'kubernetesVersion must be a string such as "1.30", got the number 1.3 (YAML reads 1.30 as 1.3): quote it', on: '1.30' });
	assert.equal(at('exclude: [a\n').message.startsWith('not valid YAML or JSON: '), true);
	assert.deepEqual(at('severity: {}\nseverity: {}\n').on, 'severity');
	assert.deepEqual(at('- a\n- b\n'), { message: 'must be a mapping of settings (include, exclude, severity, kubernetesVersion, ...), got a list', on: '- a\n- b\n' });
});

test('a file with a mistake sets nothing at all', () => {
	assert.deepEqual(parseSettingsFile('kubernetesVersion: "1.29"\nseverty: {}\n').settings, {});
});

test('the file wins over the user settings key by key, and severity rule by rule', () => {
	const user = { ...defaultSettings(), kubernetesVersion: '1.31', severity: { 'api-removed': 'warning' as const, 'schema-type': 'info' as const } };
	const merged = withSettingsFile(user, { severity: { 'schema-type': 'error' } });
	assert.equal(merged.kubernetesVersion, '1.31');
	assert.deepEqual(merged.severity, { 'api-removed': 'warning', 'schema-type': 'error' });
	assert.equal(withSettingsFile(user, undefined), user);
});

test('bad input in a settings file is a problem, never a crash: an alias bomb, a huge file, binary', () => {
	const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...'bcdefghi'.split('').map((k, i) => `${k}: &${k} [${Array(10).fill(`*${'abcdefghi'[i]}`).join(', ')}]`)].join('\n');
	assert.match(at(bomb).message, /^not valid YAML or JSON: /);
	const huge = `exclude:\n${'  - "vendor/**"\n'.repeat(200_000)}`;
	assert.equal(parseSettingsFile(huge).problem, undefined);
	assert.match(at('\u0000\u0001\u0002: [').message, /^not valid YAML or JSON: /);
});

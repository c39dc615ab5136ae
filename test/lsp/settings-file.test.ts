import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { ensureServerBuilt, Session, uriOf } from './harness';

// The repository's settings file (.fleetscope.yaml) applies in the editor as in CI: what it sets
// wins over the user's settings, a mistake in it is a diagnostic on the file while the editor
// falls back to the user's settings, and edits apply once typing pauses.

let root: string;
let session: Session;
const file = (rel: string) => join(root, rel);
const write = (rel: string, text: string) => {
	mkdirSync(dirname(file(rel)), { recursive: true });
	writeFileSync(file(rel), text);
};

const SETTINGS = 'kubernetesVersion: "1.25"\nseverity:\n  schema-type: warning\n';
const service = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  selector:\n    app: web\n  ports:\n    - name: http\n      port: "80"\n';
// autoscaling/v2beta2 was removed in Kubernetes 1.26: an error at the default 1.30, nothing at 1.25.
const hpa = 'apiVersion: autoscaling/v2beta2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: web\n  minReplicas: 2\n  maxReplicas: 4\n';

const SEVERITY = ['', 'error', 'warning', 'info', 'hint'];
const shown = (p: PublishDiagnosticsParams) => p.diagnostics.map((d) => `${d.range.start.line}:${d.range.start.character} ${SEVERITY[d.severity ?? 0]} ${String(d.code)}`);

before(async () => {
	ensureServerBuilt();
	root = mkdtempSync(join(tmpdir(), 'fleetscope-settings-file-'));
	write('.fleetscope.yaml', SETTINGS);
	write('apps/web/service.yaml', service);
	write('apps/web/hpa.yaml', hpa);
	// The user's own settings: one the file does not set (it stays), one it does (the file wins).
	session = await Session.start({ folders: [root], settings: () => ({ kubernetesVersion: '1.30', severity: { 'api-removed': 'warning', 'schema-type': 'info' } }) });
	await session.logged(/^Validated \d+ workspace files/);
});
after(async () => {
	await session?.stop();
	rmSync(root, { recursive: true, force: true });
});

test('what the settings file sets wins over the user settings, key by key, and the output says so', { timeout: 30_000 }, async () => {
	// schema-type: the file's warning, not the user's info.
	assert.deepEqual(shown(await session.diagnostics(uriOf(file('apps/web/service.yaml')))), ['10:12 warning schema-type']);
	// kubernetesVersion 1.25 from the file: autoscaling/v2beta2 is still served.
	assert.deepEqual(shown(await session.diagnostics(uriOf(file('apps/web/hpa.yaml')))), []);
	assert.match(await session.logged(/settings from \.fleetscope\.yaml/), /apply over your editor settings: kubernetesVersion, severity\.$/);
	// The file itself is not a manifest: no finding on it.
	assert.deepEqual(shown(await session.diagnostics(uriOf(file('.fleetscope.yaml')))), []);
});

test('a mistake in the settings file is a diagnostic on the key, and until it is fixed the user settings apply', { timeout: 30_000 }, async () => {
	const settingsUri = uriOf(file('.fleetscope.yaml'));
	const serviceUri = uriOf(file('apps/web/service.yaml'));
	const hpaUri = uriOf(file('apps/web/hpa.yaml'));
	await session.open(settingsUri, SETTINGS);
	const wrong = session.nextDiagnostics(settingsUri, (p) => p.version === 2);
	const serviceAsUser = session.nextDiagnostics(serviceUri, (p) => p.diagnostics.some((d) => d.severity === 3));
	const hpaAsUser = session.nextDiagnostics(hpaUri, (p) => p.diagnostics.length > 0);
	// A misspelled rule id, typed in the editor and not saved.
	await session.change(settingsUri, 2, [{ range: { start: { line: 2, character: 2 }, end: { line: 2, character: 13 } }, text: 'schema-typo' }]);
	const d = (await wrong).diagnostics;
	assert.deepEqual(shown({ uri: settingsUri, diagnostics: d }), ['2:2 error settings-file']);
	assert.deepEqual(d[0].range.end, { line: 2, character: 13 }, 'the squiggle covers the key');
	assert.equal(
		d[0].message,
		'severity names the unknown rule "schema-typo". Did you mean schema-type? Until it is fixed, Fleetscope ignores this file and uses your editor settings (the CLI stops with exit code 2).',
	);
	// The user's settings: schema-type info, Kubernetes 1.30 with api-removed as a warning.
	assert.deepEqual(shown(await serviceAsUser), ['10:12 info schema-type']);
	assert.deepEqual(shown(await hpaAsUser), ['0:12 warning api-removed']);

	// Closing the unsaved buffer: the file on disk, which is right, applies again.
	const serviceAgain = session.nextDiagnostics(serviceUri, (p) => p.diagnostics.some((x) => x.severity === 2));
	const hpaAgain = session.nextDiagnostics(hpaUri, (p) => p.diagnostics.length === 0);
	await session.close(settingsUri);
	assert.deepEqual(shown(await serviceAgain), ['10:12 warning schema-type']);
	assert.deepEqual(shown(await hpaAgain), []);
});

test('deleting the settings file on disk brings back the user settings; creating it applies it again', { timeout: 30_000 }, async () => {
	const settingsUri = uriOf(file('.fleetscope.yaml'));
	const serviceUri = uriOf(file('apps/web/service.yaml'));
	const saved = readFileSync(file('.fleetscope.yaml'), 'utf8');
	const asUser = session.nextDiagnostics(serviceUri, (p) => p.diagnostics.some((d) => d.severity === 3));
	unlinkSync(file('.fleetscope.yaml'));
	await session.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: settingsUri, type: 3 }] });
	assert.deepEqual(shown(await asUser), ['10:12 info schema-type']);

	const asFile = session.nextDiagnostics(serviceUri, (p) => p.diagnostics.some((d) => d.severity === 2));
	write('.fleetscope.yaml', saved);
	await session.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: settingsUri, type: 1 }] });
	assert.deepEqual(shown(await asFile), ['10:12 warning schema-type']);
});

test('a settings file cannot choose clusters or credentials: those keys are ignored, the rest applies', { timeout: 30_000 }, async () => {
	const settingsUri = uriOf(file('.fleetscope.yaml'));
	const serviceUri = uriOf(file('apps/web/service.yaml'));
	const logged = session.logged(/settings from \.fleetscope\.yaml apply over your editor settings: severity\.$/);
	const asFile = session.nextDiagnostics(serviceUri, (p) => p.diagnostics.some((d) => d.severity === 1));
	write('.fleetscope.yaml', 'live:\n  kubeconfig: [/tmp/attacker-kubeconfig]\n  enabled: true\nclusters:\n  prod: { context: attacker }\nseverity:\n  schema-type: error\n');
	await session.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: settingsUri, type: 2 }] });
	assert.deepEqual(shown(await asFile), ['10:12 error schema-type']);
	await logged;
});

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ensureServerBuilt, Session, uriOf } from './harness';

/** A small repository on disk: the server validates it without any file being opened. */
let root: string;
let session: Session;
const file = (rel: string) => join(root, rel);
const write = (rel: string, text: string) => {
	mkdirSync(dirname(file(rel)), { recursive: true });
	writeFileSync(file(rel), text);
};

const bad = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n    - name: http\n      port: "80"\n';
const patch = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 5\n';
const codes = (p: { diagnostics: { code?: unknown; range: { start: { line: number } } }[] }) => p.diagnostics.map((d) => `${d.range.start.line} ${String(d.code)}`);

before(async () => {
	ensureServerBuilt();
	root = mkdtempSync(join(tmpdir(), 'fleetscope-ws-'));
	write('apps/web/bad-service.yaml', bad);
	write('apps/web/good-service.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n    - port: 80\n');
	write('apps/web/patch.yaml', patch);
	write('apps/web/kustomization.yaml', 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - bad-service.yaml\n  - good-service.yaml\npatches:\n  - path: patch.yaml\n');
	write('.github/workflows/ci.yaml', 'on: push\njobs: {}\nkind: 3\n');
	write('apps/web/open.yaml', bad);
	session = await Session.start({ folders: [root] });
	// Opened while the scan runs: the editor's text must win over the file on disk.
	await session.open(uriOf(file('apps/web/open.yaml')), bad.replace('"80"', '80'));
	await session.logged(/^Validated \d+ workspace files/);
});
after(async () => {
	await session?.stop();
	rmSync(root, { recursive: true, force: true });
});

test('the workspace scan publishes diagnostics for files that were never opened', { timeout: 30_000 }, async () => {
	assert.deepEqual(codes(await session.diagnostics(uriOf(file('apps/web/bad-service.yaml')))), ['9 schema-type']);
	assert.deepEqual(codes(await session.diagnostics(uriOf(file('apps/web/good-service.yaml')))), []);
	assert.deepEqual(await session.status(), { folders: [uriOf(root)], scan: { running: false, validated: 5, total: 5 }, openDocuments: 1 });
});

test('a kustomize patch file is partial: no missing-required errors', { timeout: 30_000 }, async () => {
	assert.deepEqual(codes(await session.diagnostics(uriOf(file('apps/web/patch.yaml')))), []);
});

test('excluded files get no diagnostics at all', { timeout: 30_000 }, () => {
	assert.equal(session.published.has(uriOf(file('.github/workflows/ci.yaml'))), false);
});

test('an open document wins over its file on disk', { timeout: 30_000 }, () => {
	const last = session.lastDiagnostics(uriOf(file('apps/web/open.yaml')));
	assert.deepEqual(last, { uri: uriOf(file('apps/web/open.yaml')), version: 1, diagnostics: [] });
});

test('watched file changes: a new file is validated, a kustomization change re-validates patches, a deleted file is cleared', { timeout: 30_000 }, async () => {
	write('apps/web/extra.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndatta: {}\n');
	await session.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(file('apps/web/extra.yaml')), type: 1 }] });
	assert.deepEqual(codes(await session.diagnostics(uriOf(file('apps/web/extra.yaml')))), ['4 schema-unknown-field']);

	// patch.yaml is no longer a patch: now it is a Deployment that lacks its selector and template.
	const patchUri = uriOf(file('apps/web/patch.yaml'));
	const revalidated = session.nextDiagnostics(patchUri, (p) => p.diagnostics.length > 0);
	write('apps/web/kustomization.yaml', 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - bad-service.yaml\n');
	await session.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(file('apps/web/kustomization.yaml')), type: 2 }] });
	assert.deepEqual(
		(await revalidated).diagnostics.map((d) => [d.range.start.line, d.code, d.message]),
		[[4, 'schema-required', 'spec is missing the required fields selector and template.']],
	);

	const badUri = uriOf(file('apps/web/bad-service.yaml'));
	const cleared = session.nextDiagnostics(badUri, (p) => p.diagnostics.length === 0);
	unlinkSync(file('apps/web/bad-service.yaml'));
	await session.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: badUri, type: 3 }] });
	assert.deepEqual((await cleared).diagnostics, []);
});

test('closing an edited workspace file shows its disk content again', { timeout: 30_000 }, async () => {
	const uri = uriOf(file('apps/web/open.yaml'));
	// Diagnostics of the disk content carry no document version.
	const fromDisk = session.nextDiagnostics(uri, (p) => p.version === undefined);
	await session.close(uri);
	assert.deepEqual(codes(await fromDisk), ['9 schema-type']);
});

test('with validateWorkspace off, nothing is scanned', { timeout: 30_000 }, async () => {
	const quiet = await Session.start({ folders: [root], settings: () => ({ validateWorkspace: false }) });
	try {
		await quiet.logged(/^Validated 0 workspace files/);
		assert.equal(quiet.published.size, 0);
		assert.ok(quiet.alive);
	} finally {
		await quiet.stop();
	}
});

test('a new scan cancels the one still running', { timeout: 30_000 }, async () => {
	// Hold back the first scan's settings until a settings change has started a second scan.
	let release!: () => void;
	const gate = new Promise<void>((resolve) => (release = resolve));
	let asked = 0;
	const s = await Session.start({
		folders: [root],
		settings: async () => {
			if (asked++ === 0) await gate;
			return {};
		},
	});
	try {
		await s.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
		await s.logged(/^Validated \d+ workspace files/);
		release();
		// Sent after the first scan got its settings: by the time this answers, that scan has stopped.
		const status = await s.status();
		assert.deepEqual(status.scan, { running: false, validated: 5, total: 5 });
		assert.equal(s.logs.filter((l) => l.startsWith('Validated')).length, 1, s.logs.join('\n'));
	} finally {
		await s.stop();
	}
});

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ensureServerBuilt, positionOf, Session, uriOf } from './harness';

/** The fleet model in the editor: broken Flux references as diagnostics, kept current while the user edits. */
let root: string;
let session: Session;
const file = (rel: string) => join(root, rel);
const write = (rel: string, text: string) => {
	mkdirSync(dirname(file(rel)), { recursive: true });
	writeFileSync(file(rel), text);
};
const sync = (path: string) =>
	`apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n  namespace: flux-system\nspec:\n  interval: 5m\n  path: ${path}\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n`;
const codes = (p: { diagnostics: { code?: unknown; range: { start: { line: number; character: number } } }[] }) => p.diagnostics.map((d) => `${d.range.start.line}:${d.range.start.character} ${String(d.code)}`);

before(async () => {
	ensureServerBuilt();
	root = mkdtempSync(join(tmpdir(), 'fleetscope-fleet-'));
	write('clusters/dev/apps.yaml', sync('./apps/dve'));
	write('apps/dev/kustomization.yaml', 'resources:\n  - cm.yaml\n');
	write('apps/dev/cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: app\n');
	session = await Session.start({ folders: [root] });
	await session.logged(/^Validated \d+ workspace files/);
});
after(async () => {
	await session?.stop();
	rmSync(root, { recursive: true, force: true });
});

test('a Flux Kustomization that syncs a missing path is a diagnostic on its path, from the workspace scan', { timeout: 30_000 }, async () => {
	const p = await session.diagnostics(uriOf(file('clusters/dev/apps.yaml')), (x) => x.diagnostics.length > 0);
	assert.deepEqual(codes(p), ['7:8 fleet-reference']);
	assert.match(p.diagnostics[0].message, /^This Kustomization syncs "\.\/apps\/dve", which does not exist in this repository/);
});

test('fixing the path in the editor clears the diagnostic once typing stops, without saving', { timeout: 30_000 }, async () => {
	const uri = uriOf(file('clusters/dev/apps.yaml'));
	const text = sync('./apps/dve');
	await session.open(uri, text);
	const start = positionOf(text, 'dve');
	const cleared = session.nextDiagnostics(uri, (x) => x.diagnostics.length === 0);
	await session.change(uri, 2, [{ range: { start, end: { line: start.line, character: start.character + 3 } }, text: 'dev' }]);
	assert.deepEqual(codes(await cleared), []);
});

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
const WEB = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: web\nspec:\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n        - name: web\n          image: ghcr.io/acme/web:1.0.0\n';
const codes = (p: { diagnostics: { code?: unknown; range: { start: { line: number; character: number } } }[] }) => p.diagnostics.map((d) => `${d.range.start.line}:${d.range.start.character} ${String(d.code)}`);

before(async () => {
	ensureServerBuilt();
	root = mkdtempSync(join(tmpdir(), 'fleetscope-fleet-'));
	write('clusters/dev/apps.yaml', sync('./apps/dve'));
	write('apps/dev/kustomization.yaml', 'resources:\n  - cm.yaml\n');
	write('apps/dev/cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: app\n');
	write('clusters/prod-eu-west-1/apps.yaml', sync('./apps/prod'));
	write('apps/prod/kustomization.yaml', 'resources:\n  - ../base/web\nimages:\n  - name: ghcr.io/acme/web\n    newTag: 1.4.0\n');
	write('apps/staging/kustomization.yaml', 'resources:\n  - ../base/web\nimages:\n  - name: ghcr.io/acme/web\n    newTag: 1.5.0\n');
	write('clusters/staging-eu-west-1/apps.yaml', sync('./apps/staging'));
	write('apps/base/web/kustomization.yaml', 'resources:\n  - deployment.yaml\n');
	write('apps/base/web/deployment.yaml', WEB);
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

test('hover on a resource says where it is deployed, per environment in promotion order, and which version each runs', { timeout: 30_000 }, async () => {
	const uri = uriOf(file('apps/base/web/deployment.yaml'));
	await session.open(uri, WEB);
	const h = await session.request<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri }, position: positionOf(WEB, 'Deployment', 2) });
	assert.ok(h, 'a hover');
	assert.match(h.contents.value, /\*\*Deployed to\*\* 2 clusters:\n\n- staging: `staging-eu-west-1`\n\n- prod: `prod-eu-west-1`/);
	assert.match(h.contents.value, /\*\*web\*\* runs staging `1\.5\.0` · prod `1\.4\.0` \(behind staging: `1\.5\.0`\)/);
	// Deeper in the document, hover is about the field, not the deployment.
	const deep = await session.request<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri }, position: positionOf(WEB, 'image:', 2) });
	assert.doesNotMatch(deep?.contents.value ?? '', /Deployed to/);
});

test('workspace symbols: clusters, environments and apps of the fleet, filtered by the query', { timeout: 30_000 }, async () => {
	const all = await session.request<{ name: string; kind: number; containerName: string; location: { uri: string } }[]>('workspace/symbol', { query: '' });
	assert.deepEqual(all.map((s) => `${s.kind} ${s.name}`).sort(), ['2 dev', '2 prod-eu-west-1', '2 staging-eu-west-1', '3 dev', '3 prod', '3 staging', '4 web']);
	const prod = await session.request<{ name: string; containerName: string; location: { uri: string; range: { start: { line: number } } } }[]>('workspace/symbol', { query: 'PROD-eu' });
	assert.deepEqual(prod.map((s) => [s.name, s.containerName, s.location.uri, s.location.range.start.line]), [['prod-eu-west-1', 'cluster (prod, eu-west-1, aws), inferred', uriOf(file('clusters/prod-eu-west-1/apps.yaml')), 3]]);
});

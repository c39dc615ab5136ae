import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ensureServerBuilt, positionOf, Session, uriOf } from './harness';

/**
 * One edit, one analysis of the edited document and one publication. The fleet is rediscovered
 * after typing stops; the document is analysed again only when that rediscovery (or the renders it
 * starts) changed something it reads, once.
 */
let root: string;
let session: Session;
const file = (rel: string) => join(root, rel);
const write = (rel: string, text: string) => {
	mkdirSync(dirname(file(rel)), { recursive: true });
	writeFileSync(file(rel), text);
};
const sync = (path: string) =>
	`apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n  namespace: flux-system\nspec:\n  interval: 5m\n  path: ${path}\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n`;
const BASE =
	'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n        - name: web\n          image: ghcr.io/acme/web:1.0.0\n';
const STAGING = 'namespace: web\nresources:\n  - ../base/web\nimages:\n  - name: ghcr.io/acme/web\n    newTag: 1.1.0\n';
const CONFIG = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  level: info\n';

before(async () => {
	ensureServerBuilt();
	root = mkdtempSync(join(tmpdir(), 'fleetscope-analyses-'));
	write('clusters/staging-eu-west-1/apps.yaml', sync('./apps/staging'));
	write('clusters/prod-eu-west-1/apps.yaml', sync('./apps/production'));
	write('apps/base/web/kustomization.yaml', 'resources:\n  - deployment.yaml\n');
	write('apps/base/web/deployment.yaml', BASE);
	write('apps/staging/kustomization.yaml', STAGING);
	write('apps/production/kustomization.yaml', 'namespace: web\nresources:\n  - ../base/web\n');
	write('notes/config.yaml', CONFIG);
	session = await Session.start({ folders: [root] });
	await session.logged(/^Rendered \d+ clusters/);
});
after(async () => {
	await session?.stop();
	rmSync(root, { recursive: true, force: true });
});

const analyses = async (uri: string) => (await session.status(uri)).document?.analyses;
const count = (uri: string) => session.published.get(uri)?.length ?? 0;

test('a keystroke in a file no cluster reads is one analysis and one publication', { timeout: 30_000 }, async () => {
	const uri = uriOf(file('notes/config.yaml'));
	await session.open(uri, CONFIG);
	await session.diagnosticsOfVersion(uri, 1);
	assert.equal(await analyses(uri), 1);
	const before = count(uri);
	const end = positionOf(CONFIG, 'info', 4);
	await session.change(uri, 2, [{ range: { start: end, end }, text: 'x' }]);
	await session.diagnosticsOfVersion(uri, 2);
	assert.equal(await analyses(uri), 2);
	assert.equal(count(uri), before + 1);
});

test('a keystroke in a kustomization that changes nothing the fleet decides: one analysis, also after the rediscovery', { timeout: 30_000 }, async () => {
	const uri = uriOf(file('apps/production/kustomization.yaml'));
	const text = 'namespace: web\nresources:\n  - ../base/web\n';
	await session.open(uri, text);
	await session.diagnosticsOfVersion(uri, 1);
	const before = count(uri);
	const rediscovered = session.logs.length;
	await session.change(uri, 2, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# production\n' }]);
	await session.diagnosticsOfVersion(uri, 2);
	// The rediscovery after typing stops finds the same model: nothing is analysed or published again.
	await session.logged(/^Rediscovered the fleet of folder0 after changes to apps\/production\/kustomization\.yaml(?: \(versions only\))?: nothing it decides changed\.$/);
	assert.ok(session.logs.length > rediscovered);
	assert.equal(await analyses(uri), 2);
	assert.equal(count(uri), before + 1);
});

test('a retag: one analysis for the keystroke, and one more once the rediscovery and the renders have judged the new version', { timeout: 30_000 }, async () => {
	const uri = uriOf(file('apps/staging/kustomization.yaml'));
	await session.open(uri, STAGING);
	await session.diagnosticsOfVersion(uri, 1);
	const before = { analyses: (await analyses(uri))!, published: count(uri) };
	const at = positionOf(STAGING, '1.1.0');
	await session.change(uri, 2, [{ range: { start: at, end: { line: at.line, character: at.character + 5 } }, text: '1.2.0' }]);
	await session.diagnosticsOfVersion(uri, 2);
	assert.equal(await analyses(uri), before.analyses + 1);
	await session.logged(/^Rediscovered the fleet of folder0 after changes to apps\/staging\/kustomization\.yaml \(versions only\): \d+ files? judged again\.$/);
	await session.publications(uri, before.published + 2);
	assert.equal(await analyses(uri), before.analyses + 2, 'analysed once more, with the new fleet model and renders');
	assert.equal(count(uri), before.published + 2);
});

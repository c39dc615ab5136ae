import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ensureServerBuilt, positionOf, Session, uriOf } from './harness';

/**
 * Rendered compliance in the editor: a base finding that only some overlays fix names where it
 * holds, and fixing it in the other overlay (unsaved, in the editor) clears it from the base.
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
	'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      automountServiceAccountToken: false\n      securityContext:\n        runAsNonRoot: true\n        seccompProfile: {type: RuntimeDefault}\n      containers:\n        - name: web\n          image: ghcr.io/acme/web:1.0.0@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n          securityContext:\n            allowPrivilegeEscalation: false\n            capabilities: {drop: [ALL]}\n';
const PATCH = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          resources:\n            requests: {cpu: 100m, memory: 128Mi}\n            limits: {memory: 128Mi}\n';
const STAGING = 'namespace: web\nresources:\n  - ../base/web\n';
const resources = (p: { diagnostics: { code?: unknown; message: string }[] }) => p.diagnostics.filter((d) => d.code === 'workload-resources');

before(async () => {
	ensureServerBuilt();
	root = mkdtempSync(join(tmpdir(), 'fleetscope-rendered-'));
	write('clusters/staging-eu-west-1/apps.yaml', sync('./apps/staging'));
	write('clusters/prod-eu-west-1/apps.yaml', sync('./apps/production'));
	write('apps/base/web/kustomization.yaml', 'resources:\n  - deployment.yaml\n');
	write('apps/base/web/deployment.yaml', BASE);
	write('apps/staging/kustomization.yaml', STAGING);
	write('apps/production/kustomization.yaml', 'namespace: web\nresources:\n  - ../base/web\npatches:\n  - path: resources-patch.yaml\n');
	write('apps/production/resources-patch.yaml', PATCH);
	session = await Session.start({ folders: [root] });
	await session.logged(/^Validated \d+ workspace files/);
});
after(async () => {
	await session?.stop();
	rmSync(root, { recursive: true, force: true });
});

test('after the workspace scan, what each cluster receives is judged: the base finding names the overlay where it holds', { timeout: 30_000 }, async () => {
	// The scan publishes the raw files first (fast), then re-publishes what the renders change.
	const p = await session.diagnostics(uriOf(file('apps/base/web/deployment.yaml')), (x) => resources(x).some((d) => /This holds via/.test(d.message)));
	assert.equal(resources(p).length, 1);
	assert.match(resources(p)[0].message, /This holds via apps\/staging \(staging: staging-eu-west-1\), not in the other clusters this file reaches\.$/);
});

test('patching the resources in the staging overlay (unsaved) clears the base finding once typing stops', { timeout: 30_000 }, async () => {
	const base = uriOf(file('apps/base/web/deployment.yaml'));
	const overlay = uriOf(file('apps/staging/kustomization.yaml'));
	write('apps/staging/resources-patch.yaml', PATCH);
	await session.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(file('apps/staging/resources-patch.yaml')), type: 1 }] });
	await session.open(overlay, STAGING);
	const cleared = session.nextDiagnostics(base, (x) => resources(x).length === 0);
	const end = positionOf(STAGING, '../base/web\n', '../base/web\n'.length);
	await session.change(overlay, 2, [{ range: { start: end, end }, text: 'patches:\n  - path: resources-patch.yaml\n' }]);
	assert.deepEqual(resources(await cleared), []);
});

test('an image changed in the base (unsaved) reads only the versions again, and what the clusters receive is judged anew', { timeout: 30_000 }, async () => {
	const base = uriOf(file('apps/base/web/deployment.yaml'));
	const provenance = (p: { diagnostics: { code?: unknown; message: string }[] }) => p.diagnostics.filter((d) => d.code === 'cis-image-provenance');
	await session.open(base, BASE);
	assert.deepEqual(provenance(await session.diagnosticsOfVersion(base, 1)), [], 'pinned by digest: no provenance finding');
	const byTag = session.nextDiagnostics(base, (x) => provenance(x).some((d) => /by tag, not by digest/.test(d.message)));
	const pinned = 'ghcr.io/acme/web:1.0.0@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';
	const start = positionOf(BASE, pinned);
	const end = positionOf(BASE, pinned, pinned.length);
	await session.change(base, 2, [{ range: { start, end }, text: 'ghcr.io/acme/web:1.1.0' }]);
	assert.match(provenance(await byTag)[0].message, /ghcr\.io\/acme\/web:1\.1\.0 by tag, not by digest/);
	assert.match(await session.logged(/^Rediscovered the fleet of .* after changes to apps\/base\/web\/deployment\.yaml/), /\(versions only\)/);
});

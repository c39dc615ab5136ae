import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ClustersChangedNotification, FindingsChangedNotification, FleetChangedNotification, FleetClustersRequest, type FleetClustersResult } from '../../shared/protocol';
import { ensureServerBuilt, Session, uriOf } from '../lsp/harness';
import { Notifications } from './lsp-helpers';

/**
 * The explorer's views refresh on change notifications the server pushes: a rediscovery sends one
 * fleet notification (however many files it read), a keystroke sends none (of any kind), and the
 * typing that changes the fleet sends one, once typing stops.
 */

const FILES: Record<string, string> = {
	'fleet.yaml': `apiVersion: platform.gitops.io/v1alpha1
kind: Fleet
metadata:
  name: shop
spec:
  environments:
    - name: dev
    - name: production
      promotion:
        from: dev
  clusters:
    - name: dev-1
      environment: dev
      path: clusters/dev-1
    - name: prod-1
      environment: production
      path: clusters/prod-1
`,
	'clusters/dev-1/apps.yaml': 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n  namespace: flux-system\nspec:\n  interval: 10m\n  path: ./apps/dev\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n',
	'clusters/prod-1/apps.yaml': 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n  namespace: flux-system\nspec:\n  interval: 10m\n  path: ./apps/production\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n',
	'apps/dev/kustomization.yaml': 'resources:\n  - ../base\nimages:\n  - name: ghcr.io/acme/web\n    newTag: 1.1.0\n',
	'apps/production/kustomization.yaml': 'resources:\n  - ../base\nimages:\n  - name: ghcr.io/acme/web\n    newTag: 1.0.0\n',
	'apps/base/kustomization.yaml': 'resources:\n  - deployment.yaml\n',
	'apps/base/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: web\nspec:\n  selector:\n    matchLabels: { app: web }\n  template:\n    metadata:\n      labels: { app: web }\n    spec:\n      containers:\n        - name: web\n          image: ghcr.io/acme/web:1.0.0\n',
	'notes/settings.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: notes\n  namespace: tools\ndata:\n  a: "1"\n',
};

const METHODS = [FleetChangedNotification.method, FindingsChangedNotification.method, ClustersChangedNotification.method];
let root: string;
let session: Session;
let notes: Notifications;

before(async () => {
	ensureServerBuilt();
	root = mkdtempSync(join(tmpdir(), 'fleetscope-explorer-notify-'));
	for (const [rel, text] of Object.entries(FILES)) {
		mkdirSync(dirname(join(root, rel)), { recursive: true });
		writeFileSync(join(root, rel), text);
	}
	session = await Session.start({ folders: [root], env: { ...process.env, KUBECONFIG: join(root, 'no-kubeconfig'), FLEETSCOPE_CACHE_DIR: join(root, '.cache') } });
	notes = new Notifications(session, METHODS);
	// The workspace scan ends in one findings notification.
	await notes.atLeast(FindingsChangedNotification.method, 1);
	for (;;) {
		const s = await session.status();
		if (!s.scan.running && s.scan.total > 0) break;
		await notes.next(FindingsChangedNotification.method);
	}
});
after(async () => {
	await session?.stop();
	rmSync(root, { recursive: true, force: true });
});

const clusterNames = async () => (await session.request<FleetClustersResult>(FleetClustersRequest.method, {})).folders[0].environments.flatMap((e) => e.clusters.map((c) => c.name));

test('keystrokes in a file no cluster receives send no notification at all; a rediscovery after a file changes on disk sends exactly one', { timeout: 60_000 }, async () => {
	const uri = uriOf(join(root, 'notes/settings.yaml'));
	const text = FILES['notes/settings.yaml'];
	await session.open(uri, text, 1);
	await session.diagnosticsOfVersion(uri, 1);
	const before = notes.snapshot();
	let current = text;
	for (let v = 2; v <= 9; v++) {
		current = current.replace(/a: "(\d+)"/, (_m, n: string) => `a: "${Number(n) + 1}"`);
		await session.change(uri, v, [{ text: current }]);
	}
	await session.diagnosticsOfVersion(uri, 9);
	// A fence: a Fleet file change on disk. Everything the keystrokes caused was sent before the fleet notification it produces.
	const fleet = join(root, 'fleet.yaml');
	writeFileSync(fleet, `${readFileSync(fleet, 'utf8')}    - name: dev-2\n      environment: dev\n      path: clusters/dev-1\n`);
	const fleetChanged = notes.next(FleetChangedNotification.method);
	await session.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(fleet), type: 2 }] });
	await fleetChanged;
	assert.equal(notes.count(FindingsChangedNotification.method), before[FindingsChangedNotification.method], 'no findings notification for keystrokes');
	assert.equal(notes.count(ClustersChangedNotification.method), before[ClustersChangedNotification.method], 'no clusters notification for keystrokes');
	assert.equal(notes.count(FleetChangedNotification.method), before[FleetChangedNotification.method] + 1);
	// The graph changed: every file is validated again, which ends in one findings notification; the rediscovery sent one fleet notification.
	await notes.next(FindingsChangedNotification.method);
	assert.equal(notes.count(FleetChangedNotification.method), before[FleetChangedNotification.method] + 1, 'one fleet notification per rediscovery');
	assert.deepEqual(await clusterNames(), ['dev-1', 'dev-2', 'prod-1']);
	await session.close(uri);
});

test('typing that changes the fleet (a retag in an overlay) sends one fleet notification once typing stops, never per keystroke', { timeout: 60_000 }, async () => {
	const uri = uriOf(join(root, 'apps/production/kustomization.yaml'));
	let text = FILES['apps/production/kustomization.yaml'];
	await session.open(uri, text, 1);
	await session.diagnosticsOfVersion(uri, 1);
	const before = notes.count(FleetChangedNotification.method);
	const changed = notes.next(FleetChangedNotification.method);
	// 1.0.0 → 1.0.1 → … → 1.0.6, one keystroke each.
	for (let v = 2; v <= 7; v++) {
		text = text.replace(/newTag: 1\.0\.\d+/, `newTag: 1.0.${v - 1}`);
		await session.change(uri, v, [{ text }]);
	}
	await changed;
	// A fence: a file no cluster receives changes on disk, which ends in a findings notification and no fleet one.
	const fence = notes.next(FindingsChangedNotification.method);
	writeFileSync(join(root, 'notes/settings.yaml'), FILES['notes/settings.yaml'].replace('"1"', '"fence"'));
	await session.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(join(root, 'notes/settings.yaml')), type: 2 }] });
	await fence;
	assert.equal(notes.count(FleetChangedNotification.method), before + 1, 'one fleet notification for six keystrokes');
	await session.close(uri);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { ClustersResult, DriftResult, DriftState, FleetClustersResult } from '../../shared/protocol';
import { clustersTree } from '../../client/src/views/clusters';
import { changeText, driftEmptyReason, driftTree, kubectlCommand, shortPath } from '../../client/src/views/drift';
import type { DriftTarget } from '../../client/src/views/nodes';
import { byLabel, children, everyNode } from './tree-helpers';

/**
 * The Drift view, and the drift counts of the Clusters view, against the server's answers recorded
 * on the demo (test/fixtures/explorer/drift-answers.json, recorded by
 * test/explorer/record-drift-answers.ts: examples/fleet with its two simulated clusters, the
 * production one carrying the drift planted in tools/kube-sim/fixtures/production.yaml). What a
 * user reads in each row, the icons, the menus and the clicks, computed without VS Code.
 */

const answers = JSON.parse(readFileSync('test/fixtures/explorer/drift-answers.json', 'utf8')) as {
	recordedAt: string;
	drift: DriftResult;
	clusters: ClustersResult;
	fleetClusters: FleetClustersResult;
};
const FOLDER = 'file:///repo/examples/fleet';
const PROD_CONTEXT = 'arn:aws:eks:us-east-1:444455556666:cluster/prod-us-east-1';
const now = new Date(answers.recordedAt);
const tree = () => driftTree(answers.drift, now);

/** A tooltip as the user reads it (markdown escapes removed). */
const plain = (markdown: string | undefined) => (markdown ?? '').replace(/\\(.)/g, '$1');
const prodReport = () => answers.drift.folders[0].report.clusters.find((c) => c.name === 'prod-us-east-1')!;

test('the recorded answer is the planted drift of the demo\'s production cluster (else record it again)', () => {
	const states = (name: string) => answers.drift.folders[0].report.clusters.find((c) => c.name === name)!.objects.filter((o) => o.state !== 'in-sync').map((o) => `${o.state} ${o.kind}/${o.name}`).sort();
	assert.deepEqual(states('prod-us-east-1'), ['drifted Deployment/podinfo', 'extraneous ConfigMap/podinfo-legacy', 'missing PodDisruptionBudget/podinfo', 'unknown ClusterSecretStore/aws-secrets-manager', 'unknown ExternalSecret/orders-db']);
	assert.deepEqual(states('staging-eu-west-1'), []);
});

test('Drift: one row per connected cluster, with its state icon and its objects per state', () => {
	const roots = tree();
	assert.deepEqual(roots.map((n) => [n.label, n.description, n.icon?.id, n.contextValue]), [
		['prod-us-east-1', `1 drifted · 1 missing · 1 extraneous · 2 unknown · ${prodReport().objects.filter((o) => o.state === 'in-sync').length} in sync`, 'diff-modified', 'driftCluster drifted'],
		['staging-eu-west-1', `in sync · ${answers.drift.folders[0].report.clusters.find((c) => c.name === 'staging-eu-west-1')!.objects.length} objects`, 'pass', 'driftCluster in-sync'],
	]);
	const [prod, staging] = roots;
	assert.equal(prod.expanded, true, 'a drifted cluster starts expanded');
	assert.equal(staging.children, undefined, 'nothing under a cluster in sync');
	assert.match(plain(prod.tooltip), /Context: `arn:aws:eks:us-east-1:444455556666:cluster\/prod-us-east-1`/);
	assert.match(plain(prod.tooltip), /\| drifted \| 1 \|/);
	assert.match(plain(prod.tooltip), /Unknown \(2\): The cluster does not serve external-secrets.io\/v1/);
});

test('Drift: namespaces (those with drift first, then by name, cluster-scoped first), then the objects that are not in sync, drifted first, each with its state, count or reason', async () => {
	const prod = tree()[0];
	const namespaces = await children(prod);
	assert.deepEqual(namespaces.map((n) => [n.label, n.description, n.icon]), [
		['podinfo', '1 drifted · 1 missing · 1 extraneous', { id: 'symbol-namespace', color: 'list.warningForeground' }],
		['cluster-scoped', '1 unknown', { id: 'globe', color: 'disabledForeground' }],
		['orders', '1 unknown', { id: 'symbol-namespace', color: 'disabledForeground' }],
	]);
	const objects = await children(byLabel(namespaces, 'podinfo'));
	assert.deepEqual(objects.map((n) => [n.label, n.icon?.id, n.contextValue]), [
		['Deployment podinfo', 'diff-modified', 'driftObject drifted source diff kubectl'],
		['PodDisruptionBudget podinfo', 'diff-removed', 'driftObject missing source diff kubectl'],
		['ConfigMap podinfo-legacy', 'diff-added', 'driftObject extraneous diff kubectl'],
	]);
	const [deployment, pdb, legacy] = objects;
	assert.equal(deployment.description, 'drifted · 2 fields');
	assert.equal(pdb.description, 'missing · In Git, but not in the cluster (namespace podinfo).');
	assert.match(legacy.description!, /^extraneous · Carries the ownership labels of the Flux Kustomization flux-system\/apps, which no longer renders it: it will be deleted/);
	const unknown = (await children(byLabel(namespaces, 'orders')))[0];
	assert.match(unknown.description!, /^unknown · The cluster does not serve external-secrets\.io\/v1 \(it serves external-secrets\.io\/v1beta1/);
	assert.equal(unknown.icon?.id, 'circle-slash');
	// What the actions act on.
	assert.deepEqual(deployment.target, { kind: 'drift', folderUri: FOLDER, cluster: 'prod-us-east-1', context: PROD_CONTEXT, object: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'podinfo', name: 'podinfo', state: 'drifted', source: { file: 'apps/base/podinfo/deployment.yaml', line: 1 } } });
	// A click: the diff of a drifted or extraneous object; the source of a missing one.
	assert.deepEqual(deployment.command, { command: 'fleetscope.drift.showDiff', title: 'Show Diff', arguments: [deployment.target] });
	assert.deepEqual(legacy.command?.command, 'fleetscope.drift.showDiff');
	assert.deepEqual([pdb.command, pdb.open], [undefined, { folderUri: FOLDER, path: 'apps/base/podinfo/pdb.yaml', line: 1 }]);
	assert.deepEqual(deployment.file, { folderUri: FOLDER, path: 'apps/base/podinfo/deployment.yaml' });
	assert.equal(legacy.file, undefined, 'not in Git');
	// The tooltip names the kubectl command and the context it uses.
	assert.ok(plain(deployment.tooltip).includes(`Copy kubectl Command gives \`kubectl --context ${PROD_CONTEXT} -n podinfo get deployment.apps podinfo -o yaml\`, through the context Fleetscope reads prod-us-east-1 by.`));
});

test('Drift: a drifted object\'s children are its fields, desired -> live, the manager and how long ago; a click opens the line that produced Git\'s value', async () => {
	const podinfo = byLabel(await children(tree()[0]), 'podinfo');
	const deployment = byLabel(await children(podinfo), 'Deployment podinfo');
	assert.equal(deployment.expanded, true, 'the fields of a few drifted objects show at once');
	const fields = await children(deployment);
	const recorded = prodReport().objects.find((o) => o.kind === 'Deployment' && o.state === 'drifted')!.fields;
	assert.deepEqual(fields.map((f) => f.label), ['containers[name=podinfo].image', 'containers[name=podinfo].command[2]'], 'the end of the path (the tooltip has it whole)');
	const [image, command] = fields;
	// The registry and repository both sides share are left out; the rest is cut to 40 characters.
	assert.equal(image.description, `…${recorded[0].desired!.toString().slice('ghcr.io/stefanprodan'.length, 'ghcr.io/stefanprodan'.length + 39)}… -> …/podinfo:6.5.4 · kubectl-set 2 h ago`);
	assert.match(image.description!, /^…\/podinfo:6\.5\.3@sha256:\w+… -> /);
	assert.equal(command.description, '--level=info -> --level=debug · kubectl-edit 45 min ago');
	assert.deepEqual(image.open, { folderUri: FOLDER, path: 'apps/production/kustomization.yaml', line: 8 }, 'the images entry of the production overlay');
	assert.deepEqual(command.open, { folderUri: FOLDER, path: 'apps/base/podinfo/deployment.yaml', line: 40 }, 'the base');
	assert.equal(image.contextValue, 'driftField source diff kubectl');
	assert.deepEqual(image.target, { ...deployment.target, field: { path: recorded[0].path, source: { file: 'apps/production/kustomization.yaml', line: 8 } } });
	assert.ok(plain(image.tooltip).includes(`\`spec.template.spec.containers[name=podinfo].image\` of Deployment podinfo/podinfo is \`ghcr.io/stefanprodan/podinfo:6.5.4\` in prod-us-east-1, set by **kubectl-set** 2 h ago (${recorded[0].time}); Git says \`${recorded[0].desired}\`.`));
});

test('Drift: every node has a unique id, a tooltip, an icon and a context value', async () => {
	assert.equal(await everyNode(tree()), 2 + 3 + 5 + 2);
});

test('Drift: several folders are roots of their own; an empty report shows nothing (the welcome content says why)', () => {
	const second = structuredClone(answers.drift.folders[0]);
	second.folderUri = 'file:///repo/other%20fleet';
	const roots = driftTree({ folders: [answers.drift.folders[0], second] }, now);
	assert.deepEqual(roots.map((n) => [n.label, n.description]), [['fleet', '2 clusters'], ['other fleet', '2 clusters']]);
	assert.deepEqual(driftTree({ folders: [{ folderUri: FOLDER, report: { clusters: [] }, computed: 0 }] }, now), []);
});

test('why the Drift view is empty: untrusted, live state off, drift off, no fleet, no context, still reading, not connected', () => {
	const empty: DriftResult = { folders: [{ folderUri: FOLDER, report: { clusters: [] }, computed: 0 }] };
	const clusters = answers.clusters;
	assert.equal(driftEmptyReason(answers.drift, clusters, true), undefined);
	assert.equal(driftEmptyReason(empty, { ...clusters, live: 'untrusted' }, true), 'untrusted');
	assert.equal(driftEmptyReason(empty, { ...clusters, live: 'disabled' }, true), 'live-off');
	assert.equal(driftEmptyReason(empty, clusters, false), 'drift-off');
	assert.equal(driftEmptyReason(empty, { live: 'on', clusters: [] }, true), 'no-fleet');
	assert.equal(driftEmptyReason(empty, clusters, true), 'reading', 'two clusters are connected: their objects are being read');
	const status = (s: ClustersResult['clusters'][number]['status']) => ({ live: 'on' as const, clusters: clusters.clusters.map((c) => ({ ...c, status: s })) });
	assert.equal(driftEmptyReason(empty, status('no-context'), true), 'no-context');
	assert.equal(driftEmptyReason(empty, status('unreachable'), true), 'not-connected');
	assert.equal(driftEmptyReason(empty, status('stopped'), true), 'not-connected');
});

test('Copy kubectl Command: the context the cluster is read by, the namespace, kind.group, quoted where a shell needs it', () => {
	const t = (object: Partial<DriftTarget['object']>, context: string | null = PROD_CONTEXT): DriftTarget => ({ kind: 'drift', folderUri: FOLDER, cluster: 'prod-us-east-1', context, object: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'podinfo', name: 'podinfo-legacy', state: 'extraneous' as DriftState, source: null, ...object } });
	assert.equal(kubectlCommand(t({})), `kubectl --context ${PROD_CONTEXT} -n podinfo get configmap podinfo-legacy -o yaml`);
	assert.equal(kubectlCommand(t({ apiVersion: 'external-secrets.io/v1', kind: 'ClusterSecretStore', namespace: null, name: 'aws-secrets-manager' })), `kubectl --context ${PROD_CONTEXT} get clustersecretstore.external-secrets.io aws-secrets-manager -o yaml`);
	assert.equal(kubectlCommand(t({}, "my ctx's")), `kubectl --context 'my ctx'\\''s' -n podinfo get configmap podinfo-legacy -o yaml`);
	assert.equal(kubectlCommand(t({}, null)), 'kubectl -n podinfo get configmap podinfo-legacy -o yaml');
});

test('Clusters: each compared cluster\'s row says its drift (description and tooltip); the server\'s counts are the report\'s', async () => {
	const rows = answers.fleetClusters.folders[0].environments.flatMap((e) => e.clusters);
	const prodRow = rows.find((c) => c.name === 'prod-us-east-1')!;
	const counted = Object.fromEntries(['in-sync', 'drifted', 'missing', 'extraneous', 'unknown'].map((s) => [s, prodReport().objects.filter((o) => o.state === s).length]));
	assert.deepEqual(prodRow.drift, { state: 'drifted', inSync: counted['in-sync'], drifted: counted.drifted, missing: counted.missing, extraneous: counted.extraneous, unmanaged: 0, unknown: counted.unknown, skipped: 0 });
	assert.equal(rows.find((c) => c.name === 'dev-eu-west-1')!.drift, undefined, 'not connected: not compared');
	const roots = clustersTree(answers.fleetClusters, async () => ({ sync: [], sources: [] }));
	const production = byLabel(roots, 'production');
	const prod = byLabel(await children(production), 'prod-us-east-1');
	assert.match(prod.description!, /^1\.27\.16 \(claim 1\.35\) · connected · behind HEAD · 1 drifted · 1 missing · 1 extraneous · \d+ errors/);
	assert.ok(plain(prod.tooltip).includes(`Drift (Git versus live): 1 drifted, 1 missing, 1 extraneous, 2 unknown; ${counted['in-sync']} in sync (the Drift view)`));
	const staging = byLabel(await children(byLabel(roots, 'staging')), 'staging-eu-west-1');
	assert.doesNotMatch(staging.description!, /drifted|missing|extraneous/);
	assert.match(plain(staging.tooltip), /Drift \(Git versus live\): none, \d+ objects as Git says/);
	const dev = byLabel(await children(byLabel(roots, 'dev')), 'dev-eu-west-1');
	assert.doesNotMatch(plain(dev.tooltip), /Drift/);
});

test('a field row\'s words: the end of its path, and desired -> live without what both share', () => {
	assert.equal(shortPath('spec.replicas'), 'spec.replicas');
	assert.equal(shortPath('spec.template.spec.containers[name=web.v2].env[name=LOG].value'), 'env[name=LOG].value', 'dots inside a merge key do not split');
	assert.equal(shortPath('spec.template.metadata.labels["app.kubernetes.io/name"]'), 'metadata.labels["app.kubernetes.io/name"]', 'dots inside a quoted key do not split');
	assert.equal(changeText('registry.example.com/team/web:1.2.3', 'registry.example.com/team/web:1.2.4'), '…/web:1.2.3 -> …/web:1.2.4');
	assert.equal(changeText('--level=info', '--level=debug'), '--level=info -> --level=debug', 'no path in common: both whole');
	assert.equal(changeText(3, 5), '3 -> 5');
	assert.equal(changeText('500m', null), '500m -> (absent)');
	assert.equal(changeText({ a: 1 }, [1]), '{"a":1} -> [1]');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { ComplianceFindingRow, FleetClusterDetail, FleetClustersResult, FleetComplianceResult, FleetPromotionResult } from '../../shared/protocol';
import { clustersTree, statusSummary } from '../../client/src/views/clusters';
import { complianceTree } from '../../client/src/views/compliance';
import { byLabel, children, everyNode } from './tree-helpers';
import { behindText, promotionTree } from '../../client/src/views/promotion';

/**
 * The explorer's tree providers against a recorded server answer (test/fixtures/explorer/answers.json,
 * recorded by test/explorer/record-answers.ts on examples/fleet with its two simulated clusters):
 * the labels, descriptions, icons, menus and clicks a user gets, computed without VS Code.
 */

const answers = JSON.parse(readFileSync('test/fixtures/explorer/answers.json', 'utf8')) as {
	clusters: FleetClustersResult;
	clusterDetails: Record<string, FleetClusterDetail>;
	promotion: FleetPromotionResult;
	compliance: FleetComplianceResult;
	complianceFindings: { control: string; findings: ComplianceFindingRow[] };
};
const FOLDER = 'file:///repo/examples/fleet';
/** Serves the recorded cluster details (what the server answers when a cluster is expanded). */
const detailOf = async (folderUri: string, cluster: string) => {
	assert.equal(folderUri, FOLDER);
	return answers.clusterDetails[cluster];
};
const tree = (r: FleetClustersResult) => clustersTree(r, detailOf);
const HEAD = 'c0ffee0';


/** A tooltip as the user reads it (markdown escapes removed). */
const plain = (markdown: string | undefined) => (markdown ?? '').replace(/\\(.)/g, '$1');

/** A row's findings as the view words them: `31 errors, 14 warnings, 15 info` (zero counts left out). */
const words = (cluster: string) => {
	const f = answers.clusters.folders[0].environments.flatMap((e) => e.clusters).find((c) => c.name === cluster)!.findings;
	return [f.error ? `${f.error} error${f.error === 1 ? '' : 's'}` : '', f.warning ? `${f.warning} warning${f.warning === 1 ? '' : 's'}` : '', f.info ? `${f.info} info` : ''].filter(Boolean).join(', ');
};
const errors = () => answers.clusters.folders[0].summary.findings.error;



test('Clusters: environments in promotion order, then their clusters with versions, connection, sync state and findings', async () => {
	const roots = tree(answers.clusters);
	assert.deepEqual(roots.map((n) => [n.label, n.description]), [
		['dev', '2 clusters'],
		['staging', 'promoted from dev · 1 cluster · 1 failing'],
		['production', 'production · promoted from staging · 3 clusters'],
		['performance', '1 cluster'],
	]);
	assert.ok(roots.every((n) => n.expanded && n.contextValue === 'environment'));
	const staging = byLabel(await children(roots[1]), 'staging-eu-west-1');
	assert.equal(staging.description, `1.35.2 · connected · 1 sync failed · ${words('staging-eu-west-1')}`);
	assert.deepEqual(staging.icon, { id: 'error', color: 'errorForeground' });
	assert.equal(staging.contextValue, 'cluster claim context connected');
	assert.deepEqual(staging.target, { kind: 'cluster', folderUri: FOLDER, cluster: 'staging-eu-west-1', context: 'arn:aws:eks:eu-west-1:111122223333:cluster/staging-eu-west-1', claim: { file: 'claims/staging-eu-west-1.yaml', line: 10 }, status: 'connected' });
	assert.match(plain(staging.tooltip), /Kustomization apps: HealthCheckFailed · main@sha1:bead000 \(HEAD is c0ffee0\)/);
	const prod = byLabel(await children(roots[2]), 'prod-us-east-1');
	assert.equal(prod.description, `1.27.16 (claim 1.35) · connected · behind HEAD · ${words('prod-us-east-1')}`);
	assert.deepEqual(prod.icon, { id: 'warning', color: 'list.warningForeground' }, 'the live version differs from the claim');
	const dev = byLabel(await children(roots[0]), 'dev-eu-west-1');
	assert.equal(dev.description, `claim 1.36 · no context · ${words('dev-eu-west-1')}`);
	assert.deepEqual(dev.icon, { id: 'debug-disconnect', color: 'disabledForeground' });
	assert.equal(dev.contextValue, 'cluster claim context');
});

test('Clusters: a cluster\'s children are its sources (click opens the declaring line), its claim, the rendered manifests and the live status', async () => {
	const staging = byLabel(await children(tree(answers.clusters)[1]), 'staging-eu-west-1');
	const kids = await children(staging);
	assert.deepEqual(kids.slice(-3).map((n) => n.label), ['ClusterClaim', 'Rendered manifests', 'Live status']);
	const apps = kids.find((n) => n.label === 'apps')!;
	assert.equal(apps.description, `Kustomization · apps/staging · HealthCheckFailed · main@sha1:bead000 (HEAD is ${HEAD})`);
	assert.deepEqual(apps.icon, { id: 'error', color: 'errorForeground' });
	assert.deepEqual(apps.open, { folderUri: FOLDER, path: 'clusters/staging-eu-west-1/apps.yaml', line: 15 });
	assert.deepEqual(apps.file, { folderUri: FOLDER, path: 'clusters/staging-eu-west-1/apps.yaml' });
	const fleetPath = kids.find((n) => n.label === 'staging-eu-west-1')!;
	assert.match(fleetPath.description!, /^Fleet path · clusters\/staging-eu-west-1 · Ready · main@sha1:c0ffee0 \(HEAD\)$/);
	const certManager = kids.find((n) => n.label === 'cert-manager')!;
	assert.equal(certManager.description, 'HelmRelease · infrastructure/controllers/cert-manager.yaml · Ready · 1.15.3');
	const claim = kids.find((n) => n.label === 'ClusterClaim')!;
	assert.deepEqual([claim.description, claim.open], ['claims/staging-eu-west-1.yaml · Kubernetes 1.35', { folderUri: FOLDER, path: 'claims/staging-eu-west-1.yaml', line: 10 }]);
	const rendered = kids.find((n) => n.label === 'Rendered manifests')!;
	assert.deepEqual(rendered.command, { command: 'fleetscope.renderCluster', title: 'Render Cluster', arguments: [{ folderUri: FOLDER, cluster: 'staging-eu-west-1' }] });
	const live = await children(kids.find((n) => n.label === 'Live status')!);
	assert.deepEqual(live.slice(0, 2).map((n) => n.label), ['connected', 'context']);
	assert.equal(live.find((n) => n.label === 'Kustomization flux-system/apps')?.description, `HealthCheckFailed · main@sha1:bead000 (HEAD is ${HEAD})`);
	const flux = live.find((n) => n.label === 'Flux v2.6.4')!;
	assert.equal(flux.description, '4/4 components ready · sync ready');
	assert.deepEqual((await children(flux)).map((n) => n.label), ['helm-controller', 'kustomize-controller', 'notification-controller', 'source-controller']);
	await everyNode(tree(answers.clusters));
});

test('Clusters: what the view says when clusters cannot be contacted (untrusted, no kubeconfig context), and when there is no fleet', () => {
	const untrusted = tree({ ...answers.clusters, live: 'untrusted' });
	assert.deepEqual([untrusted[0].label, untrusted[0].command?.command], ['Workspace not trusted', 'workbench.trust.manage']);
	const none = structuredClone(answers.clusters);
	for (const e of none.folders[0].environments) for (const c of e.clusters) c.status = 'no-context';
	const notice = tree(none)[0];
	assert.deepEqual([notice.label, notice.command?.command, notice.command?.arguments], ['No kubeconfig context for any cluster', 'workbench.action.openSettings', ['fleetscope.clusters']]);
	assert.deepEqual(tree({ live: 'on', folders: [{ ...answers.clusters.folders[0], environments: [], summary: { clusters: 0, connected: 0, findings: { error: 0, warning: 0, info: 0 } } }] }), [], 'empty: the welcome content shows');
});

test('the status bar: clusters connected of total and the error count, the details in the tooltip', () => {
	const s = statusSummary(answers.clusters)!;
	assert.equal(s.text, `2/7 clusters · ${errors()} errors`);
	assert.ok(plain(s.tooltip).includes(`2 of 7 clusters connected, ${errors()} errors; sync failed on staging-eu-west-1`));
	const prodErrors = answers.clusters.folders[0].environments.flatMap((e) => e.clusters).find((c) => c.name === 'prod-us-east-1')!.findings.error;
	assert.ok(plain(s.tooltip).includes(`| prod-us-east-1 | production | connected | behind HEAD | ${prodErrors} |`));
});

test('Promotion: apps, then one row per environment in promotion order with versions, behind markers, gates and the compare action', async () => {
	const apps = promotionTree(answers.promotion);
	assert.deepEqual(apps.slice(0, 3).map((a) => a.label), ['podinfo', 'orders-api', 'statements']);
	const orders = byLabel(apps, 'orders-api');
	assert.equal(orders.description, 'dev 2.15.0-rc.1 → staging 2.14.1 → production 2.14.0');
	const rows = await children(orders);
	assert.deepEqual(rows.map((r) => [r.label, r.description, r.contextValue]), [
		['dev', '2.15.0-rc.1', 'promotionEnvironment'],
		['staging', '2.14.1 · behind: dev runs 2.15.0-rc.1', 'promotionEnvironment compare behind'],
		['production', '2.14.0 · behind: staging runs 2.14.1', 'promotionEnvironment compare behind'],
	]);
	assert.equal(behindText(answers.promotion.folders[0].apps.find((a) => a.name === 'orders-api')!.environments[2]), 'production 2.14.0, staging runs 2.14.1');
	const production = rows[2];
	assert.deepEqual(production.open, { folderUri: FOLDER, path: 'apps/production/kustomization.yaml', line: 12 });
	assert.deepEqual(production.target, { kind: 'promotion', folderUri: FOLDER, app: 'orders-api', environment: 'production', promotesFrom: 'staging', clusters: ['prod-eu-west-1', 'prod-us-east-1'] });
	assert.deepEqual((await children(production)).map((n) => [n.label, n.description]), [
		['ghcr.io/acme/orders-api 2.14.0', 'apps/production/kustomization.yaml:12'],
		['gate: order', 'promoted from staging'],
		['gate: soak', 'staging must have run it for 72h'],
		['gate: approvals', '2 approvals (acme/platform-release, dana)'],
	]);
	assert.ok((await everyNode(apps)) > 30);
	const inferred = byLabel(apps, 'cert-manager');
	assert.equal(inferred.expanded, false, 'inferred apps start collapsed');
});

test('Promotion: open promotion pull requests plug in as rows of their environment', async () => {
	const withPr = structuredClone(answers.promotion);
	const env = withPr.folders[0].apps.find((a) => a.name === 'orders-api')!.environments[2];
	env.pullRequests = [{ app: 'orders-api', environment: 'production', from: 'staging', url: 'https://github.com/acme/fleet/pull/7', number: 7, title: 'Promote orders-api to production', branch: 'fleetscope/promote/orders-api/production', draft: false, checks: 'success', approvals: 1, changesRequested: 0, recognised: true }];
	const production = (await children(byLabel(promotionTree(withPr), 'orders-api')))[2];
	assert.match(production.description!, /1 open pull request$/);
	const pr = (await children(production)).at(-1)!;
	assert.deepEqual([pr.label, pr.description, pr.url], ['#7 Promote orders-api to production', 'checks success · 1 approval', 'https://github.com/acme/fleet/pull/7']);
});

test('Compliance: frameworks, controls with counts per environment, findings loaded when a control is expanded', async () => {
	const asked: string[] = [];
	const roots = complianceTree(answers.compliance, async (folderUri, control) => {
		asked.push(`${folderUri} ${control}`);
		return control === answers.complianceFindings.control ? answers.complianceFindings.findings : [];
	});
	assert.deepEqual(roots.map((n) => n.label), ['CIS Kubernetes Benchmark', 'Pod Security Standards', 'CIS Amazon EKS / Google GKE / Azure AKS Benchmarks', 'EU Digital Operational Resilience Act (DORA)']);
	const cis = roots[0];
	assert.match(cis.description!, /^34 controls evaluated · \d+ failing$/);
	const controls = await children(cis);
	const c = byLabel(controls, 'CIS-K8S-5.1.1');
	assert.equal(c.description, 'dev 1 failed · staging 1 failed · production 1 failed · performance 1 failed');
	assert.match(plain(c.tooltip), /\| production \| 0 \| 1 \| 0 \|/);
	assert.deepEqual(c.icon, { id: 'error', color: 'errorForeground' });
	assert.deepEqual(asked, [], 'findings are asked for only when the control is expanded');
	const findings = await children(c);
	assert.deepEqual(asked, [`${FOLDER} CIS-K8S-5.1.1`]);
	const f = answers.complianceFindings.findings[0];
	assert.deepEqual([findings[0].label, findings[0].open, findings[0].contextValue], [`${f.file}:${f.line}`, { folderUri: FOLDER, path: f.file, line: f.line, column: f.column }, 'finding']);
	assert.ok((await everyNode(roots)) > 100);
	// A control that passed everywhere says so and has no findings to expand.
	const passed = controls.find((n) => n.description?.startsWith('passed in'));
	assert.ok(passed && !passed.children && passed.icon?.id === 'pass');
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { check, CLUSTERS, fleetModel, reach } from './fleet-helpers';

const fleetFile = (apps: string, clusters = '') => `apiVersion: platform.gitops.io/v1alpha1\nkind: Fleet\nmetadata:\n  name: acme\nspec:\n${clusters}  apps:\n${apps}`;
const app = (facts: Record<string, string>, paths = { production: ['apps/api'] }) => ({ name: 'api', facts, paths });
const entry = '    - name: api\n      criticality: critical\n';

describe('DORA Art 11: dora-geographic-redundancy', () => {
	it('reports a critical app whose production clusters are all in one region, on its criticality', async () => {
		const fleet = fleetModel({ clusters: CLUSTERS!.slice(0, 3), apps: [app({})] });
		const r = await check({ 'fleet.yaml': fleetFile(entry) }, 'fleet.yaml', 'dora-geographic-redundancy', { fleet });
		assert.deepEqual(r.where, ['7:19-7:27 warning dora-geographic-redundancy | critical']);
		assert.deepEqual(r.messages, [
			'App "api" is critical, a critical or important function in DORA\'s terms, and runs in production only in region eu-west-1 ("prod-1"): a regional outage stops it with no redundant capacity to switch over to. DORA Art 11 asks for continuity of critical functions and switchover tests (Art 11(6)). Deploy it to a production cluster of another region, or name one with `drCluster: <cluster>` in this entry. (DORA Art 11(1), Art 11(6))',
		]);
		const sameRegionDr = await check({ 'fleet.yaml': fleetFile(`${entry}      drCluster: staging-1\n`) }, 'fleet.yaml', 'dora-geographic-redundancy', { fleet });
		assert.deepEqual(sameRegionDr.where, ['8:17-8:26 warning dora-geographic-redundancy | staging-1']);
		assert.match(sameRegionDr.messages[0], /runs in production only in region eu-west-1 \("prod-1"\), and its drCluster "staging-1" is in the same region: a regional outage stops it /);
		const unknownDr = await check({ 'fleet.yaml': fleetFile(`${entry}      drCluster: nowhere\n`) }, 'fleet.yaml', 'dora-geographic-redundancy', { fleet });
		assert.match(unknownDr.messages[0], /\("prod-1"\), and its drCluster "nowhere" is not a cluster of the fleet: a regional outage /);
	});
	it('accepts two production regions, a DR cluster elsewhere, and non-critical apps', async () => {
		assert.deepEqual((await check({ 'fleet.yaml': fleetFile(entry) }, 'fleet.yaml', 'dora-geographic-redundancy', { fleet: fleetModel({ clusters: CLUSTERS, apps: [app({})] }) })).where, []);
		const dr = fleetModel({ clusters: [...CLUSTERS!.slice(0, 3), { name: 'dr-1', environment: 'dr', region: 'eu-north-1' }], apps: [app({ drCluster: 'dr-1' })] });
		assert.deepEqual((await check({ 'fleet.yaml': fleetFile(entry) }, 'fleet.yaml', 'dora-geographic-redundancy', { fleet: dr })).where, []);
		const low = fleetModel({ clusters: CLUSTERS!.slice(0, 3), apps: [app({})] });
		assert.deepEqual((await check({ 'fleet.yaml': fleetFile('    - name: api\n      criticality: low\n') }, 'fleet.yaml', 'dora-geographic-redundancy', { fleet: low })).where, []);
	});
});

describe('DORA Art 11(6): dora-dr-test-evidence', () => {
	const fleet = fleetModel({ clusters: CLUSTERS, apps: [app({})] });
	it('reports a critical app without a DR test, with one older than a year, unreadable or in the future', async () => {
		const none = await check({ 'fleet.yaml': fleetFile(entry) }, 'fleet.yaml', 'dora-dr-test-evidence', { fleet });
		assert.deepEqual(none.where, ['7:19-7:27 info dora-dr-test-evidence | critical']);
		assert.deepEqual(none.messages, [
			'App "api" is critical, a critical or important function in DORA\'s terms, but records no disaster-recovery test: DORA Art 11(6) asks for its recovery plans to be tested at least yearly. Record the last test with `lastDrTest: YYYY-MM-DD` in this entry (or the label fleetscope.io/last-dr-test on its Namespace). (DORA Art 11(6), Art 12(2))',
		]);
		const old = await check({ 'fleet.yaml': fleetFile(`${entry}      lastDrTest: "2025-11-30"\n`) }, 'fleet.yaml', 'dora-dr-test-evidence', { fleet });
		assert.deepEqual(old.where, ['8:18-8:30 info dora-dr-test-evidence | "2025-11-30"']);
		assert.match(old.messages[0], /its last disaster-recovery test \(2025-11-30\) is more than a year old/);
		assert.match((await check({ 'fleet.yaml': fleetFile(`${entry}      lastDrTest: "2026-02-30"\n`) }, 'fleet.yaml', 'dora-dr-test-evidence', { fleet })).messages[0], /is not a date/);
		assert.match((await check({ 'fleet.yaml': fleetFile(`${entry}      lastDrTest: "2027-01-01"\n`) }, 'fleet.yaml', 'dora-dr-test-evidence', { fleet })).messages[0], /lies in the future/);
	});
	it('accepts a test within the year (the day one year back included)', async () => {
		for (const d of ['2025-12-01', '2026-11-30']) assert.deepEqual((await check({ 'fleet.yaml': fleetFile(`${entry}      lastDrTest: "${d}"\n`) }, 'fleet.yaml', 'dora-dr-test-evidence', { fleet })).where, [], d);
	});
});

describe('DORA Art 10(1)/11: dora-node-redundancy', () => {
	const claim = (groups: string) => `apiVersion: platform.gitops.io/v1alpha1\nkind: ClusterClaim\nmetadata:\n  name: c1\nspec:\n  cloudProvider: aws\n  region: eu-west-1\n  environment: production\n  nodeGroups:\n${groups}`;
	it('reports general-purpose node groups with one node at minimum or one zone', async () => {
		const r = await check({ 'c.yaml': claim('    - name: a\n      minSize: 1\n      zones: [eu-west-1a]\n    - name: gpu\n      minSize: 3\n      zones: [eu-west-1b]\n      taints: [{key: gpu, value: "true", effect: NoSchedule}]\n') }, 'c.yaml', 'dora-node-redundancy');
		assert.deepEqual(r.where, ['10:15-10:16 warning dora-node-redundancy | 1', '11:6-11:11 warning dora-node-redundancy | zones']);
		assert.deepEqual(r.messages, [
			'ClusterClaim "c1" is a production cluster whose general-purpose node groups keep 1 node at minimum: one node failure or upgrade stops every workload on it. DORA Art 10(1) asks for single points of failure to be identified and removed. Set minSize so that at least two nodes always run. (DORA Art 10(1), Art 11(1))',
			'ClusterClaim "c1" is a production cluster whose general-purpose nodes all run in one zone (eu-west-1a): an outage of that zone stops every workload. DORA Art 10(1) asks for single points of failure to be identified and removed. Spread the node groups over at least two zones. (DORA Art 10(1), Art 11(1))',
		]);
	});
	it('accepts two nodes over two zones across groups, and groups without listed zones', async () => {
		assert.deepEqual((await check({ 'c.yaml': claim('    - name: a\n      minSize: 1\n      zones: [eu-west-1a]\n    - name: b\n      minSize: 1\n      zones: [eu-west-1b]\n') }, 'c.yaml', 'dora-node-redundancy')).where, []);
		assert.deepEqual((await check({ 'c.yaml': claim('    - name: a\n      minSize: 2\n') }, 'c.yaml', 'dora-node-redundancy')).where, []);
	});
});

const pvc = 'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\n  namespace: shop\nspec:\n  accessModes: [ReadWriteOnce]\n';
const schedule = (template: string, extra = '', cron = '"0 * * * *"') => `apiVersion: velero.io/v1\nkind: Schedule\nmetadata:\n  name: hourly\n  namespace: velero\nspec:\n  schedule: ${cron}\n${extra}  template:\n${template}`;

describe('DORA Art 12(1)(a): dora-backup-coverage', () => {
	it('reports a production PVC whose namespace no Velero Schedule covers, on its name', async () => {
		const files = { 'pvc.yaml': pvc, 's.yaml': schedule('    includedNamespaces: ["*"]\n    excludedNamespaces: [shop]\n') };
		const r = await check(files, 'pvc.yaml', 'dora-backup-coverage', { fleet: fleetModel({ clusters: CLUSTERS, files: reach(files, ['prod-1']) }) });
		assert.deepEqual(r.where, ['3:8-3:12 warning dora-backup-coverage | data']);
		assert.deepEqual(r.messages, [
			'No Velero Schedule in cluster "prod-1" backs up namespace "shop", which holds PersistentVolumeClaim "data" in production: DORA Art 12(1)(a) asks for backups of the data of ICT systems, with a scope and frequency set by its criticality. Add "shop" to the includedNamespaces of a Velero Schedule of the cluster. (DORA Art 12(1)(a))',
		]);
		const sts = 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\n  namespace: shop\nspec:\n  volumeClaimTemplates:\n    - metadata: {name: data}\n';
		const only = { 'sts.yaml': sts };
		assert.deepEqual((await check(only, 'sts.yaml', 'dora-backup-coverage', { fleet: fleetModel({ clusters: CLUSTERS, files: reach(only, ['prod-1']) }) })).where, ['6:2-6:22 warning dora-backup-coverage | volumeClaimTemplates']);
	});
	it('accepts a schedule naming the namespace, `*`, an empty list (all), another cluster\'s PVC, and Kasten', async () => {
		for (const t of ['    includedNamespaces: [shop]\n', '    includedNamespaces: ["*"]\n', '    ttl: 24h\n']) {
			const files = { 'pvc.yaml': pvc, 's.yaml': schedule(t) };
			assert.deepEqual((await check(files, 'pvc.yaml', 'dora-backup-coverage', { fleet: fleetModel({ clusters: CLUSTERS, files: reach(files, ['prod-1']) }) })).where, [], t);
		}
		const elsewhere = { 'pvc.yaml': pvc, 's.yaml': schedule('    includedNamespaces: [shop]\n') };
		const split = fleetModel({ clusters: CLUSTERS, files: { 'pvc.yaml': ['prod-1'], 's.yaml': ['prod-2'] } });
		assert.equal((await check(elsewhere, 'pvc.yaml', 'dora-backup-coverage', { fleet: split })).where.length, 1);
		const k10 = { 'pvc.yaml': pvc, 'k.yaml': 'apiVersion: config.kio.kasten.io/v1alpha1\nkind: Policy\nmetadata:\n  name: backup\n  namespace: kasten-io\n' };
		assert.deepEqual((await check(k10, 'pvc.yaml', 'dora-backup-coverage', { fleet: fleetModel({ clusters: CLUSTERS, files: reach(k10, ['prod-1']) }) })).where, []);
	});
});

describe('DORA Art 12(1)(a): dora-backup-policy', () => {
	const ns = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    fleetscope.io/app: api\n';
	const prod = (files: Record<string, string>, rpo = '1h') => fleetModel({ clusters: CLUSTERS, apps: [{ name: 'api', facts: { rpo }, paths: { production: ['apps/api'] } }], files: reach(files, ['prod-1']) });
	it('reports a paused schedule, a ttl shorter than the interval, and the fastest schedule slower than the RPO', async () => {
		const paused = { 's.yaml': schedule('    ttl: 24h\n', '  paused: true\n') };
		const p = await check(paused, 's.yaml', 'dora-backup-policy', { fleet: prod(paused) });
		assert.deepEqual(p.where, ['7:10-7:14 warning dora-backup-policy | true']);
		const files = { 's.yaml': schedule('    includedNamespaces: [shop]\n    ttl: 12h\n', '', '"30 2 * * *"'), 'pvc.yaml': pvc, 'ns.yaml': ns };
		const r = await check(files, 's.yaml', 'dora-backup-policy', { fleet: prod(files) });
		assert.deepEqual(r.where, ['9:9-9:12 warning dora-backup-policy | 12h', '6:12-6:24 warning dora-backup-policy | "30 2 * * *"']);
		assert.deepEqual(r.messages, [
			'Velero Schedule "hourly" keeps its backups for 12h (template.ttl) but runs only every 1d: between expiry and the next run there is no backup at all. DORA Art 12(1)(a) asks for backups at a minimum frequency. Keep backups longer than the interval between runs. (DORA Art 12(1)(a))',
			'Velero Schedule "hourly" is the most frequent backup of namespace "shop", which holds persistent data, but runs only every 1d while app "api" accepts at most 1h of data loss (rpo): DORA Art 12(1)(a) asks for a backup frequency that follows the data\'s criticality. Run it at least every 1h, or add a more frequent schedule for "shop". (DORA Art 12(1)(a))',
		]);
	});
	it('accepts a frequent enough schedule, and a slow one when a faster one covers the namespace', async () => {
		const files = { 's.yaml': schedule('    includedNamespaces: [shop]\n    ttl: 168h0m0s\n'), 'pvc.yaml': pvc, 'ns.yaml': ns };
		assert.deepEqual((await check(files, 's.yaml', 'dora-backup-policy', { fleet: prod(files) })).where, []);
		const daily = schedule('    includedNamespaces: ["*"]\n    ttl: 720h\n', '', '"@daily"').replace('name: hourly', 'name: daily');
		const both = { ...files, 'daily.yaml': daily };
		assert.deepEqual((await check(both, 'daily.yaml', 'dora-backup-policy', { fleet: prod(both) })).where, []);
	});
});

describe('DORA Art 12(3): dora-backup-segregation', () => {
	it('reports a production claim and a BackupStorageLocation storing backups in the cluster\'s own region', async () => {
		const claim = 'apiVersion: platform.gitops.io/v1alpha1\nkind: ClusterClaim\nmetadata:\n  name: c1\nspec:\n  region: eu-west-1\n  environment: production\n  backup:\n    velero: true\n    locationRegion: eu-west-1\n';
		const r = await check({ 'c.yaml': claim }, 'c.yaml', 'dora-backup-segregation');
		assert.deepEqual(r.where, ['9:20-9:29 warning dora-backup-segregation | eu-west-1']);
		assert.match(r.messages[0], /^ClusterClaim "c1" is a production cluster in eu-west-1 and stores its backups in the same region: a regional outage or incident then takes the cluster and its backups together\./);
		assert.deepEqual((await check({ 'c.yaml': claim.replace('locationRegion: eu-west-1', 'locationRegion: eu-central-1') }, 'c.yaml', 'dora-backup-segregation')).where, []);
		const bsl = (region: string) => ({ 'b.yaml': `apiVersion: velero.io/v1\nkind: BackupStorageLocation\nmetadata:\n  name: default\n  namespace: velero\nspec:\n  provider: aws\n  config:\n    region: ${region}\n` });
		const same = bsl('eu-west-1');
		assert.deepEqual((await check(same, 'b.yaml', 'dora-backup-segregation', { fleet: fleetModel({ clusters: CLUSTERS, files: reach(same, ['prod-1']) }) })).where, ['8:12-8:21 warning dora-backup-segregation | eu-west-1']);
		for (const r2 of ['eu-central-1', '${backup_region}']) {
			const ok = bsl(r2);
			assert.deepEqual((await check(ok, 'b.yaml', 'dora-backup-segregation', { fleet: fleetModel({ clusters: CLUSTERS, files: reach(ok, ['prod-1']) }) })).where, [], r2);
		}
	});
});

describe('DORA Art 28/29: exit strategy and concentration', () => {
	const clusters = '  clusters:\n    - name: prod-1\n      region: eu-west-1\n    - name: prod-us\n      region: us-east-1\n';
	it('dora-exit-strategy: a critical app on cloud clusters without exitPlan; accepts one', async () => {
		const fleet = fleetModel({ clusters: CLUSTERS, apps: [app({})] });
		const r = await check({ 'fleet.yaml': fleetFile(entry) }, 'fleet.yaml', 'dora-exit-strategy', { fleet });
		assert.deepEqual(r.where, ['7:19-7:27 info dora-exit-strategy | critical']);
		assert.match(r.messages[0], /runs in production on AWS managed clusters, but references no exit strategy: DORA Art 28\(8\)/);
		assert.deepEqual((await check({ 'fleet.yaml': fleetFile(`${entry}      exitPlan: https://wiki/exit\n`) }, 'fleet.yaml', 'dora-exit-strategy', { fleet })).where, []);
	});
	it('dora-provider-concentration: all production on one cloud, on spec.clusters; accepts two providers', async () => {
		const r = await check({ 'fleet.yaml': fleetFile(entry, clusters) }, 'fleet.yaml', 'dora-provider-concentration', { fleet: fleetModel({ clusters: CLUSTERS }) });
		assert.deepEqual(r.where, ['5:2-5:10 info dora-provider-concentration | clusters']);
		assert.deepEqual(r.messages, [
			'All 2 production clusters ("prod-1", "prod-2") run on AWS: DORA Art 29(1) asks for the concentration risk of depending on one ICT provider to be assessed. Record that assessment (an exemption of this rule with the assessment as its reason), or run production on a second provider. (DORA Art 29(1))',
		]);
		const mixed = fleetModel({ clusters: [...CLUSTERS!.slice(0, 3), { name: 'prod-2', environment: 'production', region: 'europe-west1', provider: 'gcp' }] });
		assert.deepEqual((await check({ 'fleet.yaml': fleetFile(entry, clusters) }, 'fleet.yaml', 'dora-provider-concentration', { fleet: mixed })).where, []);
	});
	it('dora-region-concentration: production outside the EU/EEA on the cluster region, all in one region on spec.clusters', async () => {
		const us = fleetModel({ clusters: [CLUSTERS![2], { name: 'prod-us', environment: 'production', region: 'us-east-1', provider: 'aws' }] });
		const r = await check({ 'fleet.yaml': fleetFile(entry, clusters) }, 'fleet.yaml', 'dora-region-concentration', { fleet: us });
		assert.deepEqual(r.where, ['9:14-9:23 info dora-region-concentration | us-east-1']);
		assert.match(r.messages[0], /^Production cluster "prod-us" runs in us-east-1, outside the EU\/EEA: DORA Art 29\(2\)/);
		const one = fleetModel({ clusters: [CLUSTERS![2], { name: 'prod-3', environment: 'production', region: 'eu-west-1', provider: 'aws' }] });
		assert.deepEqual((await check({ 'fleet.yaml': fleetFile(entry, clusters) }, 'fleet.yaml', 'dora-region-concentration', { fleet: one })).where, ['5:2-5:10 info dora-region-concentration | clusters']);
		assert.deepEqual((await check({ 'fleet.yaml': fleetFile(entry, clusters) }, 'fleet.yaml', 'dora-region-concentration', { fleet: fleetModel({ clusters: CLUSTERS }) })).where, []);
	});
});

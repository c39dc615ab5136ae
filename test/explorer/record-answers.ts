/**
 * Records the server's answers to the explorer's requests on the demo setup (examples/fleet with its
 * two simulated clusters) into test/fixtures/explorer/answers.json, for the views' unit tests. The
 * folder URI and commit hashes are replaced by stand-ins, so the file does not depend on the machine.
 *
 * Usage: npm run build && node --import tsx test/explorer/record-answers.ts
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { ComplianceFindingsRequest, FleetClusterRequest, FleetClustersRequest, FleetComplianceRequest, FleetPromotionRequest, type FleetClustersResult, type FleetComplianceResult } from '../../shared/protocol';
import { fixtureOptions, loadFixture } from '../../tools/kube-sim/fixture';
import { mergeKubeconfigs } from '../../tools/kube-sim/kubeconfig';
import { startKubeSim } from '../../tools/kube-sim/sim';
import { Session, uriOf } from '../lsp/harness';

const ROOT = resolve('examples/fleet');
const STAGING = 'arn:aws:eks:eu-west-1:111122223333:cluster/staging-eu-west-1';
const PROD = 'arn:aws:eks:us-east-1:444455556666:cluster/prod-us-east-1';

async function main(): Promise<void> {
	const dir = mkdtempSync(join(tmpdir(), 'fleetscope-record-'));
	const sims = await Promise.all(['staging', 'production'].map((f) => startKubeSim(fixtureOptions(loadFixture(`tools/kube-sim/fixtures/${f}.yaml`)))));
	writeFileSync(join(dir, 'kubeconfig'), mergeKubeconfigs([sims[0].kubeconfigText({ context: STAGING }), sims[1].kubeconfigText({ context: PROD })], parse));
	const session = await Session.start({ folders: [ROOT], env: { ...process.env, KUBECONFIG: join(dir, 'kubeconfig'), FLEETSCOPE_CACHE_DIR: join(dir, 'cache') }, initializationOptions: { workspaceTrusted: true } });
	try {
		await session.clustersWhen((r) => r.clusters.filter((c) => c.status === 'connected').length === 2);
		// Until the scan is over and the files reaching the clusters were validated against them.
		let clusters: FleetClustersResult;
		let compliance: FleetComplianceResult;
		for (;;) {
			clusters = await session.request<FleetClustersResult>(FleetClustersRequest.method, {});
			compliance = await session.request<FleetComplianceResult>(FleetComplianceRequest.method, {});
			const rows = clusters.folders[0].environments.flatMap((e) => e.clusters);
			if (compliance.folders[0].complete && rows.filter((c) => c.syncCounts.total > 0).length === 2 && (await session.status()).scan.running === false) break;
			await new Promise((r) => setTimeout(r, 500));
		}
		const promotion = await session.request(FleetPromotionRequest.method, {});
		const clusterDetails: Record<string, unknown> = {};
		for (const c of clusters.folders[0].environments.flatMap((e) => e.clusters)) clusterDetails[c.name] = await session.request(FleetClusterRequest.method, { folderUri: uriOf(ROOT), cluster: c.name });
		const control = compliance.folders[0].frameworks.flatMap((f) => f.controls).find((c) => c.sections.some((s) => s.failed > 0))!.control;
		const findings = await session.request(ComplianceFindingsRequest.method, { folderUri: uriOf(ROOT), control });
		const head = clusters.folders[0].head?.commit ?? '';
		let text = JSON.stringify({ clusters, clusterDetails, promotion, compliance, complianceFindings: { control, ...(findings as object) } }, null, '\t');
		text = text.replaceAll(uriOf(ROOT), 'file:///repo/examples/fleet');
		if (head) text = text.replaceAll(head, 'c0ffee'.padEnd(40, '0'));
		text = text.replace(/[0-9a-f]{40}/g, (h) => (h === 'c0ffee'.padEnd(40, '0') ? h : 'bead'.padEnd(40, '0')));
		writeFileSync('test/fixtures/explorer/answers.json', `${text}\n`);
		console.log(`recorded test/fixtures/explorer/answers.json (control ${control})`);
	} finally {
		await session.stop();
		await Promise.all(sims.map((s) => s.stop()));
		rmSync(dir, { recursive: true, force: true });
	}
}

void main();

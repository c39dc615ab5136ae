/**
 * Records the server's drift answers on the demo setup (examples/fleet with its two simulated
 * clusters, the production one carrying the planted drift of tools/kube-sim/fixtures/production.yaml)
 * into test/fixtures/explorer/drift-answers.json, for the Drift view's and the Clusters view's drift
 * unit tests (test/explorer/drift-view.test.ts): `fleetscope/drift`, `fleetscope/clusters` (why a
 * cluster is or is not compared) and `fleetscope/explorer/clusters` (the drift counts of each row),
 * once both clusters were read and compared. The folder URI and commit hashes are replaced by
 * stand-ins, so the file does not depend on the machine; `recordedAt` is the clock the answers were
 * made against (the managers' ages are computed from it).
 *
 * Usage: npm run build && node --import tsx test/explorer/record-drift-answers.ts
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { ClustersRequest, DriftRequest, FleetClustersRequest, type DriftResult, type FleetClustersResult } from '../../shared/protocol';
import { fixtureOptions, loadFixture } from '../../tools/kube-sim/fixture';
import { mergeKubeconfigs } from '../../tools/kube-sim/kubeconfig';
import { startKubeSim } from '../../tools/kube-sim/sim';
import { Session, uriOf } from '../lsp/harness';

const ROOT = resolve('examples/fleet');
const STAGING = 'arn:aws:eks:eu-west-1:111122223333:cluster/staging-eu-west-1';
const PROD = 'arn:aws:eks:us-east-1:444455556666:cluster/prod-us-east-1';
const COMPARED = ['staging-eu-west-1', 'prod-us-east-1'];

async function main(): Promise<void> {
	const dir = mkdtempSync(join(tmpdir(), 'fleetscope-record-drift-'));
	const sims = await Promise.all(['staging', 'production'].map((f) => startKubeSim(fixtureOptions(loadFixture(`tools/kube-sim/fixtures/${f}.yaml`)))));
	writeFileSync(join(dir, 'kubeconfig'), mergeKubeconfigs([sims[0].kubeconfigText({ context: STAGING }), sims[1].kubeconfigText({ context: PROD })], parse));
	const session = await Session.start({ folders: [ROOT], env: { ...process.env, KUBECONFIG: join(dir, 'kubeconfig'), FLEETSCOPE_CACHE_DIR: join(dir, 'cache') }, initializationOptions: { workspaceTrusted: true } });
	try {
		const deadline = Date.now() + 120_000;
		let drift: DriftResult;
		let fleetClusters: FleetClustersResult;
		// Until both clusters were read and compared, and the Clusters view's rows carry their counts.
		for (;;) {
			drift = await session.request<DriftResult>(DriftRequest.method, {});
			fleetClusters = await session.request<FleetClustersResult>(FleetClustersRequest.method, {});
			const rep = drift.folders[0]?.report;
			const rows = fleetClusters.folders[0].environments.flatMap((e) => e.clusters);
			const compared = rep && COMPARED.every((n) => rep.clusters.some((c) => c.name === n && c.state !== 'unknown'));
			if (compared && COMPARED.every((n) => rows.find((r) => r.name === n)?.drift?.state !== undefined && rows.find((r) => r.name === n)!.syncCounts.total > 0)) break;
			if (Date.now() > deadline) throw new Error(`no drift report for ${COMPARED.join(' and ')} within 120 s: ${JSON.stringify(rep)}`);
			await new Promise((r) => setTimeout(r, 500));
		}
		const clusters = await session.request(ClustersRequest.method, {});
		const recordedAt = new Date().toISOString();
		const head = fleetClusters.folders[0].head?.commit ?? '';
		let text = JSON.stringify({ recordedAt, drift, clusters, fleetClusters }, null, '\t');
		text = text.replaceAll(uriOf(ROOT), 'file:///repo/examples/fleet').replaceAll(dir, '/tmp/fleetscope-record-drift');
		if (head) text = text.replaceAll(head, 'c0ffee'.padEnd(40, '0'));
		text = text.replace(/[0-9a-f]{40}/g, (h) => (h === 'c0ffee'.padEnd(40, '0') ? h : 'bead'.padEnd(40, '0')));
		writeFileSync('test/fixtures/explorer/drift-answers.json', `${text}\n`);
		console.log('recorded test/fixtures/explorer/drift-answers.json');
	} finally {
		await session.stop();
		await Promise.all(sims.map((s) => s.stop()));
		rmSync(dir, { recursive: true, force: true });
	}
}

void main();

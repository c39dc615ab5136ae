import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { fixtureOptions, loadFixture } from '../../tools/kube-sim/fixture';
import { mergeKubeconfigs } from '../../tools/kube-sim/kubeconfig';
import { startKubeSim, type KubeSim } from '../../tools/kube-sim/sim';
import { ensureServerBuilt, Session } from '../lsp/harness';

/**
 * The demo's setup, for the tests and the bench that need it: the two simulated clusters of
 * `examples/fleet`, staging-eu-west-1 (1.35) and prod-us-east-1 (1.27), in a kubeconfig of their own
 * (`startDemoSims`), and with them the language server on the example fleet, trusted
 * (`startDemoClusters`).
 */

export const STAGING = 'arn:aws:eks:eu-west-1:111122223333:cluster/staging-eu-west-1';
export const PROD = 'arn:aws:eks:us-east-1:444455556666:cluster/prod-us-east-1';
export const EXAMPLE_FLEET = resolve('examples/fleet');

export interface DemoClusters {
	/** The temporary directory (kubeconfig, caches). */
	dir: string;
	kubeconfig: string;
	/** [staging, production]. */
	sims: KubeSim[];
	session: Session;
	stop(): Promise<void>;
}

/** The two clusters, [staging, production], and `kubeconfig` written with a context for each. */
export async function startDemoSims(kubeconfig: string, options: { recordResponses?: boolean } = {}): Promise<KubeSim[]> {
	const sims = await Promise.all(['staging', 'production'].map((f) => startKubeSim({ ...fixtureOptions(loadFixture(`tools/kube-sim/fixtures/${f}.yaml`)), ...options })));
	writeFileSync(kubeconfig, mergeKubeconfigs([sims[0].kubeconfigText({ context: STAGING }), sims[1].kubeconfigText({ context: PROD })], parse));
	return sims;
}

export async function startDemoClusters(prefix: string): Promise<DemoClusters> {
	ensureServerBuilt();
	const dir = mkdtempSync(join(tmpdir(), prefix));
	const kubeconfig = join(dir, 'kubeconfig');
	const sims = await startDemoSims(kubeconfig);
	let session: Session;
	try {
		session = await Session.start({ folders: [EXAMPLE_FLEET], env: { ...process.env, KUBECONFIG: kubeconfig, FLEETSCOPE_CACHE_DIR: join(dir, 'cache') }, initializationOptions: { workspaceTrusted: true } });
	} catch (e) {
		await Promise.all(sims.map((s) => s.stop()));
		rmSync(dir, { recursive: true, force: true });
		throw e;
	}
	return {
		dir,
		kubeconfig,
		sims,
		session,
		stop: async () => {
			await session.stop();
			await Promise.all(sims.map((s) => s.stop()));
			rmSync(dir, { recursive: true, force: true });
		},
	};
}

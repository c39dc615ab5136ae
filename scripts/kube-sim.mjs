// Simulated Kubernetes API servers (dist/kube-sim.js, see tools/kube-sim and docs/live.md) for the
// demo and the end-to-end test: one HTTPS server per cluster fixture on 127.0.0.1, each with its
// own CA, and a kubeconfig with one context per cluster. Runs as a child process in its own
// process group, so stopping it never leaves a server behind.
import { rmSync } from 'node:fs';
import { startTool } from './tool-process.mjs';

/**
 * Starts the clusters of `fixtures` and writes `kubeconfig` (replaced, not merged: the CAs are new
 * at every start). Resolves once every server listens.
 * `gitDir`: the repository whose commits the fixtures' `${GIT_HEAD}` stand for (default: this one).
 * @param {{ fixtures: string[], kubeconfig: string, gitDir?: string, log?: (line: string) => void, timeoutMs?: number }} options
 * @returns {Promise<{ clusters: { name: string, url: string, context: string }[], kubeconfig: string, stop: () => Promise<void>, exit: Promise<number | string>, output: () => string }>}
 */
export async function startSimulatedClusters({ fixtures, kubeconfig, gitDir, log = (l) => console.error(l), timeoutMs = 60_000 }) {
	rmSync(kubeconfig, { force: true });
	const clusters = [];
	const onLine = (line) => {
		// `kube-sim: prod-us-east-1 on https://127.0.0.1:40123 (context arn:aws:eks:...)`
		const m = /^kube-sim: (\S+) on (\S+) \(context (.+)\)$/.exec(line);
		if (m) clusters.push({ name: m[1], url: m[2], context: m[3] });
	};
	const args = [...fixtures.flatMap((f) => ['--cluster', f]), '--kubeconfig', kubeconfig, ...(gitDir ? ['--git-dir', gitDir] : [])];
	const tool = await startTool({ bundle: 'kube-sim.js', args, onLine, log, timeoutMs });
	return { clusters, kubeconfig, ...tool };
}

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';
import { fixtureOptions, loadFixture } from './fixture';
import { mergeKubeconfigs } from './kubeconfig';
import { startKubeSim, type KubeSim } from './sim';

/**
 * `node dist/kube-sim.js --cluster FIXTURE.yaml [--cluster ...] [--port 6443] [--kubeconfig FILE] [--git-dir DIR]`:
 * starts one simulated API server per fixture on 127.0.0.1 (consecutive ports from --port, or free
 * ones with 0), writes (or merges into) a kubeconfig with one context per cluster, prints one line
 * per cluster and then `ready`, and runs until SIGINT/SIGTERM. `--git-dir`: the repository whose
 * commits the fixtures' `${GIT_HEAD}` stand for (default: the one the fixture is in).
 */

const USAGE = 'Usage: kube-sim --cluster FIXTURE.yaml [--cluster FIXTURE.yaml ...] [--port PORT] [--kubeconfig FILE] [--git-dir DIR]\n';

async function main(): Promise<number> {
	let values;
	try {
		({ values } = parseArgs({ options: { cluster: { type: 'string', multiple: true }, port: { type: 'string' }, kubeconfig: { type: 'string' }, 'git-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
	} catch (e) {
		process.stderr.write(`kube-sim: ${e instanceof Error ? e.message : e}\n${USAGE}`);
		return 2;
	}
	if (values.help) {
		process.stdout.write(USAGE);
		return 0;
	}
	const files = values.cluster ?? [];
	if (files.length === 0) {
		process.stderr.write(`kube-sim: --cluster is required\n${USAGE}`);
		return 2;
	}
	const basePort = Number(values.port ?? 0);
	if (!Number.isInteger(basePort) || basePort < 0 || basePort > 65535) {
		process.stderr.write(`kube-sim: --port must be a port number, got ${values.port}\n`);
		return 2;
	}
	const sims: { sim: KubeSim; context: string }[] = [];
	const stopAll = async () => {
		await Promise.all(sims.map((s) => s.sim.stop()));
	};
	try {
		for (const [i, file] of files.entries()) {
			const f = loadFixture(file, values['git-dir']);
			const sim = await startKubeSim({ ...fixtureOptions(f), port: basePort === 0 ? 0 : basePort + i });
			sims.push({ sim, context: f.context ?? f.name });
		}
	} catch (e) {
		process.stderr.write(`kube-sim: ${e instanceof Error ? e.message : e}\n`);
		await stopAll();
		return 1;
	}
	if (values.kubeconfig) {
		const texts = existsSync(values.kubeconfig) ? [readFileSync(values.kubeconfig, 'utf8')] : [];
		texts.push(...sims.map((s) => s.sim.kubeconfigText({ context: s.context })));
		writeFileSync(values.kubeconfig, mergeKubeconfigs(texts, parse), { mode: 0o600 });
	}
	for (const { sim, context } of sims) process.stdout.write(`kube-sim: ${sim.name} on ${sim.url} (context ${context})\n`);
	process.stdout.write(values.kubeconfig ? `ready; kubeconfig ${values.kubeconfig}\n` : 'ready\n');
	await new Promise<void>((resolve) => {
		process.once('SIGINT', resolve);
		process.once('SIGTERM', resolve);
	});
	await stopAll();
	return 0;
}

void main().then((code) => {
	process.exitCode = code;
});

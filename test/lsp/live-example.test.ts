import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { cli } from '../../server/src/cli/main';
import { EXAMPLE_FLEET as ROOT, PROD, STAGING, startDemoClusters, type DemoClusters } from '../live/demo-clusters';
import type { Session } from './harness';

/**
 * The demo's setup: `examples/fleet` in the editor with its two simulated clusters (staging 1.35,
 * prod-us-east-1 1.27). The Problems panel must show exactly what `fleetscope check --context` finds.
 */

let demo: DemoClusters;
let dir: string;
let session: Session;

before(async () => {
	demo = await startDemoClusters('fleetscope-lsp-example-');
	({ dir, session } = demo);
});
after(async () => {
	await demo?.stop();
});

test('examples/fleet against the demo clusters: the editor shows the live findings the CLI finds, at the same places', { timeout: 60_000 }, async () => {
	let stdout = '';
	const env = { ...process.env, KUBECONFIG: join(dir, 'kubeconfig'), FLEETSCOPE_CACHE_DIR: join(dir, 'cli-cache') };
	await cli(['check', ROOT, '--format', 'json', '--context', STAGING, '--context', PROD], { cwd: process.cwd(), env, stdoutIsTty: false, stdout: (s) => (stdout += s), stderr: () => {} });
	const expected = (JSON.parse(stdout).findings as { file: string; line: number; column: number; ruleId: string; message: string }[])
		.filter((f) => f.ruleId.startsWith('live-'))
		.map((f) => `${f.file}:${f.line}:${f.column} ${f.ruleId} ${f.message}`)
		.sort();
	assert.equal(expected.length, 5, 'the five planted differences of production.yaml');
	// Both clusters connected and their states in: every file reaching them has been validated again.
	await session.clustersWhen((r) => ['staging-eu-west-1', 'prod-us-east-1'].every((n) => r.clusters.some((c) => c.cluster === n && c.status === 'connected')));
	const files = [...new Set(expected.map((e) => e.split(':')[0]))];
	const shown = async () => {
		const out: string[] = [];
		for (const [uri, list] of session.published) {
			const rel = decodeURIComponent(uri.slice(`file://${ROOT}/`.length));
			for (const d of list[list.length - 1].diagnostics) if (String(d.code).startsWith('live-')) out.push(`${rel}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code} ${d.message}`);
		}
		return out.sort();
	};
	for (const f of files) await session.diagnostics(`file://${ROOT}/${f}`, (p) => p.diagnostics.some((d) => String(d.code).startsWith('live-')));
	assert.deepEqual(await shown(), expected);
	const r = await session.clusters();
	assert.deepEqual(
		r.clusters.map((c) => `${c.cluster} ${c.status}`),
		// In the fleet model's order (environments in promotion order); only the two simulated clusters have a context.
		['dev-eu-west-1 no-context', 'sandbox-europe-west1 no-context', 'staging-eu-west-1 connected', 'dr-eu-central-1 no-context', 'prod-eu-west-1 no-context', 'prod-us-east-1 connected', 'perf-eu-west-1 no-context'],
	);
});

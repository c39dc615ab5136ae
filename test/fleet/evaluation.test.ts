import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nodeEngineDeps } from '../../server/src/host/engine-deps';
import type { Folder } from '../../server/src/workspace/folder';
import { openRepository } from '../../server/src/workspace/standalone';
import { defaultSettings } from '../../shared/settings';

// The host renders the clusters in the background, pausing between clusters (the language server
// waits there while the user types). What happens in those pauses must not leave stale findings.

const ROOT = 'examples/fleet';
const run = { settings: defaultSettings(), today: '2026-12-01' };

/** A pause the test releases by hand, counting how often the evaluation stopped there. */
function gate() {
	const waiting: (() => void)[] = [];
	let reached = 0;
	return {
		pause: () => {
			reached++;
			return new Promise<void>((resolve) => waiting.push(resolve));
		},
		get reached() {
			return reached;
		},
		releaseAll() {
			while (waiting.length) waiting.shift()!();
		},
	};
}

function service(): Promise<Folder> {
	return openRepository(ROOT, nodeEngineDeps());
}

describe('background rendering (Folder.render)', () => {
	it('pauses between every cluster, so other work runs while a big fleet renders', async () => {
		const folder = await service();
		const g = gate();
		const pending = folder.render(run, g.pause);
		await new Promise((r) => setImmediate(r));
		assert.equal(g.reached, 1, 'it stops after rendering the first cluster, before judging it');
		assert.equal(folder.snapshot.rendered, undefined, 'nothing is published half-way');
		// Release every pause as it comes.
		const timer = setInterval(() => g.releaseAll(), 1);
		const outcome = await pending;
		clearInterval(timer);
		assert.ok(outcome.ran);
		const clusters = folder.snapshot.fleet!.clusters.filter((c) => c.syncs.length > 0).length;
		assert.equal(outcome.clusters, clusters);
		assert.equal(g.reached, 2 * outcome.clusters, 'a pause after each render and after each evaluation');
		assert.ok(folder.snapshot.rendered, 'the findings of the renders are in the index');
	});

	it('an evaluation overtaken by a rediscovery stops and publishes nothing; the next one judges the new model', async () => {
		const folder = await service();
		const g = gate();
		const stale = folder.render(run, g.pause);
		await new Promise((r) => setImmediate(r));
		// A file changed while the first evaluation waited: the fleet is rediscovered (a new model).
		folder.rediscover(['clusters/prod-us-east-1/apps.yaml']);
		const fresh = await folder.render(run);
		assert.ok(fresh.ran);
		const view = folder.snapshot.rendered;
		assert.ok(view);
		g.releaseAll();
		const outcome = await stale;
		assert.equal(outcome.ran, false, 'the stale evaluation gives up at its next pause');
		assert.equal(folder.snapshot.rendered, view, 'and leaves the newer findings in place');
	});

	it('an evaluation overtaken by a newer one with other settings leaves the newer findings', async () => {
		const folder = await service();
		const g = gate();
		const older = folder.render(run, g.pause);
		await new Promise((r) => setImmediate(r));
		const restricted = { ...run, settings: { ...run.settings, 'podSecurity.level': 'restricted' as const } };
		const newer = await folder.render(restricted);
		assert.ok(newer.ran);
		const view = folder.snapshot.rendered;
		g.releaseAll();
		assert.equal((await older).ran, false);
		assert.equal(folder.snapshot.rendered, view);
		// The settings the index holds findings for are the newer ones: asking again with them does nothing.
		assert.equal((await folder.render(restricted)).ran, false);
	});

	it('switching rendering off while a render waits drops the renders, and the waiting one does not bring them back', async () => {
		const folder = await service();
		await folder.render(run);
		assert.ok(folder.snapshot.rendered);
		folder.rediscover(['clusters/prod-us-east-1/apps.yaml']);
		const g = gate();
		const pending = folder.render(run, g.pause);
		await new Promise((r) => setImmediate(r));
		await folder.render({ ...run, settings: { ...run.settings, 'fleet.render': false } });
		assert.equal(folder.snapshot.rendered, undefined);
		g.releaseAll();
		assert.equal((await pending).ran, false);
		assert.equal(folder.snapshot.rendered, undefined, 'every file stays judged as written');
	});
});

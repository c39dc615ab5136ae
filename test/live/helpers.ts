import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import type { ClusterConnection, StateChange } from '../../server/src/host/live/source';

/** A temporary directory removed after the test file. */
export function tempDir(prefix = 'fleetscope-live-'): string {
	const dir = mkdtempSync(join(tmpdir(), prefix));
	after(() => rmSync(dir, { recursive: true, force: true }));
	return dir;
}

/** Resolves with the first change of the connection (or its current one) that satisfies `pred`; rejects after `ms`. */
export function waitFor(c: Pick<ClusterConnection, 'onChange' | 'state' | 'status' | 'context'>, pred: (ch: StateChange) => boolean, ms = 10_000, what = 'the expected change'): Promise<StateChange> {
	const now: StateChange = { context: c.context, state: c.state, status: c.status };
	if (pred(now)) return Promise.resolve(now);
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			sub.dispose();
			reject(new Error(`timed out waiting for ${what}; last status: ${c.status.status}: ${c.status.message}`));
		}, ms);
		const sub = c.onChange((ch) => {
			if (!pred(ch)) return;
			clearTimeout(timer);
			sub.dispose();
			resolve(ch);
		});
	});
}

/** Secret names in a state's objects. */
export function names(ch: StateChange | { state?: StateChange['state'] }, key = '|Secret'): string[] {
	return (ch.state?.objects[key]?.items ?? []).map((i) => `${i.namespace ?? ''}/${i.name}`).sort();
}

/** Resolves once `pred()` holds, checking as things happen (every few ms); rejects after `ms`. For facts no event announces (requests the server saw). */
export async function until(pred: () => boolean, ms = 10_000, what = 'the condition'): Promise<void> {
	const end = Date.now() + ms;
	while (!pred()) {
		if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 10));
	}
}

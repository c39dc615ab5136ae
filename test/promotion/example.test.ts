import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { cli } from '../../server/src/cli/main';
import { EXAMPLE_FLEET } from '../cli/example-fleet';
import { gitFixture } from './git-fixture';

/**
 * The example fleet has an app that is behind (orders-api: production 2.14.0, staging 2.14.1):
 * promoting it passes every gate, and the plan changes exactly its two lines. Run on a copy with a
 * history of fixed dates, so the soak does not depend on when this repository was committed.
 */

function files(dir: string, rel = ''): Record<string, string> {
	const out: Record<string, string> = {};
	for (const name of readdirSync(join(dir, rel))) {
		const r = rel ? `${rel}/${name}` : name;
		if (statSync(join(dir, r)).isDirectory()) Object.assign(out, files(dir, r));
		else out[r] = readFileSync(join(dir, r), 'utf8');
	}
	return out;
}

describe('promotion in the example fleet', () => {
	it('orders-api to production: every gate passes, two lines change', async () => {
		const f = gitFixture(files(EXAMPLE_FLEET), { date: '2026-11-20T10:00:00Z' });
		let out = '';
		let err = '';
		const code = await cli(['promote', 'orders-api', '--to', 'production', '--dry-run', '--format', 'json'], { cwd: f.work, env: f.env, stdoutIsTty: false, stdout: (s) => (out += s), stderr: (s) => (err += s) }, () => new Date('2026-12-01T12:00:00Z'));
		assert.equal(code, 0, err);
		const json = JSON.parse(out);
		assert.equal(json.title, 'Promote orders-api 2.14.1 to production (from staging)');
		assert.deepEqual(json.edits.map((e: { file: string; line: number; before: string; after: string }) => `${e.file}:${e.line} ${e.before.slice(0, 13)} -> ${e.after.slice(0, 13)}`), [
			'apps/production/kustomization.yaml:12 2.14.0 -> 2.14.1',
			'apps/production/kustomization.yaml:13 sha256:0f63b9 -> sha256:2475ac',
		]);
		assert.deepEqual(json.gates.map((g: { name: string; passed: boolean }) => `${g.name} ${g.passed}`), ['order true', 'soak true', 'approvals true', 'compliance true', 'live true']);
		assert.match(json.body, /`prod-eu-west-1`, `prod-us-east-1`/);
	});
});

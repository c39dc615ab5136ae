import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureServerBuilt, Session, uriOf } from './harness';

/** A large workspace is scanned on two threads; every file gets the same diagnostics as in one. */
const FILES = 240;
let root: string;
let session: Session;
let log = '';
const rel = (i: number) => `apps/app-${String(i).padStart(3, '0')}.yaml`;
const isBad = (i: number) => i % 40 === 7; // in both halves of the file list
const good = (i: number) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: s${i}\nspec:\n  ports:\n    - port: 80\n`;

before(async () => {
	ensureServerBuilt();
	root = mkdtempSync(join(tmpdir(), 'fleetscope-par-'));
	mkdirSync(join(root, 'apps'));
	for (let i = 0; i < FILES; i++) writeFileSync(join(root, rel(i)), isBad(i) ? good(i).replace('port: 80', 'port: "80"') : good(i));
	session = await Session.start({ folders: [root] });
	log = await session.logged(/^Validated \d+ workspace files/);
});
after(async () => {
	await session?.stop();
	rmSync(root, { recursive: true, force: true });
});

test('a large scan is shared with a worker thread and every file is published once, with the right findings', { timeout: 60_000 }, async () => {
	assert.match(log, new RegExp(`^Validated ${FILES} workspace files in \\d+ ms \\((\\d+) of them on a second thread\\)\\.`));
	assert.equal(Number(/\((\d+) of them/.exec(log)![1]), FILES / 2);
	for (let i = 0; i < FILES; i++) {
		const p = await session.diagnostics(uriOf(join(root, rel(i))));
		assert.deepEqual(
			p.diagnostics.map((d) => `${d.range.start.line}:${d.range.start.character} ${String(d.code)}`),
			isBad(i) ? ['6:12 schema-type'] : [],
			rel(i),
		);
	}
	assert.deepEqual((await session.status()).scan, { running: false, validated: FILES, total: FILES });
});

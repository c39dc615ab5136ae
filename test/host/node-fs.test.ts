import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeFileSystem } from '../../server/src/host/node-fs';

function tree(files: Record<string, string>): string {
	const root = mkdtempSync(join(tmpdir(), 'fleetscope-node-fs-'));
	for (const [rel, text] of Object.entries(files)) {
		mkdirSync(join(root, rel, '..'), { recursive: true });
		writeFileSync(join(root, rel), text);
	}
	return root;
}

test('the listing holds every file as a posix path relative to the root, and skips version control and dependencies', async () => {
	const root = tree({
		'kustomization.yaml': 'resources: []\n',
		'apps/web/base/deployment.yaml': 'kind: Deployment\n',
		'apps/web/overlays/prod/kustomization.yaml': 'resources: [../../base]\n',
		'.git/config': '[core]\n',
		'node_modules/x/index.yaml': 'a: 1\n',
		'apps/node_modules/y.yaml': 'a: 1\n',
		'.github/workflows/ci.yaml': 'on: push\n',
	});
	try {
		const listed = (await nodeFileSystem(root).listFiles()).sort();
		assert.deepEqual(listed, ['.github/workflows/ci.yaml', 'apps/web/base/deployment.yaml', 'apps/web/overlays/prod/kustomization.yaml', 'kustomization.yaml']);
	} finally {
		rmSync(root, { recursive: true, force: true });
	}
});

test('a symbolic link is not followed, so a link cycle cannot hang the listing', async () => {
	const root = tree({ 'apps/a.yaml': 'a: 1\n' });
	try {
		symlinkSync(root, join(root, 'apps', 'loop'));
		symlinkSync(join(root, 'apps', 'a.yaml'), join(root, 'link.yaml'));
		assert.deepEqual(await nodeFileSystem(root).listFiles(), ['apps/a.yaml']);
	} finally {
		rmSync(root, { recursive: true, force: true });
	}
});

test('a missing root lists nothing', async () => {
	assert.deepEqual(await nodeFileSystem(join(tmpdir(), 'fleetscope-no-such-dir-', String(process.pid))).listFiles(), []);
});

test('a large tree lets other work run while it is listed', async () => {
	const files: Record<string, string> = {};
	for (let i = 0; i < 3000; i++) files[`d${i % 600}/e${i % 7}/f${i}.yaml`] = 'a: 1\n';
	const root = tree(files);
	try {
		let turns = 0;
		const tick = setInterval(() => turns++, 0);
		// Cold page cache aside, a listing this size takes well over the 8 ms slice on this machine.
		const listed = await nodeFileSystem(root).listFiles();
		clearInterval(tick);
		assert.equal(listed.length, 3000);
		assert.ok(turns > 0, 'the event loop got no turn during the listing');
	} finally {
		rmSync(root, { recursive: true, force: true });
	}
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { factsOf, RepoSnapshot, type FactsCache } from '../../server/src/engine/context/repo-snapshot';
import { nodeFactsCache } from '../../server/src/host/facts-cache';
import { nodeFileSystem } from '../../server/src/host/node-fs';
import { isYamlFile } from '../../server/src/engine/core/paths';

/** A cache directory and a stand-in for the program's bundle (its size and time name the build). */
function setup(): { cacheDir: string; program: string; env: NodeJS.ProcessEnv; done(): void } {
	const cacheDir = mkdtempSync(join(tmpdir(), 'fleetscope-facts-cache-'));
	const program = join(cacheDir, 'server-program.js');
	writeFileSync(program, '// build 1\n');
	return { cacheDir, program, env: { FLEETSCOPE_CACHE_DIR: join(cacheDir, 'cache') }, done: () => rmSync(cacheDir, { recursive: true, force: true }) };
}

/** Wraps a cache: counts its hits and checks each against the facts found afresh. */
function checked(cache: FactsCache | undefined): { cache: FactsCache; hits: () => number } {
	assert.ok(cache, 'no cache');
	let hits = 0;
	return {
		hits: () => hits,
		cache: {
			get(path, text) {
				const kept = cache.get(path, text);
				if (kept !== undefined) {
					hits++;
					const fresh = factsOf(path, text);
					assert.deepStrictEqual(Object.keys(kept).length === 0 ? {} : kept, Object.keys(fresh).length === 0 ? {} : fresh, `${path}: cached facts differ from the file's`);
				}
				return kept;
			},
			set: (path, text, facts) => cache.set(path, text, facts),
			done: (paths) => cache.done(paths),
		},
	};
}

const written = () => new Promise<void>((r) => setImmediate(r));

async function build(root: string, cache: FactsCache | undefined): Promise<RepoSnapshot> {
	const snapshot = await RepoSnapshot.build(nodeFileSystem(root), undefined, cache);
	await written();
	return snapshot;
}

const yamlCount = async (root: string) => (await nodeFileSystem(root).listFiles()).filter(isYamlFile).length;

test('a second start reads every file\'s facts from the cache, and they are the facts of the file', async () => {
	const s = setup();
	try {
		for (const root of [resolve('test/fixtures'), resolve('examples')]) {
			const first = checked(nodeFactsCache(root, s.env, s.program));
			const fresh = await build(root, first.cache);
			assert.equal(first.hits(), 0);
			const second = checked(nodeFactsCache(root, s.env, s.program));
			const cached = await build(root, second.cache);
			assert.equal(second.hits(), await yamlCount(root), `${root}: not every file came from the cache`);
			// What rules read of the repository as a whole is the same.
			assert.deepStrictEqual(cached.objects.all(), fresh.objects.all());
			assert.deepStrictEqual(cached.fleetExemptions(), fresh.fleetExemptions());
			for (const f of fresh.files()) {
				assert.equal(cached.isPatchFile(f), fresh.isPatchFile(f), f);
				assert.equal(cached.readsThroughKustomize(f), fresh.readsThroughKustomize(f), f);
			}
		}
	} finally {
		s.done();
	}
});

test('an edited file is read again, even with its size and times as before', async () => {
	const s = setup();
	const root = mkdtempSync(join(tmpdir(), 'fleetscope-facts-repo-'));
	try {
		const ns = (team: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    team: ${team}\n`;
		writeFileSync(join(root, 'ns.yaml'), ns('aaa'));
		writeFileSync(join(root, 'kustomization.yaml'), 'resources:\n  - ns.yaml\npatches:\n  - path: patch.yaml\n');
		const before = statSync(join(root, 'ns.yaml'));
		assert.equal((await build(root, nodeFactsCache(root, s.env, s.program))).namespaceLabels('shop')?.team, 'aaa');
		writeFileSync(join(root, 'ns.yaml'), ns('bbb'));
		utimesSync(join(root, 'ns.yaml'), before.atime, before.mtime);
		const second = checked(nodeFactsCache(root, s.env, s.program));
		const after = await build(root, second.cache);
		assert.equal(after.namespaceLabels('shop')?.team, 'bbb');
		// The kustomization did not change: its facts (the patch file it names) came from the cache.
		assert.equal(second.hits(), 1);
		assert.equal(after.isPatchFile('patch.yaml'), true);
	} finally {
		rmSync(root, { recursive: true, force: true });
		s.done();
	}
});

test('the cache is written only when something changed, and a deleted file leaves it', async () => {
	const s = setup();
	const root = mkdtempSync(join(tmpdir(), 'fleetscope-facts-repo-'));
	try {
		writeFileSync(join(root, 'a.yaml'), 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: a\n');
		writeFileSync(join(root, 'b.yaml'), 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: b\n');
		await build(root, nodeFactsCache(root, s.env, s.program));
		const files = () => readdirSync(join(s.env.FLEETSCOPE_CACHE_DIR!, 'facts'), { recursive: true }).map(String).filter((f) => f.endsWith('.bin'));
		assert.equal(files().length, 1);
		const file = join(s.env.FLEETSCOPE_CACHE_DIR!, 'facts', files()[0]);
		// Whole seconds: a time in milliseconds does not always come back exactly from the file system.
		const stamp = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
		utimesSync(file, stamp, stamp);
		await build(root, nodeFactsCache(root, s.env, s.program));
		assert.equal(Math.round(statSync(file).mtimeMs), stamp.getTime(), 'rewritten with nothing changed');
		rmSync(join(root, 'b.yaml'));
		await build(root, nodeFactsCache(root, s.env, s.program));
		assert.notEqual(Math.round(statSync(file).mtimeMs), stamp.getTime(), 'not rewritten after a file was deleted');
		const third = checked(nodeFactsCache(root, s.env, s.program));
		const snapshot = await build(root, third.cache);
		assert.equal(third.hits(), 1);
		assert.deepEqual(snapshot.objects.all().map((o) => o.name), ['a']);
	} finally {
		rmSync(root, { recursive: true, force: true });
		s.done();
	}
});

test('a new build reads none of the old one\'s facts and removes them', async () => {
	const s = setup();
	try {
		const root = resolve('examples');
		await build(root, nodeFactsCache(root, s.env, s.program));
		writeFileSync(s.program, '// build 2, longer\n');
		const next = checked(nodeFactsCache(root, s.env, s.program));
		await build(root, next.cache);
		assert.equal(next.hits(), 0);
		assert.equal(readdirSync(join(s.env.FLEETSCOPE_CACHE_DIR!, 'facts')).length, 1);
	} finally {
		s.done();
	}
});

test('a damaged cache file, or one others could have written, is not read; the facts are found again', async () => {
	const s = setup();
	try {
		const root = resolve('examples');
		await build(root, nodeFactsCache(root, s.env, s.program));
		const dir = join(s.env.FLEETSCOPE_CACHE_DIR!, 'facts');
		const file = join(dir, readdirSync(dir)[0], readdirSync(join(dir, readdirSync(dir)[0]))[0]);
		chmodSync(file, 0o644);
		const open = checked(nodeFactsCache(root, s.env, s.program));
		await build(root, open.cache);
		assert.equal(open.hits(), 0, 'a file others can write was read');
		writeFileSync(file, Buffer.from('not a serialised cache at all'), { mode: 0o600 });
		chmodSync(file, 0o600);
		const damaged = checked(nodeFactsCache(root, s.env, s.program));
		const snapshot = await build(root, damaged.cache);
		assert.equal(damaged.hits(), 0);
		assert.deepStrictEqual(snapshot.objects.all(), (await build(root, undefined)).objects.all());
	} finally {
		s.done();
	}
});

test('no cache when it is turned off, or when the program is not a bundle (its facts code has no build to name)', () => {
	const s = setup();
	try {
		assert.equal(nodeFactsCache('/repo', { ...s.env, FLEETSCOPE_FACTS_CACHE: 'off' }, s.program), undefined);
		assert.equal(nodeFactsCache('/repo', s.env, resolve('server/src/host/facts-cache.ts')), undefined);
		assert.equal(nodeFactsCache('/repo', s.env), undefined, 'run from the sources, the default program is not a bundle');
		assert.ok(nodeFactsCache('/repo', s.env, s.program));
	} finally {
		s.done();
	}
});

for (const [what, limits, left] of [
	['a number of folders', { folders: 3, bytes: 1e9 }, 3],
	['a number of bytes in all', { folders: 64, bytes: 1 }, 1],
] as const) {
	test(`only the folders written last keep their facts, within ${what}`, async () => {
		const s = setup();
		const roots: string[] = [];
		try {
			for (let i = 0; i < 5; i++) {
				const root = mkdtempSync(join(tmpdir(), 'fleetscope-facts-repo-'));
				roots.push(root);
				writeFileSync(join(root, 'sa.yaml'), `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: sa${i}\n`);
				await build(root, nodeFactsCache(root, s.env, s.program, limits));
			}
			const dir = join(s.env.FLEETSCOPE_CACHE_DIR!, 'facts');
			assert.equal(readdirSync(join(dir, readdirSync(dir)[0])).length, left);
			const last = checked(nodeFactsCache(roots.at(-1)!, s.env, s.program, limits));
			await build(roots.at(-1)!, last.cache);
			assert.equal(last.hits(), 1, 'the folder written last lost its facts');
			const firstRoot = checked(nodeFactsCache(roots[0], s.env, s.program, limits));
			await build(roots[0], firstRoot.cache);
			assert.equal(firstRoot.hits(), 0, 'the folder written first kept its facts');
		} finally {
			for (const r of roots) rmSync(r, { recursive: true, force: true });
			s.done();
		}
	});
}

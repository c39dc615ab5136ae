import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RenderCache, renderKustomization } from '../../server/src/engine/kustomize';
import { memFs } from './helpers';

/** The cache makes re-rendering after a one-file edit cheap: only that file is read and parsed again, only what includes it re-rendered. */

const cm = (name: string, v = '1') => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  v: "${v}"\n`;

function repo() {
	return memFs({
		'base/kustomization.yaml': 'resources: [a.yaml, b.yaml]\n',
		'base/a.yaml': cm('a'),
		'base/b.yaml': cm('b'),
		'dev/kustomization.yaml': 'resources: [../base]\nnamePrefix: dev-\n',
		'prod/kustomization.yaml': 'resources: [../base, extra.yaml]\nnamePrefix: prod-\n',
		'prod/extra.yaml': cm('extra'),
	});
}

const data = (r: ReturnType<typeof renderKustomization>) => r.objects.map((o) => `${(o.value.metadata as { name: string }).name}=${(o.value.data as { v: string }).v}`);

describe('RenderCache', () => {
	it('a second render with nothing changed reads nothing and returns the same result', () => {
		const fs = repo();
		const cache = new RenderCache();
		const first = renderKustomization('prod', fs, cache);
		assert.ok(fs.reads.length > 0);
		fs.reads.length = 0;
		assert.equal(renderKustomization('prod', fs, cache), first);
		assert.deepEqual(fs.reads, []);
	});

	it('after an edit to an overlay file, only that file is read again; the shared base is reused', () => {
		const fs = repo();
		const cache = new RenderCache();
		renderKustomization('dev', fs, cache);
		renderKustomization('prod', fs, cache);
		fs.files['prod/extra.yaml'] = cm('extra', '2');
		cache.invalidate('prod/extra.yaml');
		fs.reads.length = 0;
		const prod = renderKustomization('prod', fs, cache);
		assert.deepEqual(fs.reads, ['prod/extra.yaml']);
		assert.deepEqual(data(prod), ['prod-a=1', 'prod-b=1', 'prod-extra=2']);
		// dev does not include the file: its render is still cached.
		fs.reads.length = 0;
		renderKustomization('dev', fs, cache);
		assert.deepEqual(fs.reads, []);
	});

	it('after an edit to a base file, that file is read once and every overlay including it re-renders', () => {
		const fs = repo();
		const cache = new RenderCache();
		renderKustomization('dev', fs, cache);
		renderKustomization('prod', fs, cache);
		fs.files['base/a.yaml'] = cm('a', '9');
		cache.invalidate('base/a.yaml');
		fs.reads.length = 0;
		const dev = renderKustomization('dev', fs, cache);
		const prod = renderKustomization('prod', fs, cache);
		assert.deepEqual(fs.reads, ['base/a.yaml']);
		assert.deepEqual(data(dev), ['dev-a=9', 'dev-b=1']);
		assert.deepEqual(data(prod), ['prod-a=9', 'prod-b=1', 'prod-extra=1']);
	});

	it('an edit to an overlay kustomization re-reads only it; the cached base is not mutated by the overlay', () => {
		const fs = repo();
		const cache = new RenderCache();
		renderKustomization('prod', fs, cache);
		fs.files['prod/kustomization.yaml'] = 'resources: [../base, extra.yaml]\nnamePrefix: live-\n';
		cache.invalidate('prod/kustomization.yaml');
		fs.reads.length = 0;
		const prod = renderKustomization('prod', fs, cache);
		assert.deepEqual(fs.reads, ['prod/kustomization.yaml']);
		assert.deepEqual(data(prod), ['live-a=1', 'live-b=1', 'live-extra=1']);
		assert.deepEqual(data(renderKustomization('base', fs, cache)), ['a=1', 'b=1']);
	});

	it('a created file that was missing is picked up when reported as created', () => {
		const fs = repo();
		const cache = new RenderCache();
		fs.files['dev/kustomization.yaml'] = 'resources: [../base, new.yaml]\n';
		const before = renderKustomization('dev', fs, cache);
		assert.deepEqual(before.notes.map((n) => n.code), ['kustomize-missing-resource']);
		fs.files['dev/new.yaml'] = cm('new');
		cache.invalidate('dev/new.yaml', 'created');
		const after = renderKustomization('dev', fs, cache);
		assert.deepEqual(after.notes, []);
		assert.deepEqual(data(after), ['a=1', 'b=1', 'new=1']);
	});

	it('the files of a result are every file read or probed', () => {
		const r = renderKustomization('dev', repo());
		assert.deepEqual(r.files, [
			'base/Kustomization', 'base/a.yaml', 'base/b.yaml', 'base/kustomization.yaml', 'base/kustomization.yml',
			'dev/Kustomization', 'dev/kustomization.yaml', 'dev/kustomization.yml',
		]);
	});
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderKustomization } from '../../server/src/engine/kustomize';
import { dirFs, parseStream } from './helpers';

/**
 * The renderer against kubectl kustomize: every case of test/fixtures/kustomize/cases.json is
 * rendered and compared with the `kubectl kustomize` output committed next to it (made by
 * scripts/gen-kustomize-expected.mjs): the same objects, deeply equal, in the same order.
 */

const ROOT = 'test/fixtures/kustomize';
const cases: { entry: string; about: string }[] = JSON.parse(readFileSync(join(ROOT, 'cases.json'), 'utf8'));
const fs = dirFs(ROOT);

describe('kustomize renderer matches kubectl kustomize (kustomize v5.5.0)', () => {
	for (const c of cases) {
		it(`${c.entry}: ${c.about}`, () => {
			const expected = parseStream(readFileSync(join(ROOT, c.entry, 'expected.yaml'), 'utf8'));
			const result = renderKustomization(c.entry, fs);
			assert.deepEqual(
				result.notes.filter((n) => n.severity !== 'info'),
				[],
				'a case kubectl builds renders without warnings or errors',
			);
			const ids = (objs: unknown[]) => objs.map((o) => { const v = o as { kind: string; metadata: { name: string; namespace?: string } }; return `${v.kind}/${v.metadata.namespace ?? ''}/${v.metadata.name}`; });
			const actual = result.objects.map((o) => o.value);
			assert.deepEqual(ids(actual), ids(expected), 'the same objects in the same order');
			assert.deepEqual(actual, expected);
		});
	}
});

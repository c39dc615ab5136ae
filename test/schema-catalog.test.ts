import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { renderCatalogDocs } from '../scripts/gen-schema-index';

const ROOT = join(__dirname, '..');
const catalog = JSON.parse(readFileSync(join(ROOT, 'schemas/catalog.json'), 'utf8')) as Record<string, { source: string; licence: string; licenceFile?: string; upstream: string; kinds: string[] }>;

describe('the schema catalog', () => {
	it('names the source, licence and upstream version of every vendored group, and ships its licence text', () => {
		for (const [group, c] of Object.entries(catalog)) {
			assert.notEqual(c.source, 'unknown', `${group}: no PROVENANCE`);
			assert.match(c.licence, /^(MIT|Apache-2\.0)$/, group);
			assert.ok(c.upstream.length > 0, group);
			if (c.licenceFile) assert.ok(existsSync(join(ROOT, 'schemas/crds', c.licenceFile)), `${group}: ${c.licenceFile} missing`);
		}
		for (const group of ['gateway.networking.k8s.io', 'policies.kyverno.io', 'networking.istio.io', 'cilium.io', 'keda.sh', 'karpenter.sh', 'flagger.app', 'argoproj.io', 'cert-manager.io', 'external-secrets.io']) {
			assert.ok(catalog[group], `${group} is in the catalog`);
		}
		const kyverno = new Set(catalog['policies.kyverno.io'].kinds.map((k) => k.split(' ')[1]));
		for (const kind of ['ValidatingPolicy', 'ImageValidatingPolicy', 'MutatingPolicy', 'GeneratingPolicy', 'DeletingPolicy', 'PolicyException']) assert.ok(kyverno.has(kind), kind);
	});

	it('docs/schemas.md lists the catalog as it is (npm run build regenerates the table)', () => {
		const docs = readFileSync(join(ROOT, 'docs/schemas.md'), 'utf8');
		assert.equal(docs, renderCatalogDocs(docs, catalog));
	});

	it('the per-version table covers a window of at least 8 minor versions', () => {
		const versions = JSON.parse(readFileSync(join(ROOT, 'schemas/kubernetes/versions.json'), 'utf8'));
		assert.ok(versions.window.newest - versions.window.oldest + 1 >= 8);
		assert.equal(versions.introduced.IoK8sApiCoreV1Container.restartPolicy, 28);
	});
});

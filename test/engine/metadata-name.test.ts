import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../../server/src/engine/analysis/engine';
import { metadataNameCheck } from '../../server/src/engine/rules/checks/metadata-name';
import { defaultSettings } from '../../shared/settings';
import { NO_SCHEMAS, brief } from './helpers';

const engine = new Engine(NO_SCHEMAS, defaultSettings(), [metadataNameCheck]);
const run = (text: string, patch = false) =>
	engine.analyze({ path: 'x.yaml', text }, { isPatchFile: () => patch, exists: () => true }).findings;

test('an object without metadata.name is reported on metadata, in plain words', () => {
	const f = run('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels: {a: b}\ndata: {}\n');
	assert.deepEqual(f.map(brief), ['2:0-2:8 schema-required']);
	assert.equal(f[0].message, 'metadata.name is missing: every ConfigMap needs a name (or metadata.generateName), or the API server rejects it. Add name: under metadata.');
	const g = run('apiVersion: apps/v1\nkind: Deployment\nspec: {}\n');
	assert.deepEqual(g.map(brief), ['0:0-0:10 schema-required']);
	assert.match(g[0].message, /^metadata is missing/);
});

test('named objects, generateName, patch files, kustomize config and lists are fine', () => {
	assert.deepEqual(run('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n'), []);
	assert.deepEqual(run('apiVersion: batch/v1\nkind: Job\nmetadata:\n  generateName: migrate-\n'), []);
	assert.deepEqual(run('apiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: 3\n', true), []);
	assert.deepEqual(run('apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [a.yaml]\n'), []);
	assert.deepEqual(run('apiVersion: v1\nkind: List\nitems: []\n'), []);
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { renderKustomization, type RenderNote } from '../../server/src/engine/kustomize';
import { memFs } from './helpers';

/** Unsupported fields and broken input are notes on the exact field, never exceptions; what can be rendered still is. */

const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  a: "1"\n`;
const brief = (n: RenderNote) => `${n.severity} ${n.code} ${n.file}#${n.documentIndex} ${JSON.stringify(n.path)}`;
const names = (r: ReturnType<typeof renderKustomization>) => r.objects.map((o) => (o.value.metadata as { name: string }).name);

describe('kustomize notes: unsupported features', () => {
	it('names each unsupported field once, with its JSON path, and renders the rest', () => {
		const fs = memFs({
			'k/kustomization.yaml': `resources:
- cm.yaml
- https://github.com/acme/shared//base?ref=v1.2.0
helmCharts:
- name: podinfo
  repo: https://stefanprodan.github.io/podinfo
replacements:
- source: {kind: ConfigMap, name: a}
  targets: []
vars:
- name: X
  objRef: {kind: ConfigMap, name: a, apiVersion: v1}
transformers:
- transformer.yaml
openapi:
  path: schema.json
buildMetadata: [originAnnotations]
`,
			'k/cm.yaml': cm('a'),
		});
		const r = renderKustomization('k', fs);
		assert.deepEqual(names(r), ['a']);
		assert.deepEqual(r.notes.map(brief), [
			'warning kustomize-unsupported k/kustomization.yaml#0 ["helmCharts"]',
			'warning kustomize-unsupported k/kustomization.yaml#0 ["replacements"]',
			'warning kustomize-unsupported k/kustomization.yaml#0 ["vars"]',
			'warning kustomize-unsupported k/kustomization.yaml#0 ["openapi"]',
			'warning kustomize-unsupported k/kustomization.yaml#0 ["transformers"]',
			'info kustomize-unsupported k/kustomization.yaml#0 ["buildMetadata"]',
			'warning kustomize-remote-resource k/kustomization.yaml#0 ["resources",1]',
		]);
		assert.match(r.notes[0].message, /does not apply Helm chart inflation \('helmCharts'\)/);
		assert.match(r.notes[6].message, /remote base.*left out/);
	});

	it('an unsupported field in a base is reported on the base, once even when two overlays include it', () => {
		const fs = memFs({
			'base/kustomization.yaml': 'resources: [cm.yaml]\nvars: []\nreplacements:\n- {}\n',
			'base/cm.yaml': cm('a'),
			'a/kustomization.yaml': 'resources: [../base]\nnamePrefix: a-\n',
			'b/kustomization.yaml': 'resources: [../base]\nnamePrefix: b-\n',
			'top/kustomization.yaml': 'resources: [../a, ../b]\n',
		});
		const r = renderKustomization('top', fs);
		assert.deepEqual(names(r), ['a-a', 'b-a']);
		assert.deepEqual(r.notes.map(brief), ['warning kustomize-unsupported base/kustomization.yaml#0 ["replacements"]']);
	});
});

describe('kustomize notes: errors', () => {
	it('a missing resource path is an error on its entry; the other resources are rendered', () => {
		const r = renderKustomization('k', memFs({ 'k/kustomization.yaml': 'resources:\n- a.yaml\n- missing.yaml\n- ../nowhere\n', 'k/a.yaml': cm('a') }));
		assert.deepEqual(names(r), ['a']);
		assert.deepEqual(r.notes.map(brief), [
			'error kustomize-missing-resource k/kustomization.yaml#0 ["resources",1]',
			'error kustomize-missing-resource k/kustomization.yaml#0 ["resources",2]',
		]);
		assert.equal(r.notes[0].message, "'missing.yaml' does not exist (no file or directory 'k/missing.yaml'), so its objects are missing from the render.");
	});

	it('a directory without a kustomization, a path outside the repository, a missing component', () => {
		const r = renderKustomization('k', memFs({ 'k/kustomization.yaml': 'resources:\n- ../plain\n- ../../../etc\ncomponents:\n- ../nocomp\n', 'plain/a.yaml': cm('a') }));
		assert.deepEqual(r.notes.map(brief), [
			'error kustomize-missing-kustomization k/kustomization.yaml#0 ["resources",0]',
			'error kustomize-outside-repository k/kustomization.yaml#0 ["resources",1]',
			'error kustomize-missing-resource k/kustomization.yaml#0 ["components",0]',
		]);
	});

	it('a cycle is reported on the entry that closes it, and rendering stops there', () => {
		const fs = memFs({
			'a/kustomization.yaml': 'resources:\n- cm.yaml\n- ../b\n',
			'a/cm.yaml': cm('from-a'),
			'b/kustomization.yaml': 'resources:\n- ../a\n- cm.yaml\n',
			'b/cm.yaml': cm('from-b'),
		});
		const r = renderKustomization('a', fs);
		assert.deepEqual(names(r), ['from-a', 'from-b']);
		assert.deepEqual(r.notes.map(brief), ['error kustomize-cycle b/kustomization.yaml#0 ["resources",0]']);
		assert.equal(r.notes[0].message, "'a' includes itself (a → b → a); the cycle is not followed.");
	});

	it('a self-including kustomization is a cycle note, not a stack overflow', () => {
		const r = renderKustomization('k', memFs({ 'k/kustomization.yaml': 'resources:\n- ./\n- ../k\n- cm.yaml\n', 'k/cm.yaml': cm('a') }));
		assert.deepEqual(names(r), ['a']);
		assert.deepEqual(r.notes.map(brief), ['error kustomize-cycle k/kustomization.yaml#0 ["resources",0]', 'error kustomize-cycle k/kustomization.yaml#0 ["resources",1]']);
	});

	it('malformed YAML in a base: a note on that document; the base\'s other objects and the overlay are rendered', () => {
		const fs = memFs({
			'base/kustomization.yaml': 'resources:\n- good.yaml\n- bad.yaml\n',
			'base/good.yaml': cm('good'),
			'base/bad.yaml': `${cm('also-good')}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [unclosed\n`,
			'overlay/kustomization.yaml': 'resources:\n- ../base\n- cm.yaml\n',
			'overlay/cm.yaml': cm('overlay'),
		});
		const r = renderKustomization('overlay', fs);
		assert.deepEqual(names(r), ['also-good', 'good', 'overlay']);
		assert.deepEqual(r.notes.map(brief), ['error kustomize-malformed-yaml base/bad.yaml#1 []']);
		assert.match(r.notes[0].message, /^This document is not valid YAML \(.+\); it is left out of the render\.$/);
	});

	it('a patch that targets nothing: an error without a target (kustomize fails), a warning with a selector that matches nothing', () => {
		const fs = memFs({
			'k/kustomization.yaml': `resources: [cm.yaml]
patches:
- patch: |-
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: nope
    data: {b: "2"}
- target: {kind: Secret}
  patch: |-
    - op: add
      path: /data/x
      value: "1"
- path: missing-patch.yaml
`,
			'k/cm.yaml': cm('a'),
		});
		const r = renderKustomization('k', fs);
		assert.deepEqual(names(r), ['a']);
		assert.deepEqual(r.notes.map(brief), [
			'error kustomize-patch-no-target k/kustomization.yaml#0 ["patches",0,"patch"]',
			'warning kustomize-patch-no-target k/kustomization.yaml#0 ["patches",1]',
			'error kustomize-missing-patch k/kustomization.yaml#0 ["patches",2,"path"]',
		]);
		assert.equal(r.notes[0].message, "The inline patch targets v1/ConfigMap/nope, which is not among the objects of this kustomization; it is not applied (kustomize refuses the build).");
	});

	it('a JSON patch that fails leaves the object unpatched (no half-applied patch) and says which operation failed', () => {
		const fs = memFs({
			'k/kustomization.yaml': `resources: [cm.yaml]
patches:
- target: {kind: ConfigMap}
  patch: |-
    - op: add
      path: /data/b
      value: "2"
    - op: replace
      path: /data/missing
      value: "3"
`,
			'k/cm.yaml': cm('a'),
		});
		const r = renderKustomization('k', fs);
		assert.deepEqual(r.objects[0].value.data, { a: '1' });
		assert.deepEqual(r.notes.map(brief), ['error kustomize-patch k/kustomization.yaml#0 ["patches",0,"patch"]']);
		assert.match(r.notes[0].message, /Operation 1 \(replace \/data\/missing\): the field does not exist in the target; use 'add'\./);
	});

	it('a replicas entry for no object, a generator reading a missing file, a merge without a target', () => {
		const fs = memFs({
			'k/kustomization.yaml': `resources: [cm.yaml]
replicas:
- name: ghost
  count: 2
configMapGenerator:
- name: from-file
  files: [nope.properties]
- name: a
  behavior: merge
  literals: [x=1]
- name: b
  behavior: merge
  literals: [x=1]
`,
			'k/cm.yaml': cm('a'),
		});
		const r = renderKustomization('k', fs);
		assert.deepEqual(r.notes.map(brief), [
			'error kustomize-generator k/kustomization.yaml#0 ["configMapGenerator",0,"files",0]',
			'error kustomize-generator k/kustomization.yaml#0 ["configMapGenerator",2]',
			'error kustomize-replicas-no-target k/kustomization.yaml#0 ["replicas",0]',
		]);
		assert.deepEqual(r.objects[0].value.data, { a: '1', x: '1' }, 'the valid merge is applied');
	});

	it('a duplicate object is an error; the second copy is left out', () => {
		const r = renderKustomization('k', memFs({ 'k/kustomization.yaml': 'resources: [a.yaml, b.yaml]\n', 'k/a.yaml': cm('same'), 'k/b.yaml': cm('same') }));
		assert.equal(r.objects.length, 1);
		assert.deepEqual(r.notes.map(brief), ['error kustomize-duplicate-id k/kustomization.yaml#0 ["resources",1]']);
	});

	it('a Component under resources, a Kustomization under components', () => {
		const fs = memFs({
			'k/kustomization.yaml': 'resources: [../comp]\ncomponents: [../base]\n',
			'comp/kustomization.yaml': 'kind: Component\n',
			'base/kustomization.yaml': 'resources: []\n',
		});
		assert.deepEqual(renderKustomization('k', fs).notes.map(brief), [
			'error kustomize-component-as-resource k/kustomization.yaml#0 ["resources",0]',
			'error kustomize-not-a-component k/kustomization.yaml#0 ["components",0]',
		]);
	});
});

describe('kustomize notes: bad input never throws', () => {
	it('a kustomization that is a list', () => {
		const r = renderKustomization('k', memFs({ 'k/kustomization.yaml': '- resources\n- a.yaml\n' }));
		assert.deepEqual(r.objects, []);
		assert.deepEqual(r.notes.map(brief), ['error kustomize-invalid-kustomization k/kustomization.yaml#0 []']);
		assert.equal(r.notes[0].message, 'A kustomization must be a map of fields; this one is a list, so nothing in it is applied.');
	});

	it('fields of the wrong type: a resources entry that is a number, a string where a list belongs, a number label', () => {
		const fs = memFs({
			'k/kustomization.yaml': 'resources:\n- 42\n- cm.yaml\nnamespace: [a]\ncommonLabels:\n  version: 1\nimages:\n- name: nginx\n  newTag: 1.20\npatches: oops\n',
			'k/cm.yaml': cm('a'),
		});
		const r = renderKustomization('k', fs);
		assert.deepEqual(names(r), ['a']);
		assert.deepEqual(r.notes.map(brief), [
			'error kustomize-invalid-field k/kustomization.yaml#0 ["resources",0]',
			'error kustomize-invalid-field k/kustomization.yaml#0 ["namespace"]',
			'error kustomize-invalid-field k/kustomization.yaml#0 ["commonLabels","version"]',
			'error kustomize-invalid-field k/kustomization.yaml#0 ["images",0,"newTag"]',
			'error kustomize-invalid-field k/kustomization.yaml#0 ["patches"]',
		]);
		assert.equal(r.notes[2].message, `'commonLabels.version' must be a string (quote it: "1"); kustomize rejects this kustomization, so the field is ignored here.`);
		assert.match(r.notes[3].message, /1\.20 would become 1\.2/);
	});

	it('malformed YAML in the kustomization itself, an empty kustomization, no kustomization', () => {
		const bad = renderKustomization('k', memFs({ 'k/kustomization.yaml': 'resources: [a.yaml\n' }));
		assert.deepEqual(bad.notes.map((n) => n.code), ['kustomize-malformed-yaml']);
		const empty = renderKustomization('k', memFs({ 'k/kustomization.yaml': '' }));
		assert.deepEqual(empty, { objects: [], notes: [], files: ['k/Kustomization', 'k/kustomization.yaml', 'k/kustomization.yml'] });
		const none = renderKustomization('nowhere', memFs({}));
		assert.deepEqual(none.notes.map(brief), ['error kustomize-missing-kustomization nowhere#0 []']);
	});

	it('two kustomization files in one directory', () => {
		const r = renderKustomization('k', memFs({ 'k/kustomization.yaml': 'resources: []\n', 'k/kustomization.yml': 'resources: []\n' }));
		assert.deepEqual(r.notes.map((n) => n.code), ['kustomize-multiple-kustomizations']);
	});

	it('documents that are not objects, and objects without apiVersion or kind', () => {
		const r = renderKustomization('k', memFs({ 'k/kustomization.yaml': 'resources: [x.yaml]\n', 'k/x.yaml': `- a\n- b\n---\njust a string\n---\nmetadata: {name: x}\n---\n${cm('ok')}` }));
		assert.deepEqual(names(r), ['ok']);
		assert.deepEqual(r.notes.map(brief), [
			'error kustomize-not-an-object k/x.yaml#0 []',
			'error kustomize-not-an-object k/x.yaml#1 []',
			'error kustomize-not-an-object k/x.yaml#2 []',
		]);
	});

	it('10,000 resources render, in a few seconds at most', () => {
		const files: Record<string, string> = { 'k/kustomization.yaml': 'namePrefix: p-\nresources:\n' + Array.from({ length: 10000 }, (_, i) => `- cm-${i}.yaml\n`).join('') };
		for (let i = 0; i < 10000; i++) files[`k/cm-${i}.yaml`] = cm(`cm-${i}`);
		const t = Date.now();
		const r = renderKustomization('k', memFs(files));
		assert.equal(r.objects.length, 10000);
		assert.deepEqual(r.notes, []);
		assert.equal((r.objects[0].value.metadata as { name: string }).name, 'p-cm-0');
		assert.ok(Date.now() - t < 20000, `took ${Date.now() - t} ms`);
	});

	it('a file system that throws is treated as missing files', () => {
		const fs = { readFile: () => { throw new Error('EIO'); }, isDirectory: () => { throw new Error('EIO'); }, listDirectory: () => { throw new Error('EIO'); } };
		const r = renderKustomization('k', fs);
		assert.deepEqual(r.notes.map((n) => n.code), ['kustomize-missing-kustomization']);
	});

	it('hostile YAML: deep nesting and alias bombs are notes', () => {
		const deep = '['.repeat(5000) + ']'.repeat(5000);
		const bomb = 'a: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c]\n';
		const r = renderKustomization('k', memFs({ 'k/kustomization.yaml': 'resources: [deep.yaml, bomb.yaml]\n', 'k/deep.yaml': deep, 'k/bomb.yaml': bomb }));
		assert.deepEqual(r.objects, []);
		assert.ok(r.notes.length === 2 && r.notes.every((n) => n.severity === 'error'), JSON.stringify(r.notes.map(brief)));
	});
});

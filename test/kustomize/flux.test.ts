import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RenderCache, renderFluxPath, renderKustomization, substituteVariables, type RenderNote } from '../../server/src/engine/kustomize';
import { envsubst, SubstitutionError } from '../../server/src/engine/kustomize/envsubst';
import { memFs } from './helpers';

const cm = (name: string, extra = '') => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${extra}`;
const brief = (n: RenderNote) => `${n.severity} ${n.code} ${n.file}#${n.documentIndex}`;
const names = (r: { objects: { value: Record<string, unknown> }[] }) => r.objects.map((o) => `${o.value.kind}/${(o.value.metadata as { name: string }).name}`);

describe('Flux: a path without a kustomization file', () => {
	const fs = () =>
		memFs({
			'clusters/prod/apps.yaml': cm('apps'),
			'clusters/prod/README.md': '# not yaml\n',
			'clusters/prod/values.yml': 'replicas: 3\nimage: nginx\n',
			'clusters/prod/infra/controllers.yaml': cm('controllers') + '---\n' + cm('controllers-2'),
			'clusters/prod/infra/nested/deeper.yaml': cm('deeper'),
			'clusters/prod/monitoring/kustomization.yaml': 'resources: [stack.yaml]\nnamePrefix: mon-\n',
			'clusters/prod/monitoring/stack.yaml': cm('stack'),
			'clusters/prod/monitoring/ignored-by-its-kustomization.yaml': cm('not-listed'),
			'clusters/prod/.github/workflows/ci.yaml': 'on: push\njobs: {}\n',
			'clusters/prod/.sops.yaml': 'creation_rules: []\n',
			'clusters/prod/empty.yaml': '# only a comment\n',
		});

	it('renders every manifest below it, walked in lexical order; a directory with a kustomization is built, not descended into', () => {
		const r = renderFluxPath('clusters/prod', fs());
		// Objects come out in kustomize's legacy order (all ConfigMaps, then by name).
		assert.deepEqual(names(r), ['ConfigMap/apps', 'ConfigMap/controllers', 'ConfigMap/controllers-2', 'ConfigMap/deeper', 'ConfigMap/mon-stack']);
		assert.deepEqual(r.objects.find((o) => (o.value.metadata as { name: string }).name === 'deeper')!.source, { file: 'clusters/prod/infra/nested/deeper.yaml', documentIndex: 0, path: [] });
	});

	it('a YAML file that is not a Kubernetes manifest fails the Flux build: a note on it, the rest renders', () => {
		const r = renderFluxPath('clusters/prod', fs());
		assert.deepEqual(r.notes.map(brief), ['error flux-not-a-manifest clusters/prod/values.yml#0']);
		assert.match(r.notes[0].message, /Flux fails the whole Kustomization on this file/);
	});

	it('a path with a kustomization file renders as kustomize does', () => {
		const f = fs();
		assert.deepEqual(renderFluxPath('clusters/prod/monitoring', f).objects.map((o) => o.value), renderKustomization('clusters/prod/monitoring', f).objects.map((o) => o.value));
	});

	it('a path that does not exist is a note', () => {
		const r = renderFluxPath('clusters/nowhere', fs());
		assert.deepEqual(r.objects, []);
		assert.deepEqual(r.notes.map((n) => n.code), ['flux-path-not-found']);
	});

	it('only the built path gets a generated kustomization: a base without one is still an error', () => {
		const r = renderFluxPath('app', memFs({ 'app/kustomization.yaml': 'resources: [../plain]\n', 'plain/a.yaml': cm('a') }));
		assert.deepEqual(r.notes.map((n) => n.code), ['kustomize-missing-kustomization']);
	});
});

describe('Flux post-build substitution', () => {
	const render = (doc: string) => renderKustomization('k', memFs({ 'k/kustomization.yaml': 'resources: [r.yaml]\n', 'k/r.yaml': doc }));
	const doc = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-\${cluster_name}
  labels:
    region: \${region:=eu-west-1}
    tier: \${tier:-standard}
spec:
  replicas: \${replicas}
  paused: \${paused:=false}
  template:
    metadata:
      annotations:
        quoted: "\${replicas}"
        literal: $\${not_substituted}
        shell: echo $HOME and \${cluster_name}
        price: costs $$5
    spec:
      containers:
      - name: app
        image: registry.example.com/app:\${version:=1.0.0}
        args: ["--cluster=\${cluster_name}", "--missing=\${missing}"]
`;

	it('substitutes ${var} and the defaults as Flux does, keeps origins, and retypes unquoted numbers and booleans', () => {
		const before = render(doc);
		const after = substituteVariables(before, { cluster_name: 'prod-eu', replicas: '3', tier: '' });
		const v = after.objects[0].value as any;
		assert.equal(v.metadata.name, 'app-prod-eu');
		assert.deepEqual(v.metadata.labels, { region: 'eu-west-1', tier: 'standard' });
		assert.equal(v.spec.replicas, 3);
		assert.equal(v.spec.paused, false);
		assert.deepEqual(v.spec.template.metadata.annotations, {
			quoted: '3',
			literal: '${not_substituted}',
			shell: 'echo $HOME and prod-eu',
			price: 'costs $5',
		});
		assert.equal(v.spec.template.spec.containers[0].image, 'registry.example.com/app:1.0.0');
		assert.deepEqual(v.spec.template.spec.containers[0].args, ['--cluster=prod-eu', '--missing=']);
		assert.deepEqual(after.objects[0].originOf(['spec', 'replicas']), { file: 'k/r.yaml', documentIndex: 0, path: ['spec', 'replicas'] });
		assert.deepEqual(after.notes, []);
		// The input is not changed.
		assert.equal((before.objects[0].value as any).spec.replicas, '${replicas}');
	});

	it('strict mode: a variable without a value and without a default is an error note', () => {
		const after = substituteVariables(render(doc), { cluster_name: 'x', replicas: '1' }, { strict: true });
		assert.deepEqual(after.notes.map((n) => [n.code, n.file]), [['flux-substitute-missing', 'k/r.yaml']]);
		assert.match(after.notes[0].message, /'missing' has no value and no default/);
	});

	it("objects labelled or annotated kustomize.toolkit.fluxcd.io/substitute: disabled are left as they are", () => {
		for (const where of ['labels', 'annotations']) {
			const r = render(cm('x', `  ${where}:\n    kustomize.toolkit.fluxcd.io/substitute: disabled\ndata:\n  script: echo \${HOME}\n`));
			assert.deepEqual(substituteVariables(r, { HOME: '/root' }).objects[0].value.data, { script: 'echo ${HOME}' });
		}
	});

	it('no variables: nothing is substituted, not even $$', () => {
		const r = render(cm('x', 'data:\n  a: pa$$word\n'));
		assert.equal(substituteVariables(r, {}), r);
	});

	it('invalid variable names and malformed expressions are notes; the object keeps its values', () => {
		const r = render(cm('x', 'data:\n  a: ${broken\n'));
		assert.deepEqual(substituteVariables(r, { 'bad-name': 'x' }).notes.map((n) => n.code), ['flux-substitute-invalid-name']);
		const s = substituteVariables(r, { ok: 'x' });
		assert.deepEqual(s.notes.map((n) => [n.code, n.file]), [['flux-substitute', 'k/r.yaml']]);
		assert.equal(s.objects[0].value.data && (s.objects[0].value.data as any).a, '${broken');
	});

	it('variable values lose their newlines, as in Flux', () => {
		const r = substituteVariables(render(cm('x', 'data:\n  a: "${v}"\n')), { v: 'line1\nline2' });
		assert.equal((r.objects[0].value.data as any).a, 'line1line2');
	});
});

describe('envsubst (fluxcd/pkg/envsubst semantics)', () => {
	const vars: Record<string, string> = { A: 'alpha', EMPTY: '', PATH: '/usr/local/bin', NAME: 'Fleetscope', V: 'v1.2.3' };
	const sub = (s: string) => envsubst(s, (n) => vars[n]);
	for (const [input, out] of [
		['${A}', 'alpha'],
		['x${A}y${A}', 'xalphayalpha'],
		['$A ${A}', '$A alpha'],
		['${MISSING}', ''],
		['${MISSING:-def}', 'def'],
		['${MISSING:=def}', 'def'],
		['${MISSING-def}', 'def'],
		['${EMPTY:-def}', 'def'],
		['${EMPTY-def}', 'def'],
		['${A:-def}', 'alpha'],
		['${MISSING:-${A}}', 'alpha'],
		['$${A}', '${A}'],
		['$$', '$'],
		['${#A}', '5'],
		['${A^}', 'Alpha'],
		['${A^^}', 'ALPHA'],
		['${NAME,}', 'fleetscope'],
		['${NAME,,}', 'fleetscope'],
		['${A:1}', 'lpha'],
		['${A:1:2}', 'lp'],
		['${V#*.}', '2.3'],
		['${V##*.}', '3'],
		['${V%.*}', 'v1.2'],
		['${V%%.*}', 'v1'],
		// Patterns are Go's path.Match globs, where '*' never matches '/' (unlike bash).
		['${PATH##*/}', 'usr/local/bin'],
		['${A/a/A}', 'Alpha'],
		['${A//a/A}', 'AlphA'],
		['${A/#al/AL}', 'ALpha'],
		['${A/%ha/HA}', 'alpHA'],
	] as const) {
		it(`${input} → ${JSON.stringify(out)}`, () => assert.equal(sub(input), out));
	}
	it('malformed expressions throw SubstitutionError (a note for the caller)', () => {
		for (const bad of ['${A', '${}', '${-x}', '${A!}']) assert.throws(() => sub(bad), SubstitutionError, bad);
	});
	it('records variables without value and without default', () => {
		const missing = new Set<string>();
		envsubst('${X} ${Y:-d} ${A}', (n) => vars[n], missing);
		assert.deepEqual([...missing], ['X']);
	});
});

describe("Flux: the Flux Kustomization's own fields", () => {
	const repo = () =>
		memFs({
			'apps/podinfo/kustomization.yaml': 'resources: [deploy.yaml]\nnamespace: from-kustomization\nimages:\n- name: nginx\n  newTag: "1.0"\n',
			'apps/podinfo/deploy.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
      - name: web
        image: nginx:0.9
      - name: sidecar
        image: envoy:1.0
`,
			'apps/components/extra/kustomization.yaml': 'kind: Component\nresources: [cm.yaml]\n',
			'apps/components/extra/cm.yaml': cm('extra'),
		});
	const spec = {
		path: './apps/podinfo',
		targetNamespace: 'podinfo',
		namePrefix: 'eu-',
		images: [{ name: 'nginx', newTag: '1.27' }, { name: 'envoy', newName: 'mirror/envoy' }],
		components: ['../components/extra'],
		patches: [{ target: { kind: 'Deployment' }, patch: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: any\nspec:\n  replicas: 2\n' }],
		commonMetadata: { labels: { 'toolkit.fluxcd.io/tenant': 'web' }, annotations: { owner: 'web-team' } },
	};

	it('targetNamespace, namePrefix, images, components and patches change the build; commonMetadata is set after it', () => {
		const r = renderFluxPath('apps/podinfo', repo(), undefined, { spec, file: 'clusters/eu/apps.yaml', documentIndex: 2 });
		assert.deepEqual(r.notes, []);
		assert.deepEqual(names(r), ['ConfigMap/eu-extra', 'Deployment/eu-web']);
		const dep = r.objects[1];
		const v = dep.value as any;
		assert.equal(v.metadata.namespace, 'podinfo');
		assert.equal(v.spec.replicas, 2);
		assert.deepEqual(v.spec.template.spec.containers.map((c: { image: string }) => c.image), ['nginx:1.27', 'mirror/envoy:1.0']);
		assert.deepEqual(v.metadata.labels, { 'toolkit.fluxcd.io/tenant': 'web' });
		assert.deepEqual(v.metadata.annotations, { owner: 'web-team' });
		const flux = (path: (string | number)[]) => ({ file: 'clusters/eu/apps.yaml', documentIndex: 2, path });
		assert.deepEqual(dep.originOf(['metadata', 'namespace']), flux(['spec', 'targetNamespace']));
		assert.deepEqual(dep.originOf(['metadata', 'name']), flux(['spec', 'namePrefix']));
		assert.deepEqual(dep.originOf(['spec', 'template', 'spec', 'containers', 0, 'image']), flux(['spec', 'images', 0]));
		assert.deepEqual(dep.originOf(['spec', 'replicas']), flux(['spec', 'patches', 0, 'patch']));
		assert.deepEqual(dep.originOf(['metadata', 'labels', 'toolkit.fluxcd.io/tenant']), flux(['spec', 'commonMetadata', 'labels', 'toolkit.fluxcd.io/tenant']));
	});

	it('renders of the same path for two Flux Kustomizations are cached apart', () => {
		const cache = new RenderCache();
		const fs = repo();
		const a = renderFluxPath('apps/podinfo', fs, cache, { spec, file: 'a.yaml', documentIndex: 0 });
		const b = renderFluxPath('apps/podinfo', fs, cache, { spec: { targetNamespace: 'other' }, file: 'b.yaml', documentIndex: 0 });
		const plain = renderFluxPath('apps/podinfo', fs, cache);
		assert.equal((a.objects[1].value.metadata as any).namespace, 'podinfo');
		assert.equal((b.objects[0].value.metadata as any).namespace, 'other');
		assert.equal((plain.objects[0].value.metadata as any).namespace, 'from-kustomization');
	});
});

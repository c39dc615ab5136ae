import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../../server/src/engine/analysis/engine';
import { EMPTY_REPO, type RepoContext } from '../../server/src/engine/context/check-context';
import { complianceChecks } from '../../server/src/engine/rules/compliance';
import { isAllowedRegistry, parseImage } from '../../server/src/engine/rules/compliance/cis/image-provenance';
import { ObjectSet } from '../../server/src/engine/core/objects';
import { defaultSettings, type FleetscopeSettings } from '../../shared/settings';
import { NO_SCHEMAS } from '../engine/helpers';
import { at, covered, pod } from './helpers';

/** Findings of one rule through the real Engine, as `range severity rule | covered text`, plus messages. */
function run(text: string, rule: string, opts: { settings?: Partial<FleetscopeSettings>; repo?: RepoContext } = {}): { where: string[]; messages: string[] } {
	const engine = new Engine(NO_SCHEMAS, { ...defaultSettings(), ...opts.settings }, [...complianceChecks]);
	const fs = engine.analyze({ path: 'app.yaml', text }, opts.repo ?? EMPTY_REPO).findings.filter((f) => f.ruleId === rule);
	return { where: fs.map((f) => `${at(f)} | ${covered(text, f)}`), messages: fs.map((f) => f.message) };
}

/** A repository whose raw files declare `objects` (documents as plain values). */
function repoWith(...objects: unknown[]): RepoContext {
	return { ...EMPTY_REPO, objects: ObjectSet.fromValues(objects.map((value, i) => ({ file: `other-${i}.yaml`, documentIndex: 0, value })), false) };
}

const DIGEST = 'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';

describe('CIS 5.4.2: cis-plain-secret', () => {
	const secret = (body: string) => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: shop\ntype: Opaque\n${body}`;

	it('reports data and stringData with values on their keys, naming the keys but never a value', () => {
		const t = secret('data:\n  username: YXBw\n  password: czNjcjN0\nstringData:\n  token: abc123\n');
		const r = run(t, 'cis-plain-secret');
		assert.deepEqual(r.where, ['6:0-6:4 error cis-plain-secret | data', '9:0-9:10 error cis-plain-secret | stringData']);
		assert.deepEqual(r.messages, [
			'Secret "db" is committed with its values in plain text (data: username and password): base64 is an encoding, not encryption, so everyone who can read the repository or its history has them. Rotate them, then sync them from a secret manager with an ExternalSecret, or commit a SealedSecret or a SOPS-encrypted file instead. (CIS 5.4.2)',
			'Secret "db" is committed with its values in plain text (stringData: token): stringData is not even encoded, so everyone who can read the repository or its history has them. Rotate them, then sync them from a secret manager with an ExternalSecret, or commit a SealedSecret or a SOPS-encrypted file instead. (CIS 5.4.2)',
		]);
		for (const m of r.messages) for (const value of ['YXBw', 'czNjcjN0', 'abc123']) assert.ok(!m.includes(value), m);
	});

	it('names at most five keys', () => {
		const keys = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((k) => `  ${k}: eA==\n`).join('');
		assert.match(run(secret(`data:\n${keys}`), 'cis-plain-secret').messages[0], /\(data: a, b, c, d, e and 2 more\)/);
	});

	it('accepts no data, empty values, Flux variables, SOPS ciphertext, a SOPS-encrypted file, and bad shapes', () => {
		const cases = [
			secret(''),
			secret('data: {}\n'),
			secret('data:\n  password: ""\n  token:\n'),
			secret('stringData:\n  password: ${DB_PASSWORD}\n  url: " ${DB_URL} "\n'),
			secret('data:\n  password: ENC[AES256_GCM,data:abc,iv:x,tag:y,type:str]\n'),
			secret('data: "password"\n'),
			secret('data:\n  - password\n'),
			secret('stringData: null\n'),
		];
		for (const t of cases) assert.deepEqual(run(t, 'cis-plain-secret').where, [], t);
		// A SOPS file never reaches the rule: the engine skips it.
		const sops = secret('data:\n  password: ENC[AES256_GCM,data:abc]\nsops:\n  mac: ENC[x]\n  version: 3.8.1\n');
		assert.deepEqual(run(sops, 'cis-plain-secret').where, []);
		// A CRD named Secret is not a Kubernetes Secret.
		assert.deepEqual(run(secret('data:\n  password: czNjcjN0\n').replace('apiVersion: v1', 'apiVersion: example.com/v1'), 'cis-plain-secret').where, []);
	});
});

describe('CIS 5.5.1: cis-image-provenance', () => {
	it('reports images pinned only by tag, or not at all, on the image value, as info; digests pass', () => {
		const t = pod(`
initContainers:
  - name: migrate
    image: ghcr.io/acme/migrate:1.2
containers:
  - name: web
    image: ghcr.io/acme/web:1.4@${DIGEST}
  - name: cache
    image: redis
  - name: proxy
    image: localhost:5000/envoy@${DIGEST}
`);
		const r = run(t, 'cis-image-provenance');
		assert.deepEqual(r.where, ['7:13-7:37 info cis-image-provenance | ghcr.io/acme/migrate:1.2', '12:13-12:18 info cis-image-provenance | redis']);
		assert.deepEqual(r.messages, [
			'Init container "migrate" runs ghcr.io/acme/migrate:1.2 by tag, not by digest: a tag can be moved to other content, so what runs is not provably the image that was built and scanned. Pin it by digest (image@sha256:…, or digest: in the kustomization\'s images:) and verify signatures at admission. (CIS 5.5.1)',
			'Container "cache" runs redis with neither tag nor digest: it gets whatever latest points to when the node pulls it, so what runs is not provably the image that was built and scanned. Pin it by digest (image@sha256:…, or digest: in the kustomization\'s images:) and verify signatures at admission. (CIS 5.5.1)',
		]);
	});

	it('accepts an image a kustomization (or Flux Kustomization) of the repository pins by digest, and images built from Flux variables', () => {
		const t = pod('containers:\n  - name: web\n    image: ghcr.io/acme/web:1.4\n  - name: api\n    image: ghcr.io/acme/api:${API_TAG}\n');
		const kustomize = { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', images: [{ name: 'ghcr.io/acme/web', digest: DIGEST }] };
		assert.deepEqual(run(t, 'cis-image-provenance', { repo: repoWith(kustomize) }).where, []);
		const flux = { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'apps' }, spec: { images: [{ name: 'ghcr.io/acme/web', digest: DIGEST }] } };
		assert.deepEqual(run(t, 'cis-image-provenance', { repo: repoWith(flux) }).where, []);
		// A kustomization that only changes the tag pins nothing.
		const tagOnly = { ...kustomize, images: [{ name: 'ghcr.io/acme/web', newTag: '1.5' }, 'odd', { name: 5 }] };
		assert.deepEqual(run(t, 'cis-image-provenance', { repo: repoWith(tagOnly) }).where, ['7:13-7:33 info cis-image-provenance | ghcr.io/acme/web:1.4']);
	});

	it('with fleetscope.compliance.allowedRegistries, an image from elsewhere is a warning naming the registry and the setting', () => {
		const t = pod(`containers:\n  - name: debug\n    image: busybox:1.36\n  - name: web\n    image: ghcr.io/acme/web@${DIGEST}\n  - name: other\n    image: ghcr.io/evil/web@${DIGEST}\n`);
		const settings = { 'compliance.allowedRegistries': ['ghcr.io/acme', '123456789012.dkr.ecr.eu-west-1.amazonaws.com'] };
		const r = run(t, 'cis-image-provenance', { settings });
		assert.deepEqual(r.where, ['7:13-7:25 warning cis-image-provenance | busybox:1.36', '11:13-11:101 warning cis-image-provenance | ghcr.io/evil/web@' + DIGEST]);
		assert.equal(
			r.messages[0],
			'Container "debug" pulls busybox:1.36 from docker.io, which is not in fleetscope.compliance.allowedRegistries (ghcr.io/acme, 123456789012.dkr.ecr.eu-west-1.amazonaws.com): images from elsewhere have no provenance your pipeline vouches for. Mirror the image into an allowed registry, or add the registry to the setting. (CIS 5.5.1)',
		);
	});

	it('judges the new name where a kustomization renames the image', () => {
		const t = pod('containers:\n  - name: web\n    image: web:placeholder\n');
		const renamed = { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', images: [{ name: 'web', newName: 'ghcr.io/acme/web', digest: DIGEST }] };
		assert.deepEqual(run(t, 'cis-image-provenance', { settings: { 'compliance.allowedRegistries': ['ghcr.io/acme'] }, repo: repoWith(renamed) }).where, []);
		const elsewhere = { ...renamed, images: [{ name: 'web', newName: 'quay.io/acme/web' }] };
		const r = run(t, 'cis-image-provenance', { settings: { 'compliance.allowedRegistries': ['ghcr.io/acme'] }, repo: repoWith(elsewhere) });
		assert.match(r.messages[0], /^Container "web" pulls web:placeholder \(renamed by a kustomization's images: to quay\.io\/acme\/web\) from quay\.io, which is not in/);
	});

	it('parses references the way container runtimes do and matches registries and prefixes', () => {
		assert.deepEqual(parseImage('nginx'), { name: 'nginx', registry: 'docker.io', repository: 'docker.io/library/nginx', digest: undefined, tagged: false });
		assert.deepEqual(parseImage('localhost:5000/team/app:1.0'), { name: 'localhost:5000/team/app', registry: 'localhost:5000', repository: 'localhost:5000/team/app', digest: undefined, tagged: true });
		assert.equal(parseImage(`Registry.Example.com/app@${DIGEST}`).registry, 'registry.example.com');
		assert.equal(parseImage('app@notadigest').digest, undefined);
		const allowed = (image: string, list: string[]) => isAllowedRegistry(parseImage(image), list);
		assert.equal(allowed('nginx:1', ['docker.io']), true);
		assert.equal(allowed('nginx:1', ['docker.io/library']), true);
		assert.equal(allowed('acme/app:1', ['acme']), true);
		assert.equal(allowed('acmecorp/app:1', ['acme']), false);
		assert.equal(allowed('ghcr.io/acme-evil/app', ['ghcr.io/acme/']), false);
		assert.equal(allowed('GHCR.io/acme/app', ['ghcr.io']), true);
	});

	it('does not crash on bad shapes: non-string or empty images, containers that are not mappings', () => {
		for (const spec of ['containers:\n  - name: a\n    image: 5\n  - name: b\n    image: ""\n  - "web"\n', 'containers: web\n', 'containers:\n  - name: a\n']) {
			assert.deepEqual(run(pod(spec), 'cis-image-provenance').where, [], spec);
		}
	});
});

describe('CIS 5.7.3: cis-security-context', () => {
	it('reports a pod with no securityContext anywhere on the pod spec key, counting its containers', () => {
		const t = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          image: web
          securityContext: {}
        - name: sidecar
          image: proxy
`;
		const r = run(t, 'cis-security-context');
		assert.deepEqual(r.where, ['6:4-6:8 info cis-security-context | spec']);
		assert.deepEqual(r.messages, [
			'The pod sets no securityContext, neither for itself nor for any of its 2 containers, so it runs as the image\'s user (often root) with the runtime\'s default capabilities and no seccomp profile. Add a pod securityContext (runAsNonRoot: true, seccompProfile type RuntimeDefault) and on each container allowPrivilegeEscalation: false and capabilities.drop: [ALL]. (CIS 5.7.3)',
		]);
		const one = run(pod('containers:\n  - name: web\n    image: web\n'), 'cis-security-context');
		assert.match(one.messages[0], /^The pod sets no securityContext, neither for itself nor for its container, so /);
	});

	it('accepts a securityContext on the pod or on any container, a pod without containers, and bad shapes', () => {
		const cases = [
			'securityContext:\n  runAsNonRoot: true\ncontainers:\n  - name: web\n    image: web\n',
			'containers:\n  - name: web\n    image: web\n    securityContext:\n      readOnlyRootFilesystem: true\n',
			'containers: []\n',
			'securityContext: "strict"\ncontainers: []\n',
		];
		for (const c of cases) assert.deepEqual(run(pod(c), 'cis-security-context').where, [], c);
	});
});

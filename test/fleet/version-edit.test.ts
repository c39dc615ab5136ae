import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, it } from 'node:test';
import { discover, rediscover } from '../../server/src/engine/fleet/discover';
import { DocumentStore, type RepoReader } from '../../server/src/engine/fleet/reader';
import { editStart, placedAfter, versionOnlyEdit } from '../../server/src/engine/fleet/version-edit';
import { EMPTY_FLEET, type FleetModel } from '../../server/src/engine/fleet/types';

// A retag (an image's newTag or digest in an overlay) leaves the fleet's graph as it was: the
// rediscovery reads only the versions again. Whatever path it takes, the model must be the one a
// full discovery of the same texts finds, places (ranges) included.

const FLEET = 'examples/fleet';
const OVERLAY = 'apps/production/kustomization.yaml';

function exampleTexts(): Map<string, string> {
	const out = new Map<string, string>();
	const walk = (dir: string) => {
		for (const e of readdirSync(dir, { withFileTypes: true })) {
			const p = join(dir, e.name);
			if (e.isDirectory()) walk(p);
			else out.set(relative(FLEET, p).split(sep).join('/'), readFileSync(p, 'utf8'));
		}
	};
	walk(FLEET);
	return out;
}

/** A reader over texts the test edits in place (as the editor's unsaved texts win over the disk). */
function reader(texts: Map<string, string>): RepoReader {
	const files = [...texts.keys()].sort();
	return { files: () => files, read: (p) => texts.get(p) };
}

/** The model as JSON, every place's range computed (`SourceLocation.range` is read on serialisation). */
const json = (m: unknown) => JSON.stringify(m);

/** A store that discovered the example fleet, the texts it reads, and that first discovery. */
function discovered() {
	const texts = exampleTexts();
	const store = new DocumentStore(reader(texts));
	return { texts, store, first: discover(store) };
}

/** A full discovery of the same texts in a store of its own. */
const fresh = (texts: Map<string, string>) => discover(new DocumentStore(reader(new Map(texts)))).model;

/**
 * One edit of one file of the example fleet, rediscovered: the model must be a full discovery's
 * whichever way it went; returns the rediscovery (its `versionsOnly` says which way).
 */
function editedOnce(file: string, edit: (t: string) => string): ReturnType<typeof rediscover> {
	const { texts, store, first } = discovered();
	const after = edit(texts.get(file)!);
	assert.notEqual(after, texts.get(file), 'the edit applies to the fixture');
	texts.set(file, after);
	const again = rediscover(store, first, [file]);
	assert.equal(json(again.model), json(fresh(texts)));
	return again;
}

const versionsOf = (m: ReturnType<typeof fresh>, app: string, env: string) =>
	m.apps.find((a) => a.name === app)!.versions.filter((v) => v.environment === env).map((v) => `${v.version}@${v.location.file}:${v.location.range.start.line + 1}:${v.location.range.start.character + 1}`);

describe('rediscovery after a retag', () => {
	it('a retag reads only the versions again, and the model is what a full discovery finds, places included', () => {
		const { texts, store, first } = discovered();
		// Longer than before: every later place in the overlay moves.
		texts.set(OVERLAY, texts.get(OVERLAY)!.replace('newTag: 6.5.3', 'newTag: 6.10.0-rc.1'));
		const again = rediscover(store, first, [OVERLAY]);
		assert.equal(again.versionsOnly, true, 'the retag took the short way');
		assert.equal(json(again.model), json(fresh(texts)));
		assert.deepEqual(versionsOf(again.model, 'podinfo', 'production'), [`6.10.0-rc.1@${OVERLAY}:9:13`]);
		// And a second retag after the first, back again.
		texts.set(OVERLAY, texts.get(OVERLAY)!.replace('newTag: 6.10.0-rc.1', 'newTag: 6.5.3'));
		const back = rediscover(store, again, [OVERLAY]);
		assert.equal(back.versionsOnly, true);
		assert.equal(json(back.model), json(first.model));
	});

	it('a digest changed is a retag too', () => {
		const { texts, store, first } = discovered();
		texts.set(OVERLAY, texts.get(OVERLAY)!.replace('sha256:a12c296a', 'sha256:b12c296a'));
		const again = rediscover(store, first, [OVERLAY]);
		assert.equal(again.versionsOnly, true);
		assert.equal(json(again.model), json(fresh(texts)));
	});

	const full: [string, (t: string) => string][] = [
		['a resource listed', (t) => t.replace('  - podinfo-ingress.yaml\n', '  - podinfo-ingress.yaml\n  - ../base/statements\n')],
		['a resource removed', (t) => t.replace('  - ../base/orders-api\n', '')],
		["an image's name changed", (t) => t.replace('name: ghcr.io/stefanprodan/podinfo', 'name: ghcr.io/stefanprodan/podinfo2')],
		['an image entry added', (t) => t.replace('patches:\n', '  - name: ghcr.io/acme/other\n    newTag: 1.0.0\npatches:\n')],
		['newTag added where only a digest was', (t) => t.replace('    newTag: 2.14.0\n', '')],
		['a patch target changed', (t) => t.replace('name: orders-api\n', 'name: orders-api-v2\n')],
		['a retag and a resource in one edit', (t) => t.replace('newTag: 6.5.3', 'newTag: 6.6.0').replace('  - ../base/orders-api\n', '')],
	];
	for (const [what, edit] of full) it(`${what}: a full discovery`, () => assert.equal(editedOnce(OVERLAY, edit).versionsOnly, false));

	it('a Flux Kustomization file with only its layout or comments changed: the short way, the model a full discovery\'s', () => {
		const { texts, store, first } = discovered();
		const flux = [...texts.keys()].find((f) => /^clusters\/[^/]+\/apps\.yaml$/.test(f))!;
		const original = texts.get(flux)!;
		texts.set(flux, `${original}\n# synced by Flux\n`);
		const again = rediscover(store, first, [flux]);
		assert.equal(again.versionsOnly, true);
		assert.equal(json(again.model), json(fresh(texts)));
		// A comment above its objects moves the places the graph holds in it: the full way.
		texts.set(flux, `# synced by Flux\n${original}`);
		const moved = rediscover(store, again, [flux]);
		assert.equal(moved.versionsOnly, false);
		assert.equal(json(moved.model), json(fresh(texts)));
	});

	it('a Flux Kustomization changed in any value: a full discovery', () => {
		const { texts, store, first } = discovered();
		const flux = [...texts.keys()].find((f) => /^clusters\/[^/]+\/apps\.yaml$/.test(f) && /interval: \S+/.test(texts.get(f)!))!;
		texts.set(flux, texts.get(flux)!.replace(/interval: \S+/, 'interval: 7m'));
		const again = rediscover(store, first, [flux]);
		assert.equal(again.versionsOnly, false);
		assert.equal(json(again.model), json(fresh(texts)));
	});

	it('another file whose change the store saw but was not told about: a full discovery', () => {
		const { texts, store, first } = discovered();
		const other = 'apps/staging/kustomization.yaml';
		texts.set(other, texts.get(other)!.replace('  - ../base/orders-api\n', ''));
		store.mappings(other); // read again by someone (navigation, a hover) before the rediscovery
		texts.set(OVERLAY, texts.get(OVERLAY)!.replace('newTag: 6.5.3', 'newTag: 6.6.0'));
		const again = rediscover(store, first, [OVERLAY]);
		assert.equal(again.versionsOnly, false);
		assert.equal(json(again.model), json(fresh(texts)));
	});

	it('an overlay read again (a hover) before the rediscovery still compares with what discovery read', () => {
		const { texts, store, first } = discovered();
		texts.set(OVERLAY, texts.get(OVERLAY)!.replace('  - ../base/orders-api\n', ''));
		store.mappings(OVERLAY);
		const again = rediscover(store, first, [OVERLAY]);
		assert.equal(again.versionsOnly, false, 'the removed resource is seen, though the store already holds the new text');
		assert.equal(json(again.model), json(fresh(texts)));
	});

	it('a problem above the retag stays where it is: the short way, and the model is a full discovery\'s', () => {
		const texts = exampleTexts();
		texts.set(OVERLAY, texts.get(OVERLAY)!.replace('  - podinfo-ingress.yaml\n', '  - podinfo-ingress.yaml\n  - missing-route.yaml\n'));
		const store = new DocumentStore(reader(texts));
		const first = discover(store);
		const problem = first.model.problems.find((p) => p.location.file === OVERLAY);
		assert.ok(problem, 'the fixture has a problem in the overlay');
		texts.set(OVERLAY, texts.get(OVERLAY)!.replace('newTag: 6.5.3', 'newTag: 6.10.0-rc.1'));
		const again = rediscover(store, first, [OVERLAY]);
		assert.equal(again.versionsOnly, true);
		assert.equal(json(again.model), json(fresh(texts)));
	});

	it('a problem below the retag: on a later line it keeps its place (the short way); moved by a line added above it, the full way', () => {
		const texts = exampleTexts();
		texts.set(OVERLAY, `${texts.get(OVERLAY)!}  - path: missing-patch.yaml\n`);
		const store = new DocumentStore(reader(texts));
		const first = discover(store);
		assert.ok(first.model.problems.some((p) => p.location.file === OVERLAY), 'the fixture has a problem in the overlay');
		// Longer than before, within its line: the lines below keep their numbers.
		texts.set(OVERLAY, texts.get(OVERLAY)!.replace('newTag: 6.5.3', 'newTag: 6.10.0-rc.1'));
		const again = rediscover(store, first, [OVERLAY]);
		assert.equal(again.versionsOnly, true);
		assert.equal(json(again.model), json(fresh(texts)));
		// A retag with a comment line above the problem: the problem moves down a line.
		texts.set(OVERLAY, texts.get(OVERLAY)!.replace('newTag: 6.10.0-rc.1\n', 'newTag: 6.11.0\n    # promoted\n'));
		const moved = rediscover(store, again, [OVERLAY]);
		assert.equal(moved.versionsOnly, false);
		assert.equal(json(moved.model), json(fresh(texts)));
	});
});

describe('rediscovery after an edit of a workload file', () => {
	const BASE = 'apps/base/podinfo/deployment.yaml';
	const LEGACY = 'apps/staging/legacy-batch/pdf-render.yaml';

	const short: [string, string, (t: string) => string][] = [
		// Longer than before: every later place in the file moves.
		['an image tag in a base Deployment', BASE, (t) => t.replace('podinfo:6.5.0', 'podinfo:6.10.0-rc.1')],
		['the replicas and an argument', BASE, (t) => t.replace('replicas: 2', 'replicas: 3').replace('--level=info', '--level=debug')],
		['lines added above the image', BASE, (t) => t.replace('  revisionHistoryLimit: 5\n', '  revisionHistoryLimit: 5\n  minReadySeconds: 10\n  progressDeadlineSeconds: 300\n')],
		['an image in a workload no kustomization lists (discovery never read it)', LEGACY, (t) => t.replace(/pdf-render:3\.2\.0@sha256:[0-9a-f]+/, 'pdf-render:3.3.0')],
	];
	for (const [what, file, edit] of short) it(`${what}: the versions are read again, and the model is a full discovery's`, () => assert.equal(editedOnce(file, edit).versionsOnly, true));

	it('an image no overlay sets shows in the versions at its new place in the base', () => {
		const { texts, store, first } = discovered();
		texts.set(BASE, texts.get(BASE)!.replace('image: ghcr.io/stefanprodan/podinfo:6.5.0', 'image: ghcr.io/acme/podinfo-fork:7.0.0'));
		const again = rediscover(store, first, [BASE]);
		assert.equal(again.versionsOnly, true);
		assert.equal(json(again.model), json(fresh(texts)));
		// The overlay's images entry names the old image: the base's own tag is what production runs now.
		assert.deepEqual(versionsOf(first.model, 'podinfo', 'production'), [`6.5.3@${OVERLAY}:9:13`]);
		assert.deepEqual(versionsOf(again.model, 'podinfo', 'production'), [`7.0.0@${BASE}:35:18`]);
	});

	const full: [string, string, (t: string) => string][] = [
		['the Deployment renamed', BASE, (t) => t.replace('  name: podinfo\n  namespace: podinfo', '  name: podinfo-v2\n  namespace: podinfo')],
		['its labels changed (which app an image belongs to)', BASE, (t) => t.replace('    app.kubernetes.io/name: podinfo\n    app.kubernetes.io/part-of', '    app.kubernetes.io/name: frontend\n    app.kubernetes.io/part-of')],
		['a document added', BASE, (t) => `${t}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n`],
		['a Secret beside it (Argo CD reads cluster Secrets)', BASE, (t) => `${t}---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: extra\n`],
		['its kind changed', BASE, (t) => t.replace('kind: Deployment', 'kind: StatefulSet')],
	];
	for (const [what, file, edit] of full) it(`${what}: a full discovery`, () => assert.equal(editedOnce(file, edit).versionsOnly, false));

	it('a file discovery did not read that now holds a graph kind: a full discovery', () => {
		const { texts, store, first } = discovered();
		texts.set(LEGACY, `${texts.get(LEGACY)!}---\napiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: legacy\n  namespace: flux-system\nspec:\n  url: https://example.com/legacy.git\n`);
		const again = rediscover(store, first, [LEGACY]);
		assert.equal(again.versionsOnly, false);
		assert.equal(json(again.model), json(fresh(texts)));
	});

	it('a Secret file edited: a full discovery, even with its name kept (Argo CD reads cluster Secrets)', () => {
		const { texts, store, first } = discovered();
		const secret = 'apps/staging/legacy-batch/reporting-credentials.yaml';
		texts.set(secret, texts.get(secret)!.replace('DB_PASSWORD: not-a-real-password', 'DB_PASSWORD: rotated'));
		const again = rediscover(store, first, [secret]);
		assert.equal(again.versionsOnly, false);
		assert.equal(json(again.model), json(fresh(texts)));
	});
});

describe('rediscovery after a chart bump', () => {
	const RELEASE = 'infrastructure/controllers/cert-manager.yaml';

	it('a HelmRelease\'s chart version: the short way, the version read again at its place, the model a full discovery\'s', () => {
		const { texts, store, first } = discovered();
		texts.set(RELEASE, texts.get(RELEASE)!.replace('version: "1.15.x"', 'version: "1.16.2-rc.0"'));
		const again = rediscover(store, first, [RELEASE]);
		assert.equal(again.versionsOnly, true);
		assert.equal(json(again.model), json(fresh(texts)));
		assert.deepEqual(versionsOf(again.model, 'cert-manager', 'production'), [`1.16.2-rc.0@${RELEASE}:21:16`]);
		// And back.
		texts.set(RELEASE, texts.get(RELEASE)!.replace('version: "1.16.2-rc.0"', 'version: "1.15.x"'));
		const back = rediscover(store, again, [RELEASE]);
		assert.equal(back.versionsOnly, true);
		assert.equal(json(back.model), json(first.model));
	});

	it('the first of several HelmReleases in one file: the names below keep their places, the short way', () => {
		const texts = exampleTexts();
		const second = texts.get(RELEASE)!.split('---\n')[1].replace(/cert-manager/g, 'trust-manager').replace('1.15.x', '0.12.x');
		texts.set(RELEASE, `${texts.get(RELEASE)!}---\n${second}`);
		const store = new DocumentStore(reader(texts));
		const first = discover(store);
		texts.set(RELEASE, texts.get(RELEASE)!.replace('version: "1.15.x"', 'version: "1.16.10"'));
		const again = rediscover(store, first, [RELEASE]);
		assert.equal(again.versionsOnly, true);
		assert.equal(json(again.model), json(fresh(texts)));
	});

	const full: [string, (t: string) => string][] = [
		['its chart renamed', (t) => t.replace('chart: cert-manager', 'chart: cert-manager-csi')],
		['its source changed', (t) => t.replace('name: jetstack\n        namespace', 'name: jetstack-mirror\n        namespace')],
		['a value changed', (t) => t.replace('crds: Create\n', 'crds: Skip\n')],
		['the HelmRepository beside it changed', (t) => t.replace('url: https://charts.jetstack.io', 'url: https://charts.example.com')],
		['a version and the interval in one edit', (t) => t.replace('version: "1.15.x"', 'version: "1.16.x"').replace('interval: 12h', 'interval: 1h')],
	];
	for (const [what, edit] of full) it(`${what}: a full discovery`, () => assert.equal(editedOnce(RELEASE, edit).versionsOnly, false));
});

describe('rediscovery after an Argo CD targetRevision bump', () => {
	const APP = 'argocd/guestbook.yaml';
	const application = (rev: string, repo = 'https://github.com/acme/fleet.git') =>
		`apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: guestbook\n  namespace: argocd\nspec:\n  project: default\n  destination:\n    name: prod-eu-west-1\n    namespace: guestbook\n  source:\n    repoURL: ${repo}\n    path: apps/guestbook\n    targetRevision: ${rev}\n  syncPolicy:\n    automated: {}\n`;
	const argoFleet = () => {
		const texts = new Map<string, string>([
			[APP, application('v1.2.0')],
			['apps/guestbook/kustomization.yaml', 'resources:\n  - deployment.yaml\n'],
			['apps/guestbook/deployment.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: guestbook\nspec:\n  template:\n    spec:\n      containers:\n        - name: g\n          image: ghcr.io/acme/guestbook:1.0.0\n'],
		]);
		const store = new DocumentStore(reader(texts));
		return { texts, store, first: discover(store) };
	};
	const revisions = (m: ReturnType<typeof fresh>) => m.apps.flatMap((a) => a.versions.filter((v) => v.location.file === APP).map((v) => v.version));

	it('the short way, the new revision among the versions, the model a full discovery\'s', () => {
		const { texts, store, first } = argoFleet();
		assert.deepEqual(revisions(first.model), ['v1.2.0']);
		texts.set(APP, application('v1.10.0'));
		const again = rediscover(store, first, [APP]);
		assert.equal(again.versionsOnly, true);
		assert.equal(json(again.model), json(fresh(texts)));
		assert.deepEqual(revisions(again.model), ['v1.10.0']);
	});

	it('its repository changed: a full discovery', () => {
		const { texts, store, first } = argoFleet();
		texts.set(APP, application('v1.2.0', 'https://github.com/acme/other.git'));
		const again = rediscover(store, first, [APP]);
		assert.equal(again.versionsOnly, false);
		assert.equal(json(again.model), json(fresh(texts)));
	});
});

describe('versionOnlyEdit', () => {
	const store = (text: string) => new DocumentStore({ files: () => ['k/kustomization.yaml', 'k/flux.yaml'], read: (p) => (p === 'k/flux.yaml' ? text.replace('kustomize.config.k8s.io/v1beta1', 'kustomize.toolkit.fluxcd.io/v1') : text) });
	const base = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [a.yaml]\nimages:\n  - name: app\n    newTag: "1.0"\n';
	const check = (before: string, after: string, file = 'k/kustomization.yaml') => versionOnlyEdit(file, store(before).mappings(file), store(after).mappings(file));

	it('a tag or a digest changed, a comment added, quotes changed: yes', () => {
		assert.equal(check(base, base.replace('"1.0"', '"1.1"')), true);
		assert.equal(check(base, base.replace('"1.0"', '1.1')), true);
		assert.equal(check(base, `# promoted by the bot\n${base}`), true);
		const withDigest = base.replace('newTag: "1.0"', 'digest: sha256:aaaa');
		assert.equal(check(withDigest, withDigest.replace('aaaa', 'bbbb')), true);
	});

	it('anything else: no', () => {
		assert.equal(check(base, base.replace('[a.yaml]', '[a.yaml, b.yaml]')), false, 'a resource');
		assert.equal(check(base, base.replace('name: app', 'name: app2')), false, 'an image name');
		assert.equal(check(base, base.replace('    newTag: "1.0"\n', '    newTag: "1.0"\n    newName: other\n')), false, 'a newName');
		assert.equal(check(base, `${base}---\n${base}`), false, 'a document added');
		assert.equal(check(base, base.replace('resources', 'components')), false, 'a key renamed');
		assert.equal(check(base, base.replace('"1.0"', '"1.1"'), 'k/flux.yaml'), false, 'a Flux Kustomization');
		assert.equal(versionOnlyEdit('k/kustomization.yaml', undefined, store(base).mappings('k/kustomization.yaml')), false, 'not read before');
		const notAList = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nimages: {}\nresources: [a.yaml]\n';
		assert.equal(check(notAList, notAList.replace('[a.yaml]', '[a.yaml, b.yaml]')), false, 'a resource listed after an images entry that is not a list');
		assert.equal(check(base, base.replace('"1.0"', '"1.1"'), 'k/deploy.yaml'), false, 'a kustomization in a file not named as one is a Flux-less graph kind');
	});
});

describe('editStart and placedAfter', () => {
	it('an edit starts at the first character that differs, as a line and character of the old text', () => {
		assert.deepEqual(editStart('f', 'a: 1\nb: 2\nc: 3\n', 'a: 1\nb: 20\nc: 3\n'), { file: 'f', line: 1, character: 4, withinLine: true });
		assert.deepEqual(editStart('f', 'a: 1\n', 'x: 1\n'), { file: 'f', line: 0, character: 0, withinLine: true });
		assert.deepEqual(editStart('f', 'a: 1\n', 'a: 1\nb: 2\n'), { file: 'f', line: 1, character: 0, withinLine: false });
		assert.deepEqual(editStart('f', 'a: 1\nb: 2\n', 'a: 1\n'), { file: 'f', line: 1, character: 0, withinLine: false });
		assert.deepEqual(editStart('f', 'a: 1\nb: 2\n', 'a: 1 b: 2\n'), { file: 'f', line: 0, character: 4, withinLine: false });
		assert.equal(editStart('f', 'a: 1\n', 'a: 1\n'), undefined);
	});

	it('a place ending where the edit starts is before it; one ending a character later is not; later lines keep theirs when the edit stays in its line', () => {
		const at = (line: number, character: number, endLine = line) => ({ file: 'k.yaml', anchor: 'k.yaml#0/x', range: { start: { line, character: 0 }, end: { line: endLine, character } } });
		const model = (location: ReturnType<typeof at>): FleetModel => ({ ...EMPTY_FLEET, problems: [{ severity: 'warning', message: 'm', location }] }) as FleetModel;
		const lines = [{ file: 'k.yaml', line: 3, character: 10, withinLine: false }];
		assert.equal(placedAfter(model(at(3, 10)), lines), false);
		assert.equal(placedAfter(model(at(3, 11)), lines), true);
		assert.equal(placedAfter(model(at(2, 40)), lines), false);
		assert.equal(placedAfter(model(at(4, 0)), lines), true);
		assert.equal(placedAfter(model(at(4, 0)), [{ file: 'other.yaml', line: 0, character: 0, withinLine: false }]), false);
		const inLine = [{ file: 'k.yaml', line: 3, character: 10, withinLine: true }];
		assert.equal(placedAfter(model(at(4, 5)), inLine), false, 'a later line');
		assert.equal(placedAfter(model(at(3, 11)), inLine), true, 'the same line, after the edit');
		assert.equal(placedAfter(model(at(2, 5, 4)), inLine), true, 'a range across the edited line');
	});
});

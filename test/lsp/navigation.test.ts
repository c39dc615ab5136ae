import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { DocumentLink, Location, LocationLink } from 'vscode-languageserver-protocol';
import { ensureServerBuilt, positionOf, Session, uriOf } from './harness';

/** Navigation in the fleet graph over stdio: document links, go to definition, find references, and broken kustomization entries. */
let root: string;
let session: Session;
const file = (rel: string) => join(root, rel);
const write = (rel: string, text: string) => {
	mkdirSync(dirname(file(rel)), { recursive: true });
	writeFileSync(file(rel), text);
};
const flux = (name: string, path: string, extra = '') =>
	`apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: ${name}\n  namespace: flux-system\nspec:\n  interval: 5m\n  path: ${path}\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n${extra}`;
const GIT = 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: flux-system\n  namespace: flux-system\nspec:\n  interval: 1m\n  url: ssh://git@github.com/acme/fleet\n';
const CM = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n  namespace: web\n';
const OVERLAY = 'resources:\n  - ../base/web\n  - missing.yaml\n';
const APPS = flux('apps', './apps/dev', '  dependsOn:\n    - name: infra\n');
const range = (r: { start: { line: number; character: number }; end: { line: number; character: number } }) => `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;

before(async () => {
	ensureServerBuilt();
	root = mkdtempSync(join(tmpdir(), 'fleetscope-nav-'));
	write('clusters/dev/flux-system/gotk-sync.yaml', `${GIT}---\n${flux('flux-system', './clusters/dev')}`);
	write('clusters/dev/apps.yaml', APPS);
	write('clusters/dev/infra.yaml', flux('infra', './infrastructure'));
	write('infrastructure/cm.yaml', CM);
	write('apps/base/web/kustomization.yaml', 'resources:\n  - cm.yaml\n');
	write('apps/base/web/cm.yaml', CM);
	write('apps/dev/kustomization.yaml', OVERLAY);
	session = await Session.start({ folders: [root], textDocument: { definition: { linkSupport: true } } });
	await session.logged(/^Validated \d+ workspace files/);
});
after(async () => {
	await session?.stop();
	rmSync(root, { recursive: true, force: true });
});

test('the server announces document links, definitions and references', () => {
	const caps = session.init.capabilities;
	assert.deepEqual([caps.documentLinkProvider, caps.definitionProvider, caps.referencesProvider], [{ resolveProvider: false }, true, true]);
});

test('document links: a kustomization entry to the base kustomization, a Flux path to a directory, a sourceRef to the object at its name', { timeout: 30_000 }, async () => {
	const links = (rel: string) => session.request<DocumentLink[]>('textDocument/documentLink', { textDocument: { uri: uriOf(file(rel)) } });
	assert.deepEqual((await links('apps/dev/kustomization.yaml')).map((l) => [range(l.range), l.target]), [['1:4-1:15', uriOf(file('apps/base/web/kustomization.yaml'))]]);
	assert.deepEqual((await links('clusters/dev/infra.yaml')).map((l) => [range(l.range), l.target, l.tooltip]), [
		['7:8-7:24', uriOf(file('infrastructure')), 'Reveal infrastructure in the Explorer (no kustomization file: every manifest under it is synced)'],
		['11:10-11:21', `${uriOf(file('clusters/dev/flux-system/gotk-sync.yaml'))}#L4,9`, 'Open GitRepository flux-system/flux-system (clusters/dev/flux-system/gotk-sync.yaml)'],
	]);
});

test('go to definition: a dependsOn name to the Kustomization, as a LocationLink with the origin range', { timeout: 30_000 }, async () => {
	const uri = uriOf(file('clusters/dev/apps.yaml'));
	const defs = await session.request<LocationLink[]>('textDocument/definition', { textDocument: { uri }, position: positionOf(APPS, '- name: infra', 10) });
	assert.deepEqual(defs, [
		{
			originSelectionRange: { start: { line: 13, character: 12 }, end: { line: 13, character: 17 } },
			targetUri: uriOf(file('clusters/dev/infra.yaml')),
			targetRange: { start: { line: 0, character: 0 }, end: { line: 12, character: 0 } },
			targetSelectionRange: { start: { line: 3, character: 8 }, end: { line: 3, character: 13 } },
		},
	]);
	const none = await session.request<LocationLink[]>('textDocument/definition', { textDocument: { uri }, position: positionOf(APPS, 'interval') });
	assert.deepEqual(none, []);
});

test('find references from a base: the overlay entry, the Flux path that syncs the overlay and the cluster root', { timeout: 30_000 }, async () => {
	const refs = await session.request<Location[]>('textDocument/references', { textDocument: { uri: uriOf(file('apps/base/web/kustomization.yaml')) }, position: { line: 0, character: 3 }, context: { includeDeclaration: true } });
	assert.deepEqual(
		refs.map((r) => [r.uri, range(r.range)]),
		[
			[uriOf(file('apps/dev/kustomization.yaml')), '1:4-1:15'],
			[uriOf(file('clusters/dev/apps.yaml')), '7:8-7:18'],
			[uriOf(file('clusters/dev/flux-system/gotk-sync.yaml')), '16:8-16:22'],
		],
	);
});

test('a missing kustomization entry is a fleet-reference diagnostic on the entry', { timeout: 30_000 }, async () => {
	const p = await session.diagnostics(uriOf(file('apps/dev/kustomization.yaml')), (x) => x.diagnostics.length > 0);
	assert.deepEqual(p.diagnostics.map((d) => [range(d.range), d.code]), [['2:4-2:16', 'fleet-reference']]);
	assert.match(p.diagnostics[0].message, /^This kustomization names "missing\.yaml" \(apps\/dev\/missing\.yaml\), which does not exist, so kustomize build fails \("lstat apps\/dev\/missing\.yaml: no such file or directory"\): Flux and Argo CD apply nothing that includes it, so dev keeps the last revision that built\./);
});

test('links follow the editor text at once, before the fleet is rediscovered', { timeout: 30_000 }, async () => {
	const uri = uriOf(file('apps/dev/kustomization.yaml'));
	await session.open(uri, OVERLAY);
	const start = positionOf(OVERLAY, 'missing.yaml');
	await session.change(uri, 2, [{ range: { start, end: { line: start.line, character: start.character + 'missing'.length } }, text: '../../infrastructure/cm' }]);
	const links = await session.request<DocumentLink[]>('textDocument/documentLink', { textDocument: { uri } });
	assert.deepEqual(links.map((l) => [range(l.range), l.target]), [
		['1:4-1:15', uriOf(file('apps/base/web/kustomization.yaml'))],
		['2:4-2:32', uriOf(file('infrastructure/cm.yaml'))],
	]);
	await session.close(uri);
});

test('a client without LocationLink support gets plain locations', { timeout: 30_000 }, async () => {
	const plain = await Session.start({ folders: [root] });
	try {
		const defs = await plain.request<Location[]>('textDocument/definition', { textDocument: { uri: uriOf(file('clusters/dev/apps.yaml')) }, position: positionOf(APPS, './apps/dev', 3) });
		assert.deepEqual(defs, [{ uri: uriOf(file('apps/dev/kustomization.yaml')), range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }]);
	} finally {
		await plain.stop();
	}
});
